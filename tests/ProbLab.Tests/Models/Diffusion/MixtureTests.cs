// Spiral mixture and isotropic-mixture contracts: the exact score equals the numerical gradient of the
// log-density (for p0 and for diffused marginals p_k), the log-density matches a naive per-component sum,
// the vectorised batch score matches the double-precision path, samples have the mixture's moments, and
// far-away points (responsibilities that would underflow) still get finite scores.
using ProbLab.Models.Diffusion;
using ProbLab.Tensors;

namespace ProbLab.Tests.Models.Diffusion;

public class MixtureTests
{
    private static readonly SpiralMixture Spiral = new();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(30)]
    [InlineData(70)]
    [InlineData(200)]
    [InlineData(500)]
    public void MarginalScoreMatchesNumericalGradientOfLogDensity(int k)
    {
        var sde = new VpSde(0.1, 12, 500);
        var pk = k == 0 ? Spiral : sde.Marginal(Spiral, sde.Time(k));
        var rng = new Rng(7);
        const double h = 1e-5;
        var score = new double[2];
        for (int trial = 0; trial < 20; trial++)
        {
            // points near the diffused spiral and a few far from it
            double[] x = [rng.Uniform(-2.5, 2.5), rng.Uniform(-2.5, 2.5)];
            pk.Score(x, score);
            for (int j = 0; j < 2; j++)
            {
                double[] xp = [.. x], xm = [.. x];
                xp[j] += h;
                xm[j] -= h;
                double numeric = (pk.LogDensity(xp) - pk.LogDensity(xm)) / (2 * h);
                Check.Close(numeric, score[j], atol: 1e-4, rtol: 1e-5, name: $"k={k} trial {trial} ∂/∂x{j + 1}");
            }
        }
    }

    [Fact]
    public void LogDensityMatchesNaiveComponentSum()
    {
        var mix = new IsotropicMixture(new double[,] { { 0, 0 }, { 1, 2 }, { -1, 0.5 } }, 0.7);
        double[] x = [0.3, -0.4];
        double p = 0;
        for (int m = 0; m < 3; m++)
        {
            double dx = x[0] - mix.Mean(m, 0), dy = x[1] - mix.Mean(m, 1);
            p += Math.Exp(-(dx * dx + dy * dy) / (2 * 0.49)) / (2 * Math.PI * 0.49) / 3;
        }
        Check.Close(Math.Log(p), mix.LogDensity(x), atol: 1e-12, rtol: 1e-12, name: "log p");
    }

    [Fact]
    public void BatchScoreMatchesDoublePrecisionScore()
    {
        var rng = new Rng(3);
        var x = Tensor.Rand(rng, [50, 2], -2.5f, 2.5f);
        var batch = Spiral.Score(x);
        var s = new double[2];
        for (int i = 0; i < 50; i++)
        {
            Spiral.Score([x.Data[2 * i], x.Data[2 * i + 1]], s);
            for (int j = 0; j < 2; j++)
                Check.Close(s[j], batch.Data[2 * i + j], atol: 2e-3, rtol: 1e-4, name: $"score[{i},{j}]");
        }
    }

    [Fact]
    public void FarPointsGetFiniteScoresPointingToTheNearestComponent()
    {
        // Every logit is below −4e5 here: without the max subtracted all responsibilities underflow to 0/0.
        var x = Tensor.FromArray([60f, 60f, -1000f, 3f], 2, 2);
        var s = Spiral.Score(x);
        Check.Finite(s.Data, "score");
        var ds = new double[2];
        Spiral.Score([60.0, 60.0], ds);
        Assert.True(double.IsFinite(ds[0]) && double.IsFinite(ds[1]), "double path is finite");
        Check.Close(-60 / 0.0036, s.Data[0], atol: 0, rtol: 0.05, name: "far score x");
        Assert.True(double.IsFinite(Spiral.LogDensity([60.0, 60.0])));
    }

    [Fact]
    public void SamplesHaveTheMixtureMoments()
    {
        var mix = new IsotropicMixture(new double[,] { { -2, 0 }, { 2, 1 } }, 0.5);
        var (x, comp) = mix.Sample(20_000, new Rng(11));
        double mx = 0, my = 0, vx = 0;
        for (int i = 0; i < 20_000; i++) { mx += x.Data[2 * i]; my += x.Data[2 * i + 1]; }
        mx /= 20_000; my /= 20_000;
        for (int i = 0; i < 20_000; i++) vx += Math.Pow(x.Data[2 * i] - mx, 2);
        vx /= 20_000;
        // E x = (0, 0.5); Var x1 = Var of means (4) + σ² (0.25). Standard errors: ~0.015 for means, ~0.04 for Var.
        Check.Close(0, mx, atol: 0.06, name: "mean x1");
        Check.Close(0.5, my, atol: 0.03, name: "mean x2");
        Check.Close(4.25, vx, atol: 0.1, name: "var x1");
        Check.Close(0.5, comp.Average(), atol: 0.02, name: "component balance");
    }

    [Fact]
    public void SpiralSamplesLieNearTheCurveAtTheHalfNormalDistance()
    {
        // The across-curve offset of N(μ, σ0² I) is about half-normal: E|n| = σ0·√(2/π) = 0.0479.
        var (x, _) = Spiral.Sample(4000, new Rng(5));
        double d = Spiral.MeanDistanceToCurve(x);
        Check.Close(0.06 * Math.Sqrt(2 / Math.PI), d, atol: 0.004, name: "mean distance");
        Check.Close(0.2, Spiral.Mean(0, 0), atol: 1e-12, name: "μ(0)");
        Check.Close(0.2 + 0.15 * 4 * Math.PI, Spiral.Mean(199, 0), atol: 1e-9, name: "μ(4π)");
    }

    [Fact]
    public void BadMixtureInputGivesOneLineErrors()
    {
        AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => new SpiralMixture(components: 0)));
        AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => new SpiralMixture(sigma: 0)));
        AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => new IsotropicMixture(new double[,] { { double.NaN, 0 } }, 1)));
        AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => Spiral.Score(Tensor.Zeros(3, 3))));
        AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => Spiral.Sample(0, new Rng(1))));
    }

    internal static void AssertOneLine(Exception e)
    {
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
        Assert.DoesNotContain('\n', e.Message);
    }
}
