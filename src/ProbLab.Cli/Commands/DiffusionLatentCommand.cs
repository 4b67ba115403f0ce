// `problab diffusion latent`: latent diffusion on the exam's MNIST VAE (P3.3) and class-conditional generation
// with classifier-free guidance (P3.4). Trains the VAE (or loads --vae DIR), diffuses its encoder means, and
// samples digits with s̃ = (1 + w)s(z, t, y) − w s(z, t, ∅); prints KDE log-densities of the latents and, per w,
// how often the requested digit came out; unless --no-report, writes the chapter as an HTML report.
// --compare-latent N also trains a VAE with latent size N and runs the guidance in its latent (the report's full preset: 16).
//   problab diffusion latent [--guidance 7.5] [--guidance-from 0] [--sweep 0,1,3,7.5,15] [--vae DIR] [--vae-epochs 15]
//       [--latent 2] [--compare-latent N] [--score-steps 8000] [--steps 500] [--train-limit N] [--test-limit N] [--per-class 100] [--no-report]
// --json: {"vae":{..},"classifierAccuracy","parzenLogDensity":{..},"grid":{..},"sweep":[..],"compare":{..}|null} in the envelope.
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ProbLab.Cli.Experiments;
using ProbLab.Models.Diffusion;
using ProbLab.Reports;

namespace ProbLab.Cli.Commands;

/// <summary>The `diffusion latent` command.</summary>
public static class DiffusionLatentCommand
{
    /// <summary>Creates `latent` (added under `diffusion`).</summary>
    public static Command Create(CliApp app)
    {
        var d = new DiffusionLatentConfig();
        var guidance = CliOptions.Double("--guidance", "guidance weight w ≥ 0 of the digit grid (s̃ = (1 + w)s_c − w s_∅; 0 = conditional score)", d.Guidance);
        var from = CliOptions.Double("--guidance-from", "apply guidance only for t ≥ this (0: every step)", d.GuidanceFrom, min: 0, max: 1);
        var sweep = CliOptions.DoubleList("--sweep", "comma-separated guidance weights of the sweep (each ≥ 0)", d.Sweep, min: 0, items: "guidance weights");
        var vae = CliOptions.Path("--vae", "VAE checkpoint folder (from `problab vae --save DIR`) instead of training one");
        var vaeEpochs = CliOptions.Int("--vae-epochs", "VAE training epochs", d.VaeEpochs, min: 1, max: 10_000);
        var latent = CliOptions.Int("--latent", "VAE latent dimension d_z (a --vae checkpoint must match)", d.Latent, min: 1, max: 4096);
        var compare = CliOptions.Int("--compare-latent", "also run the guidance in a second VAE with this latent size (0: none)", d.CompareLatent, min: 0, max: 4096);
        var scoreSteps = CliOptions.Int("--score-steps", "Adam steps of each latent score net", d.ScoreSteps, min: 1, max: 10_000_000);
        var steps = CliOptions.Int("--steps", "diffusion steps K", d.Steps, min: 1, max: 100_000);
        var trainLimit = CliOptions.Int("--train-limit", "use only the first N training images (0: all)", 0, min: 0);
        var testLimit = CliOptions.Int("--test-limit", "use only the first N test images (0: all)", 0, min: 0);
        var perClass = CliOptions.Int("--per-class", "guided samples per digit (all scored; the report shows 10)", d.PerClass, min: 1, max: 10_000);
        var noReport = CliOptions.Flag("--no-report", "do not write the HTML report");
        var cmd = new Command("latent", "Latent diffusion on the MNIST VAE's latents and classifier-free guided digits (exam P3.3-P3.4).")
            { guidance, from, sweep, vae, vaeEpochs, latent, compare, scoreSteps, steps, trainLimit, testLimit, perClass, noReport };
        app.SetAction(cmd, p => d with
        {
            Guidance = CheckWeight("--guidance", p.GetValue(guidance)), GuidanceFrom = p.GetValue(from), Sweep = p.GetValue(sweep)!,
            Vae = p.GetValue(vae), VaeEpochs = p.GetValue(vaeEpochs), Latent = p.GetValue(latent), CompareLatent = p.GetValue(compare), ScoreSteps = p.GetValue(scoreSteps),
            Steps = p.GetValue(steps), TrainLimit = p.GetValue(trainLimit), TestLimit = p.GetValue(testLimit), PerClass = p.GetValue(perClass),
            NoReport = p.GetValue(noReport),
        }, Run);
        return cmd;
    }

    private static double CheckWeight(string name, double w) => w >= 0 ? w
        : throw new UsageException(Inv($"{name} must be ≥ 0 (w = 0 is the plain conditional score), got {w}"));

    private static int Run(CommandContext ctx, DiffusionLatentConfig cfg)
    {
        var run = DiffusionLatentPipeline.Run(cfg, ctx.Data, ctx.Rng, ctx.Progress, ctx.Announce, ctx.Cancel);
        var s = run.Study;
        ctx.Out.WriteLine(Inv($"VAE {run.Vae.Config.InputSize}-{run.Vae.Config.Hidden}-{run.Vae.Config.Latent} ({run.VaeOrigin}): test -ELBO {run.VaeTest.NegElbo:F2} nats/image; digit classifier test accuracy {run.ClassifierTestAccuracy:P1}"));
        ctx.Out.WriteLine(Inv($"mean log-density under a KDE of the training latents (h = {s.ParzenBandwidth:F3}): latent diffusion {s.DiffusionParzen.Mean:F4} ± {s.DiffusionParzen.StdError:F4}, VAE prior {s.PriorParzen.Mean:F4} ± {s.PriorParzen.StdError:F4}, held-out data {s.HeldOutParzen.Mean:F4} ± {s.HeldOutParzen.StdError:F4}"));
        ctx.Out.WriteLine($"{"w",6} {"nearest-mean acc",17} {"classifier acc",15} {"spread",8}");
        PrintGuidance(ctx, s.Guidance);
        if (run.Comparison is { } c)
        {
            ctx.Out.WriteLine(Inv($"compare: VAE {c.Encoder.Vae.Config.InputSize}-{c.Encoder.Vae.Config.Hidden}-{c.Encoder.Latent}: test -ELBO {c.Encoder.Test.NegElbo:F2} nats/image"));
            PrintGuidance(ctx, c.Guidance);
        }
        if (!cfg.NoReport)
        {
            var report = ctx.NewReport("problab diffusion latent", cfg);
            DiffusionLatentPipeline.Write(report.AddSection("Latent diffusion and classifier-free guidance on MNIST (exam P3.3-P3.4)"), run);
            ctx.Out.WriteLine($"wrote {report.Save(ctx.OutDir("diffusion-latent-report"))}");
        }
        ctx.JsonResult = Json(run);
        return ErrorText.Ok;
    }

    // One line per w (the grid first, marked), then the classifier's per-digit agreement on the grid.
    private static void PrintGuidance(CommandContext ctx, GuidanceStudyResult r)
    {
        foreach (var w in r.Sweep.Prepend(r.Grid))
            ctx.Out.WriteLine(Inv($"{w.Weight,6:0.##} {w.NearestMeanAccuracy,17:P1} {w.ClassifierAccuracy,15:P1} {w.WithinClassSpread,8:F4}{(ReferenceEquals(w, r.Grid) ? "  (grid)" : "")}"));
        var g = r.Grid;
        if (g.Predicted is null) return;
        int latent = r.LatentDim;
        var classes = g.Requested.Distinct().Order();
        ctx.Out.WriteLine(Inv($"d_z = {latent}, w = {g.Weight:0.##}, classifier agreement per digit: ") + string.Join(" ", classes.Select(c => Inv($"{c}:{g.ClassifierAccuracyOf(c):P0}"))));
    }

    /// <summary>The --json summary of a run.</summary>
    public static JsonObject Json(DiffusionLatentRun run) => new()
    {
        ["vae"] = new JsonObject
        {
            ["latent"] = run.Vae.Config.Latent, ["hidden"] = run.Vae.Config.Hidden, ["origin"] = run.VaeOrigin,
            ["testNegElbo"] = Math.Round(run.VaeTest.NegElbo, 4),
        },
        ["classifierAccuracy"] = Math.Round(run.ClassifierTestAccuracy, 4),
        ["parzenLogDensity"] = new JsonObject
        {
            ["diffusion"] = Est(run.Study.DiffusionParzen), ["prior"] = Est(run.Study.PriorParzen),
            ["heldOut"] = Est(run.Study.HeldOutParzen), ["bandwidth"] = Math.Round(run.Study.ParzenBandwidth, 6),
        },
        ["grid"] = Guided(run.Study.Grid),
        ["sweep"] = new JsonArray(run.Study.Sweep.Select(g => (JsonNode)Guided(g)).ToArray()),
        ["compare"] = run.Comparison is not { } c ? null : new JsonObject
        {
            ["vae"] = new JsonObject { ["latent"] = c.Encoder.Latent, ["hidden"] = c.Encoder.Vae.Config.Hidden, ["testNegElbo"] = Math.Round(c.Encoder.Test.NegElbo, 4) },
            ["neighbourAccuracyPerClass"] = PerClass(c.NeighbourAccuracy),
            ["mainNeighbourAccuracyPerClass"] = PerClass(c.MainNeighbourAccuracy),
            ["reconstructionAccuracyPerClass"] = PerClass(c.ReconstructionAccuracy),
            ["mainReconstructionAccuracyPerClass"] = PerClass(c.MainReconstructionAccuracy),
            ["grid"] = Guided(c.Guidance.Grid),
            ["sweep"] = new JsonArray(c.Guidance.Sweep.Select(g => (JsonNode)Guided(g)).ToArray()),
        },
    };

    // A per-class array; a class with no rows (NaN) is null.
    private static JsonArray PerClass(double[] v) => new(v.Select(x => double.IsNaN(x) ? null : (JsonNode?)Math.Round(x, 4)).ToArray());

    private static JsonObject Est(Estimate e) => new() { ["mean"] = Math.Round(e.Mean, 6), ["stdError"] = Math.Round(e.StdError, 6) };

    private static JsonObject Guided(GuidedSamples g) => new()
    {
        ["w"] = g.Weight,
        ["nearestMeanAccuracy"] = Math.Round(g.NearestMeanAccuracy, 4),
        ["classifierAccuracy"] = g.ClassifierAccuracy is { } a ? Math.Round(a, 4) : null,
        ["withinClassSpread"] = Math.Round(g.WithinClassSpread, 6),
        ["samples"] = g.Requested.Length,
        ["classifierAccuracyPerClass"] = g.Predicted is null ? null
            : new JsonArray(g.Requested.Distinct().Order().Select(c => (JsonNode?)Math.Round(g.ClassifierAccuracyOf(c)!.Value, 4)).ToArray()),
    };

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
