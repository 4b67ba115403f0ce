// Factor message functions of the two-player TrueSkill factor graph, one method per target variable
// (Infer.NET's convention with plain names). The graph of one game:
//
//   prior(sA)  prior(sB)  prior(h)                h: home / first-mover advantage (a point mass when fixed)
//       \         |        /
//   PerformanceFactor: t ~ N(sA − sB + h, σt²)    σt²: performance-difference noise variance
//               |
//   IntervalFactor: 1[lo ≤ t ≤ hi]                win (ε, ∞), loss (−∞, −ε), draw [−ε, ε], ...
//
// ADF, EP and the Gibbs sampler share these: EP passes cavities (marginal / old message) as inputs, ADF
// passes the current marginals. Messages that carry no information are returned as Gaussian.Uniform().
using System.Runtime.CompilerServices;
using ProbLab.Probabilistic.Distributions;

namespace ProbLab.Probabilistic.TrueSkill;

/// <summary>Messages of the linear-Gaussian factor t ~ N(sA − sB + h, σt²) to each of its four variables.</summary>
public static class PerformanceFactor
{
    // Every message is Gaussian with mean = the linear combination of the other means and
    // variance = σt² + the sum of the other variances (coefficients are ±1). A uniform input gives a uniform output.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Gaussian Combine(double mean, Gaussian x, Gaussian y, Gaussian z, double noiseVariance)
    {
        if (x.IsUniform || y.IsUniform || z.IsUniform) return Gaussian.Uniform();
        double v = noiseVariance + x.Variance + y.Variance + z.Variance;
        return Gaussian.FromMeanAndVariance(mean, v);
    }

    /// <summary>Message to t: N(μA − μB + μh, σA² + σB² + σh² + σt²).</summary>
    public static Gaussian MessageToT(Gaussian a, Gaussian b, Gaussian h, double noiseVariance)
        => Combine(a.Mean - b.Mean + h.Mean, a, b, h, noiseVariance);

    /// <summary>Message to sA: N(μt + μB − μh, σt(msg)² + σB² + σh² + σt²), since sA = t + sB − h − noise.</summary>
    public static Gaussian MessageToA(Gaussian t, Gaussian b, Gaussian h, double noiseVariance)
        => Combine(t.Mean + b.Mean - h.Mean, t, b, h, noiseVariance);

    /// <summary>Message to sB: N(μA + μh − μt, ...), since sB = sA + h − t + noise.</summary>
    public static Gaussian MessageToB(Gaussian t, Gaussian a, Gaussian h, double noiseVariance)
        => Combine(a.Mean + h.Mean - t.Mean, t, a, h, noiseVariance);

    /// <summary>Message to h: N(μt − μA + μB, ...), since h = t − sA + sB − noise.</summary>
    public static Gaussian MessageToH(Gaussian t, Gaussian a, Gaussian b, double noiseVariance)
        => Combine(t.Mean - a.Mean + b.Mean, t, a, b, noiseVariance);
}

/// <summary>Messages of the outcome factor 1[lo ≤ t ≤ hi] (a win, loss, draw or score band) to t.</summary>
public static class IntervalFactor
{
    /// <summary>Moment-matched message to t: Proj[N(t) · 1[lo ≤ t ≤ hi]] / N(t), where N(t) is the incoming message.</summary>
    /// <remarks>
    /// With the incoming N(m, v) and z-bounds a = (lo − m)/√v, b = (hi − m)/√v, the projection has mean
    /// m + √v·M(a, b) and variance v·V(a, b) (truncated moments); for a win (hi = ∞) these are m + √v·v(z) and
    /// v(1 − w(z)) with z = (m − lo)/√v. Truncation always lowers the variance, so the returned message has
    /// precision 1/(v·V) − 1/v ≥ 0 and is proper or uniform.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The incoming message is uniform (nothing to truncate) or a point mass outside the interval.</exception>
    public static Gaussian MessageToT(Gaussian incoming, double lo, double hi)
    {
        if (incoming.IsPointMass)
        {
            double x = incoming.MeanTimesPrecision;
            if (x >= lo && x <= hi) return Gaussian.Uniform();
            throw new InvalidOperationException($"performance {x} lies outside the observed interval [{lo}, {hi}]");
        }
        if (!incoming.IsProper) throw new InvalidOperationException($"outcome factor needs a proper incoming message for t, got {incoming}");
        double m = incoming.Mean, v = incoming.Variance;
        var (pm, pv) = TruncatedGaussian.Moments(m, v, lo, hi);
        double ratio = pv / v;                            // V(a, b) in (0, 1]
        if (!(ratio < 1)) return Gaussian.Uniform();      // the interval covers all the mass: no information
        // posterior / incoming in natural parameters: τ = (1/V − 1)/v, ν = pm/pv − m/v.
        double precision = (1 / ratio - 1) / v;
        return Gaussian.FromNatural(pm / pv - m / v, precision);
    }

    /// <summary>log P(lo ≤ t ≤ hi) under the incoming N(m, v): the factor's contribution to the log evidence.</summary>
    public static double LogEvidence(Gaussian incoming, double lo, double hi)
    {
        if (incoming.IsPointMass)
        {
            double x = incoming.MeanTimesPrecision;
            return x >= lo && x <= hi ? 0 : double.NegativeInfinity;
        }
        if (!incoming.IsProper) throw new InvalidOperationException($"outcome factor needs a proper incoming message for t, got {incoming}");
        double s = incoming.StdDev, m = incoming.Mean;
        return TruncatedGaussian.LogProbBetween((lo - m) / s, (hi - m) / s);
    }
}

/// <summary>The drift factor s_new ~ N(s_old, τ²) of TrueSkill's dynamics: adds τ² to the variance of a message.</summary>
public static class DriftFactor
{
    /// <summary>Message to the new skill given the old skill's message: N(μ, σ² + τ²).</summary>
    public static Gaussian MessageToNew(Gaussian old, double driftVariance)
    {
        if (driftVariance == 0 || old.IsUniform) return old;
        return Gaussian.FromMeanAndVariance(old.Mean, old.Variance + driftVariance);
    }
}
