// `problab vae`: trains the exam's MNIST VAE (784-400-(d_z, d_z), Bernoulli decoder; Adam 1e-3, batch 128,
// 15 epochs), printing train/test −ELBO, reconstruction and KL per epoch (nats per image) and seconds per epoch.
//   problab vae [--epochs 15] [--latent 2] [--hidden 400] [--batch-size 128] [--lr 0.001] [--train-limit N]
//               [--test-limit N] [--load DIR] [--save DIR] [--json]
// --load continues from a checkpoint (its sizes must match: a wrong latent size is a one-line error);
// --epochs 0 with --load only evaluates. --save writes a checkpoint folder (weights, Adam state, config).
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ProbLab.Checkpoints;
using ProbLab.Cli.Experiments;
using ProbLab.Models;
using ProbLab.Nn.Optim;

namespace ProbLab.Cli.Commands;

/// <summary>The `vae` command.</summary>
public static class VaeCommand
{
    /// <summary>Config of `problab vae`.</summary>
    public sealed record VaeRunConfig
    {
        /// <summary>Training epochs (0: evaluate a loaded checkpoint only).</summary>
        public int Epochs { get; init; } = 15;
        /// <summary>Latent dimension d_z.</summary>
        public int Latent { get; init; } = 2;
        /// <summary>Hidden units of encoder and decoder.</summary>
        public int Hidden { get; init; } = 400;
        /// <summary>Images per Adam step.</summary>
        public int BatchSize { get; init; } = 128;
        /// <summary>Adam learning rate.</summary>
        public double Lr { get; init; } = 1e-3;
        /// <summary>Use only the first N training images (0: all).</summary>
        public int TrainLimit { get; init; }
        /// <summary>Use only the first N test images (0: all).</summary>
        public int TestLimit { get; init; }
        /// <summary>Checkpoint folder to continue from, or null.</summary>
        public string? Load { get; init; }
        /// <summary>Checkpoint folder to write at the end, or null.</summary>
        public string? Save { get; init; }
    }

    /// <summary>Creates `vae`.</summary>
    public static Command Create(CliApp app)
    {
        var d = new VaeRunConfig();
        var epochs = CliOptions.Int("--epochs", "training epochs (0 with --load: evaluate only)", d.Epochs, min: 0, max: 100_000);
        var latent = CliOptions.Int("--latent", "latent dimension d_z", d.Latent, min: 1, max: 4096);
        var hidden = CliOptions.Int("--hidden", "hidden units of encoder and decoder", d.Hidden, min: 1, max: 65_536);
        var batch = CliOptions.Int("--batch-size", "images per Adam step", d.BatchSize, min: 1, max: 60_000);
        var lr = CliOptions.Double("--lr", "Adam learning rate", d.Lr, min: 1e-12, max: 10);
        var trainLimit = CliOptions.Int("--train-limit", "use only the first N training images (0: all)", 0, min: 0);
        var testLimit = CliOptions.Int("--test-limit", "use only the first N test images (0: all)", 0, min: 0);
        var load = CliOptions.Path("--load", "checkpoint folder to continue from");
        var save = CliOptions.Path("--save", "checkpoint folder to write at the end");
        var cmd = new Command("vae", "Train the MNIST VAE (Bernoulli decoder) and report -ELBO, reconstruction and KL per epoch.")
            { epochs, latent, hidden, batch, lr, trainLimit, testLimit, load, save };
        app.SetAction(cmd, p => new VaeRunConfig
        {
            Epochs = p.GetValue(epochs), Latent = p.GetValue(latent), Hidden = p.GetValue(hidden), BatchSize = p.GetValue(batch),
            Lr = p.GetValue(lr), TrainLimit = p.GetValue(trainLimit), TestLimit = p.GetValue(testLimit), Load = p.GetValue(load), Save = p.GetValue(save),
        }, Run);
        return cmd;
    }

    private static int Run(CommandContext ctx, VaeRunConfig cfg)
    {
        if (cfg.Epochs == 0 && cfg.Load is null) throw new UsageException("--epochs 0 needs --load (there is nothing to evaluate)");
        var data = MnistInputs.Load(ctx.Data, cfg.TrainLimit, cfg.TestLimit, validation: 0, ctx.Cancel);
        ctx.Announce(data.Source);
        var vae = new Vae(new VaeConfig(MnistInputs.Dim, cfg.Hidden, cfg.Latent), ctx.Rng);
        var opt = new Adam(vae.NamedParameters(), (float)cfg.Lr);
        if (cfg.Load is not null)
        {
            vae.LoadWeights(cfg.Load, opt);
            opt.LearningRate = (float)cfg.Lr;
        }
        var history = new VaeHistory();
        if (cfg.Epochs > 0)
        {
            var options = new VaeTrainOptions { Epochs = cfg.Epochs, BatchSize = cfg.BatchSize, LearningRate = (float)cfg.Lr };
            int stepsPerEpoch = (data.Train.Count + cfg.BatchSize - 1) / cfg.BatchSize;
            ctx.Out.WriteLine($"{"epoch",5} {"train -ELBO",12} {"recon",8} {"KL",6} {"test -ELBO",11} {"recon",8} {"KL",6} {"seconds",8}");
            using var task = ctx.Progress.Start("vae", (long)stepsPerEpoch * cfg.Epochs);
            history = VaeTrainer.Fit(vae, data.Train.X, data.Test.X, options, ctx.Rng,
                onEpoch: e => ctx.Out.WriteLine(Row(e)), onStep: s => task.Advance(1, s.NegElbo), optimizer: opt);
        }
        var final = VaeTrainer.Evaluate(vae, data.Test.X, ctx.Rng);
        ctx.Out.WriteLine(Inv($"test: -ELBO {final.NegElbo:F2} nats/image (reconstruction {final.Recon:F2}, KL {final.Kl:F2}) on {data.Test.Count} images"));
        string? saved = null;
        if (cfg.Save is not null)
        {
            vae.Save(cfg.Save, opt, new TrainingState { Epoch = cfg.Epochs });
            saved = Path.GetFullPath(cfg.Save);
            ctx.Out.WriteLine($"saved checkpoint to {saved}");
        }
        ctx.JsonResult = Json(history, final, data, saved);
        return ErrorText.Ok;
    }

    private static string Row(VaeEpochRecord e) =>
        Inv($"{e.Epoch,5} {e.Train.NegElbo,12:F2} {e.Train.Recon,8:F2} {e.Train.Kl,6:F2} {e.Test!.Value.NegElbo,11:F2} {e.Test.Value.Recon,8:F2} {e.Test.Value.Kl,6:F2} {e.Seconds,8:F2}");

    private static JsonObject Json(VaeHistory history, ElboStats final, MnistInputs data, string? saved) => new()
    {
        ["epochs"] = new JsonArray(history.Epochs.Select(e => (JsonNode)new JsonObject
        {
            ["epoch"] = e.Epoch, ["train"] = Stats(e.Train), ["test"] = e.Test is { } t ? Stats(t) : null, ["seconds"] = Math.Round(e.Seconds, 3),
        }).ToArray()),
        ["test"] = Stats(final),
        ["secondsPerEpoch"] = history.Epochs.Count == 0 ? null : Math.Round(history.Epochs.Average(e => e.Seconds), 3),
        ["trainImages"] = data.Train.Count,
        ["testImages"] = data.Test.Count,
        ["checkpoint"] = saved,
    };

    private static JsonObject Stats(ElboStats s) => new()
    {
        ["negElbo"] = Math.Round(s.NegElbo, 4), ["recon"] = Math.Round(s.Recon, 4), ["kl"] = Math.Round(s.Kl, 4),
    };

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
