// Forward vs reverse KL: quadrature against closed forms, the forward-KL fit matching the target's moments
// (mass covering), the reverse-KL fit sitting on one mode (mode seeking), and the uniform example computed
// on a grid (forward log 2, reverse +∞, smoothed reverse KL growing like ½ log(1/δ)).
using ProbLab.Models;
using ProbLab.Tensors;

namespace ProbLab.Tests.Models;

public class KlFitTests
{
    [Fact]
    public void QuadratureMatchesGaussianClosedForm()
    {
        // KL(N(a, s²) ‖ N(m, t²)) = log(t/s) + (s² + (a − m)²)/(2t²) − ½
        var p = new GaussianMixture1D(new[] { 1.0 }, new[] { 0.5 }, new[] { 1.3 });
        double Closed(double a, double s, double m, double t) => Math.Log(t / s) + (s * s + (a - m) * (a - m)) / (2 * t * t) - 0.5;
        Check.Close(Closed(0.5, 1.3, -1, 0.7), KlFit.ForwardKl(p, -1, 0.7), 1e-8, 1e-8, "forward");
        Check.Close(Closed(-1, 0.7, 0.5, 1.3), KlFit.ReverseKl(p, -1, 0.7), 1e-8, 1e-8, "reverse");
    }

    [Fact]
    public void MixtureLogDensityOpMatchesDoubleVersion()
    {
        var p = GaussianMixture1D.Bimodal();
        var x = Tensor.FromArray(new[] { -5f, -3f, -0.2f, 0f, 1.7f, 9f });
        var lp = p.LogDensity(x);
        for (int i = 0; i < x.Size; i++) Check.Close(p.LogDensity(x.Data[i]), lp.Data[i], 1e-5, 1e-5, $"log p({x.Data[i]})");
    }

    [Fact]
    public void ForwardKlFitMatchesTheTargetMoments()
    {
        var p = GaussianMixture1D.Bimodal(); // ½N(−3, 1) + ½N(3, 1): mean 0, variance 10
        var fit = KlFit.Fit(p, KlDirection.Forward, new KlFitOptions { Steps = 1500, Samples = 512 }, new Rng(1));
        Check.Close(p.Mean, fit.Mean, 0.1, 0, "mean");
        Check.Close(Math.Sqrt(p.Variance), fit.Std, 0.1, 0, "std");
        // The moment-matched Gaussian is the exact forward-KL optimum: the fit is within noise of it.
        double optimum = KlFit.ForwardKl(p, p.Mean, Math.Sqrt(p.Variance));
        Assert.InRange(fit.ForwardKl - optimum, 0, 2e-3);
        Check.Close(fit.ForwardKl, fit.Trace[^1].Estimate, 0.1, 0, "stochastic estimate near the quadrature value");
    }

    [Fact]
    public void ReverseKlFitSitsOnOneMode()
    {
        var p = GaussianMixture1D.Bimodal();
        foreach (double init in new[] { 1.0, -1.0 })
        {
            var fit = KlFit.Fit(p, KlDirection.Reverse, new KlFitOptions { Steps = 1500, InitMean = init }, new Rng(2));
            double mode = Math.Sign(init) * 3;
            Check.Close(mode, fit.Mean, 0.1, 0, $"mean from init {init}");
            Check.Close(1.0, fit.Std, 0.1, 0, $"std from init {init}");
            // Mode seeking: reverse KL ≈ log 2 (q covers one of two equal halves) and forward KL is far larger.
            Check.Close(Math.Log(2), fit.ReverseKl, 0.02, 0, "reverse KL at the mode");
            Assert.True(fit.ForwardKl > 3, $"forward KL of the mode-seeking fit {fit.ForwardKl}");
        }
    }

    [Fact]
    public void ReverseKlHasAWideSymmetricLocalOptimum()
    {
        // From a wide start between the modes, reverse KL settles on the symmetric stationary point
        // (m = 0, s ≈ 2.73), a local minimum whose KL (≈ 0.84) exceeds the mode's log 2.
        var p = GaussianMixture1D.Bimodal();
        var fit = KlFit.Fit(p, KlDirection.Reverse, new KlFitOptions { Steps = 1500, InitMean = 0.5, InitStd = 1.0 }, new Rng(2));
        Check.Close(0, fit.Mean, 0.15, 0, "mean");
        Check.Close(2.73, fit.Std, 0.1, 0, "std");
        Assert.True(fit.ReverseKl > Math.Log(2) + 0.1, $"reverse KL {fit.ReverseKl}");
    }

    [Fact]
    public void UniformExampleForwardIsLog2AndReverseIsInfinite()
    {
        var r = UniformKlExample.Compute(20_000);
        Check.Close(Math.Log(2), r.ForwardKl, 1e-9, 1e-9, "KL(U(0,1) ‖ U(0,2))");
        Assert.True(double.IsPositiveInfinity(r.ReverseKl), $"KL(U(0,2) ‖ U(0,1)) = {r.ReverseKl}");
        for (int i = 0; i < r.Smoothed.Count; i++)
        {
            // Closed form of the smoothed case: ½ log(½ / (1 − δ/2)) + ½ log(1/δ).
            double d = r.Smoothed[i].Delta;
            Check.Close(0.5 * Math.Log(0.5 / (1 - d / 2)) + 0.5 * Math.Log(1 / d), r.Smoothed[i].ReverseKl, 1e-9, 1e-9, $"δ={d}");
            if (i > 0) Assert.True(r.Smoothed[i].ReverseKl > r.Smoothed[i - 1].ReverseKl);
        }
    }

    [Fact]
    public void BadInputIsRejected()
    {
        Assert.Throws<ArgumentException>(() => new GaussianMixture1D(new[] { 0.5, 0.6 }, new[] { 0.0, 1 }, new[] { 1.0, 1 }).Validate());
        Assert.Throws<ArgumentException>(() => new GaussianMixture1D(new[] { 1.0 }, new[] { 0.0 }, new[] { -1.0 }).Validate());
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new KlFitOptions { InitStd = 0 }.Validate());
        Assert.Contains("InitStd", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => UniformKlExample.Compute(1));
    }
}
