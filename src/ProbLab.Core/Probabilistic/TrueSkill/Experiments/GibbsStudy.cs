// Course Q4 and Q8 on one game: a Gibbs chain for p(sA, sB | A wins) with its trace, a burn-in choice,
// autocorrelation and effective sample size; Gaussian fits and histograms at several sample sizes with
// their timing; and the exact moments from message passing (moment matching), which the histograms
// should match. Every number the report needs, as records; the report layer draws them.
using System.Diagnostics;
using ProbLab.Data;
using ProbLab.Probabilistic.Distributions;
using ProbLab.Tensors;

namespace ProbLab.Probabilistic.TrueSkill.Experiments;

/// <summary>Settings of the one-game Gibbs study.</summary>
public sealed record GibbsStudyOptions
{
    /// <summary>Priors, noise and draw/home settings of the game (both players start at the model's prior).</summary>
    public TrueSkillModel Model { get; init; } = TrueSkillModel.Default;
    /// <summary>The observed outcome.</summary>
    public MatchOutcome Outcome { get; init; } = MatchOutcome.AWins;
    /// <summary>Sweeps recorded for the trace plot.</summary>
    public int TraceLength { get; init; } = 1000;
    /// <summary>Start the trace at (μ − 3σ, μ + 3σ), against the evidence, so that the burn-in is visible (else at the prior means).</summary>
    public bool OverdispersedStart { get; init; } = true;
    /// <summary>Sample sizes (after burn-in) for the Gaussian fits and histograms.</summary>
    public int[] SampleSizes { get; init; } = [100, 1000, 10_000, 100_000];
    /// <summary>Histogram bins.</summary>
    public int Bins { get; init; } = 50;
}

/// <summary>The trace of the first sweeps: sA, sB, t and the log joint density per sweep.</summary>
public sealed record GibbsTrace(double[] SkillA, double[] SkillB, double[] Performance, double[] LogJoint);

/// <summary>A Gaussian fit from <c>Samples</c> post-burn-in sweeps, the time it took, and histograms over a common range.</summary>
public sealed record GibbsFit(int Samples, double Milliseconds, GibbsMoments Moments, Histogram HistogramA, Histogram HistogramB, double MeanErrorA, double StdDevErrorA);

/// <summary>Everything the report shows for the one-game Gibbs experiment.</summary>
public sealed record GibbsStudyResult(GibbsStudyOptions Options, GibbsTrace Trace, int BurnIn, double[] AutocorrelationA, double EffectiveSamplesPer1000,
    IReadOnlyList<GibbsFit> Fits, Gaussian PriorA, Gaussian PriorB, Gaussian ExactA, Gaussian ExactB, double PosteriorCorrelation, double WinProbability);

/// <summary>Runs the one-game Gibbs study.</summary>
public static class GibbsStudy
{
    /// <summary>Runs the trace, the burn-in choice and one fit per sample size, all from <paramref name="rng"/>.</summary>
    /// <exception cref="ArgumentException">Invalid options (trace shorter than 20, a sample size below 2) or a skipped outcome.</exception>
    public static GibbsStudyResult Run(GibbsStudyOptions options, Rng rng)
    {
        if (options.TraceLength < 20) throw new ArgumentException($"Gibbs study TraceLength = {options.TraceLength} must be >= 20");
        if (options.SampleSizes.Any(s => s < 2)) throw new ArgumentException("Gibbs study sample sizes must be >= 2");
        var model = options.Model.Validate();
        var prior = model.SkillPrior;
        var match = new Match(0, 1, options.Outcome);
        var sampler = GameGibbsSampler.ForMatch(model, prior, prior, match)
            ?? throw new ArgumentException($"outcome {options.Outcome} is skipped by the model (draws need DrawHandling.Margin)");

        // Exact moments: ADF on the single game (= EP = moment matching of t, then the regression to the skills).
        double ma = model.Mu, va = prior.Variance, mb = model.Mu, vb = prior.Variance, mh = model.HomeMean, vh = 0;
        model.TryOutcomeInterval(match, out double lo, out double hi);
        GameUpdate.Apply(ref ma, ref va, ref mb, ref vb, ref mh, ref vh, model.NoiseVariance, lo, hi);
        var exactA = Gaussian.FromMeanAndVariance(ma, va);
        var exactB = Gaussian.FromMeanAndVariance(mb, vb);
        var (pWin, _, _) = model.Predict(prior, prior, Gaussian.PointMass(model.HomeMean));

        var trace = RunTrace(sampler, model, options, rng);
        int burnIn = ChainDiagnostics.SuggestBurnIn(trace.SkillA, trace.SkillB);
        var tail = trace.SkillA.AsSpan(burnIn);
        var acf = ChainDiagnostics.Autocorrelation(tail, 50);
        double essPer1000 = 1000 * ChainDiagnostics.EffectiveSampleSize(tail) / tail.Length;

        // Common histogram range: exact mean ± 4.5 sd of whichever skill is wider.
        double sd = Math.Max(exactA.StdDev, exactB.StdDev);
        double hLo = Math.Min(exactA.Mean, exactB.Mean) - 4.5 * sd, hHi = Math.Max(exactA.Mean, exactB.Mean) + 4.5 * sd;
        var fits = new List<GibbsFit>();
        foreach (int n in options.SampleSizes)
        {
            var sa = new double[n]; var sb = new double[n]; var t = new double[n];
            var sw = Stopwatch.StartNew();
            var state = sampler.Init();
            for (int i = 0; i < burnIn; i++) state = sampler.Step(rng, state).State;
            sampler.Sample(rng, state, sa, sb, t);
            double ms = sw.Elapsed.TotalMilliseconds;
            var m = Moments(sa, sb);
            fits.Add(new GibbsFit(n, ms, m, Histogram.Build(sa, hLo, hHi, options.Bins), Histogram.Build(sb, hLo, hHi, options.Bins),
                m.MeanA - exactA.Mean, Math.Sqrt(m.VarA) - exactA.StdDev));
        }
        double corr = fits[^1].Moments.Cov / Math.Sqrt(fits[^1].Moments.VarA * fits[^1].Moments.VarB);
        return new GibbsStudyResult(options, trace, burnIn, acf, essPer1000, fits, prior, prior, exactA, exactB, corr, pWin);
    }

    private static GibbsTrace RunTrace(GameGibbsSampler sampler, TrueSkillModel model, GibbsStudyOptions options, Rng rng)
    {
        int n = options.TraceLength;
        var state = sampler.Init();
        if (options.OverdispersedStart)
        {
            // Start against the evidence: the winner 3σ below the prior mean, the loser 3σ above.
            double sign = options.Outcome == MatchOutcome.BWins ? -1 : 1;
            state = new GibbsState(model.Mu - sign * 3 * model.Sigma, model.Mu + sign * 3 * model.Sigma, state.Performance);
        }
        var a = new double[n]; var b = new double[n]; var t = new double[n]; var lj = new double[n];
        for (int i = 0; i < n; i++)
        {
            var (next, info) = sampler.Step(rng, state);
            a[i] = next.SkillA; b[i] = next.SkillB; t[i] = next.Performance; lj[i] = info.LogJoint;
            state = next;
        }
        return new GibbsTrace(a, b, t, lj);
    }

    private static GibbsMoments Moments(double[] a, double[] b)
    {
        int n = a.Length;
        double ma = a.Average(), mb = b.Average(), vaa = 0, vbb = 0, vab = 0;
        for (int i = 0; i < n; i++) { double x = a[i] - ma, y = b[i] - mb; vaa += x * x; vbb += y * y; vab += x * y; }
        return new GibbsMoments(ma, vaa / (n - 1), mb, vbb / (n - 1), vab / (n - 1), n);
    }
}
