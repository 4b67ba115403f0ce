// Throughput measurements for the acceptance targets (ADF ≥ 5M game updates/s on one thread; Gibbs ≥ 10M
// sweeps/s; parse + rate of a 10M-match log < 15 s). Wall time and this process's CPU time are both kept:
// on a shared machine the CPU-time rate is the better estimate of what the code does on an idle core.
// Nothing here is asserted by tests; the CLI's `bench` prints these records.
using System.Diagnostics;
using ProbLab.Data;
using ProbLab.Tensors;

namespace ProbLab.Probabilistic.TrueSkill.Experiments;

/// <summary>Sizes of the benchmark workloads.</summary>
public sealed record TrueSkillBenchmarkOptions
{
    /// <summary>Matches in the ADF throughput run (random pairs).</summary>
    public int AdfMatches { get; init; } = 5_000_000;
    /// <summary>Players in the ADF and log workloads.</summary>
    public int Players { get; init; } = 100_000;
    /// <summary>Matches of the EP workload (1000 players, 20 sweeps).</summary>
    public int EpMatches { get; init; } = 100_000;
    /// <summary>One-game Gibbs sweeps.</summary>
    public int GibbsSweeps { get; init; } = 10_000_000;
    /// <summary>Matches in the simulated log (0 skips the log part).</summary>
    public int LogMatches { get; init; } = 10_000_000;
    /// <summary>Folder for the temporary log file (deleted afterwards).</summary>
    public string WorkDirectory { get; init; } = Path.GetTempPath();
}

/// <summary>A timed measurement: wall seconds, process CPU seconds, and the work count.</summary>
public sealed record Timing(double WallSeconds, double CpuSeconds, long Items)
{
    /// <summary>Items per wall-clock second.</summary>
    public double PerSecond => Items / WallSeconds;
    /// <summary>Items per CPU second of this process.</summary>
    public double PerCpuSecond => Items / CpuSeconds;
}

/// <summary>All measurements; the log timings are null when LogMatches is 0.</summary>
public sealed record TrueSkillBenchmarkResult(TrueSkillBenchmarkOptions Options, Timing AdfUpdates, Timing GibbsSweeps, Timing EpGameUpdates,
    long LogBytes, Timing? LogWrite, Timing? LogParse, Timing? LogRate, Timing? LogParseAndRate, int Threads);

/// <summary>Runs the TrueSkill throughput benchmarks.</summary>
public static class TrueSkillBenchmark
{
    /// <summary>Measures ADF updates/s, Gibbs sweeps/s, EP game updates/s and parse + rate time on a simulated log;
    /// <paramref name="progress"/> receives the name of each phase as it starts.</summary>
    public static TrueSkillBenchmarkResult Run(TrueSkillBenchmarkOptions options, Rng rng, IProgress<string>? progress = null)
    {
        progress?.Report($"ADF: simulating {options.AdfMatches:N0} matches");
        var model = TrueSkillModel.Default;
        var league = LeagueSimulator.Simulate(new LeagueOptions { Players = options.Players, Schedule = Schedule.Random, Matches = options.AdfMatches }, rng.Split());
        var adf = new AssumedDensityFiltering(model);
        adf.Run(league.Matches.Select(Enumerable.Range(0, Math.Min(100_000, league.Matches.Count)).ToArray()));   // JIT warm-up
        progress?.Report("ADF: timing");
        var adfTiming = Time(league.Matches.Count, () => adf.Run(league.Matches));
        progress?.Report("Gibbs: timing");

        var prior = model.SkillPrior;
        var sampler = new GameGibbsSampler(prior, prior, model.SigmaT, 0, double.PositiveInfinity);
        int chunk = 1 << 20;
        var a = new double[chunk]; var b = new double[chunk]; var t = new double[chunk];
        var grng = rng.Split();
        sampler.Sample(grng, sampler.Init(), a, b, t);   // warm-up
        var gibbsTiming = Time(options.GibbsSweeps, () =>
        {
            var s = sampler.Init();
            for (long done = 0; done < options.GibbsSweeps; done += chunk)
            {
                int n = (int)Math.Min(chunk, options.GibbsSweeps - done);
                s = sampler.Sample(grng, s, a.AsSpan(0, n), b.AsSpan(0, n), t.AsSpan(0, n));
            }
        });

        progress?.Report("EP: timing");
        var small = LeagueSimulator.Simulate(new LeagueOptions { Players = 1000, Schedule = Schedule.Random, Matches = options.EpMatches }, rng.Split());
        EpResult? ep = null;
        var epTiming = Time(0, () => ep = new ExpectationPropagation(model, new EpOptions { MaxIterations = 20, Tolerance = 0 }).Run(small.Matches));
        epTiming = epTiming with { Items = (long)ep!.Iterations * small.Matches.Count };

        if (options.LogMatches <= 0) return new TrueSkillBenchmarkResult(options, adfTiming, gibbsTiming, epTiming, 0, null, null, null, null, 1);
        return WithLog(options, model, rng, adfTiming, gibbsTiming, epTiming, progress);
    }

    private static TrueSkillBenchmarkResult WithLog(TrueSkillBenchmarkOptions options, TrueSkillModel model, Rng rng, Timing adf, Timing gibbs, Timing ep,
        IProgress<string>? progress)
    {
        string path = Path.Combine(options.WorkDirectory, $"problab-trueskill-bench-{Environment.ProcessId}.csv");
        try
        {
            progress?.Report($"log: simulating and writing {options.LogMatches:N0} matches");
            var log = LeagueSimulator.Simulate(new LeagueOptions { Players = options.Players, Schedule = Schedule.Random, Matches = options.LogMatches }, rng.Split());
            var write = Time(log.Matches.Count, () => MatchesCsv.Write(path, log.Matches));
            log = null;
            GC.Collect();
            long bytes = new FileInfo(path).Length;
            progress?.Report("log: parse, rate, parse + rate");
            MatchData? parsed = null;
            var parse = Time(options.LogMatches, () => parsed = MatchesCsv.Read(path));
            var rate = Time(options.LogMatches, () => new AssumedDensityFiltering(model).Run(parsed!));
            parsed = null;
            GC.Collect();
            var both = Time(options.LogMatches, () => new AssumedDensityFiltering(model).Run(MatchesCsv.Read(path)));
            return new TrueSkillBenchmarkResult(options, adf, gibbs, ep, bytes, write, parse, rate, both, 1);
        }
        finally
        {
            if (File.Exists(path)) File.Delete(path);
        }
    }

    private static Timing Time(long items, Action action)
    {
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        action();
        double wall = sw.Elapsed.TotalSeconds;
        process.Refresh();
        return new Timing(wall, (process.TotalProcessorTime - cpu0).TotalSeconds, items);
    }
}
