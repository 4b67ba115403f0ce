// Special functions against the mpmath CSV (tools/golden_trueskill_vw.py), MathNet as an independent
// cross-check of erfc, and identities (symmetry, quantile round trips).
using System.Globalization;
using ProbLab.Probabilistic.Distributions;

namespace ProbLab.Tests.Probabilistic.Distributions;

public class SpecialFunctionsTests
{
    internal static IEnumerable<(string Fn, double X, double Y, double Expected)> Golden()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "TestData", "trueskill_vw.csv");
        foreach (string line in File.ReadLines(path).Skip(1))
        {
            var f = line.Split(',');
            yield return (f[0], Parse(f[1]), f[2].Length == 0 ? double.NaN : Parse(f[2]), Parse(f[3]));
        }
    }

    private static double Parse(string s) => s switch
    {
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(s, CultureInfo.InvariantCulture),
    };

    [Theory]
    [InlineData("erfcx", 2e-15)]
    [InlineData("normcdf", 4e-15)]
    [InlineData("normlogcdf", 4e-15)]
    [InlineData("quantile", 4e-15)]
    public void MatchesHighPrecisionValues(string function, double rtol)
    {
        int rows = 0;
        foreach (var (fn, x, _, expected) in Golden().Where(r => r.Fn == function))
        {
            double got = function switch
            {
                "erfcx" => SpecialFunctions.Erfcx(x),
                "normcdf" => SpecialFunctions.NormalCdf(x),
                "normlogcdf" => SpecialFunctions.NormalLogCdf(x),
                _ => SpecialFunctions.NormalQuantile(x),
            };
            // Φ⁻¹ near its root is checked absolutely: the argument p itself is only known to 1e-16.
            Check.Close(expected, got, atol: function == "quantile" ? 1e-15 : 1e-300, rtol: rtol, name: $"{fn}({x})");
            rows++;
        }
        Assert.True(rows >= 10, $"only {rows} golden rows for {function}");
    }

    [Fact]
    public void ErfcAgreesWithMathNet()
    {
        for (double x = -6; x <= 26; x += 0.173)
            Check.Close(MathNet.Numerics.SpecialFunctions.Erfc(x), SpecialFunctions.Erfc(x), atol: 0, rtol: 1e-13, name: $"erfc({x})");
        for (double x = -3; x <= 3; x += 0.0917)
            Check.Close(MathNet.Numerics.SpecialFunctions.Erf(x), SpecialFunctions.Erf(x), atol: 1e-16, rtol: 1e-14, name: $"erf({x})");
    }

    [Fact]
    public void CdfIsSymmetricAndMonotone()
    {
        double prev = 0;
        for (double z = -40; z <= 10; z += 0.01)
        {
            double c = SpecialFunctions.NormalCdf(z);
            Assert.True(c >= prev, $"Φ not monotone at {z}");
            prev = c;
            if (z > -8) Check.Close(1, c + SpecialFunctions.NormalCdf(-z), atol: 1e-15, rtol: 0, name: $"Φ({z}) + Φ(−z)");
        }
    }

    [Fact]
    public void QuantileInvertsCdf()
    {
        foreach (double p in new[] { 1e-280, 1e-30, 1e-8, 0.001, 0.2, 0.5, 0.7, 0.99, 1 - 1e-12 })
        {
            double x = SpecialFunctions.NormalQuantile(p);
            double back = p < 0.5 ? SpecialFunctions.NormalCdf(x) : 1 - SpecialFunctions.NormalCdf(-x);
            Check.Close(p, back, atol: 0, rtol: p < 0.5 ? 1e-13 : 1e-15, name: $"Φ(Φ⁻¹({p}))");
        }
        Assert.Equal(double.NegativeInfinity, SpecialFunctions.NormalQuantile(0));
        Assert.Equal(double.PositiveInfinity, SpecialFunctions.NormalQuantile(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpecialFunctions.NormalQuantile(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpecialFunctions.NormalQuantile(double.NaN));
    }

    [Fact]
    public void ExtremeArgumentsStayFinite()
    {
        Assert.Equal(0, SpecialFunctions.NormalCdf(-1e6));
        Assert.Equal(1, SpecialFunctions.NormalCdf(1e6));
        Check.Close(-5e11, SpecialFunctions.NormalLogCdf(-1e6), atol: 0, rtol: 1e-10, name: "log Φ(−1e6)");
        Assert.Equal(0, SpecialFunctions.Erfcx(double.PositiveInfinity));
        Assert.Equal(double.PositiveInfinity, SpecialFunctions.Erfcx(-30));
        Assert.True(double.IsNaN(SpecialFunctions.Erfcx(double.NaN)));
        Assert.True(double.IsNaN(SpecialFunctions.NormalCdf(double.NaN)));
        Check.Close(1e-20, SpecialFunctions.LogOnePlus(1e-20), atol: 0, rtol: 1e-15, name: "log1p(1e-20)");
        Check.Close(Math.Log(1.5), SpecialFunctions.LogOnePlus(0.5), atol: 0, rtol: 1e-15, name: "log1p(0.5)");
        Check.Close(1e-12 + 0.5e-24, SpecialFunctions.ExpMinusOne(1e-12), atol: 0, rtol: 1e-15, name: "expm1(1e-12)");
        Check.Close(Math.Exp(0.3) - 1, SpecialFunctions.ExpMinusOne(0.3), atol: 0, rtol: 1e-15, name: "expm1(0.3)");
    }
}
