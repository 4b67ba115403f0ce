// The QWOP search layer: budgets and traces, determinism (also across thread counts for parallel restarts),
// the comparison summaries and curves, trace arithmetic, option validation, box reflection, the benchmark.
using ProbLab.Kernels;
using ProbLab.Search;
using ProbLab.Tensors;

namespace ProbLab.Tests.Search;

public class QwopSearchTests
{
    private static QwopSearchOptions Small(SearchMethod m, long seed = 3, long evals = 4_000) =>
        new() { Method = m, Seed = seed, Evaluations = evals, TracePoints = 20 };

    [Theory]
    [InlineData(SearchMethod.Mcmc)]
    [InlineData(SearchMethod.Anneal)]
    [InlineData(SearchMethod.Evolve)]
    [InlineData(SearchMethod.CmaEs)]
    public void RunRespectsBudgetAndRecordsAConsistentTrace(SearchMethod method)
    {
        SearchResult r = QwopSearch.Run(Small(method));
        Assert.Equal(QwopSearch.Name(method), r.Method);
        Assert.InRange(r.Evaluations, 4_000 - 128, 4_000); // a step never overruns; less than one (possibly IPOP-doubled) batch is left unused
        Assert.Equal(r.Evaluations, r.Trace[^1].Evaluations);
        Assert.Equal(r.BestValue, r.Trace[^1].Best);
        for (int i = 1; i < r.Trace.Count; i++)
        {
            Assert.True(r.Trace[i].Evaluations > r.Trace[i - 1].Evaluations);
            Assert.True(r.Trace[i].Best >= r.Trace[i - 1].Best, "best-so-far must not decrease");
            Assert.True(r.Trace[i].Current <= r.Trace[i].Best + 1e-12);
        }
        Assert.InRange(r.Trace.Count, 15, 23);
        Assert.Equal(r.BestValue, QwopSimulator.Simulate(r.BestPoint)); // the reported plan really walks that far
        Assert.All(r.BestPoint, v => Assert.InRange(v, -1, 1));
        Assert.True(r.BestValue > 2.5, $"{method}: {r.BestValue} after 4000 evaluations"); // constant plans reach < 3
    }

    [Theory]
    [InlineData(SearchMethod.Mcmc)]
    [InlineData(SearchMethod.Anneal)]
    [InlineData(SearchMethod.Evolve)]
    [InlineData(SearchMethod.CmaEs)]
    public void SameSeedSameResult(SearchMethod method)
    {
        SearchResult a = QwopSearch.Run(Small(method)), b = QwopSearch.Run(Small(method));
        Assert.Equal(a.BestValue, b.BestValue);
        Assert.Equal(a.BestPoint, b.BestPoint);
        Assert.Equal(a.Trace.Select(t => t.Best), b.Trace.Select(t => t.Best));
        SearchResult c = QwopSearch.Run(Small(method, seed: 4));
        Assert.NotEqual(a.BestPoint, c.BestPoint);
    }

    [Theory]
    [InlineData(SearchMethod.CmaEs, 10_000)]
    [InlineData(SearchMethod.Evolve, 20_000)]
    public void DefaultSearchBeatsTheSeedReportQuickly(SearchMethod method, long evaluations)
    {
        // The exam report's best is 8.0988 (simulated annealing). With our defaults at seed 0, CMA-ES passes it after
        // ~5,000 simulations and the EA after ~10,000 (frozen from our runs; the full 1,000,000 default budget reaches
        // 10.68 and 10.22). A regression guard on the whole chain: simulator, objective, optimiser and defaults.
        SearchResult r = QwopSearch.Run(new QwopSearchOptions { Method = method, Seed = 0, Evaluations = evaluations });
        Assert.True(r.BestValue > 8.0988, $"{method}: {r.BestValue} after {evaluations} evaluations");
    }

    [Fact]
    public void ParallelRestartsDoNotDependOnThreadCount()
    {
        int saved = Parallelism.MaxThreads;
        try
        {
            var o = Small(SearchMethod.Anneal, evals: 8_000) with { Restarts = 4 };
            Parallelism.MaxThreads = 1;
            SearchResult one = QwopSearch.Run(o);
            Parallelism.MaxThreads = 3;
            SearchResult three = QwopSearch.Run(o);
            Assert.Equal(one.BestValue, three.BestValue);
            Assert.Equal(one.BestPoint, three.BestPoint);
            Assert.Equal(one.Trace.Select(t => t.Best), three.Trace.Select(t => t.Best));
            Assert.Equal(8_000, one.Evaluations);
            Assert.Equal(8_000, one.Trace[^1].Evaluations);
        }
        finally { Parallelism.MaxThreads = saved; }
    }

    [Fact]
    public void ComparisonSummarisesAndBandsTheRuns()
    {
        SearchMethod[] methods = [SearchMethod.Evolve, SearchMethod.CmaEs];
        long[] seeds = [1, 2, 3];
        SearchComparison c = SearchComparison.Run(methods, seeds, 3_000, o => o with { TracePoints = 30 }, gridPoints: 11);
        Assert.Equal(2, c.Methods.Count);
        for (int m = 0; m < 2; m++)
        {
            MethodSummary s = c.Methods[m];
            double[] best = s.Runs.Select(r => r.BestValue).ToArray();
            double mean = best.Average();
            double sd = Math.Sqrt(best.Sum(b => (b - mean) * (b - mean)) / (best.Length - 1));
            Check.Close(mean, s.MeanBest, atol: 1e-12, rtol: 0, name: "mean");
            Check.Close(sd, s.SdBest, atol: 1e-12, rtol: 0, name: "sd");
            Assert.Equal(best.Max(), s.BestRun.BestValue);
            // Each run equals the same run made alone (parallel execution changes nothing).
            Assert.Equal(QwopSearch.Run(new QwopSearchOptions { Method = methods[m], Seed = 2, Evaluations = 3_000, TracePoints = 30 }).BestValue, s.Runs[1].BestValue);

            ConvergenceCurve curve = c.Curves[m];
            Assert.Equal(11, curve.Evaluations.Length);
            Assert.Equal(3_000, curve.Evaluations[^1]);
            for (int g = 0; g < 11; g++)
            {
                Assert.True(curve.Min[g] <= curve.Mean[g] + 1e-12 && curve.Mean[g] <= curve.Max[g] + 1e-12);
                if (g > 0) Assert.All(curve.PerSeed, seed => Assert.True(seed[g] >= seed[g - 1]));
            }
            for (int k = 0; k < 3; k++) Assert.Equal(s.Runs[k].BestValue, curve.PerSeed[k][^1]);
        }
        Assert.Equal(c.Methods.Max(s => s.MaxBest), c.Best.BestValue);
        Assert.Equal(c.Best.BestValue, c.BestTrajectory.Distance);
    }

    [Fact]
    public void TraceMathBasics()
    {
        var (mean, sd) = TraceMath.MeanSd([1.0, 2.0, 3.0, 4.0]);
        Check.Close(2.5, mean, name: "mean");
        Check.Close(Math.Sqrt(5.0 / 3), sd, name: "sd");
        Assert.True(double.IsNaN(TraceMath.MeanSd([7.0]).Sd));
        Assert.Equal([25.0, 50.0, 75.0, 100.0], TraceMath.Grid(100, 4));

        TracePoint[] trace = [new(10, 1, 1, 0.5, 1, 0.1), new(20, 2, 3, 0.5, 1, 0.1), new(30, 1, 4, 0.5, 1, 0.1)];
        Assert.Null(TraceMath.At(trace, 9));
        Assert.Equal(3, TraceMath.At(trace, 29.9)!.Best);
        Assert.Equal(4, TraceMath.At(trace, 1e9)!.Best);
    }

    [Fact]
    public void MergedRestartsTakeTheBestAcrossRestarts()
    {
        TracePoint[] a = [new(10, 1, 1, 0.2, 1, 0.1), new(20, 1, 2, 0.4, 1, 0.1)];
        TracePoint[] b = [new(10, 3, 3, 0.6, 2, 0.2), new(20, 1, 3, 0.2, 2, 0.2)];
        var merged = TraceMath.MergeRestarts([new("x", 2, [0.0], 20, 1, a), new("x", 3, [1.0], 20, 1, b)], 5, tracePoints: 2);
        Assert.Equal(3, merged.BestValue);
        Assert.Equal([1.0], merged.BestPoint);
        Assert.Equal(40, merged.Evaluations);
        Assert.Equal([20L, 40L], merged.Trace.Select(t => t.Evaluations));
        Assert.Equal([3.0, 3.0], merged.Trace.Select(t => t.Best));
        Check.Close(0.4, merged.Trace[0].AcceptanceRate, name: "mean acceptance");
    }

    [Theory]
    [InlineData("mcmc", SearchMethod.Mcmc)]
    [InlineData("Anneal", SearchMethod.Anneal)]
    [InlineData(" evolve ", SearchMethod.Evolve)]
    [InlineData("CMAES", SearchMethod.CmaEs)]
    public void ParsesMethodNames(string name, SearchMethod expected) => Assert.Equal(expected, QwopSearch.ParseMethod(name));

    [Fact]
    public void UnknownMethodListsTheChoices()
    {
        var e = Assert.Throws<ArgumentException>(() => QwopSearch.ParseMethod("gradient"));
        Assert.Contains("'gradient'", e.Message);
        Assert.Contains("mcmc, anneal, evolve or cmaes", e.Message);
    }

    [Fact]
    public void InvalidOptionsNameTheField()
    {
        Assert.Contains("Evaluations", Assert.Throws<ArgumentException>(() => QwopSearch.Run(new QwopSearchOptions { Evaluations = 0 })).Message);
        Assert.Contains("Beta", Assert.Throws<ArgumentException>(() => new MetropolisOptions { Beta = -1 }.Validate()).Message);
        Assert.Contains("FinalTemperature", Assert.Throws<ArgumentException>(() => new AnnealingOptions { FinalTemperature = 0 }.Validate()).Message);
        Assert.Contains("TournamentSize", Assert.Throws<ArgumentException>(() => new EvolutionOptions { TournamentSize = 1000 }.Validate()).Message);
        Assert.Contains("PopulationSize", Assert.Throws<ArgumentException>(() => new CmaEsOptions { PopulationSize = 1 }.Validate()).Message);
        Assert.Contains("Restarts", Assert.Throws<ArgumentException>(() => QwopSearch.Run(new QwopSearchOptions { Restarts = 0 })).Message);
        // A budget below the first population is an error, not a silent empty run.
        Assert.Throws<ArgumentOutOfRangeException>(() => QwopSearch.Run(new QwopSearchOptions { Method = SearchMethod.Evolve, Evaluations = 10 }));
    }

    [Theory]
    [InlineData(0.5, 0.5)]
    [InlineData(1.2, 0.8)]
    [InlineData(-1.5, -0.5)]
    [InlineData(3.5, -0.5)]   // 3.5 → mirror at 1 → −1.5 → mirror at −1 → −0.5
    [InlineData(-5.0, -1.0)]
    public void ReflectMirrorsAtTheWalls(double x, double expected) => Check.Close(expected, Box.Reflect(x, -1, 1), atol: 1e-15, rtol: 0, name: "reflect");

    [Fact]
    public void ReflectWithOneInfiniteWall()
    {
        Assert.Equal(3.0, Box.Reflect(-3, 0, double.PositiveInfinity));
        Assert.Equal(-7.0, Box.Reflect(-7, double.NegativeInfinity, double.PositiveInfinity));
    }

    [Fact]
    public void BenchmarkReportsItsWorkload()
    {
        QwopBenchmarkResult full = QwopBenchmark.Measure(QwopWorkload.FullLength, batched: true, new Rng(5), repetitions: 3, secondsPerRepetition: 0.02, plansPerPass: 64);
        Assert.Equal(200, full.MeanSubSteps);
        Assert.True(full.Simulations >= 3 * 64 && full.SimulationsPerSecond > 0);
        Assert.True(full.BestSimulationsPerSecond >= full.SimulationsPerSecond);
        QwopBenchmarkResult random = QwopBenchmark.Measure(QwopWorkload.RandomPlans, batched: false, new Rng(5), repetitions: 1, secondsPerRepetition: 0.02, plansPerPass: 64);
        Assert.InRange(random.MeanSubSteps, 20, 200);
        Assert.Equal(1, random.LaneWidth);
        Assert.Throws<ArgumentException>(() => QwopBenchmark.Measure(QwopWorkload.RandomPlans, true, repetitions: 0));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ProgressAddsUpToTheEvaluationsAndLeavesResultsAlone(int restarts)
    {
        long reported = 0, calls = 0;
        var o = Small(SearchMethod.Evolve) with { Restarts = restarts };
        SearchResult plain = QwopSearch.Run(o);
        SearchResult watched = QwopSearch.Run(o with { Progress = n => { Interlocked.Add(ref reported, n); Interlocked.Increment(ref calls); } });
        Assert.Equal(plain.Evaluations, reported);
        Assert.InRange(calls, 2, 3 * 25 * restarts); // about one call per trace row
        Assert.Equal(plain.BestPoint, watched.BestPoint);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void CancellationStopsARunAsOperationCanceled(int restarts)
    {
        using var cts = new CancellationTokenSource();
        long seen = 0;
        var o = Small(SearchMethod.Mcmc, evals: 400_000) with
        {
            Restarts = restarts, Cancel = cts.Token,
            Progress = n => { if (Interlocked.Add(ref seen, n) > 20_000) cts.Cancel(); },
        };
        int saved = Parallelism.MaxThreads;
        Parallelism.MaxThreads = 2;
        try { Assert.ThrowsAny<OperationCanceledException>(() => QwopSearch.Run(o)); } // not an AggregateException
        finally { Parallelism.MaxThreads = saved; }
        Assert.InRange(seen, 20_000, 200_000);
    }
}
