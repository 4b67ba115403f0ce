// Gradient checks of the latent-model ops (one table through GradCheck, with extreme rows), and their
// values against closed forms: Gaussian KL vs a numerical integral and vs Monte Carlo, BCE vs its definition,
// and the reparameterised gradient estimator's mean vs the analytic gradient of E[f(z)].
using ProbLab.Kernels;
using ProbLab.Models;
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Tests.Ops;

public class VaeLossesTests
{
    public sealed record Row(string Name, int[][] Shapes, Func<Tensor[], Tensor> F, float Lo = -2f, float Hi = 2f, double Eps = 1e-2, double Atol = 2e-3, double Rtol = 2e-2)
    {
        public override string ToString() => Name;
    }

    private static readonly Tensor Targets = Tensor.FromArray(new[] { 0f, 1f, 0.3f, 0.9f, 1f, 0f }, 2, 3);
    private static readonly Tensor Noise = Tensor.FromArray(new[] { 0.5f, -1.2f, 2f, 0.1f, -0.7f, 1.3f }, 3, 2);

    public static readonly Row[] Table =
    {
        new("bce_with_logits", new[] { new[] { 2, 3 } }, x => x[0].BceWithLogits(Targets), -4f, 4f),
        new("bce_with_logits_targets", new[] { new[] { 2, 3 }, new[] { 2, 3 } }, x => x[0].BceWithLogits(x[1]), 0.05f, 0.95f),
        new("bce_with_logits_extreme", new[] { new[] { 2, 3 } }, x => x[0].BceWithLogits(Targets), -90f, 90f, Eps: 1e-2, Atol: 5e-3),
        new("gaussian_kl", new[] { new[] { 3, 2 }, new[] { 3, 2 } }, x => x[0].GaussianKl(x[1])),
        new("reparameterize", new[] { new[] { 3, 2 }, new[] { 3, 2 } }, x => x[0].Reparameterize(x[1], Noise)),
        new("linear_relu", new[] { new[] { 4, 5 }, new[] { 3, 5 }, new[] { 3 } }, x => x[0].LinearRelu(x[1], x[2])),
        new("linear_relu_nobias_batched", new[] { new[] { 2, 3, 4 }, new[] { 6, 4 } }, x => x[0].LinearRelu(x[1])),
        new("reparameterize_then_kl", new[] { new[] { 3, 2 }, new[] { 3, 2 } }, x => x[0].Reparameterize(x[1], Noise).Square().Sum() + x[0].GaussianKl(x[1])),
    };

    public static IEnumerable<object[]> Rows() => Table.Select(r => new object[] { r });

    [Theory]
    [MemberData(nameof(Rows))]
    public void GradientMatchesFiniteDifferences(Row row)
    {
        var rng = new Rng((ulong)row.Name.Length * 7919UL + (ulong)row.Name[^1]);
        var inputs = row.Shapes.Select(s => Tensor.Rand(rng, s, row.Lo, row.Hi).RequireGrad()).ToArray();
        GradCheck.Run(row.F, inputs, row.Eps, row.Atol, row.Rtol, name: row.Name);
    }

    [Fact]
    public void LinearReluEqualsLinearThenRelu()
    {
        var rng = new Rng(44);
        var x = Tensor.RandN(rng, new[] { 7, 9 });
        var w = Tensor.RandN(rng, new[] { 5, 9 });
        var b = Tensor.RandN(rng, new[] { 5 });
        Check.Close(x.Linear(w, b).Relu(), x.LinearRelu(w, b), 1e-6, 1e-6, "linear_relu");
    }

    [Fact]
    public void BceWithLogitsEqualsDefinition()
    {
        var l = Tensor.FromArray(new[] { -3f, -0.5f, 0f, 0.7f, 2.5f, 6f }, 2, 3);
        double expected = 0;
        for (int i = 0; i < 6; i++)
        {
            double p = 1 / (1 + Math.Exp(-l.Data[i])), x = Targets.Data[i];
            expected += -(x * Math.Log(p) + (1 - x) * Math.Log(1 - p));
        }
        Check.Close(expected, l.BceWithLogits(Targets).Item(), 1e-5, 1e-5, "Σ −x log p − (1−x) log(1−p)");
    }

    [Fact]
    public void GaussianKlMatchesNumericalIntegral()
    {
        // KL(N(μ, σ²) ‖ N(0, 1)) = ∫ q (log q − log p) dz, per dimension, by Simpson on μ ± 12σ.
        var mu = new[] { 0.3f, -1.5f, 2f };
        var lv = new[] { -0.4f, 1.1f, -2.5f };
        double integral = 0;
        for (int j = 0; j < 3; j++)
        {
            double m = mu[j], s = Math.Exp(0.5 * lv[j]);
            integral += KlFit.Simpson(z =>
            {
                double lq = -0.5 * Math.Pow((z - m) / s, 2) - Math.Log(s) - 0.5 * Math.Log(2 * Math.PI);
                double lp = -0.5 * z * z - 0.5 * Math.Log(2 * Math.PI);
                return Math.Exp(lq) * (lq - lp);
            }, m - 12 * s, m + 12 * s, 4000);
        }
        var kl = Tensor.FromArray(mu, 1, 3).GaussianKl(Tensor.FromArray(lv, 1, 3)).Item();
        Check.Close(integral, kl, 1e-5, 1e-5, "closed form vs quadrature");
    }

    [Fact]
    public void GaussianKlMatchesMonteCarlo()
    {
        // E_q[log q(z) − log p(z)] over 200 000 draws; the estimator's std here is ≈ 0.004.
        float m = 0.8f, lv = -0.6f;
        double s = Math.Exp(0.5 * lv), sum = 0;
        var rng = new Rng(3);
        const int n = 200_000;
        for (int i = 0; i < n; i++)
        {
            double eps = rng.Normal(), z = m + s * eps;
            sum += (-0.5 * eps * eps - Math.Log(s)) - (-0.5 * z * z);
        }
        var kl = Tensor.FromArray(new[] { m }, 1, 1).GaussianKl(Tensor.FromArray(new[] { lv }, 1, 1)).Item();
        Check.Close(sum / n, kl, 0.02, 0, "Monte Carlo vs closed form");
    }

    [Fact]
    public void ReparameterisedGradientIsUnbiased()
    {
        // f(z) = z³ + z with z = μ + σε: E f = μ³ + 3μσ² + μ, so ∂/∂μ = 3μ² + 3σ² + 1 and ∂/∂lv = 3μσ² (σ² = e^lv).
        const int n = 100_000;
        var mu = Tensor.Full(0.7f, n).RequireGrad();
        var lv = Tensor.Full(-0.5f, n).RequireGrad();
        var eps = Tensor.RandN(new Rng(8), new[] { n });
        var z = mu.Reparameterize(lv, eps);
        (z.Pow(3f) + z).Sum().Backward();
        double s2 = Math.Exp(-0.5);
        Check.Close(3 * 0.49 + 3 * s2 + 1, mu.Grad!.Average(x => (double)x), 0.03, 0, "mean ∂f/∂μ");
        Check.Close(3 * 0.7 * s2, lv.Grad!.Average(x => (double)x), 0.03, 0, "mean ∂f/∂logvar");
    }

    [Fact]
    public void ShapeMismatchesAreOneLineErrors()
    {
        var a = Tensor.Zeros(2, 3);
        var b = Tensor.Zeros(3, 2);
        foreach (var act in new Action[] { () => a.BceWithLogits(b), () => a.GaussianKl(b), () => a.Reparameterize(a, b) })
        {
            var e = Assert.Throws<ArgumentException>(act);
            Assert.DoesNotContain('\n', e.Message);
        }
    }
}
