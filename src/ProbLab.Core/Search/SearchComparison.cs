// What the QWOP report needs, computed here so the report layer only formats: runs of several methods over
// several seeds under one budget, a summary per method (best, mean ± sd over seeds, evaluations, time), the
// best-so-far curves on a common evaluation grid with seed bands, and the overall best plan's trajectory.
// Runs execute in parallel (Parallelism.MaxThreads); each run depends only on (method, seed).
namespace ProbLab.Search;

/// <summary>One method's results over all seeds.</summary>
/// <param name="Method">Method name (mcmc, anneal, evolve, cmaes).</param>
/// <param name="Seeds">The seeds, in run order.</param>
/// <param name="Runs">One result per seed.</param>
/// <param name="MeanBest">Mean over seeds of the best distance.</param>
/// <param name="SdBest">Sample standard deviation (n − 1) over seeds of the best distance; NaN for one seed.</param>
/// <param name="MinBest">Worst seed's best distance.</param>
/// <param name="MaxBest">Best seed's best distance.</param>
/// <param name="MeanEvaluations">Mean evaluations spent per run.</param>
/// <param name="MeanSeconds">Mean wall time per run.</param>
/// <param name="SdSeconds">Sample standard deviation of the wall time; NaN for one seed.</param>
/// <param name="BestRun">The run with the highest best distance (first seed wins ties).</param>
public sealed record MethodSummary(string Method, IReadOnlyList<long> Seeds, IReadOnlyList<SearchResult> Runs,
    double MeanBest, double SdBest, double MinBest, double MaxBest, double MeanEvaluations, double MeanSeconds, double SdSeconds,
    SearchResult BestRun);

/// <summary>Best-so-far value versus evaluations for one method, per seed and as a band over seeds.</summary>
/// <param name="Method">Method name.</param>
/// <param name="Evaluations">The common grid (x axis).</param>
/// <param name="PerSeed">[seed][grid] best-so-far (NaN before a run's first evaluation row).</param>
/// <param name="Mean">Mean over seeds per grid point.</param>
/// <param name="Sd">Sample standard deviation over seeds per grid point (NaN for one seed).</param>
/// <param name="Min">Lowest seed per grid point.</param>
/// <param name="Max">Highest seed per grid point.</param>
public sealed record ConvergenceCurve(string Method, double[] Evaluations, double[][] PerSeed, double[] Mean, double[] Sd, double[] Min, double[] Max);

/// <summary>The whole comparison: per-method summaries and curves, and the overall best plan with its trajectory.</summary>
public sealed record SearchComparison(long Budget, IReadOnlyList<MethodSummary> Methods, IReadOnlyList<ConvergenceCurve> Curves,
    SearchResult Best, QwopTrajectory BestTrajectory)
{
    /// <summary>Runs every method with every seed under the same budget (runs in parallel, results independent of threads).</summary>
    /// <param name="methods">Methods to compare.</param>
    /// <param name="seeds">Seeds; each (method, seed) run is one <see cref="QwopSearch.Run"/>.</param>
    /// <param name="evaluations">Budget per run.</param>
    /// <param name="configure">Optional tweak of each run's options (method, seed and budget already set).</param>
    /// <param name="gridPoints">Points of the common evaluation grid for the curves.</param>
    /// <exception cref="ArgumentException">No methods or no seeds, or invalid options.</exception>
    public static SearchComparison Run(IReadOnlyList<SearchMethod> methods, IReadOnlyList<long> seeds, long evaluations,
        Func<QwopSearchOptions, QwopSearchOptions>? configure = null, int gridPoints = 101)
    {
        if (methods.Count == 0) throw new ArgumentException("comparison needs at least one method");
        if (seeds.Count == 0) throw new ArgumentException("comparison needs at least one seed");
        var options = new QwopSearchOptions[methods.Count * seeds.Count];
        for (int m = 0; m < methods.Count; m++)
            for (int s = 0; s < seeds.Count; s++)
            {
                var o = new QwopSearchOptions { Method = methods[m], Seed = seeds[s], Evaluations = evaluations };
                options[m * seeds.Count + s] = configure is null ? o : configure(o);
                options[m * seeds.Count + s].Validate();
            }
        var results = new SearchResult[options.Length];
        QwopSearch.ParallelRuns(options.Length, i => results[i] = QwopSearch.Run(options[i]));
        return FromResults(methods.Select(QwopSearch.Name).ToArray(), seeds, results, evaluations, gridPoints);
    }

    /// <summary>Builds the comparison from finished runs laid out [method][seed] (row-major in <paramref name="results"/>).</summary>
    public static SearchComparison FromResults(IReadOnlyList<string> methods, IReadOnlyList<long> seeds, IReadOnlyList<SearchResult> results,
        long budget, int gridPoints = 101)
    {
        if (results.Count != methods.Count * seeds.Count)
            throw new ArgumentException($"{results.Count} results for {methods.Count} methods x {seeds.Count} seeds");
        double[] grid = TraceMath.Grid(budget, gridPoints);
        var summaries = new List<MethodSummary>();
        var curves = new List<ConvergenceCurve>();
        for (int m = 0; m < methods.Count; m++)
        {
            var runs = new SearchResult[seeds.Count];
            for (int s = 0; s < seeds.Count; s++) runs[s] = results[m * seeds.Count + s];
            summaries.Add(Summarise(methods[m], seeds, runs));
            curves.Add(TraceMath.Curve(methods[m], runs, grid));
        }
        SearchResult best = summaries.Select(s => s.BestRun).Aggregate((a, b) => b.BestValue > a.BestValue ? b : a);
        return new SearchComparison(budget, summaries, curves, best, QwopSimulator.Trace(best.BestPoint));
    }

    private static MethodSummary Summarise(string method, IReadOnlyList<long> seeds, SearchResult[] runs)
    {
        double[] best = runs.Select(r => r.BestValue).ToArray();
        double[] secs = runs.Select(r => r.Seconds).ToArray();
        var (meanBest, sdBest) = TraceMath.MeanSd(best);
        var (meanSecs, sdSecs) = TraceMath.MeanSd(secs);
        SearchResult bestRun = runs[0];
        foreach (var r in runs) if (r.BestValue > bestRun.BestValue) bestRun = r;
        return new MethodSummary(method, seeds, runs, meanBest, sdBest, best.Min(), best.Max(),
            runs.Average(r => (double)r.Evaluations), meanSecs, sdSecs, bestRun);
    }
}

/// <summary>Trace arithmetic: lookups on step-wise traces, common grids, bands, and merging parallel restarts.</summary>
public static class TraceMath
{
    /// <summary>Sample mean and standard deviation (n − 1); the sd is NaN for fewer than two values.</summary>
    public static (double Mean, double Sd) MeanSd(ReadOnlySpan<double> values)
    {
        if (values.Length == 0) return (double.NaN, double.NaN);
        double mean = 0;
        foreach (double v in values) mean += v;
        mean /= values.Length;
        if (values.Length < 2) return (mean, double.NaN);
        double ss = 0;
        foreach (double v in values) ss += (v - mean) * (v - mean);
        return (mean, Math.Sqrt(ss / (values.Length - 1)));
    }

    /// <summary><paramref name="points"/> evenly spaced evaluation counts budget·i/points, i = 1..points.</summary>
    public static double[] Grid(long budget, int points)
    {
        if (points < 1) throw new ArgumentOutOfRangeException(nameof(points), points, "grid needs at least one point");
        var g = new double[points];
        for (int i = 0; i < points; i++) g[i] = (double)budget * (i + 1) / points;
        return g;
    }

    /// <summary>The last trace row at or before <paramref name="evaluations"/>, or null if there is none.</summary>
    public static TracePoint? At(IReadOnlyList<TracePoint> trace, double evaluations)
    {
        int lo = 0, hi = trace.Count - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            if (trace[mid].Evaluations <= evaluations) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found < 0 ? null : trace[found];
    }

    /// <summary>Best-so-far of each run on the grid, and mean/sd/min/max over runs per grid point.</summary>
    public static ConvergenceCurve Curve(string method, IReadOnlyList<SearchResult> runs, double[] grid)
    {
        var perSeed = new double[runs.Count][];
        for (int s = 0; s < runs.Count; s++)
        {
            perSeed[s] = new double[grid.Length];
            for (int g = 0; g < grid.Length; g++) perSeed[s][g] = At(runs[s].Trace, grid[g])?.Best ?? double.NaN;
        }
        int n = grid.Length;
        double[] mean = new double[n], sd = new double[n], min = new double[n], max = new double[n];
        var column = new double[runs.Count];
        for (int g = 0; g < n; g++)
        {
            for (int s = 0; s < runs.Count; s++) column[s] = perSeed[s][g];
            (mean[g], sd[g]) = MeanSd(column);
            min[g] = column.Min();
            max[g] = column.Max();
        }
        return new ConvergenceCurve(method, grid, perSeed, mean, sd, min, max);
    }

    /// <summary>Merges restarts that ran side by side: after k evaluations each (R·k in all), the best is the max over
    /// restarts, current and acceptance are means, temperature and step size are restart 0's.</summary>
    public static SearchResult MergeRestarts(IReadOnlyList<SearchResult> restarts, double seconds, int tracePoints)
    {
        int r = restarts.Count;
        long each = restarts.Max(x => x.Evaluations);
        var rows = new List<TracePoint>();
        foreach (double k in Grid(each, tracePoints))
        {
            var at = restarts.Select(x => At(x.Trace, k)).ToArray();
            if (at.Any(p => p is null)) continue;
            rows.Add(new TracePoint((long)Math.Round(k) * r, at.Average(p => p!.Current), at.Max(p => p!.Best),
                at.Average(p => p!.AcceptanceRate), at[0]!.Temperature, at[0]!.StepSize));
        }
        SearchResult best = restarts[0];
        foreach (var x in restarts) if (x.BestValue > best.BestValue) best = x;
        long total = restarts.Sum(x => x.Evaluations);
        if (rows.Count > 0 && rows[^1].Evaluations != total) rows[^1] = rows[^1] with { Evaluations = total };
        return new SearchResult(best.Method, best.BestValue, (double[])best.BestPoint.Clone(), total, seconds, rows);
    }
}
