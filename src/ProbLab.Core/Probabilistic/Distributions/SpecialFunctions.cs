// Special functions of the standard normal distribution, in double precision, built on one primitive:
// the scaled complementary error function erfcx(x) = exp(x²)·erfc(x), which stays O(1/x) where erfc
// underflows. erfcx comes from a generated piecewise-polynomial table (tools/gen_erfcx_table.py) on
// [0, 50) and an asymptotic series beyond. Everything else (Φ, log Φ, φ/Φ, the Mills ratio, Φ⁻¹) is
// derived here so that tails never compute 0/0. MathNet.Numerics is used only by the tests, as a cross-check.
using System.Runtime.CompilerServices;

namespace ProbLab.Probabilistic.Distributions;

/// <summary>Normal pdf, cdf, log-cdf, quantile and error functions, accurate to a few ulp including far tails.</summary>
public static class SpecialFunctions
{
    /// <summary>√(2π).</summary>
    public const double Sqrt2Pi = 2.5066282746310002;
    /// <summary>1/√(2π).</summary>
    public const double InvSqrt2Pi = 0.3989422804014327;
    /// <summary>√2.</summary>
    public const double Sqrt2 = 1.4142135623730951;
    /// <summary>1/√2.</summary>
    public const double InvSqrt2 = 0.7071067811865476;
    /// <summary>√(π/2).</summary>
    public const double SqrtHalfPi = 1.2533141373155003;
    /// <summary>1/√π.</summary>
    public const double InvSqrtPi = 0.5641895835477563;

    /// <summary>erfcx(x) = exp(x²)·erfc(x) for any x; +∞ where it overflows (x below about −26.6), NaN for NaN.</summary>
    public static double Erfcx(double x)
    {
        if (x >= 0) return ErfcxNonNegative(x);
        if (double.IsNaN(x)) return double.NaN;
        // erfc(−x) = 2 − erfc(x)  ⇒  erfcx(x) = 2·exp(x²) − erfcx(−x); no cancellation since exp(x²) ≥ 1 ≥ erfcx(−x)/2.
        return 2 * ExpSquared(x) - ErfcxNonNegative(-x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double ErfcxNonNegative(double x)
    {
        if (x < ErfcxTable.XMax)
        {
            double y = 4.0 / (4.0 + x);
            int j = (int)(ErfcxTable.Pieces * y);
            if (j >= ErfcxTable.Pieces) j = ErfcxTable.Pieces - 1;   // x = 0 gives y = 1 exactly
            double u = 2 * (ErfcxTable.Pieces * y - j) - 1;
            ReadOnlySpan<double> c = ErfcxTable.Coefficients.Slice((j - ErfcxTable.FirstPiece) * (ErfcxTable.Degree + 1), ErfcxTable.Degree + 1);
            double r = c[8];
            r = r * u + c[7]; r = r * u + c[6]; r = r * u + c[5]; r = r * u + c[4];
            r = r * u + c[3]; r = r * u + c[2]; r = r * u + c[1]; r = r * u + c[0];
            return r;
        }
        if (double.IsPositiveInfinity(x)) return 0;
        // Asymptotic series erfcx(x) ~ 1/(x√π) · Σ_k (−1)^k (2k−1)!! / (2x²)^k (A&S 7.1.23); for x ≥ 50 the
        // sixth term is below 1e-18 relative, so six terms give full precision.
        double q = 1.0 / (2 * x * x);
        double s = 1 - q * (1 - 3 * q * (1 - 5 * q * (1 - 7 * q * (1 - 9 * q * (1 - 11 * q)))));
        return InvSqrtPi / x * s;
    }

    /// <summary>exp(−x²) with the rounding error of x² removed (splitting x into a 26-bit head and a tail).</summary>
    /// <remarks>Plain Math.Exp(-x*x) carries a relative error of about x²·1e-16 (7e-14 at x = 27). With x = hi + lo and hi
    /// holding 26 bits, hi² is exact and x² = hi² + δ with δ = lo·(x + hi) tiny (|δ| &lt; x²·2⁻²⁵), so
    /// exp(−x²) = exp(−hi²)·exp(−δ) and the second factor is a short Taylor polynomial: one Math.Exp in all.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ExpMinusSquared(double x)
    {
        x = Math.Abs(x);
        if (x > 27.3) return 0;   // exp(−745.1) is below the smallest subnormal
        double hi = Head26(x), d = -(x - hi) * (x + hi);
        return Math.Exp(-hi * hi) * ExpSmall(d);
    }

    /// <summary>exp(−z²/2) with z² formed exactly as in <see cref="ExpMinusSquared"/> (= φ(z)·√(2π)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ExpMinusHalfSquare(double z)
    {
        z = Math.Abs(z);
        if (z > 38.6) return 0;
        double hi = Head26(z), d = -0.5 * (z - hi) * (z + hi);
        return Math.Exp(-0.5 * (hi * hi)) * ExpSmall(d);
    }

    /// <summary>exp(x²), split as in <see cref="ExpMinusSquared"/>; +∞ on overflow.</summary>
    public static double ExpSquared(double x)
    {
        x = Math.Abs(x);
        if (x > 26.7) return double.PositiveInfinity;
        double hi = Head26(x), d = (x - hi) * (x + hi);
        return Math.Exp(hi * hi) * ExpSmall(d);
    }

    // e^d for |d| < 1e-4 (callers pass |d| ≤ 2⁻²⁵·x² ≤ 5e-5): 1 + d + d²/2 + d³/6 + d⁴/24, error below d⁵/120 < 3e-24.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ExpSmall(double d) => 1 + d * (1 + d * (0.5 + d * (1.0 / 6 + d * (1.0 / 24))));

    // x with the low 27 mantissa bits cleared: 26 significant bits, so its square is exact in double.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Head26(double x) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(x) & ~((1L << 27) - 1));

    /// <summary>erfc(x) = 1 − erf(x), with full relative accuracy in the right tail.</summary>
    public static double Erfc(double x)
    {
        if (x >= 0) return ErfcxNonNegative(x) * ExpMinusSquared(x);
        if (double.IsNaN(x)) return double.NaN;
        return 2 - ErfcxNonNegative(-x) * ExpMinusSquared(x);
    }

    /// <summary>erf(x) = 2/√π ∫₀ˣ e^(−t²) dt.</summary>
    public static double Erf(double x)
    {
        // Near 0, 1 − erfc(x) loses the leading digits; the Maclaurin series erf x = 2/√π Σ (−1)^n x^(2n+1)/(n!(2n+1)) is exact there.
        if (Math.Abs(x) < 0.5)
        {
            double x2 = x * x, term = x, sum = x;
            for (int n = 1; n < 30; n++)
            {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17 * Math.Abs(sum)) break;
            }
            return 2 * InvSqrtPi * sum;
        }
        return x > 0 ? 1 - Erfc(x) : Erfc(-x) - 1;
    }

    /// <summary>Standard normal density φ(z) = exp(−z²/2)/√(2π).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double NormalPdf(double z) => InvSqrt2Pi * ExpMinusHalfSquare(z);

    /// <summary>log φ(z).</summary>
    public static double NormalLogPdf(double z) => -0.5 * z * z - 0.91893853320467274;   // log √(2π)

    /// <summary>Standard normal cdf Φ(z), with full relative accuracy for z → −∞ (underflows to 0 below about −38.5).</summary>
    public static double NormalCdf(double z)
    {
        // Φ(z) = ½ erfc(−z/√2) = ½ erfcx(|z|/√2)·exp(−z²/2) for z < 0; the exponential is formed from z itself,
        // since rounding z/√2 first would cost a relative error of z²·1e-16 in the far tail.
        if (z < 0) return 0.5 * ErfcxNonNegative(-z * InvSqrt2) * ExpMinusHalfSquare(z);
        if (double.IsNaN(z)) return double.NaN;
        return 1 - 0.5 * ErfcxNonNegative(z * InvSqrt2) * ExpMinusHalfSquare(z);
    }

    /// <summary>log Φ(z), finite for every finite z (≈ −z²/2 − log(−z√(2π)) as z → −∞).</summary>
    public static double NormalLogCdf(double z)
    {
        if (z < -1) return Math.Log(0.5 * ErfcxNonNegative(-z * InvSqrt2)) - 0.5 * z * z;
        if (double.IsNaN(z)) return double.NaN;
        if (z < 0) return Math.Log(NormalCdf(z));
        return LogOnePlus(-NormalCdf(-z));   // log(1 − Q) via log1p: exact even where Φ(z) rounds to 1
    }

    /// <summary>Mills ratio R(x) = Q(x)/φ(x) = (1 − Φ(x))/φ(x) = √(π/2)·erfcx(x/√2); R(x) ~ 1/x as x → ∞.</summary>
    public static double MillsRatio(double x) => SqrtHalfPi * Erfcx(x * InvSqrt2);

    /// <summary>log(1 + x), accurate for small |x| (Math has no log1p).</summary>
    public static double LogOnePlus(double x)
    {
        // Goldberg's trick: with u = fl(1 + x), log(u)·x/(u − 1) cancels the rounding of 1 + x to first order.
        double u = 1 + x;
        if (u == 1) return x;
        return Math.Log(u) * x / (u - 1);
    }

    /// <summary>exp(x) − 1, accurate for small |x|.</summary>
    public static double ExpMinusOne(double x)
    {
        // Kahan's trick: with u = fl(eˣ), (u − 1)·x/log(u) corrects the rounding of u to first order.
        if (Math.Abs(x) > 0.5) return Math.Exp(x) - 1;
        double u = Math.Exp(x);
        if (u == 1) return x;
        double um1 = u - 1;
        return um1 * x / Math.Log(u);
    }

    /// <summary>Standard normal quantile Φ⁻¹(p) for 0 &lt; p &lt; 1; −∞/+∞ at 0/1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">p is outside [0, 1] or NaN.</exception>
    public static double NormalQuantile(double p)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "probability must lie in [0, 1]");
        if (p == 0) return double.NegativeInfinity;
        if (p == 1) return double.PositiveInfinity;
        if (p == 0.5) return 0;
        if (p > 0.5) return -LowerQuantile(1 - p);   // 1 − p is exact for p > 0.5 (Sterbenz), so no precision is lost
        return LowerQuantile(p);
    }

    // Φ⁻¹(p) for p ≤ ½: a rational starting point (Abramowitz & Stegun 26.2.23, |error| < 4.5e-4), then Newton
    // steps on log Φ(x) = log p, whose derivative is φ/Φ = v(x): quadratic convergence without underflow.
    private static double LowerQuantile(double p)
    {
        double t = Math.Sqrt(-2 * Math.Log(p));
        double x = -(t - (2.515517 + t * (0.802853 + t * 0.010328)) / (1 + t * (1.432788 + t * (0.189269 + t * 0.001308))));
        double logP = Math.Log(p);
        for (int i = 0; i < 8; i++)
        {
            double step = (NormalLogCdf(x) - logP) / TruncatedGaussian.V(x);
            x -= step;
            if (Math.Abs(step) <= 1e-15 * Math.Max(1, Math.Abs(x))) break;
        }
        return x;
    }
}
