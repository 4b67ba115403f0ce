// Moments of truncated Gaussians: the v and w functions of TrueSkill (Herbrich et al. 2007, eqs. for
// V_win/W_win) and the two-sided moments used for draws and score intervals. Every branch is chosen so
// that no difference of nearly equal numbers is formed: far tails use the Laplace continued fraction of the
// Mills ratio, narrow intervals use Gauss–Legendre quadrature of a density that varies by at most a factor
// of about 2 there, and wide intervals use the closed forms. Edge cases (±∞ bounds, NaN) come first.
using System.Runtime.CompilerServices;
using static ProbLab.Probabilistic.Distributions.SpecialFunctions;

namespace ProbLab.Probabilistic.Distributions;

/// <summary>Truncated standard-normal moments: V(z) = φ(z)/Φ(z), W(z) = V(V + z), and two-sided mean/variance.</summary>
public static class TruncatedGaussian
{
    // Below z = −2.5 (u = −z ≥ 2.5) the continued fraction is used; above, erfcx. See OneSided for the error budget.
    private const double ContinuedFractionFrom = 2.5;

    /// <summary>V(z) = φ(z)/Φ(z) = E[X | X &gt; −z] for X ~ N(0,1); ≈ −z as z → −∞, → 0 as z → +∞.</summary>
    public static double V(double z)
    {
        OneSided(z, out double v, out _, out _);
        return v;
    }

    /// <summary>W(z) = V(z)(V(z) + z) = 1 − Var[X | X &gt; −z]; lies in [0, 1) (rounds to 1 only where 1 − W &lt; 1e-16, z below about −1e8).</summary>
    public static double W(double z)
    {
        OneSided(z, out _, out double w, out _);
        return w;
    }

    /// <summary>1 − W(z) = Var[X | X &gt; −z], computed without cancellation (≈ 1/z² as z → −∞).</summary>
    public static double OneMinusW(double z)
    {
        OneSided(z, out _, out _, out double omw);
        return omw;
    }

    /// <summary>V(z), W(z) and 1 − W(z) together, for X ~ N(0,1) conditioned on X &gt; −z.</summary>
    /// <remarks>
    /// With u = −z and the Mills ratio R(u) = Q(u)/φ(u): V = 1/R(u) and V + z = 1/R(u) − u =: G(u).
    /// Laplace's continued fraction R(u) = 1/(u + 1/(u + 2/(u + 3/(u + …)))) gives G(u) = 1/(u + K₂) with
    /// K₂ = 2/(u + 3/(u + …)), so G is formed without subtracting u, and
    /// 1 − W = 1 − (u + G)G = G(u + K₂) − uG − G² = G(K₂ − G), also cancellation-free (K₂ ≈ 2G for large u).
    /// For −2.5 &lt; z &lt; 0, V = √(2/π)/erfcx(u/√2) and G = V − u lose at most a factor ~10 (about 1e-14 relative).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OneSided(double z, out double v, out double w, out double oneMinusW)
        => Core(z, false, out v, out w, out oneMinusW, out _, out _);

    /// <summary><see cref="OneSided"/> plus Φ(z) and Φ(−z), which share its erfcx evaluation (used by ADF to predict and update at once).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OneSidedWithProbability(double z, out double v, out double oneMinusW, out double cdf, out double ccdf)
        => Core(z, true, out v, out _, out oneMinusW, out cdf, out ccdf);

    // One erfcx (or the continued fraction) gives v, w and 1 − w; with wantCdf, one exp more gives Φ(z) and Φ(−z).
    // wantCdf is a constant at each call site, so the JIT drops the unused work.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Core(double z, bool wantCdf, out double v, out double w, out double oneMinusW, out double cdf, out double ccdf)
    {
        if (z >= 0)
        {
            // Φ(z) ≥ ½: the direct ratio is exact to a few ulp; φ underflows to 0 for z > 38.6, which is the true limit.
            double e = ExpMinusHalfSquare(z);   // exp(−z²/2) from z itself: scaling by 1/√2 first would cost z²·1e-16
            double tail = 0.5 * ErfcxNonNegative(z * InvSqrt2) * e;
            cdf = 1 - tail; ccdf = tail;
            v = InvSqrt2Pi * e / cdf;
            w = v * (v + z);
            oneMinusW = 1 - w;
            return;
        }
        double u = -z;
        if (u < ContinuedFractionFrom)
        {
            double r = ErfcxNonNegative(u * InvSqrt2);
            v = 0.7978845608028654 / r;   // √(2/π)/erfcx(u/√2)
            double g = v - u;
            w = v * g;
            oneMinusW = 1 - w;
            if (wantCdf) { cdf = 0.5 * r * ExpMinusHalfSquare(z); ccdf = 1 - cdf; }
            else cdf = ccdf = 0;
            return;
        }
        if (double.IsNaN(z)) { v = w = oneMinusW = cdf = ccdf = double.NaN; return; }
        double k2, gg;
        if (u > 1e8)
        {
            // Asymptotics G = (1 − 2/u²)/u + …, K₂ = (2 − 6/u²)/u + …; beyond 1e8 the u⁻² corrections are below 1e-16.
            gg = (1 - 2 / (u * u)) / u;
            k2 = (2 - 6 / (u * u)) / u;
        }
        else
        {
            // Backward evaluation of K_k = k/(u + K_{k+1}); n(u) = 10 + 450/u² terms reach 2e-16 (checked against mpmath for u in [2, 40]).
            int n = 10 + (int)(450 / (u * u));
            double k = 0;
            for (int i = n; i >= 2; i--) k = i / (u + k);
            k2 = k;
            gg = 1 / (u + k2);
        }
        v = u + gg;
        oneMinusW = gg * (k2 - gg);
        w = 1 - oneMinusW;   // = v·G to rounding, but never rounds above 1 (W(−1e9) = 1 − 1e-18 rounds to 1, not 1 + ε)
        if (wantCdf) { cdf = InvSqrt2Pi * ExpMinusHalfSquare(z) / v; ccdf = 1 - cdf; }   // Φ(z) = φ(z)/V(z)
        else cdf = ccdf = 0;
    }

    /// <summary>Mean and variance of X ~ N(0,1) conditioned on a ≤ X ≤ b (a may be −∞, b may be +∞).</summary>
    /// <exception cref="ArgumentException">a ≥ b, or a bound is NaN.</exception>
    public static (double Mean, double Variance) StandardMoments(double a, double b)
    {
        if (!(a < b)) throw new ArgumentException($"truncation interval [{a}, {b}] is empty or NaN");
        // Reflect so the interval's centre is ≥ 0; then the mass is nearest a (or straddles 0).
        if (a + b < 0)   // also true for a = −∞ with finite b; false (NaN) for (−∞, +∞)
        {
            var (m, v) = StandardMomentsCentreNonNegative(-b, -a);
            return (-m, v);
        }
        return StandardMomentsCentreNonNegative(a, b);
    }

    // Requires a < b and a + b ≥ 0 (or b = +∞).
    private static (double Mean, double Variance) StandardMomentsCentreNonNegative(double a, double b)
    {
        if (double.IsPositiveInfinity(b))
        {
            if (double.IsNegativeInfinity(a)) return (0, 1);
            OneSided(-a, out double v1, out _, out double omw1);
            return (v1, omw1);   // E[X | X > a] = V(−a), Var = 1 − W(−a)
        }
        // Span of the log-density −x²/2 over [a, b]: with a + b ≥ 0 its maximum is at max(a, 0) and its minimum at b.
        double span = a >= 0 ? 0.5 * (b - a) * (b + a) : 0.5 * b * b;
        if (span <= 0.75) return Quadrature(a, b);
        if (a >= 0) return TailMixture(a, b);
        // Straddling 0 with b > 1.22: Z = Φ(b) − Φ(a) ≥ 0.38, so the closed forms lose nothing.
        double pa = NormalPdf(a), pb = NormalPdf(b);
        double z = NormalCdf(-a) - NormalCdf(-b);   // = Φ(b) − Φ(a), summed from the small tail side
        double mean = (pa - pb) / z;
        double second = 1 + (a * pa - b * pb) / z;
        return (mean, Math.Max(second - mean * mean, 0));
    }

    // 0 ≤ a < b with (b² − a²)/2 > 0.75. X | [a, ∞) is the mixture p·(X | [a, b]) + q·(X | [b, ∞)) with
    // q = P(X > b)/P(X > a) = e^(−(b²−a²)/2)·R(b)/R(a) ≤ 0.47, so inverting the mixture moments is well conditioned
    // and reuses the cancellation-free one-sided moments (offsets are taken from a to keep them small).
    private static (double Mean, double Variance) TailMixture(double a, double b)
    {
        OneSided(-a, out double va, out _, out double vara);
        OneSided(-b, out double vb, out _, out double varb);
        double q = Math.Exp(-0.5 * (b - a) * (b + a)) * MillsRatio(b) / MillsRatio(a);
        double p = 1 - q;
        double offA = va - a, offB = vb - a;        // one-sided means, relative to a
        double offI = (offA - q * offB) / p;        // interval mean, relative to a
        double d = offI - offB;
        double var = (vara - q * varb - p * q * d * d) / p;
        return (a + offI, Math.Max(var, 0));
    }

    // Gauss–Legendre on [a, b] where the density changes by a factor ≤ e^0.75; node densities are taken relative
    // to the node nearest 0 (r = its |x|), so nothing underflows even for a = 1e4. Returns moments and log-mass.
    private static (double Mean, double Variance) Quadrature(double a, double b)
    {
        var (mean, var, _) = QuadratureWithMass(a, b);
        return (mean, var);
    }

    private static (double Mean, double Variance, double LogMass) QuadratureWithMass(double a, double b)
    {
        double c = 0.5 * (a + b), h = 0.5 * (b - a);
        Span<double> f = stackalloc double[GaussLegendre.Points];
        double r = double.PositiveInfinity;
        for (int k = 0; k < GaussLegendre.Points; k++) r = Math.Min(r, Math.Abs(c + h * GaussLegendre.Nodes[k]));
        double z = 0, m = 0;
        for (int k = 0; k < GaussLegendre.Points; k++)
        {
            double y = h * GaussLegendre.Nodes[k], ax = Math.Abs(c + y);
            f[k] = GaussLegendre.Weights[k] * Math.Exp(-0.5 * (ax - r) * (ax + r));   // e^{(r² − x²)/2} ∈ (e^−0.75, 1]
            z += f[k];
            m += f[k] * y;
        }
        m /= z;
        double var = 0;
        for (int k = 0; k < GaussLegendre.Points; k++)
        {
            double d = h * GaussLegendre.Nodes[k] - m;
            var += f[k] * d * d;
        }
        // P = ∫ φ = h·Σ wₖ φ(xₖ) = h·z·φ(r).
        double logMass = Math.Log(h * z) + NormalLogPdf(r);
        return (c + m, var / z, logMass);
    }

    /// <summary>log P(a ≤ X ≤ b) for X ~ N(0,1), finite whenever a &lt; b (the log-evidence of an interval observation).</summary>
    /// <exception cref="ArgumentException">a ≥ b, or a bound is NaN.</exception>
    public static double LogProbBetween(double a, double b)
    {
        if (!(a < b)) throw new ArgumentException($"truncation interval [{a}, {b}] is empty or NaN");
        if (a + b < 0) (a, b) = (-b, -a);
        if (double.IsPositiveInfinity(b)) return double.IsNegativeInfinity(a) ? 0 : NormalLogCdf(-a);
        // Same branches as the moments: narrow → quadrature; upper tail → φ(a)·(R(a) − e^{−δ}R(b)) with
        // e^{−δ} < 0.47; wide straddle → Φ(b) − Φ(a) summed from the tails (≥ 0.38, no cancellation).
        double span = a >= 0 ? 0.5 * (b - a) * (b + a) : 0.5 * b * b;
        if (span <= 0.75) return QuadratureWithMass(a, b).LogMass;
        if (a >= 0) return NormalLogPdf(a) + Math.Log(MillsRatio(a) - Math.Exp(-span) * MillsRatio(b));
        return LogOnePlus(-(NormalCdf(a) + NormalCdf(-b)));   // log(1 − both tails): exact even when Z ≈ 1
    }

    /// <summary>Mean and variance of N(mean, variance) conditioned on lo ≤ x ≤ hi.</summary>
    /// <exception cref="ArgumentException">lo ≥ hi, a NaN, or variance ≤ 0.</exception>
    public static (double Mean, double Variance) Moments(double mean, double variance, double lo, double hi)
    {
        if (!(variance > 0)) throw new ArgumentException($"truncated Gaussian needs a positive variance, got {variance}");
        double s = Math.Sqrt(variance);
        var (m, v) = StandardMoments((lo - mean) / s, (hi - mean) / s);
        return (mean + s * m, variance * v);
    }
}
