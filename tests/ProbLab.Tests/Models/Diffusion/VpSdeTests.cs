// VP-SDE: ᾱ against its closed form, the forward Euler–Maruyama marginals against the analytic p_k, and
// reverse sampling with the exact score reproducing the spiral (mean distance to the curve), versus the
// exam's β1 = 0.2 schedule, which leaves x_K far from N(0, I) and so cannot recover the spiral.
using ProbLab.Models.Diffusion;
using ProbLab.Tensors;

namespace ProbLab.Tests.Models.Diffusion;

public class VpSdeTests
{
    private static readonly SpiralMixture Spiral = new();

    [Theory]
    [InlineData(0.1, 12.0, 500)]
    [InlineData(0.001, 0.2, 200)]
    [InlineData(0.1, 9.0, 400)]
    [InlineData(2.0, 2.0, 7)]
    public void AlphaBarMatchesClosedFormAndProductOfStepAlphas(double b0, double b1, int k)
    {
        var sde = new VpSde(b0, b1, k);
        double product = 1;
        for (int j = 1; j <= k; j++)
        {
            product *= sde.StepAlpha(j);
            double t = (double)j / k;
            // ᾱ_j = exp(−(β0 t + ½(β1 − β0) t²)), and the product of α_i telescopes to it.
            double closed = Math.Exp(-(b0 * t + 0.5 * (b1 - b0) * t * t));
            Check.Close(closed, sde.AlphaBarAt(j), atol: 0, rtol: 1e-12, name: $"ᾱ_{j}");
            Check.Close(closed, product, atol: 0, rtol: 1e-10, name: $"Π α up to {j}");
            Check.Close(Math.Sqrt(1 - closed), sde.Sigma(t), atol: 1e-12, rtol: 1e-9, name: $"σ_{j}");
        }
        Check.Close(1.0, sde.AlphaBarAt(0), atol: 0, rtol: 0, name: "ᾱ_0");
    }

    [Fact]
    public void TerminalAlphaBarExplainsTheBetaOneChoice()
    {
        // β1 = 12: ᾱ(1) = e^{−6.05} ≈ 2.4e-3 (x_K ≈ N(0, I)); the exam's β1 = 0.2: ᾱ(1) = e^{−0.1005} ≈ 0.904.
        Check.Close(Math.Exp(-6.05), new VpSde(0.1, 12, 500).AlphaBar(1), rtol: 1e-12, name: "ᾱ(1), β1 = 12");
        Check.Close(0.90438, new VpSde(0.001, 0.2, 500).AlphaBar(1), atol: 1e-5, name: "ᾱ(1), β1 = 0.2");
        // σ(t) stays accurate where 1 − ᾱ would cancel: B(1e-9) = 1e-10 → σ = 1e-5.
        Check.Close(1e-5, new VpSde(0.1, 12, 500).Sigma(1e-9), rtol: 1e-6, name: "σ at tiny t");
    }

    [Fact]
    public void ForwardSimulationMatchesTheAnalyticMarginals()
    {
        // E‖x_k‖² under p_k = ᾱ_k E‖μ‖² + 2 v_k, with v_k = ᾱ_k σ0² + 1 − ᾱ_k. 4000 points: the standard
        // error of the empirical second moment is below 1.5% here; the Euler–Maruyama bias at K = 500 is smaller.
        var sde = new VpSde(0.1, 12, 500);
        var (x0, _) = Spiral.Sample(4000, new Rng(21));
        var traj = sde.ForwardSimulate(x0, new Rng(22), [0, 30, 70, 120, 200, 500], track: 3);
        double meanSq = 0;
        for (int m = 0; m < Spiral.Components; m++) meanSq += Math.Pow(Spiral.Mean(m, 0), 2) + Math.Pow(Spiral.Mean(m, 1), 2);
        meanSq /= Spiral.Components;
        foreach (int k in traj.Steps)
        {
            double ab = sde.AlphaBarAt(k), v = ab * 0.0036 + 1 - ab;
            double expected = ab * meanSq + 2 * v;
            double actual = traj.At(k).Data.Select(f => (double)f * f).Sum() / 4000;
            Check.Close(expected, actual, atol: 0, rtol: 0.04, name: $"E‖x_{k}‖²");
        }
        Assert.Equal([3, 501, 2], traj.Paths.Shape);
        Check.Close(x0.Data.AsSpan(0, 2), traj.Paths.Data.AsSpan(0, 2), name: "path starts at x0");
        Check.Close(traj.At(500).Data.AsSpan(0, 2), traj.Paths.Data.AsSpan(500 * 2, 2), name: "path ends at x_K");
    }

    [Fact]
    public void PerturbDrawsFromTheClosedFormConditional()
    {
        var sde = new VpSde();
        var x0 = Tensor.Full(1.5f, 20_000, 1);
        var t = Enumerable.Repeat(0.3, 20_000).ToArray();
        var (xt, noise) = sde.Perturb(x0, t, new Rng(4));
        double m = xt.Data.Average(f => (double)f), v = xt.Data.Average(f => Math.Pow(f - m, 2));
        Check.Close(1.5 * Math.Sqrt(sde.AlphaBar(0.3)), m, atol: 0.015, name: "mean of x_t");
        Check.Close(1 - sde.AlphaBar(0.3), v, atol: 0, rtol: 0.03, name: "variance of x_t");
        Check.Close(xt.Data[0], (float)(1.5 * Math.Sqrt(sde.AlphaBar(0.3)) + sde.Sigma(0.3) * noise.Data[0]), atol: 1e-5, name: "x_t = √ᾱ x0 + σ ε");
    }

    [Fact]
    public void ReverseSamplingWithTheExactScoreReproducesTheSpiral()
    {
        // Threshold: exact draws from p0 sit at mean distance ≈ σ0√(2/π) ≈ 0.048 from the curve; N(0, I)
        // points sit at ≈ 0.3. Reverse samples must be within 25% of p0's own distance, and must cover both
        // turns like p0 does (fraction with τ < 2π equal within 0.08), i.e. no collapse onto one arm.
        var sde = new VpSde(0.1, 12, 500);
        var traj = sde.Sample(sde.ExactScore(Spiral), 600, 2, new Rng(8), recordAt: [250], track: 2);
        var (ref0, _) = Spiral.Sample(600, new Rng(9));
        double dSample = Spiral.MeanDistanceToCurve(traj.Final), dRef = Spiral.MeanDistanceToCurve(ref0);
        Assert.True(dSample < 1.25 * dRef, $"mean distance to the spiral {dSample:F4} vs p0's {dRef:F4}");
        Check.Close(InnerFraction(ref0), InnerFraction(traj.Final), atol: 0.08, name: "fraction on the inner turn");
        Assert.Equal([500, 250, 0], traj.Steps);
        Assert.Equal([2, 501, 2], traj.Paths.Shape);
    }

    [Fact]
    public void TheExamBetaOneDistortsWhereSamplesLandAlongTheSpiral()
    {
        // With β1 = 0.2, ᾱ(1) ≈ 0.9: p_K is the spiral shrunk by 0.95 plus noise of std 0.32, not N(0, I).
        // The exact score of such a narrow p_t still pulls every point onto the curve, but starting from the
        // wrong law N(0, I) moves mass along it. Metric: total variation between the histogram of the nearest τ
        // (8 bins) and the uniform law of p0's τ_m. With 2000 samples the pure Monte Carlo TV is ≈ 0.024 ± 0.008,
        // so β1 = 12 must stay below 0.045 and β1 = 0.2 (observed ≈ 0.075) must exceed 0.05.
        double good = TauTotalVariation(new VpSde(0.1, 12, 250));
        double bad = TauTotalVariation(new VpSde(0.001, 0.2, 250));
        Assert.True(good < 0.045, $"β1 = 12: τ-histogram TV {good:F4}");
        Assert.True(bad > 0.05, $"β1 = 0.2: τ-histogram TV {bad:F4}");
    }

    private static double TauTotalVariation(VpSde sde)
    {
        var x = sde.Sample(sde.ExactScore(Spiral), 2000, 2, new Rng(8)).Final;
        Assert.True(Spiral.MeanDistanceToCurve(x) < 0.06, "samples lie on the spiral");
        return Spiral.TauTotalVariation(x, 8);
    }

    [Fact]
    public void SamplingIsDeterministicForASeed()
    {
        var sde = new VpSde(0.1, 12, 50);
        var a = sde.Sample(sde.ExactScore(Spiral), 20, 2, new Rng(3)).Final;
        var b = sde.Sample(sde.ExactScore(Spiral), 20, 2, new Rng(3)).Final;
        Check.Close(a, b, atol: 0, rtol: 0, name: "same seed");
    }

    [Fact]
    public void BadScheduleInputGivesOneLineErrors()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => new VpSde(0.1, 12, 0));
        Assert.Contains("K must be at least 1", e.Message);
        MixtureTests.AssertOneLine(e);
        MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => new VpSde(-1, 12, 10)));
        MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => new VpSde(0, 0, 10)));
        MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => new VpSde(0.1, double.NaN, 10)));
        var sde = new VpSde(0.1, 12, 10);
        MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => sde.Sample(sde.ExactScore(Spiral), 0, 2, new Rng(1))));
        MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => sde.Sample(sde.ExactScore(Spiral), 5, 2, new Rng(1), recordAt: [11])));
        MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => sde.Sample((x, t) => Tensor.Zeros(1, 1), 5, 2, new Rng(1))));
    }

    private static double InnerFraction(Tensor x)
    {
        int n = x.Shape[0], inner = 0;
        for (int i = 0; i < n; i++)
            if (Spiral.NearestTau(x.Data[2 * i], x.Data[2 * i + 1]) < 2 * Math.PI) inner++;
        return (double)inner / n;
    }
}
