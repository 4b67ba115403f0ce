// Truncated-Gaussian moments: the v/w functions and two-sided moments against mpmath, monotonicity and
// finiteness at extreme z (Infer.NET's *_IsIncreasing habit), and a naive quadrature reference.
using ProbLab.Probabilistic.Distributions;

namespace ProbLab.Tests.Probabilistic.Distributions;

public class TruncatedGaussianTests
{
    [Theory]
    [InlineData("v", 1e-14)]
    [InlineData("w", 1e-14)]
    [InlineData("one_minus_w", 2e-14)]
    [InlineData("trunc_mean", 1e-14)]
    [InlineData("trunc_var", 1e-13)]
    [InlineData("log_prob_between", 1e-14)]
    public void MatchesHighPrecisionValues(string function, double rtol)
    {
        int rows = 0;
        foreach (var (fn, x, y, expected) in SpecialFunctionsTests.Golden().Where(r => r.Fn == function))
        {
            double got = function switch
            {
                "v" => TruncatedGaussian.V(x),
                "w" => TruncatedGaussian.W(x),
                "one_minus_w" => TruncatedGaussian.OneMinusW(x),
                "trunc_mean" => TruncatedGaussian.StandardMoments(x, y).Mean,
                "trunc_var" => TruncatedGaussian.StandardMoments(x, y).Variance,
                _ => TruncatedGaussian.LogProbBetween(x, y),
            };
            // Means near 0 (symmetric intervals) are checked absolutely.
            Check.Close(expected, got, atol: function == "trunc_mean" ? 1e-15 : 1e-300, rtol: rtol, name: $"{fn}({x}, {y})");
            rows++;
        }
        Assert.True(rows >= 20, $"only {rows} golden rows for {function}");
    }

    [Fact]
    public void VAndWAreMonotoneFiniteAndInRange()
    {
        // V and W decrease in z; both finite; 0 ≤ W ≤ 1 (W rounds to 1 only where 1 − W < 1e-16) and 1 − W > 0 down to −1e8.
        double prevV = double.PositiveInfinity, prevW = 1.0;
        var zs = new List<double>();
        for (double z = -1e8; z < -100; z /= 1.7) zs.Add(z);
        for (double z = -100; z <= 40; z += 0.01) zs.Add(z);
        foreach (double z in zs)
        {
            TruncatedGaussian.OneSided(z, out double v, out double w, out double omw);
            Assert.True(double.IsFinite(v) && double.IsFinite(w) && double.IsFinite(omw), $"non-finite at z = {z}");
            Assert.True(v <= prevV * (1 + 1e-15), $"V increases at z = {z}");
            Assert.True(w <= prevW * (1 + 1e-14) && w >= 0 && w <= 1, $"W = {w} out of order/range at z = {z}");
            Assert.True(omw > 0 || z > 38, $"1 − W = {omw} not positive at z = {z}");
            Check.Close(1 - w, omw, atol: 1e-14, rtol: 0, name: $"1 − W({z})");
            prevV = v; prevW = w;
        }
        // Asymptotes: V(z) ≈ −z − 1/z and 1 − W(z) ≈ 1/z² as z → −∞.
        Check.Close(1e6 + 1e-6, TruncatedGaussian.V(-1e6), atol: 0, rtol: 1e-15, name: "V(−1e6)");
        Check.Close(1e-12, TruncatedGaussian.OneMinusW(-1e6), atol: 0, rtol: 1e-6, name: "1 − W(−1e6)");
    }

    [Fact]
    public void WithProbabilityAgreesWithSeparateCalls()
    {
        for (double z = -45; z <= 40; z += 0.037)
        {
            TruncatedGaussian.OneSidedWithProbability(z, out double v, out double omw, out double cdf, out double ccdf);
            Check.Close(TruncatedGaussian.V(z), v, atol: 0, rtol: 1e-15, name: $"V({z})");
            Check.Close(TruncatedGaussian.OneMinusW(z), omw, atol: 0, rtol: 1e-15, name: $"1 − W({z})");
            Check.Close(SpecialFunctions.NormalCdf(z), cdf, atol: 0, rtol: 1e-13, name: $"Φ({z})");
            Check.Close(SpecialFunctions.NormalCdf(-z), ccdf, atol: 1e-300, rtol: 1e-13, name: $"Φ(−{z})");
        }
    }

    [Fact]
    public void TwoSidedMomentsMatchNaiveQuadrature()
    {
        // Composite Simpson on [a, b] with 20000 panels: an independent, slow reference.
        var rng = new ProbLab.Tensors.Rng(11);
        for (int k = 0; k < 200; k++)
        {
            double a = rng.Uniform(-6, 6), width = Math.Exp(rng.Uniform(-6, 2.5));
            double b = a + width;
            var (m, v) = TruncatedGaussian.StandardMoments(a, b);
            var (rm, rv) = NaiveMoments(a, b);
            Check.Close(rm, m, atol: 1e-12, rtol: 1e-10, name: $"mean[{a}, {b}]");
            Check.Close(rv, v, atol: 1e-14, rtol: 1e-8, name: $"var[{a}, {b}]");
            Check.Close(Math.Log(NaiveMass(a, b)), TruncatedGaussian.LogProbBetween(a, b), atol: 1e-12, rtol: 1e-10, name: $"log mass[{a}, {b}]");
        }
    }

    private static (double Mean, double Var) NaiveMoments(double a, double b)
    {
        int n = 20000;
        double h = (b - a) / n, z = 0, m1 = 0, m2 = 0, c = 0.5 * (a + b);
        for (int i = 0; i <= n; i++)
        {
            double x = a + i * h, wgt = (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2) * Math.Exp(-0.5 * (x * x - Math.Min(a * a, b * b) * (a * b > 0 ? 1 : 0)));
            z += wgt; m1 += wgt * (x - c); m2 += wgt * (x - c) * (x - c);
        }
        double mean = m1 / z;
        return (c + mean, m2 / z - mean * mean);
    }

    private static double NaiveMass(double a, double b)
    {
        int n = 20000;
        double h = (b - a) / n, s = 0;
        for (int i = 0; i <= n; i++)
        {
            double x = a + i * h;
            s += (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2) * SpecialFunctions.NormalPdf(x);
        }
        return s * h / 3;
    }

    [Fact]
    public void ReflectionAndScaling()
    {
        foreach (var (a, b) in new[] { (-1.0, 2.0), (0.5, 4.0), (-7.0, -6.5), (3.0, double.PositiveInfinity), (double.NegativeInfinity, 0.3) })
        {
            var (m, v) = TruncatedGaussian.StandardMoments(a, b);
            var (mr, vr) = TruncatedGaussian.StandardMoments(-b, -a);
            Check.Close(-m, mr, atol: 1e-15, rtol: 1e-14, name: $"reflected mean [{a}, {b}]");
            Check.Close(v, vr, atol: 0, rtol: 1e-14, name: $"reflected var [{a}, {b}]");
            // N(3, 4) on [3 + 2a, 3 + 2b] is 3 + 2·X.
            var (gm, gv) = TruncatedGaussian.Moments(3, 4, 3 + 2 * a, 3 + 2 * b);
            Check.Close(3 + 2 * m, gm, atol: 1e-14, rtol: 1e-14, name: "scaled mean");
            Check.Close(4 * v, gv, atol: 0, rtol: 1e-14, name: "scaled var");
        }
        Assert.Equal((0.0, 1.0), TruncatedGaussian.StandardMoments(double.NegativeInfinity, double.PositiveInfinity));
    }

    [Fact]
    public void FarAndNarrowIntervalsStayFiniteAndPositive()
    {
        foreach (var (a, b) in new[] { (1e4, 1e4 + 1e-3), (1e4, 2e4), (-1e4 - 1e-9, -1e4), (-1e-12, 1e-12), (37.0, 37.5), (-40.0, -39.0), (5.0, 5.0 + 1e-10) })
        {
            var (m, v) = TruncatedGaussian.StandardMoments(a, b);
            Assert.True(m >= a && m <= b, $"mean {m} outside [{a}, {b}]");
            Assert.True(v > 0 && v <= (b - a) * (b - a) / 4, $"variance {v} impossible on [{a}, {b}]");
            Assert.True(double.IsFinite(TruncatedGaussian.LogProbBetween(a, b)), $"log mass not finite on [{a}, {b}]");
        }
        Assert.Throws<ArgumentException>(() => TruncatedGaussian.StandardMoments(1, 1));
        Assert.Throws<ArgumentException>(() => TruncatedGaussian.StandardMoments(double.NaN, 1));
        Assert.Throws<ArgumentException>(() => TruncatedGaussian.Moments(0, 0, 0, 1));
        Assert.Throws<ArgumentException>(() => TruncatedGaussian.LogProbBetween(2, 1));
    }
}
