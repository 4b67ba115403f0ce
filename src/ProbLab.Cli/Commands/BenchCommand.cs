// `problab bench ...`: kernel throughput measurements (not unit tests: timings vary with the machine).
//   problab bench gemm --sizes 256,512,1024 [--repeats 5] [--threads N] [--json]
// --json prints {"results":[{"n":256,"gflops":..,"bestMs":..,"repeats":5}, ...]} plus the usual envelope.
//   problab bench qwop [--workload full|random] [--repeats 5] [--json]
// --json prints {"results":[{"workload","batched","laneWidth","meanSubSteps","simulationsPerSecond","bestSimulationsPerSecond",..}]}.
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ProbLab.Cli.Bench;
using ProbLab.Search;

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

    /// <summary>Config of `problab bench qwop`.</summary>
    public sealed record QwopConfig
    {
        /// <summary>"full" (every run lasts all 200 sub-steps) or "random" (uniform random plans; many fall early).</summary>
        public string Workload { get; init; } = "full";

        /// <summary>Timed repetitions of ≥ 0.2 s each, after a warm-up; the median and the best are reported.</summary>
        public int Repeats { get; init; } = 5;
    }

    /// <summary>Creates `bench` and its subcommands.</summary>
    public static Command Create(CliApp app)
    {
        var bench = new Command("bench", "Measure kernel throughput.");
        bench.Subcommands.Add(CreateGemm(app));
        bench.Subcommands.Add(CreateQwop(app));
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

    private static Command CreateQwop(CliApp app)
    {
        var d = new QwopConfig();
        var workload = new Option<string>("--workload")
        {
            Description = "full (standing plans: all 200 sub-steps) or random (uniform plans, what a search sees first)",
            DefaultValueFactory = _ => d.Workload,
            CustomParser = r =>
            {
                string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
                if (text is "full" or "random") return text;
                r.AddError($"invalid value '{text}' for --workload: expected one of full, random");
                return d.Workload;
            },
        };
        var repeats = CliOptions.Int("--repeats", "timed repetitions of at least 0.2 s (median and best reported)", d.Repeats, min: 1, max: 1000);
        var cmd = new Command("qwop", "QWOP simulator speed on one thread: full simulations per second, SIMD-batched and one plan at a time.") { workload, repeats };
        app.SetAction(cmd, p => new QwopConfig { Workload = p.GetValue(workload)!, Repeats = p.GetValue(repeats) }, RunQwop);
        return cmd;
    }

    private static int RunQwop(CommandContext ctx, QwopConfig cfg)
    {
        var workload = cfg.Workload == "random" ? QwopWorkload.RandomPlans : QwopWorkload.FullLength;
        var results = new List<QwopBenchmarkResult>();
        using (var task = ctx.Progress.Start("qwop", 2))
            foreach (bool batched in new[] { true, false })
            {
                results.Add(QwopBenchmark.Measure(workload, batched, ctx.Rng, cfg.Repeats, cancel: ctx.Cancel));
                task.Advance();
            }
        ctx.Out.WriteLine($"{"path",-8} {"lanes",5} {"sub-steps",9} {"sims/s (median)",16} {"sims/s (best)",14} {"sims/CPU-s",11}");
        foreach (var r in results)
            ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(r.Batched ? "batched" : "single"),-8} {r.LaneWidth,5} {r.MeanSubSteps,9:F1} {r.SimulationsPerSecond,16:N0} {r.BestSimulationsPerSecond,14:N0} {r.SimulationsPerCpuSecond,11:N0}"));
        ctx.JsonResult = new JsonObject
        {
            ["results"] = new JsonArray(results.Select(r => (JsonNode)new JsonObject
            {
                ["workload"] = cfg.Workload, ["batched"] = r.Batched, ["laneWidth"] = r.LaneWidth, ["meanSubSteps"] = Math.Round(r.MeanSubSteps, 2),
                ["simulationsPerSecond"] = Math.Round(r.SimulationsPerSecond), ["bestSimulationsPerSecond"] = Math.Round(r.BestSimulationsPerSecond),
                ["simulationsPerCpuSecond"] = double.IsFinite(r.SimulationsPerCpuSecond) ? Math.Round(r.SimulationsPerCpuSecond) : null,
                ["simulations"] = r.Simulations, ["seconds"] = Math.Round(r.Seconds, 3), ["cpuSeconds"] = Math.Round(r.CpuSeconds, 3), ["repeats"] = cfg.Repeats,
            }).ToArray()),
        };
        return ErrorText.Ok;
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
