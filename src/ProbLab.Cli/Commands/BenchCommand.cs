// `problab bench ...`: kernel throughput measurements (not unit tests: timings vary with the machine).
//   problab bench gemm --sizes 256,512,1024 [--repeats 5] [--threads N] [--json]
// --json prints {"results":[{"n":256,"gflops":..,"bestMs":..,"repeats":5}, ...]} plus the usual envelope.
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ProbLab.Cli.Bench;

namespace ProbLab.Cli.Commands;

/// <summary>The `bench` command group.</summary>
public static class BenchCommand
{
    /// <summary>Config of `problab bench gemm`.</summary>
    public sealed record GemmConfig
    {
        /// <summary>Square sizes n; each measures C(n×n) = A(n×n)·B(n×n).</summary>
        public int[] Sizes { get; init; } = [256, 512, 1024];

        /// <summary>Timed runs per size after one warm-up; the fastest is reported.</summary>
        public int Repeats { get; init; } = 5;
    }

    /// <summary>Creates `bench` and its subcommands.</summary>
    public static Command Create(CliApp app)
    {
        var bench = new Command("bench", "Measure kernel throughput.");
        bench.Subcommands.Add(CreateGemm(app));
        bench.Subcommands.Add(BenchTrueSkillCommand.Create(app));
        bench.Subcommands.Add(BenchVaeCommand.Create(app));
        bench.Subcommands.Add(BenchQwopCommand.Create(app));
        bench.Subcommands.Add(BenchGptCommand.Create(app));
        return bench;
    }

    private static Command CreateGemm(CliApp app)
    {
        var d = new GemmConfig();
        var sizes = CliOptions.IntList("--sizes", "comma-separated matrix sizes n", d.Sizes, min: 1, max: 8192);
        var repeats = CliOptions.Int("--repeats", "timed runs per size (the best counts)", d.Repeats, min: 1, max: 1000);
        var cmd = new Command("gemm", "Single-precision GEMM speed: 2·n³ flops / best time, in GFLOP/s.") { sizes, repeats };
        app.SetAction(cmd, p => new GemmConfig { Sizes = p.GetValue(sizes)!, Repeats = p.GetValue(repeats) }, RunGemm);
        return cmd;
    }

    private static int RunGemm(CommandContext ctx, GemmConfig cfg)
    {
        var results = new List<BenchRegistry.GemmResult>();
        using (var task = ctx.Progress.Start("gemm", cfg.Sizes.Length))
            foreach (int n in cfg.Sizes)
            {
                results.Add(BenchRegistry.Gemm(n, cfg.Repeats, ctx.Rng, ctx.Cancel));
                task.Advance();
            }
        ctx.Out.WriteLine($"{"n",6} {"GFLOP/s",9} {"best ms",10}");
        foreach (var r in results)
            ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.N,6} {r.Gflops,9:F2} {r.BestMs,10:F3}"));
        ctx.JsonResult = new JsonObject
        {
            ["results"] = new JsonArray(results.Select(r => (JsonNode)new JsonObject
            {
                ["n"] = r.N, ["gflops"] = Math.Round(r.Gflops, 3), ["bestMs"] = Math.Round(r.BestMs, 4), ["repeats"] = r.Repeats,
            }).ToArray()),
        };
        return ErrorText.Ok;
    }
}
