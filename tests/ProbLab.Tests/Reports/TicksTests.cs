// Nice tick generation: exact small cases, properties over many random ranges, log ticks and labels.
using ProbLab.Reports;
using ProbLab.Tensors;

namespace ProbLab.Tests.Reports;

public class TicksTests
{
    [Theory]
    [InlineData(0, 1, 6, new[] { 0, 0.2, 0.4, 0.6, 0.8, 1.0 })]
    [InlineData(-4, 4, 5, new[] { -4.0, -2, 0, 2, 4 })]
    [InlineData(0, 100, 6, new[] { 0.0, 20, 40, 60, 80, 100 })]
    [InlineData(0.13, 9.7, 5, new[] { 2.0, 4, 6, 8 })]
    [InlineData(1990, 2024, 4, new[] { 1990.0, 2000, 2010, 2020 })]
    public void LinearExactCases(double min, double max, int target, double[] expected)
        => Check.Close(expected, Ticks.Linear(min, max, target), atol: 1e-12, rtol: 1e-12, name: $"ticks[{min},{max}]");

    [Fact]
    public void LinearPropertiesOverRandomRanges()
    {
        var rng = new Rng(11);
        for (int trial = 0; trial < 2000; trial++)
        {
            double scale = Math.Pow(10, rng.Uniform(-8, 8));
            double a = rng.Normal() * scale, b = a + rng.Uniform(1e-3, 10) * scale;
            int target = rng.NextInt(3, 10);
            var t = Ticks.Linear(a, b, target);
            Assert.InRange(t.Length, 2, target + 3);
            double step = t[1] - t[0];
            // The step is 1, 2, 2.5 or 5 times a power of ten.
            double mant = step / Math.Pow(10, Math.Floor(Math.Log10(step) + 1e-12));
            Assert.Contains([1, 2, 2.5, 5, 10], m => Math.Abs(m - mant) < 1e-6);
            for (int i = 0; i < t.Length; i++)
            {
                Assert.InRange(t[i], a - 1e-9 * Math.Abs(step), b + 1e-9 * Math.Abs(step));
                Check.Close(Math.Round(t[i] / step), t[i] / step, atol: 1e-6, rtol: 0, name: $"tick {i} multiple of step");
                if (i > 0) Check.Close(step, t[i] - t[i - 1], atol: 0, rtol: 1e-6, name: "even spacing");
            }
        }
    }

    [Fact]
    public void NiceDomainEndsOnTicks()
    {
        Assert.Equal((0.0, 10.0), Ticks.NiceDomain(0.13, 9.7, 6));
        Assert.Equal((-1.0, 5.0), Ticks.NiceDomain(-0.93, 4.41, 6));
        var (lo, hi) = Ticks.NiceDomain(3.3, 3.31, 5);
        Assert.True(lo <= 3.3 && hi >= 3.31 && hi - lo < 0.1, $"({lo}, {hi})");
    }

    [Fact]
    public void DegenerateAndBadRanges()
    {
        Assert.NotEmpty(Ticks.Linear(5, 5, 5));
        Assert.NotEmpty(Ticks.Linear(0, 0, 5));
        Assert.Throws<ArgumentException>(() => Ticks.Linear(double.NaN, 1, 5));
        Assert.Throws<ArgumentException>(() => Ticks.Log(0, 10));
        Assert.Throws<ArgumentException>(() => Ticks.Log(1, double.PositiveInfinity));
    }

    [Fact]
    public void LogTicksAreDecadesOrOneTwoFive()
    {
        Check.Close([1e-3, 1e-2, 1e-1, 1, 10, 100], Ticks.Log(1e-3, 1e2), rtol: 1e-12, name: "decades");
        Check.Close([1, 2, 5, 10, 20, 50, 100], Ticks.Log(1, 100), rtol: 1e-12, name: "1-2-5");
        Check.Close([1, 2, 3, 4], Ticks.Log(0.6, 4.3), rtol: 1e-12, name: "under a decade");
        // Twelve decades with at most 8 ticks: every second decade.
        Check.Close([1, 1e2, 1e4, 1e6, 1e8, 1e10, 1e12], Ticks.Log(1, 1e12, 8), rtol: 1e-12, name: "thinned");
        Assert.Equal(0.001, Ticks.Log(1e-3, 1)[0]); // exact powers of ten, not 0.0010000000000000002
    }

    [Fact]
    public void LogMinorTicksFillDecades()
    {
        var m = Ticks.LogMinor(1, 100);
        Check.Close([2, 3, 4, 5, 6, 7, 8, 9, 20, 30, 40, 50, 60, 70, 80, 90], m, rtol: 1e-12, name: "minor");
        Assert.Empty(Ticks.LogMinor(1, 1e9)); // too many decades to be useful
    }

    [Theory]
    [InlineData(0.30000000000000004, 0.1, "0.3")]
    [InlineData(-2, 1, "\u22122")]
    [InlineData(2.5, 2.5, "2.5")]
    [InlineData(0.25, 0.25, "0.25")]
    [InlineData(1500, 500, "1500")]
    [InlineData(0, 0.1, "0")]
    [InlineData(1e7, 1e6, "1e7")]
    [InlineData(2.5e-5, 5e-6, "2.5e\u22125")]
    public void LinearLabels(double v, double step, string expected) => Assert.Equal(expected, Ticks.Format(v, step));

    [Theory]
    [InlineData(1e-5, "10⁻⁵")]
    [InlineData(0.01, "0.01")]
    [InlineData(1000, "1000")]
    [InlineData(1e6, "10⁶")]
    [InlineData(2e6, "2×10⁶")]
    public void LogLabels(double v, string expected) => Assert.Equal(expected, Ticks.FormatLog(v));
}
