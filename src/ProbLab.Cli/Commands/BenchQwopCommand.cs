// `problab bench qwop`: QWOP simulator throughput on one thread (issue 5 asks for ≥ 100,000 full simulations per
// second), for the SIMD-batched path that the searches use and for one plan per call. Each path is warmed up, then
// timed in repetitions of ≥ 0.2 s (QwopBenchmark.Measure); the median and best repetition are reported, and the
// rate per second of process CPU time, which is less sensitive than wall time to other load on a shared machine.
//   problab bench qwop [--workload full|random] [--repeats 5] [--json]
// --json: {"results":[{"workload","batched","laneWidth","meanSubSteps","simulationsPerSecond","bestSimulationsPerSecond",
//          "simulationsPerCpuSecond","simulations","seconds","cpuSeconds","repeats"}, ...]} in the envelope.
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ProbLab.Search;

namespace ProbLab.Cli.Commands;

/// <summary>The `bench qwop` subcommand.</summary>
public static class BenchQwopCommand
{
    /// <summary>Config of `problab bench qwop`.</summary>
    public sealed record BenchQwopConfig
    {
        /// <summary>"full" (every run lasts all 200 sub-steps) or "random" (uniform random plans; many fall early).</summary>
        public string Workload { get; init; } = "full";

        /// <summary>Timed repetitions of ≥ 0.2 s each, after a warm-up; the median and the best are reported.</summary>
        public int Repeats { get; init; } = 5;
    }

    /// <summary>Creates `bench qwop`.</summary>
    public static Command Create(CliApp app)
    {
        var d = new BenchQwopConfig();
        var workload = CliOptions.Choice("--workload", "full (standing plans: all 200 sub-steps) or random (uniform plans, what a search sees first)",
            ["full", "random"], d.Workload);
        var repeats = CliOptions.Int("--repeats", "timed repetitions of at least 0.2 s (median and best reported)", d.Repeats, min: 1, max: 1000);
        var cmd = new Command("qwop", "QWOP simulator speed on one thread: full simulations per second, SIMD-batched and one plan at a time.") { workload, repeats };
        app.SetAction(cmd, p => new BenchQwopConfig { Workload = p.GetValue(workload)!, Repeats = p.GetValue(repeats) }, Run);
        return cmd;
    }

    private static int Run(CommandContext ctx, BenchQwopConfig cfg)
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
}
