// LatentKernels against their scalar double twins over every length 1..67 (all vector tails) and at
// extreme logits where the naive log σ(l) overflows; Gaussian KL and reparameterisation kernels by formula.
using ProbLab.Kernels;
using ProbLab.Tensors;

namespace ProbLab.Tests.Kernels;

public class LatentKernelsTests
{
    [Fact]
    public void BceWithLogitsMatchesNaiveForEveryLength()
    {
        var rng = new Rng(11);
        foreach (int n in Enumerable.Range(1, 67).Concat(new[] { 1023, 1024, 1025, 1031, 3000 }))
        {
            var l = new float[n]; var x = new float[n];
            rng.FillUniform(l, -8f, 8f);
            rng.FillUniform(x, 0f, 1f);
            var e = new float[n];
            double fast = LatentKernels.BceWithLogitsForward(l, x, e);
            Check.Close(LatentKernelsNaive.BceWithLogits(l, x), fast, 1e-4, 1e-5, $"bce n={n}");

            var d = new float[n];
            Array.Fill(d, 0.25f); // backward adds into an existing buffer
            LatentKernels.BceWithLogitsBackward(d, l, x, e, 2f);
            var reference = new float[n];
            LatentKernelsNaive.BceWithLogitsGrad(reference, l, x);
            for (int i = 0; i < n; i++) reference[i] = 0.25f + 2f * reference[i];
            Check.Close(reference, d, 1e-6, 1e-5, $"dbce n={n}");
        }
    }

    [Fact]
    public void BceWithLogitsStaysFiniteAtExtremeLogits()
    {
        var l = new float[] { -1000f, -90f, -20f, 0f, 20f, 90f, 1000f, 88.8f, -88.8f };
        var x = new float[] { 0f, 1f, 0.5f, 1f, 0f, 1f, 1f, 0.3f, 0.7f };
        var e = new float[l.Length];
        double fast = LatentKernels.BceWithLogitsForward(l, x, e);
        // Reference: for |l| ≫ 1, softplus(l) − x·l = max(l, 0) − x·l up to e^{−|l|}.
        double expected = LatentKernelsNaive.BceWithLogits(l, x);
        Check.Close(expected, fast, 1e-3, 1e-6, "bce extreme");
        var d = new float[l.Length];
        LatentKernels.BceWithLogitsBackward(d, l, x, e, 1f);
        Check.Finite(d, "dbce extreme");
        Check.Close(-1f, d[1], 1e-6, 0, "σ(−90) − 1");
        Check.Close(1f, d[4], 1e-6, 0, "σ(20) − 0");
    }

    [Fact]
    public void BceWithLogitsRejectsMismatchedSpans()
    {
        var e = Assert.Throws<ArgumentException>(() => LatentKernels.BceWithLogitsForward(new float[3], new float[2], new float[3]));
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void GaussianKlRowsAndGradient()
    {
        var mu = new float[] { 0f, 0f, 1f, -2f };
        var lv = new float[] { 0f, 0f, 0.5f, -1f };
        var rows = new float[2];
        double total = LatentKernels.GaussianKlForward(mu, lv, 2, rows);
        Check.Close(0.0, rows[0], 1e-7, 0, "KL(N(0,1)‖N(0,1))");
        // −½[(1 + .5 − 1 − e^.5) + (1 − 1 − 4 − e^−1)]
        double row1 = -0.5 * ((1 + 0.5 - 1 - Math.Exp(0.5)) + (1 - 1 - 4 - Math.Exp(-1)));
        Check.Close(row1, rows[1], 1e-6, 1e-6, "row 1");
        Check.Close(row1, total, 1e-6, 1e-6, "total");
        var dMu = new float[4]; var dLv = new float[4];
        LatentKernels.GaussianKlBackward(dMu, dLv, mu, lv, 2, 3f, new float[] { 1f, 2f });
        Check.Close(new[] { 0f, 0f, 6f, -12f }, dMu, 1e-6, 1e-6, "dmu = g·μ");
        Check.Close(new[] { 0f, 0f, (float)(3 * (Math.Exp(0.5) - 1)), (float)(3 * (Math.Exp(-1) - 1)) }, dLv, 1e-6, 1e-5, "dlv = g·½(e^lv − 1)");
    }

    [Fact]
    public void ReluMaskAndBiasReluMatchScalarForEveryLength()
    {
        var rng = new Rng(6);
        for (int n = 1; n <= 67; n++)
        {
            var y = new float[n]; var dy = new float[n];
            rng.FillUniform(y, -1f, 1f); rng.FillNormal(dy);
            y[0] = 0f; // exactly zero output: the subgradient 0 is used, as torch's relu backward does
            var d = new float[n];
            LinearReluKernels.ReluMask(d, dy, y);
            for (int i = 0; i < n; i++) Check.Close(y[i] > 0 ? dy[i] : 0f, d[i], 0, 0, $"mask n={n} i={i}");

            const int rows = 3;
            var pre = new float[rows * n]; var bias = new float[n];
            rng.FillNormal(pre); rng.FillNormal(bias);
            var expected = new float[rows * n];
            for (int r = 0; r < rows; r++)
                for (int i = 0; i < n; i++) expected[r * n + i] = MathF.Max(pre[r * n + i] + bias[i], 0f);
            LinearReluKernels.BiasReluForward(pre, bias, rows, n);
            Check.Close(expected, pre, 0, 0, $"bias relu n={n}");
        }
    }

    [Fact]
    public void ReparameterizeMatchesFormulaForEveryLength()
    {
        var rng = new Rng(5);
        for (int n = 1; n <= 67; n++)
        {
            var mu = new float[n]; var lv = new float[n]; var eps = new float[n];
            rng.FillNormal(mu); rng.FillUniform(lv, -3f, 3f); rng.FillNormal(eps);
            var z = new float[n]; var sigma = new float[n];
            LatentKernels.ReparameterizeForward(z, sigma, mu, lv, eps);
            var expected = new float[n];
            for (int i = 0; i < n; i++) expected[i] = (float)(mu[i] + Math.Exp(0.5 * lv[i]) * eps[i]);
            Check.Close(expected, z, 1e-5, 1e-5, $"z n={n}");
        }
    }
}
