// Metropolis on known targets (exp(β f) for Gaussian and uniform f): moments within Monte Carlo error and
// sane acceptance; annealing, evolution and CMA-ES reach the known optimum of standard test functions.
using ProbLab.Search;
using ProbLab.Tensors;

namespace ProbLab.Tests.Search;

public class SamplerTests
{
    /// <summary>Drives Init/Step by hand and collects every chain position after every step (after a burn-in).</summary>
    private static (double[][] Samples, double Acceptance) Sample(ChainSampler sampler, int dim, int steps, int burnIn, ulong seed)
    {
        var rng = new Rng(seed);
        ChainState s = sampler.Init(rng, long.MaxValue);
        var samples = new List<double[]>();
        long accepted = 0, proposed = 0;
        for (int t = 0; t < steps; t++)
        {
            (s, StepInfo info) = sampler.Step(rng, s);
            if (t < burnIn) continue;
            accepted += info.Accepted;
            proposed += info.Proposed;
            for (int c = 0; c < s.Values.Length; c++) samples.Add(s.Positions.AsSpan(c * dim, dim).ToArray());
        }
        return (samples.ToArray(), (double)accepted / proposed);
    }

    /// <summary>Standard error of a mean from correlated samples by batch means (per chain order is mixed, so use 50 batches).</summary>
    private static double BatchMeansSe(double[] x, int batches = 50)
    {
        int size = x.Length / batches;
        var means = new double[batches];
        for (int b = 0; b < batches; b++) { double s = 0; for (int i = 0; i < size; i++) s += x[b * size + i]; means[b] = s / size; }
        var (_, sd) = TraceMath.MeanSd(means);
        return sd / Math.Sqrt(batches);
    }

    [Fact]
    public void MetropolisSamplesStandardGaussian()
    {
        // f(x) = −x²/2 and β = 1: the target is N(0, 1).
        var obj = new FunctionObjective(1, x => -0.5 * x[0] * x[0]);
        var mh = new MetropolisSampler(obj, new MetropolisOptions { Beta = 1, StepSize = 2.4, Chains = 4 });
        var (samples, acc) = Sample(mh, 1, 50_000, 1_000, 41);
        double[] x = samples.Select(s => s[0]).ToArray();
        double[] x2 = x.Select(v => v * v).ToArray();
        Check.Close(0, x.Average(), atol: 5 * BatchMeansSe(x), rtol: 0, name: "mean");
        Check.Close(1, x2.Average(), atol: 5 * BatchMeansSe(x2), rtol: 0, name: "E[x²]");
        Assert.InRange(acc, 0.3, 0.6); // 1-D random walk with σ = 2.4 accepts ~44%
    }

    [Fact]
    public void MetropolisSamplesCorrelatedGaussianAtBetaTwo()
    {
        // f = −½ xᵀ P x with P = Σ⁻¹ for Σ = [[1, 0.8], [0.8, 1]]; β = 2 halves the covariance.
        double det = 1 - 0.64;
        var obj = new FunctionObjective(2, x => -0.5 * (x[0] * x[0] - 1.6 * x[0] * x[1] + x[1] * x[1]) / det);
        var mh = new MetropolisSampler(obj, new MetropolisOptions { Beta = 2, StepSize = 0.5, Chains = 8 });
        var (samples, acc) = Sample(mh, 2, 40_000, 1_000, 42);
        double[] xx = samples.Select(s => s[0] * s[0]).ToArray();
        double[] xy = samples.Select(s => s[0] * s[1]).ToArray();
        double[] y = samples.Select(s => s[1]).ToArray();
        Check.Close(0, y.Average(), atol: 5 * BatchMeansSe(y), rtol: 0, name: "mean y");
        Check.Close(0.5, xx.Average(), atol: 5 * BatchMeansSe(xx), rtol: 0, name: "var x");
        Check.Close(0.4, xy.Average(), atol: 5 * BatchMeansSe(xy), rtol: 0, name: "cov xy");
        Assert.InRange(acc, 0.2, 0.8);
    }

    [Fact]
    public void ReflectedProposalsKeepTheUniformTargetOnABox()
    {
        // Flat f on [−1, 1]²: reflection at the walls must leave the uniform distribution invariant (mean 0, E[x²] = 1/3).
        var obj = new FunctionObjective(2, _ => 0.0, -1, 1);
        var mh = new MetropolisSampler(obj, new MetropolisOptions { Beta = 1, StepSize = 0.7, Chains = 8 });
        var (samples, acc) = Sample(mh, 2, 20_000, 100, 43);
        Assert.All(samples, s => Assert.True(Math.Abs(s[0]) <= 1 && Math.Abs(s[1]) <= 1));
        double[] x2 = samples.Select(s => s[0] * s[0]).ToArray();
        Check.Close(1.0 / 3, x2.Average(), atol: 5 * BatchMeansSe(x2), rtol: 0, name: "E[x²]");
        Assert.Equal(1.0, acc); // a flat target accepts every move
    }

    [Fact]
    public void CoordinateSubsetMovesOnlyThatManyCoordinates()
    {
        var obj = new FunctionObjective(10, _ => 0.0, -1, 1);
        var mh = new MetropolisSampler(obj, new MetropolisOptions { StepSize = 0.1, Chains = 1, Coordinates = 2 });
        var rng = new Rng(44);
        ChainState s = mh.Init(rng, 1000);
        double[] before = (double[])s.Positions.Clone();
        mh.Step(rng, s);
        int moved = before.Zip(s.Positions).Count(p => p.First != p.Second);
        Assert.InRange(moved, 1, 2);
    }

    /// <summary>−Rastrigin in D dimensions on [−5.12, 5.12]^D: maximum 0 at the origin, ~10^D local maxima.</summary>
    private static FunctionObjective NegRastrigin(int d) => new(d, x =>
    {
        double s = 10 * x.Length;
        foreach (double v in x) s += v * v - 10 * Math.Cos(2 * Math.PI * v);
        return -s;
    }, -5.12, 5.12);

    [Fact]
    public void AnnealingFindsTheRastriginOptimum()
    {
        var sa = new SimulatedAnnealing(NegRastrigin(3), new AnnealingOptions
        {
            InitialTemperature = 10, FinalTemperature = 0.001, InitialStepSize = 1, FinalStepSize = 0.005, Chains = 8,
        });
        SearchResult r = SearchRunner.Run(sa, new Rng(45), 200_000);
        Check.Close(0, r.BestValue, atol: 1e-3, rtol: 0, name: "max −Rastrigin");
        foreach (double v in r.BestPoint) Check.Close(0, v, atol: 0.01, rtol: 0, name: "argmax");
    }

    [Fact]
    public void EvolutionFindsTheRastriginOptimum()
    {
        var ea = new EvolutionaryAlgorithm(NegRastrigin(5), new EvolutionOptions
        {
            Population = 64, Offspring = 64, MutationRate = 0.2, InitialStepSize = 1, FinalStepSize = 0.001,
        });
        SearchResult r = SearchRunner.Run(ea, new Rng(46), 100_000);
        Check.Close(0, r.BestValue, atol: 1e-3, rtol: 0, name: "max −Rastrigin");
        foreach (double v in r.BestPoint) Check.Close(0, v, atol: 0.01, rtol: 0, name: "argmax");
    }

    [Fact]
    public void CmaEsSolvesRosenbrock()
    {
        // Rosenbrock in 8-D (maximise −f): a curved valley that needs the covariance adaptation; optimum at (1, ..., 1).
        var obj = new FunctionObjective(8, x =>
        {
            double s = 0;
            for (int i = 0; i + 1 < x.Length; i++) s += 100 * Math.Pow(x[i + 1] - x[i] * x[i], 2) + Math.Pow(1 - x[i], 2);
            return -s;
        }, -2, 2);
        var es = new CmaEs(obj, new CmaEsOptions { InitialStepSize = 0.5, Restarts = false, StallTolerance = 0 });
        SearchResult r = SearchRunner.Run(es, new Rng(47), 30_000);
        Check.Close(0, r.BestValue, atol: 1e-8, rtol: 0, name: "max −Rosenbrock");
        foreach (double v in r.BestPoint) Check.Close(1, v, atol: 1e-4, rtol: 0, name: "argmax");
    }

    [Fact]
    public void CmaEsRestartsWithDoubledPopulationWhenStalled()
    {
        // A flat objective stalls at once (the generation best never changes), so IPOP must restart with 2λ.
        var es = new CmaEs(new FunctionObjective(4, _ => 1.0, -1, 1), new CmaEsOptions { PopulationSize = 8 });
        var rng = new Rng(48);
        CmaEsState s = es.Init(rng, 100_000);
        while (s.RestartCount == 0) es.Step(rng, s);
        Assert.Equal(16, s.NextStepEvaluations);
        Assert.Equal(0, s.Generation);
    }
}
