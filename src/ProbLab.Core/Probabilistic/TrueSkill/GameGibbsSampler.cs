// Gibbs sampler for the posterior of one game, p(sA, sB, t | outcome) (course Q4; Herbrich's factor graph
// with the outcome as an interval on t). It alternates the two exact conditionals:
//   t | sA, sB  ~ N(sA − sB + h, σt²) truncated to [lo, hi]                      (a truncated normal draw)
//   sA, sB | t  ~ N(m0 + (t − h)·c, Σ),  Σ⁻¹ = diag(1/vA, 1/vB) + (1/σt²)[[1, −1], [−1, 1]]
// with m0 = Σ·(μA/vA, μB/vB) and c = Σ·(1, −1)/σt². Σ, its Cholesky factor, m0 and c do not depend on t,
// so they are computed once and a sweep costs one truncated-normal and two normal draws (no allocation).
using ProbLab.Data;
using ProbLab.Probabilistic.Distributions;
using ProbLab.Tensors;

namespace ProbLab.Probabilistic.TrueSkill;

/// <summary>A state of the one-game Gibbs chain: both skills and the performance difference.</summary>
public readonly record struct GibbsState(double SkillA, double SkillB, double Performance);

/// <summary>Per-step diagnostics: log p(sA, sB, t, outcome) up to the normalising constant of the outcome.</summary>
public readonly record struct GibbsStepInfo(double LogJoint);

/// <summary>Sample mean and covariance of (sA, sB) from a chain, with the number of samples used.</summary>
public readonly record struct GibbsMoments(double MeanA, double VarA, double MeanB, double VarB, double Cov, int Samples)
{
    /// <summary>The Gaussian fitted to sA.</summary>
    public Gaussian SkillA => Gaussian.FromMeanAndVariance(MeanA, VarA);
    /// <summary>The Gaussian fitted to sB.</summary>
    public Gaussian SkillB => Gaussian.FromMeanAndVariance(MeanB, VarB);
}

/// <summary>Exact-conditional Gibbs sampler for (sA, sB, t) given one outcome interval lo ≤ t ≤ hi.</summary>
public sealed class GameGibbsSampler
{
    private readonly double _muA, _muB, _varA, _varB, _sigma, _lo, _hi, _home;
    private readonly double _m0A, _m0B, _cA, _cB, _l11, _l21, _l22;
    private readonly bool _oneSidedAbove;

    /// <summary>Sampler for priors <paramref name="a"/>, <paramref name="b"/>, noise σt, observed interval [lo, hi] and a fixed home offset h.</summary>
    /// <exception cref="ArgumentException">A prior is not a proper Gaussian with positive variance, σt ≤ 0, or lo ≥ hi.</exception>
    public GameGibbsSampler(Gaussian a, Gaussian b, double sigmaT, double lo, double hi, double home = 0)
    {
        if (!(a.IsProper && !a.IsPointMass) || !(b.IsProper && !b.IsPointMass))
            throw new ArgumentException($"Gibbs sampler needs proper skill priors with positive variance, got {a} and {b}");
        if (!(sigmaT > 0)) throw new ArgumentException($"Gibbs sampler needs SigmaT > 0, got {sigmaT}");
        if (!(lo < hi)) throw new ArgumentException($"Gibbs sampler needs lo < hi, got [{lo}, {hi}]");
        _muA = a.Mean; _muB = b.Mean; _varA = a.Variance; _varB = b.Variance;
        _sigma = sigmaT; _lo = lo; _hi = hi; _home = home;
        _oneSidedAbove = double.IsPositiveInfinity(hi);
        // Σ = Λ⁻¹ for Λ = [[p1 + q, −q], [−q, p2 + q]]: det = p1 p2 + q (p1 + p2), Σ = [[p2 + q, q], [q, p1 + q]]/det.
        double p1 = 1 / _varA, p2 = 1 / _varB, q = 1 / (sigmaT * sigmaT);
        double det = p1 * p2 + q * (p1 + p2);
        double s11 = (p2 + q) / det, s12 = q / det, s22 = (p1 + q) / det;
        _m0A = s11 * p1 * _muA + s12 * p2 * _muB;
        _m0B = s12 * p1 * _muA + s22 * p2 * _muB;
        _cA = q * (s11 - s12); _cB = q * (s12 - s22);          // Σ·(1, −1)·q = (q p2, −q p1)/det
        _l11 = Math.Sqrt(s11); _l21 = s12 / _l11; _l22 = Math.Sqrt(Math.Max(s22 - _l21 * _l21, 0));
    }

    /// <summary>The sampler for one match under <paramref name="model"/> (a fixed home advantage only), or null if the match is skipped.</summary>
    /// <exception cref="ArgumentException">The model learns the home advantage (HomeSigma &gt; 0).</exception>
    public static GameGibbsSampler? ForMatch(TrueSkillModel model, Gaussian a, Gaussian b, in Match match)
    {
        if (model.LearnsHome) throw new ArgumentException("the one-game Gibbs sampler needs a fixed home advantage (HomeSigma = 0)");
        if (!model.TryOutcomeInterval(match, out double lo, out double hi)) return null;
        return new GameGibbsSampler(a, b, model.SigmaT, lo, hi, model.HomeMean);
    }

    /// <summary>The starting state: skills at their prior means, t at the closest point of [lo, hi] to its prior mean.</summary>
    public GibbsState Init() => new(_muA, _muB, Math.Clamp(_muA - _muB + _home, _lo, _hi));

    /// <summary>One sweep: t | s, then (sA, sB) | t.</summary>
    public (GibbsState State, GibbsStepInfo Info) Step(Rng rng, GibbsState state)
    {
        var next = Sweep(rng, state.SkillA, state.SkillB);
        return (next, new GibbsStepInfo(LogJoint(next)));
    }

    /// <summary>log N(sA; μA, vA) + log N(sB; μB, vB) + log N(t; sA − sB + h, σt²) (the outcome indicator holds by construction).</summary>
    public double LogJoint(GibbsState s)
    {
        double da = s.SkillA - _muA, db = s.SkillB - _muB, dt = (s.Performance - (s.SkillA - s.SkillB + _home)) / _sigma;
        const double logSqrt2Pi = 0.91893853320467274;
        return -0.5 * (da * da / _varA + db * db / _varB + dt * dt) - 0.5 * Math.Log(_varA * _varB) - Math.Log(_sigma) - 3 * logSqrt2Pi;
    }

    private GibbsState Sweep(Rng rng, double sa, double sb)
    {
        double d = sa - sb + _home;
        double z = _oneSidedAbove
            ? TruncatedNormalSampler.SampleAbove(rng, (_lo - d) / _sigma)
            : TruncatedNormalSampler.SampleBetween(rng, (_lo - d) / _sigma, (_hi - d) / _sigma);
        double t = d + _sigma * z;
        double x1 = Ziggurat.Normal(rng), x2 = Ziggurat.Normal(rng);
        double tt = t - _home;
        return new GibbsState(_m0A + tt * _cA + _l11 * x1, _m0B + tt * _cB + _l21 * x1 + _l22 * x2, t);
    }

    /// <summary>Runs sa.Length sweeps from <paramref name="start"/>, writing every state (no allocation); returns the last state.</summary>
    /// <exception cref="ArgumentException">The three spans differ in length.</exception>
    public GibbsState Sample(Rng rng, GibbsState start, Span<double> sa, Span<double> sb, Span<double> t)
    {
        if (sb.Length != sa.Length || t.Length != sa.Length) throw new ArgumentException("sample spans must have equal lengths");
        double a = start.SkillA, b = start.SkillB, tt = start.Performance;
        for (int i = 0; i < sa.Length; i++)
        {
            var s = Sweep(rng, a, b);
            a = s.SkillA; b = s.SkillB; tt = s.Performance;
            sa[i] = a; sb[i] = b; t[i] = tt;
        }
        return new GibbsState(a, b, tt);
    }

    /// <summary>Discards <paramref name="burnIn"/> sweeps, then returns the sample moments of <paramref name="samples"/> sweeps.</summary>
    /// <exception cref="ArgumentOutOfRangeException">samples &lt; 2 or burnIn &lt; 0.</exception>
    public GibbsMoments Moments(Rng rng, int samples, int burnIn)
    {
        if (samples < 2) throw new ArgumentOutOfRangeException(nameof(samples), samples, "need at least 2 samples");
        if (burnIn < 0) throw new ArgumentOutOfRangeException(nameof(burnIn), burnIn, "burn-in must be >= 0");
        var s = Init();
        for (int i = 0; i < burnIn; i++) s = Sweep(rng, s.SkillA, s.SkillB);
        // Shifted sums (origin at the prior means) keep the variance formula free of cancellation.
        double sumA = 0, sumB = 0, sAA = 0, sBB = 0, sAB = 0;
        for (int i = 0; i < samples; i++)
        {
            s = Sweep(rng, s.SkillA, s.SkillB);
            double x = s.SkillA - _muA, y = s.SkillB - _muB;
            sumA += x; sumB += y; sAA += x * x; sBB += y * y; sAB += x * y;
        }
        double n = samples, ma = sumA / n, mb = sumB / n;
        return new GibbsMoments(_muA + ma, (sAA - n * ma * ma) / (n - 1), _muB + mb, (sBB - n * mb * mb) / (n - 1),
            (sAB - n * ma * mb) / (n - 1), samples);
    }
}
