// `problab bench gpt-nano [--steps 200] [--warmup 100] [--batch-size 64] [--threads 1] [--json]`: training
// throughput of the IML ex5 GPT (block 10, 3 layers, 3 heads, 48 dims, vocab 65): full Adam steps on one
// random batch, as the PyTorch anchor torch_gpt_nano.py does. --json adds {"msPerStep","tokensPerSecond","medianMsPerStep","bestMsPerStep",...}.
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ProbLab.Models;

namespace ProbLab.Cli.Commands;

/// <summary>`problab bench gpt-nano`.</summary>
public static class BenchGptCommand
{
    /// <summary>Config of `problab bench gpt-nano`.</summary>
    public sealed record GptNanoConfig
    {
        /// <summary>Timed training steps.</summary>
        public int Steps { get; init; } = 200;
        /// <summary>Untimed warm-up steps (JIT tiering, caches).</summary>
        public int Warmup { get; init; } = 100;
        /// <summary>Windows per step.</summary>
        public int BatchSize { get; init; } = 64;
    }

    /// <summary>Creates `bench gpt-nano`.</summary>
    public static Command Create(CliApp app)
    {
        var d = new GptNanoConfig();
        var steps = CliOptions.Int("--steps", "timed training steps", d.Steps, min: 1, max: 1_000_000);
        var warmup = CliOptions.Int("--warmup", "untimed warm-up steps", d.Warmup, min: 0, max: 1_000_000);
        var batch = CliOptions.Int("--batch-size", "windows per step", d.BatchSize, min: 1, max: 65_536);
        var cmd = new Command("gpt-nano", "Training steps per second of the course's character GPT (forward, backward, Adam).") { steps, warmup, batch };
        app.SetAction(cmd, p => new GptNanoConfig { Steps = p.GetValue(steps), Warmup = p.GetValue(warmup), BatchSize = p.GetValue(batch) }, Run);
        return cmd;
    }

    private static int Run(CommandContext ctx, GptNanoConfig cfg)
    {
        var r = GptBenchmark.TrainSteps(new GptConfig(), cfg.BatchSize, cfg.Steps, cfg.Warmup, unchecked((ulong)ctx.Globals.Seed));
        ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gpt-nano: {r.MsPerStep:F3} ms/step, {r.TokensPerSecond:F0} tokens/s (median step {r.MedianMsPerStep:F3} ms, best {r.BestMsPerStep:F3} ms; batch {r.BatchSize} × block {r.BlockSize}, {r.Parameters:N0} parameters, {r.Steps} steps, {ctx.Globals.Threads} thread(s))"));
        ctx.JsonResult = new JsonObject
        {
            ["msPerStep"] = Math.Round(r.MsPerStep, 4), ["tokensPerSecond"] = Math.Round(r.TokensPerSecond, 1),
            ["medianMsPerStep"] = Math.Round(r.MedianMsPerStep, 4), ["bestMsPerStep"] = Math.Round(r.BestMsPerStep, 4),
            ["steps"] = r.Steps, ["batchSize"] = r.BatchSize, ["blockSize"] = r.BlockSize, ["parameters"] = r.Parameters,
        };
        return ErrorText.Ok;
    }
}
