// `problab mixtures`: fits Gaussian or uniform mixtures to the standardised Europe data (IML ex5 §4), one
// run per K, and prints the final train/test mean log-likelihoods; unless --no-report, also writes an HTML
// report of the runs (samples over the data, per-component samples, snapshots, curves) to --out.
//   problab mixtures --model gmm|umm --components 1,5,10,33 --epochs 50 --init random|class-means
//                    [--method sgd|em|smoothed] [--lr X] [--batch-size N] [--test-own-stats] [--no-report] [--json]
// --json: {"runs":[{"model","components","init","method","trainLogLik":[..],"testLogLik":[..],"seconds"}]} in the envelope.
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ProbLab.Cli.Experiments;
using ProbLab.Data;
using ProbLab.Models.Mixtures;

namespace ProbLab.Cli.Commands;

/// <summary>The `mixtures` command.</summary>
public static class MixturesCommand
{
    /// <summary>Config of `problab mixtures` (defaults: the course's GMM recipe).</summary>
    public sealed record MixturesConfig
    {
        /// <summary>"gmm" (diagonal Gaussians) or "umm" (axis-aligned boxes).</summary>
        public string Model { get; init; } = "gmm";

        /// <summary>Numbers of components K, one run each.</summary>
        public int[] Components { get; init; } = [1, 5, 10, 33];

        /// <summary>Epochs of minibatch Adam (EM: the iteration cap).</summary>
        public int Epochs { get; init; } = 50;

        /// <summary>"random" (the course's randn init) or "class-means" (means at the per-country training means; K must be 33).</summary>
        public string Init { get; init; } = "random";

        /// <summary>"sgd" (the course), "em" (GMM only) or "smoothed" (UMM only: annealed soft box edges).</summary>
        public string Method { get; init; } = "sgd";

        /// <summary>Adam learning rate; 0 = the default (GMM 0.01, UMM 0.001, smoothed UMM 0.01).</summary>
        public double LearningRate { get; init; }

        /// <summary>Points per Adam step.</summary>
        public int BatchSize { get; init; } = 4096;

        /// <summary>Standardise the test set with its own mean/std (the course skeleton's quirk) instead of the training statistics.</summary>
        public bool TestOwnStats { get; init; }

        /// <summary>Skip the HTML report.</summary>
        public bool NoReport { get; init; }
    }

    private static readonly string[] Models = ["gmm", "umm"];
    private static readonly string[] Inits = ["random", "class-means"];
    private static readonly string[] Methods = ["sgd", "em", "smoothed"];

    /// <summary>Creates `mixtures`.</summary>
    public static Command Create(CliApp app)
    {
        var d = new MixturesConfig();
        var model = CliOptions.Choice("--model", "mixture family: gmm or umm", Models, d.Model);
        var components = CliOptions.IntList("--components", "comma-separated numbers of components K (each ≥ 1)", d.Components, min: 1, max: 10000);
        var epochs = CliOptions.Int("--epochs", "epochs of minibatch Adam (EM: maximum iterations)", d.Epochs, min: 1, max: 100000);
        var init = CliOptions.Choice("--init", "random (randn) or class-means (per-country training means; needs K = 33)", Inits, d.Init);
        var method = CliOptions.Choice("--method", "sgd (the course), em (GMM only) or smoothed (UMM only)", Methods, d.Method);
        var lr = CliOptions.Double("--lr", "Adam learning rate (0 = the model's default)", 0, min: 0, max: 10);
        var batch = CliOptions.Int("--batch-size", "points per Adam step", d.BatchSize, min: 1, max: 10_000_000);
        var ownStats = CliOptions.Flag("--test-own-stats", "standardise test data with its own statistics (the course skeleton's quirk)");
        var noReport = CliOptions.Flag("--no-report", "do not write the HTML report");
        var cmd = new Command("mixtures", "Fit Gaussian/uniform mixtures to the Europe data by SGD (or EM) and report samples and log-likelihoods.")
            { model, components, epochs, init, method, lr, batch, ownStats, noReport };
        app.SetAction(cmd, p => Check(new MixturesConfig
        {
            Model = p.GetValue(model)!, Components = p.GetValue(components)!, Epochs = p.GetValue(epochs), Init = p.GetValue(init)!,
            Method = p.GetValue(method)!, LearningRate = p.GetValue(lr), BatchSize = p.GetValue(batch),
            TestOwnStats = p.GetValue(ownStats), NoReport = p.GetValue(noReport),
        }), Run, defaultSeed: CourseSeed);
        return cmd;
    }

    /// <summary>The course's seed (torch.manual_seed(42) in the skeleton); used when --seed is not given.</summary>
    public const long CourseSeed = 42;

    // Combinations the parser cannot see, rejected before anything runs.
    private static MixturesConfig Check(MixturesConfig c)
    {
        if (c.Method == "em" && c.Model != "gmm") throw new UsageException("--method em needs --model gmm");
        if (c.Method == "smoothed" && c.Model != "umm") throw new UsageException("--method smoothed needs --model umm");
        if (c.Method == "em" && c.Init != "random") throw new UsageException("--method em initialises with k-means; leave --init at random");
        if (c.Init == "class-means" && c.Components.Any(k => k != EuropeData.NumClasses))
            throw new UsageException($"--init class-means needs --components {EuropeData.NumClasses} (one component per country), got {string.Join(",", c.Components)}");
        return c;
    }

    /// <summary>The run specs of a config, one per K, with the course's snapshot epochs.</summary>
    public static IReadOnlyList<MixtureRunSpec> Specs(MixturesConfig c) => c.Components.Select(k => new MixtureRunSpec(
        c.Model == "gmm" ? MixtureKind.Gaussian : MixtureKind.Uniform, k,
        c.Init == "random" ? MixtureInit.Random : MixtureInit.ClassMeans,
        c.Method switch { "em" => MixtureMethod.Em, "smoothed" => MixtureMethod.SmoothedSgd, _ => MixtureMethod.Sgd },
        c.Epochs, c.BatchSize, c.LearningRate > 0 ? (float)c.LearningRate : null, SnapshotEpochs(c))).ToList();

    // Course epochs for the sample grids; uniform mixtures snapshot every epoch (and the initial boxes) for the analysis.
    private static int[]? SnapshotEpochs(MixturesConfig c) =>
        c.Method == "em" ? null : c.Model == "umm" ? Enumerable.Range(0, c.Epochs + 1).ToArray() : MixtureExperiments.CourseSnapshotEpochs(c.Epochs);

    private static int Run(CommandContext ctx, MixturesConfig cfg)
    {
        var europe = EuropeData.Load(ctx.Data, ctx.Cancel);
        ctx.Announce(europe.Source);
        var data = MixtureDataset.FromEurope(europe, cfg.TestOwnStats);
        var runs = new List<MixtureRun>();
        foreach (var spec in Specs(cfg))
        {
            using var task = ctx.Progress.Start(spec.Label, cfg.Epochs);
            // Each K starts from the --seed state, as the course script re-seeds per run.
            runs.Add(MixtureExperiments.Run(spec, data, new ProbLab.Tensors.Rng(ctx.Globals.Seed), new EpochProgress(task)));
        }
        ctx.Out.WriteLine($"{"run",-30} {"train LL",10} {"test LL",12} {"seconds",8}");
        foreach (var r in runs)
            ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Spec.Label,-30} {r.TrainLogLik,10:F4} {r.TestLogLik,12:F4} {r.History.Seconds,8:F2}"));
        if (!cfg.NoReport)
        {
            string index = MixtureReport.Write(ctx, cfg, data, europe.Source, runs);
            ctx.Out.WriteLine($"wrote {index}");
        }
        ctx.JsonResult = new JsonObject { ["runs"] = new JsonArray(runs.Select(r => (JsonNode)RunJson(r, cfg)).ToArray()) };
        return ErrorText.Ok;
    }

    private static JsonObject RunJson(MixtureRun r, MixturesConfig cfg) => new()
    {
        ["model"] = cfg.Model,
        ["components"] = r.Spec.Components,
        ["init"] = cfg.Init,
        ["method"] = cfg.Method,
        ["trainLogLik"] = Numbers(r.History.Epochs.Select(e => e.TrainLogLik)),
        ["testLogLik"] = Numbers(r.History.Epochs.Select(e => e.TestLogLik)),
        ["finalTrainLogLik"] = Math.Round(r.TrainLogLik, 6),
        ["finalTestLogLik"] = Math.Round(r.TestLogLik, 6),
        ["seconds"] = Math.Round(r.History.Seconds, 3),
    };

    private static JsonArray Numbers(IEnumerable<double> values) =>
        new(values.Select(v => (JsonNode?)(double.IsFinite(v) ? JsonValue.Create(Math.Round(v, 6)) : null)).ToArray());

    // Advances the command's progress task once per epoch, showing −log-likelihood as the loss.
    private sealed class EpochProgress(IProgressTask task) : IProgress<EpochRecord>
    {
        public void Report(EpochRecord value) => task.Advance(1, value.MeanBatchLoss);
    }
}
