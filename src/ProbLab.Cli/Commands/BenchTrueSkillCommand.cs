// `problab bench trueskill`: throughput of the TrueSkill code against the acceptance targets (one thread):
// ADF ≥ 5M game updates/s, one-game Gibbs ≥ 10M sweeps/s, and parse + rate of a 10M-match simulated log in
// under 15 s; EP game updates/s for reference. Both wall-clock and process-CPU rates are printed: on a busy
// machine the CPU rate is the better estimate of what the code does on an idle core.
//   problab bench trueskill [--adf-matches 5000000] [--gibbs-sweeps 10000000] [--log-matches 10000000] --json
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ProbLab.Probabilistic.TrueSkill.Experiments;

namespace ProbLab.Cli.Commands;

/// <summary>The `bench trueskill` subcommand.</summary>
public static class BenchTrueSkillCommand
{
    /// <summary>Config of `problab bench trueskill`.</summary>
    public sealed record TrueSkillBenchConfig
    {
        /// <summary>Matches of the ADF run (random pairs).</summary>
        public int AdfMatches { get; init; } = 5_000_000;
        /// <summary>Players of the ADF and log workloads.</summary>
        public int Players { get; init; } = 100_000;
        /// <summary>One-game Gibbs sweeps.</summary>
        public int GibbsSweeps { get; init; } = 10_000_000;
        /// <summary>Matches of the EP workload (1000 players, 20 sweeps).</summary>
        public int EpMatches { get; init; } = 100_000;
        /// <summary>Matches of the simulated log for parse + rate (0 skips it).</summary>
        public int LogMatches { get; init; } = 10_000_000;
    }

    /// <summary>Targets of issue 4.</summary>
    private const double AdfTarget = 5e6, GibbsTarget = 1e7, LogTargetSeconds = 15;

    /// <summary>Creates `bench trueskill`.</summary>
    public static Command Create(CliApp app)
    {
        var d = new TrueSkillBenchConfig();
        var adf = CliOptions.Int("--adf-matches", "matches of the ADF throughput run", d.AdfMatches, min: 1000, max: 200_000_000);
        var players = CliOptions.Int("--players", "players of the ADF and log workloads", d.Players, min: 2, max: 50_000_000);
        var gibbs = CliOptions.Int("--gibbs-sweeps", "one-game Gibbs sweeps", d.GibbsSweeps, min: 1000, max: 2_000_000_000);
        var ep = CliOptions.Int("--ep-matches", "matches of the EP run (1000 players, 20 sweeps)", d.EpMatches, min: 1000, max: 50_000_000);
        var log = CliOptions.Int("--log-matches", "matches in the simulated log for parse + rate (0 = skip)", d.LogMatches, min: 0, max: 200_000_000);
        var cmd = new Command("trueskill", "TrueSkill speed: ADF updates/s, Gibbs sweeps/s, EP, and parse + rate of a simulated match log.") { adf, players, gibbs, ep, log };
        app.SetAction(cmd, p => new TrueSkillBenchConfig
        {
            AdfMatches = p.GetValue(adf), Players = p.GetValue(players), GibbsSweeps = p.GetValue(gibbs), EpMatches = p.GetValue(ep), LogMatches = p.GetValue(log),
        }, Run);
        return cmd;
    }

    private static int Run(CommandContext ctx, TrueSkillBenchConfig cfg)
    {
        var options = new TrueSkillBenchmarkOptions
        {
            AdfMatches = cfg.AdfMatches, Players = cfg.Players, GibbsSweeps = cfg.GibbsSweeps, EpMatches = cfg.EpMatches, LogMatches = cfg.LogMatches,
        };
        var progress = new Progress(ctx);
        var r = TrueSkillBenchmark.Run(options, ctx.Rng, progress, ctx.Cancel);
        var inv = CultureInfo.InvariantCulture;
        ctx.Out.WriteLine($"{"workload",-34} {"wall",12} {"per wall s",14} {"per CPU s",14}  target");
        void Row(string name, Timing t, string unit, double target) =>
            ctx.Out.WriteLine(string.Create(inv, $"{name,-34} {t.WallSeconds,10:F3} s {t.PerSecond,14:N0} {t.PerCpuSecond,14:N0}  {(target > 0 ? $"≥ {target:N0} {unit}/s: {(t.PerSecond >= target ? "met" : "NOT met")}" : "")}"));
        Row($"ADF, {cfg.AdfMatches:N0} matches", r.AdfUpdates, "updates", AdfTarget);
        Row($"Gibbs, {cfg.GibbsSweeps:N0} sweeps", r.GibbsSweeps, "sweeps", GibbsTarget);
        Row($"EP, {cfg.EpMatches:N0} matches × 20 sweeps", r.EpGameUpdates, "", 0);
        if (r.LogParseAndRate is { } both)
        {
            Row($"log: write {cfg.LogMatches:N0} matches", r.LogWrite!, "", 0);
            Row("log: parse", r.LogParse!, "", 0);
            Row("log: rate (ADF)", r.LogRate!, "", 0);
            ctx.Out.WriteLine(string.Create(inv, $"{"log: parse + rate",-34} {both.WallSeconds,10:F3} s {"",14} {"",14}  < {LogTargetSeconds} s: {(both.WallSeconds < LogTargetSeconds ? "met" : "NOT met")} ({r.LogBytes / 1e6:F0} MB, CPU {both.CpuSeconds:F2} s)"));
        }
        ctx.JsonResult = new JsonObject
        {
            ["adf"] = Json(r.AdfUpdates, "updatesPerSecond", AdfTarget),
            ["gibbs"] = Json(r.GibbsSweeps, "sweepsPerSecond", GibbsTarget),
            ["ep"] = Json(r.EpGameUpdates, "gameUpdatesPerSecond", 0),
            ["log"] = r.LogParseAndRate is null ? null : new JsonObject
            {
                ["matches"] = cfg.LogMatches, ["bytes"] = r.LogBytes,
                ["writeSeconds"] = Seconds(r.LogWrite!), ["parseSeconds"] = Seconds(r.LogParse!), ["rateSeconds"] = Seconds(r.LogRate!),
                ["parseAndRateSeconds"] = Seconds(r.LogParseAndRate), ["parseAndRateCpuSeconds"] = TrueSkillShared.Num(r.LogParseAndRate.CpuSeconds),
                ["targetSeconds"] = LogTargetSeconds, ["met"] = r.LogParseAndRate.WallSeconds < LogTargetSeconds,
            },
        };
        return ErrorText.Ok;
    }

    private static JsonObject Json(Timing t, string rateName, double target)
    {
        var o = new JsonObject
        {
            ["items"] = t.Items, ["seconds"] = Seconds(t), ["cpuSeconds"] = TrueSkillShared.Num(t.CpuSeconds),
            [rateName] = TrueSkillShared.Num(Math.Round(t.PerSecond)), ["cpu" + char.ToUpperInvariant(rateName[0]) + rateName[1..]] = TrueSkillShared.Num(Math.Round(t.PerCpuSecond)),
        };
        if (target > 0) { o["target"] = target; o["met"] = t.PerSecond >= target; }
        return o;
    }

    private static JsonNode? Seconds(Timing t) => TrueSkillShared.Num(Math.Round(t.WallSeconds, 4));

    // Phase names go to stderr as they start (the benchmark takes ~10-30 s); nothing in --json mode's stdout.
    private sealed class Progress(CommandContext ctx) : IProgress<string>
    {
        public void Report(string value) => ctx.Err.WriteLine($"bench trueskill: {value}");
    }
}
