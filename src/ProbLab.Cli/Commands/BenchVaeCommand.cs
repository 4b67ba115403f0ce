// `problab bench vae`: training throughput of the exam's MNIST VAE (784-400-2, batch 128, Adam), the number
// the PyTorch anchor (anchors/torch_vae.py) prints as seconds per epoch. Times --steps Adam steps after 60
// warm-up steps and scales to one 60 000-image epoch; also prints the process CPU seconds, which are less
// sensitive than wall time to other load on a shared machine.
//   problab bench vae [--steps 100] [--latent 2] [--hidden 400] [--batch-size 128] [--threads N] [--json]
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using ProbLab.Cli.Experiments;
using ProbLab.Models;

namespace ProbLab.Cli.Commands;

/// <summary>The `bench vae` subcommand.</summary>
public static class BenchVaeCommand
{
    // Untimed steps first: .NET's tiered JIT recompiles hot methods after ~30 calls (plus a PGO tier), so a
    // handful of warm-up steps would time partly unoptimised code.
    private const int Warmup = 60;

    /// <summary>Config of `problab bench vae`.</summary>
    public sealed record BenchVaeConfig
    {
        /// <summary>Timed Adam steps.</summary>
        public int Steps { get; init; } = 100;
        /// <summary>Latent dimension.</summary>
        public int Latent { get; init; } = 2;
        /// <summary>Hidden units.</summary>
        public int Hidden { get; init; } = 400;
        /// <summary>Images per step.</summary>
        public int BatchSize { get; init; } = 128;
    }

    /// <summary>Creates `bench vae`.</summary>
    public static Command Create(CliApp app)
    {
        var d = new BenchVaeConfig();
        var steps = CliOptions.Int("--steps", "timed Adam steps", d.Steps, min: 1, max: 1_000_000);
        var latent = CliOptions.Int("--latent", "latent dimension", d.Latent, min: 1, max: 4096);
        var hidden = CliOptions.Int("--hidden", "hidden units", d.Hidden, min: 1, max: 65_536);
        var batch = CliOptions.Int("--batch-size", "images per step", d.BatchSize, min: 1, max: 60_000);
        var cmd = new Command("vae", "MNIST VAE training speed in seconds per 60 000-image epoch.") { steps, latent, hidden, batch };
        app.SetAction(cmd, p => new BenchVaeConfig { Steps = p.GetValue(steps), Latent = p.GetValue(latent), Hidden = p.GetValue(hidden), BatchSize = p.GetValue(batch) }, Run);
        return cmd;
    }

    private static int Run(CommandContext ctx, BenchVaeConfig cfg)
    {
        var data = MnistInputs.Load(ctx.Data, 0, 1, validation: 0, ctx.Cancel);
        ctx.Announce(data.Source);
        var vae = new Vae(new VaeConfig(MnistInputs.Dim, cfg.Hidden, cfg.Latent), ctx.Rng);
        var proc = Process.GetCurrentProcess();
        var cpu0 = proc.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        double perEpoch = VaeTrainer.BenchmarkSecondsPerEpoch(vae, data.Train.X, ctx.Rng, cfg.Steps, Warmup, batchSize: cfg.BatchSize);
        proc.Refresh();
        double cpu = (proc.TotalProcessorTime - cpu0).TotalSeconds, elapsed = wall.Elapsed.TotalSeconds;
        double stepsPerEpoch = Math.Ceiling(60_000.0 / cfg.BatchSize);
        ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"VAE {MnistInputs.Dim}-{cfg.Hidden}-{cfg.Latent}, batch {cfg.BatchSize}: {perEpoch:F2} s/epoch ({perEpoch / stepsPerEpoch * 1e3:F2} ms/step, wall); " +
            $"process CPU {cpu:F2} s over {elapsed:F2} s wall for {cfg.Steps + Warmup} steps"));
        ctx.JsonResult = new JsonObject
        {
            ["secondsPerEpoch"] = Math.Round(perEpoch, 4),
            ["msPerStep"] = Math.Round(perEpoch / stepsPerEpoch * 1e3, 4),
            ["processCpuSeconds"] = Math.Round(cpu, 3),
            ["wallSeconds"] = Math.Round(elapsed, 3),
            ["steps"] = cfg.Steps,
        };
        return ErrorText.Ok;
    }
}
