// Gaussian in natural parameters: the product/ratio algebra EP relies on, and the point-mass/uniform edge cases.
using ProbLab.Probabilistic.Distributions;

namespace ProbLab.Tests.Probabilistic.Distributions;

public class GaussianTests
{
    [Fact]
    public void ProductThenRatioGivesBackTheInput()
    {
        var a = Gaussian.FromMeanAndVariance(1.5, 2.0);
        var b = Gaussian.FromMeanAndVariance(-3, 0.25);
        var back = a * b / b;
        Check.Close(a.Mean, back.Mean, atol: 1e-14, rtol: 1e-14, name: "mean");
        Check.Close(a.Variance, back.Variance, atol: 0, rtol: 1e-14, name: "variance");
        // Product of densities: precisions add, mean is the precision-weighted average.
        var p = a * b;
        Check.Close(1 / (1 / 2.0 + 1 / 0.25), p.Variance, atol: 0, rtol: 1e-15, name: "product variance");
        Check.Close((1.5 / 2 - 3 / 0.25) * p.Variance, p.Mean, atol: 0, rtol: 1e-15, name: "product mean");
    }

    [Fact]
    public void UniformAndPointMassEdgeCases()
    {
        var g = Gaussian.FromMeanAndVariance(2, 3);
        Assert.Equal(g, g * Gaussian.Uniform());
        Assert.Equal(g, g / Gaussian.Uniform());
        Assert.True(Gaussian.FromMeanAndVariance(1, double.PositiveInfinity).IsUniform);
        Assert.True(Gaussian.FromMeanAndVariance(1, 0).IsPointMass);
        var pm = Gaussian.PointMass(4);
        Assert.Equal(pm, pm * g);
        Assert.Equal(pm, g * pm);
        Assert.Equal(pm, pm / g);
        Assert.True((pm / pm).IsUniform);
        Assert.Equal(4, pm.Mean);
        Assert.Equal(0, pm.Variance);
        Assert.Equal(0, Gaussian.Uniform().Mean);
        Assert.Equal(double.PositiveInfinity, Gaussian.Uniform().Variance);
        Assert.Throws<InvalidOperationException>(() => pm * Gaussian.PointMass(5));
        Assert.Throws<InvalidOperationException>(() => g / pm);
        Assert.Equal(0, pm.LogProb(4));
        Assert.Equal(double.NegativeInfinity, pm.LogProb(4.5));
        Assert.Equal(default, Gaussian.Uniform());   // default(Gaussian) is the uniform message: EP arrays start uninformative
    }

    [Fact]
    public void InvalidParametersThrow()
    {
        Assert.Throws<ArgumentException>(() => Gaussian.FromMeanAndVariance(0, -1));
        Assert.Throws<ArgumentException>(() => Gaussian.FromMeanAndVariance(0, double.NaN));
        Assert.Throws<ArgumentException>(() => Gaussian.FromMeanAndVariance(double.NaN, 1));
        Assert.Throws<ArgumentException>(() => Gaussian.FromMeanAndPrecision(0, -2));
        Assert.Throws<ArgumentException>(() => Gaussian.FromNatural(double.PositiveInfinity, 1));
        Assert.Throws<ArgumentException>(() => Gaussian.PointMass(double.NaN));
        var improper = Gaussian.FromNatural(1, -0.5);
        Assert.False(improper.IsProper);
        Assert.Throws<InvalidOperationException>(() => improper.LogProb(0));
        Assert.Throws<InvalidOperationException>(() => Gaussian.LogAverageOf(improper, improper));
        Assert.Contains("Improper", improper.ToString());
    }

    [Fact]
    public void LogProbAndLogAverageOfMatchFormulas()
    {
        var g = Gaussian.FromMeanAndVariance(1, 4);
        double x = 2.5;
        Check.Close(-0.5 * Math.Log(2 * Math.PI * 4) - (x - 1) * (x - 1) / 8, g.LogProb(x), atol: 1e-15, rtol: 1e-15, name: "log N");
        // ∫ N(x; 1, 4) N(x; −2, 5) dx = N(1; −2, 9)
        var h = Gaussian.FromMeanAndVariance(-2, 5);
        Check.Close(Gaussian.FromMeanAndVariance(-2, 9).LogProb(1), Gaussian.LogAverageOf(g, h), atol: 1e-15, rtol: 1e-15, name: "log ∫ g h");
        Check.Close(Gaussian.FromMeanAndPrecision(1, 0.25).Variance, 4, atol: 0, rtol: 1e-15, name: "FromMeanAndPrecision");
        Check.Close(0.5, Gaussian.MaxDiff(g, Gaussian.FromMeanAndVariance(1.5, 4)), atol: 1e-15, rtol: 0, name: "MaxDiff");
    }
}
