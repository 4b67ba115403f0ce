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

/// <summary>One game's ADF update in moment form: the same result as the message composition
/// PerformanceFactor → IntervalFactor → PerformanceFactor multiplied into the marginals, on (mean, variance) pairs.</summary>
public static class GameUpdate
{
    /// <summary>Updates the marginals of sA, sB and h (varH = 0 keeps h fixed) for the observation lo ≤ t ≤ hi.</summary>
    /// <remarks>
    /// t ~ N(mt, vt) with mt = μA − μB + μh, vt = vA + vB + vh + σt². Truncation gives t's posterior moments
    /// (mt + Δm, vt + Δv). Because (sA, t) are jointly Gaussian before the truncation with Cov = vA, the posterior
    /// of sA moves by the regression coefficient k = vA/vt: μA += k Δm, vA += k² Δv (course Q8; Herbrich eq. for
    /// v/w); sB has coefficient −vB/vt and h has vh/vt. With Δv = −vt·W, vA_new = vA(1 − k W) stays positive.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Apply(ref double meanA, ref double varA, ref double meanB, ref double varB, ref double meanH, ref double varH,
        double noiseVariance, double lo, double hi)
    {
        double mt = meanA - meanB + meanH, vt = varA + varB + varH + noiseVariance, s = Math.Sqrt(vt);
        double dm, dvRel;   // Δm and Δv/vt
        if (double.IsPositiveInfinity(hi))
        {
            TruncatedGaussian.OneSided((mt - lo) / s, out double v, out _, out double omw);
            dm = s * v; dvRel = omw - 1;
        }
        else if (double.IsNegativeInfinity(lo))
        {
            TruncatedGaussian.OneSided((hi - mt) / s, out double v, out _, out double omw);
            dm = -s * v; dvRel = omw - 1;
        }
        else
        {
            var (m, var) = TruncatedGaussian.StandardMoments((lo - mt) / s, (hi - mt) / s);
            dm = s * m; dvRel = var - 1;
        }
        Scatter(ref meanA, ref varA, ref meanB, ref varB, ref meanH, ref varH, vt, dm, dvRel);
    }

    /// <summary>Moves the three marginals given t's moment change (Δm, Δv/vt) and vt (the regression step of <see cref="Apply"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scatter(ref double meanA, ref double varA, ref double meanB, ref double varB, ref double meanH, ref double varH,
        double vt, double dm, double dvRel)
    {
        double inv = 1 / vt, ka = varA * inv, kb = varB * inv, kh = varH * inv;
        meanA += ka * dm; varA *= 1 + ka * dvRel;
        meanB -= kb * dm; varB *= 1 + kb * dvRel;
        meanH += kh * dm; varH *= 1 + kh * dvRel;
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
