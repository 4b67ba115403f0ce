// `problab vib`: the variational information bottleneck on MNIST (special participation Q3). Trains one
// classifier with a stochastic K-D bottleneck per β (loss = CE + β·KL(p(z|x) ‖ N(0, I))) and prints the
// validation error, test error and KL (nats) per β. Validation = the last --validation training images.
//   problab vib [--betas 1e-6,1e-5,...,100] [--epochs 10] [--latent 2] [--hidden 512] [--layers 2]
//               [--batch-size 100] [--lr 0.001] [--train-limit N] [--validation 10000] [--json]
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ProbLab.Cli.Experiments;
using ProbLab.Models;

namespace ProbLab.Cli.Commands;

/// <summary>The `vib` command.</summary>
public static class VibCommand
{
    /// <summary>Config of `problab vib`.</summary>
    public sealed record VibRunConfig
    {
        /// <summary>KL weights to sweep.</summary>
        public double[] Betas { get; init; } = VibTrainer.LogSpacedBetas().Select(b => (double)b).ToArray();
        /// <summary>Epochs per β.</summary>
        public int Epochs { get; init; } = 10;
        /// <summary>Bottleneck dimension K.</summary>
        public int Latent { get; init; } = 2;
        /// <summary>Hidden units per encoder layer.</summary>
        public int Hidden { get; init; } = 512;
        /// <summary>Hidden layers of the encoder.</summary>
        public int Layers { get; init; } = 2;
        /// <summary>Examples per Adam step.</summary>
        public int BatchSize { get; init; } = 100;
        /// <summary>Adam learning rate.</summary>
        public double Lr { get; init; } = 1e-3;
        /// <summary>Use only the first N training images (0: all but the validation split).</summary>
        public int TrainLimit { get; init; }
        /// <summary>Validation images held out from the end of the training set.</summary>
        public int Validation { get; init; } = 10_000;
    }

    /// <summary>Creates `vib`.</summary>
    public static Command Create(CliApp app)
    {
        var d = new VibRunConfig();
        var betas = CliOptions.DoubleList("--betas", "comma-separated KL weights β ≥ 0 (default 1e-6,1e-5,...,100)", d.Betas, min: 0, items: "KL weights β");
        var epochs = CliOptions.Int("--epochs", "epochs per β", d.Epochs, min: 1, max: 100_000);
        var latent = CliOptions.Int("--latent", "bottleneck dimension K", d.Latent, min: 1, max: 4096);
        var hidden = CliOptions.Int("--hidden", "hidden units per encoder layer", d.Hidden, min: 1, max: 65_536);
        var layers = CliOptions.Int("--layers", "hidden layers of the encoder", d.Layers, min: 1, max: 64);
        var batch = CliOptions.Int("--batch-size", "examples per Adam step", d.BatchSize, min: 1, max: 60_000);
        var lr = CliOptions.Double("--lr", "Adam learning rate", d.Lr, min: 1e-12, max: 10);
        var trainLimit = CliOptions.Int("--train-limit", "use only the first N training images (0: all)", 0, min: 0);
        var validation = CliOptions.Int("--validation", "validation images held out from the end of the training set", d.Validation, min: 1);
        var cmd = new Command("vib", "Variational information bottleneck on MNIST: validation error and KL for each β.")
            { betas, epochs, latent, hidden, layers, batch, lr, trainLimit, validation };
        app.SetAction(cmd, p => new VibRunConfig
        {
            Betas = p.GetValue(betas)!, Epochs = p.GetValue(epochs), Latent = p.GetValue(latent), Hidden = p.GetValue(hidden), Layers = p.GetValue(layers),
            BatchSize = p.GetValue(batch), Lr = p.GetValue(lr), TrainLimit = p.GetValue(trainLimit), Validation = p.GetValue(validation),
        }, Run);
        return cmd;
    }

    private static int Run(CommandContext ctx, VibRunConfig cfg)
    {
        var data = MnistInputs.Load(ctx.Data, cfg.TrainLimit, 0, cfg.Validation, ctx.Cancel);
        ctx.Announce(data.Source);
        var model = new VibConfig(MnistInputs.Dim, cfg.Hidden, cfg.Layers, cfg.Latent, 10);
        var options = new VibTrainOptions { Epochs = cfg.Epochs, BatchSize = cfg.BatchSize, LearningRate = (float)cfg.Lr };
        List<VibSweepResult> results;
        using (var task = ctx.Progress.Start("vib", (long)cfg.Betas.Length * cfg.Epochs))
            results = VibTrainer.Sweep(model, cfg.Betas.Select(b => (float)b).ToArray(), data.Train, data.Validation!, data.Test, options, ctx.Rng,
                latentPoints: 0, onEpoch: (_, e) => task.Advance(1, e.ValidationError));
        ctx.Out.WriteLine($"{"beta",8} {"val error",10} {"test error",10} {"KL (nats)",10} {"train CE",9}");
        foreach (var r in results)
            ctx.Out.WriteLine(Inv($"{r.Beta,8:G3} {r.ValidationError,10:P2} {r.TestError,10:P2} {r.ValidationKl,10:F3} {r.Epochs[^1].TrainCrossEntropy,9:F4}"));
        var best = results.MinBy(r => r.ValidationError)!;
        ctx.Out.WriteLine(Inv($"lowest validation error {best.ValidationError:P2} at β = {best.Beta:G3}"));
        ctx.JsonResult = new JsonObject
        {
            ["results"] = new JsonArray(results.Select(r => (JsonNode)new JsonObject
            {
                ["beta"] = r.Beta, ["validationError"] = Math.Round(r.ValidationError, 6), ["testError"] = r.TestError is { } t ? Math.Round(t, 6) : null,
                ["kl"] = Math.Round(r.ValidationKl, 5), ["trainCrossEntropy"] = Math.Round(r.Epochs[^1].TrainCrossEntropy, 5),
            }).ToArray()),
            ["bestBeta"] = best.Beta,
            ["trainImages"] = data.Train.Count,
            ["validationImages"] = data.Validation!.Count,
        };
        return ErrorText.Ok;
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
