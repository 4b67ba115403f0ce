// Ziggurat normal/exponential and the exact truncated-normal sampler: moments and cdf values within a few
// Monte Carlo standard errors of the exact ones, bounds always respected, determinism from the seed.
using ProbLab.Probabilistic.Distributions;
using ProbLab.Tensors;

namespace ProbLab.Tests.Probabilistic.Distributions;

public class SamplersTests
{
    [Fact]
    public void ZigguratNormalHasNormalMomentsAndCdf()
    {
        var rng = new Rng(1);
        int n = 400_000;
        double s = 0, s2 = 0, s4 = 0;
        double[] cuts = [-3, -1.5, -0.5, 0, 0.7, 2, 3.7];
        var below = new int[cuts.Length];
        for (int i = 0; i < n; i++)
        {
            double x = Ziggurat.Normal(rng);
            s += x; s2 += x * x; s4 += x * x * x * x;
            for (int k = 0; k < cuts.Length; k++) if (x <= cuts[k]) below[k]++;
        }
        Check.Close(0, s / n, atol: 5 / Math.Sqrt(n), rtol: 0, name: "mean");
        Check.Close(1, s2 / n, atol: 5 * Math.Sqrt(2.0 / n), rtol: 0, name: "variance");
        Check.Close(3, s4 / n, atol: 5 * Math.Sqrt(96.0 / n), rtol: 0, name: "fourth moment");
        for (int k = 0; k < cuts.Length; k++)
        {
            double p = SpecialFunctions.NormalCdf(cuts[k]);
            Check.Close(p, below[k] / (double)n, atol: 5 * Math.Sqrt(p * (1 - p) / n), rtol: 0, name: $"P(X ≤ {cuts[k]})");
        }
    }

    [Fact]
    public void ZigguratExponentialHasExponentialMomentsAndCdf()
    {
        var rng = new Rng(2);
        int n = 400_000;
        double s = 0, s2 = 0;
        double[] cuts = [0.05, 0.5, 1, 3, 8];
        var below = new int[cuts.Length];
        for (int i = 0; i < n; i++)
        {
            double x = Ziggurat.Exponential(rng);
            Assert.True(x >= 0);
            s += x; s2 += x * x;
            for (int k = 0; k < cuts.Length; k++) if (x <= cuts[k]) below[k]++;
        }
        Check.Close(1, s / n, atol: 5 / Math.Sqrt(n), rtol: 0, name: "mean");
        Check.Close(2, s2 / n, atol: 5 * Math.Sqrt(20.0 / n), rtol: 0, name: "second moment");
        for (int k = 0; k < cuts.Length; k++)
        {
            double p = 1 - Math.Exp(-cuts[k]);
            Check.Close(p, below[k] / (double)n, atol: 5 * Math.Sqrt(p * (1 - p) / n), rtol: 0, name: $"P(X ≤ {cuts[k]})");
        }
    }

    [Fact]
    public void ZigguratTailsBeyondTheBaseLayer()
    {
        // The base layers end at r ≈ 3.65 (normal) and r ≈ 7.70 (exponential); draws beyond come from the tail methods.
        var rng = new Rng(4);
        int n = 4_000_000, normalTail = 0, expTail = 0;
        double normalTailSum = 0, expTailSum = 0;
        for (int i = 0; i < n; i++)
        {
            double x = Math.Abs(Ziggurat.Normal(rng));
            if (x > 3.8) { normalTail++; normalTailSum += x; }
            double e = Ziggurat.Exponential(rng);
            if (e > 8) { expTail++; expTailSum += e; }
        }
        double pn = 2 * SpecialFunctions.NormalCdf(-3.8), pe = Math.Exp(-8);
        Check.Close(n * pn, normalTail, atol: 5 * Math.Sqrt(n * pn), rtol: 0, name: "P(|X| > 3.8)");
        Check.Close(n * pe, expTail, atol: 5 * Math.Sqrt(n * pe), rtol: 0, name: "P(E > 8)");
        // Tail means: E[X | X > 3.8] = V(−3.8) and E[E | E > 8] = 9 (memorylessness).
        Check.Close(TruncatedGaussian.V(-3.8), normalTailSum / normalTail, atol: 5 * 0.24 / Math.Sqrt(normalTail), rtol: 0, name: "normal tail mean");
        Check.Close(9, expTailSum / expTail, atol: 5 / Math.Sqrt(expTail), rtol: 0, name: "exponential tail mean");
    }

    [Theory]
    [InlineData(double.NegativeInfinity, double.PositiveInfinity)]
    [InlineData(-3, double.PositiveInfinity)]
    [InlineData(0, double.PositiveInfinity)]
    [InlineData(0.3, double.PositiveInfinity)]
    [InlineData(0.5, double.PositiveInfinity)]
    [InlineData(2, double.PositiveInfinity)]
    [InlineData(12, double.PositiveInfinity)]
    [InlineData(40, double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity, -5)]
    [InlineData(-0.7, 0.7)]
    [InlineData(-0.2, 3)]
    [InlineData(-1, 1.2)]
    [InlineData(0.5, 1.0)]
    [InlineData(1, 4)]
    [InlineData(6, 6.01)]
    [InlineData(-9, -8)]
    [InlineData(25, 40)]
    public void TruncatedNormalMatchesExactMoments(double a, double b)
    {
        var rng = new Rng(3);
        int n = 100_000;
        double s = 0, s2 = 0;
        var (mean, variance) = TruncatedGaussian.StandardMoments(a, b);
        for (int i = 0; i < n; i++)
        {
            double x = TruncatedNormalSampler.SampleBetween(rng, a, b);
            Assert.True(x >= a && x <= b, $"sample {x} outside [{a}, {b}]");
            double d = x - mean;
            s += d; s2 += d * d;
        }
        double sd = Math.Sqrt(variance);
        Check.Close(0, s / n, atol: 5 * sd / Math.Sqrt(n), rtol: 0, name: $"mean on [{a}, {b}]");
        Check.Close(variance, s2 / n, atol: 6 * variance * Math.Sqrt(2.0 / n), rtol: 0, name: $"variance on [{a}, {b}]");
    }

    [Fact]
    public void SamplersAreDeterministicGivenTheSeed()
    {
        var r1 = new Rng(9); var r2 = new Rng(9);
        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal(Ziggurat.Normal(r1), Ziggurat.Normal(r2));
            Assert.Equal(TruncatedNormalSampler.SampleAbove(r1, i * 0.01), TruncatedNormalSampler.SampleAbove(r2, i * 0.01));
        }
        Assert.Throws<ArgumentException>(() => TruncatedNormalSampler.SampleBetween(r1, 1, 1));
    }
}
