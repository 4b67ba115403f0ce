// Score network: the forward-mode divergence and Jacobian against central finite differences of the
// forward pass (every activation with a tangent rule, conditional and output-scaled variants), gradient
// checks of the Hyvärinen and denoising losses with respect to the parameters (the Hyvärinen one goes
// through φ'' via the tangent ops), exact parameter counts, and one-line errors for bad input.
using ProbLab.Models.Diffusion;
using ProbLab.Nn;
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Tests.Models.Diffusion;

public class ScoreNetTests
{
    [Theory]
    [InlineData(Activation.Tanh, 2, 0, 0, 0)]
    [InlineData(Activation.Silu, 2, 4, 0, 0)]
    [InlineData(Activation.Softplus, 3, 0, 0, 0)]
    [InlineData(Activation.Sigmoid, 2, 0, 3, 0)]
    [InlineData(Activation.Tanh, 3, 2, 4, 0)]
    [InlineData(Activation.Tanh, 2, 0, 0, 4)]
    [InlineData(Activation.Silu, 3, 2, 3, 3)]
    public void DivergenceMatchesFiniteDifferences(Activation act, int dim, int timeFeatures, int classes, int spaceFeatures)
    {
        var net = new ScoreNet(new ScoreNetConfig { Dim = dim, Hidden = [16, 12], Activation = act, TimeFeatures = timeFeatures, Classes = classes, ClassEmbedding = 5,
            SpaceFeatures = spaceFeatures, MaxFrequency = 8 }, new Rng(1), t => 1 / (0.3 + t));
        var rng = new Rng(2);
        const int n = 7;
        var x = Tensor.RandN(rng, [n, dim]);
        var t = Enumerable.Range(0, n).Select(i => 0.1 + 0.12 * i).ToArray();
        int[]? labels = classes > 0 ? Enumerable.Range(0, n).Select(i => i % (classes + 1)).ToArray() : null;
        var (score, div) = net.ForwardWithDivergence(x, t, labels);
        Check.Close(net.Forward(x, t, labels), score, atol: 1e-6, name: "score from both passes");
        // ∇·s = Σ_j ∂s_j/∂x_j by central differences in float32. The truncation error h²/6·s''' grows like
        // ω³ with sinusoid features (ω ≤ 8 here) and rounding like 6e-8·|s|/h: h = 2e-3 keeps both ≲ 5e-4.
        const float h = 2e-3f;
        for (int i = 0; i < n; i++)
        {
            double fd = 0;
            for (int j = 0; j < dim; j++)
            {
                var xp = x.Clone(); xp.Data[i * dim + j] += h;
                var xm = x.Clone(); xm.Data[i * dim + j] -= h;
                fd += (net.Forward(xp, t, labels).Data[i * dim + j] - (double)net.Forward(xm, t, labels).Data[i * dim + j]) / (2 * h);
            }
            Check.Close(fd, div.Data[i], atol: 3e-3, rtol: 1e-2, name: $"{act} div row {i}");
        }
    }

    [Fact]
    public void MlpJacobianMatchesFiniteDifferencesForEveryEntry()
    {
        var mlp = new Mlp([5, 9, 7, 3], Activation.Tanh, new Rng(4));
        var u = Tensor.RandN(new Rng(5), [4, 5]);
        var (y, jac) = mlp.ForwardWithJacobian(u, 3);                                     // (3, 4, 3)
        Assert.Equal([3, 4, 3], jac.Shape);
        Check.Close(mlp.Forward(u), y, atol: 1e-6, name: "output");
        const float h = 1e-2f;
        for (int j = 0; j < 3; j++)
            for (int n = 0; n < 4; n++)
            {
                var up = u.Clone(); up.Data[n * 5 + j] += h;
                var um = u.Clone(); um.Data[n * 5 + j] -= h;
                var yp = mlp.Forward(up); var ym = mlp.Forward(um);
                for (int o = 0; o < 3; o++)
                    Check.Close((yp.Data[n * 3 + o] - (double)ym.Data[n * 3 + o]) / (2 * h), jac.Data[(j * 4 + n) * 3 + o], atol: 2e-3, rtol: 1e-2, name: $"J[{j},{n},{o}]");
            }
        // A single Linear layer: the Jacobian is W[:, j] in every row.
        var lin = new Mlp([4, 2], Activation.Tanh, new Rng(6));
        var (_, j1) = lin.ForwardWithJacobian(Tensor.RandN(new Rng(7), [3, 4]), 2);
        Assert.Equal([2, 3, 2], j1.Shape);
        Check.Close(lin.Layers[0].Weight[1, 0], j1[0, 2, 1], atol: 0, name: "∂y1/∂u0 = W[1, 0]");
    }

    [Theory]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Silu)]
    public void HyvarinenLossGradientMatchesFiniteDifferences(Activation act)
    {
        var net = new ScoreNet(new ScoreNetConfig { Hidden = [6, 5], Activation = act, Classes = 2, ClassEmbedding = 3, SpaceFeatures = 2, MaxFrequency = 4 },
            new Rng(3), t => 1 / (0.2 + t));
        var x = Tensor.RandN(new Rng(4), [5, 2]);
        double[] t = [0.1, 0.3, 0.5, 0.7, 0.9];
        double[] w = [1, 0.5, 2, 1, 0.3];
        int[] labels = [0, 1, 2, 0, 2];
        var ps = net.Parameters().ToArray();
        GradCheck.Run(_ => ScoreMatching.HyvarinenLoss(net, x, t, w, labels), ps, eps: 1e-2, atol: 2e-3, rtol: 2e-2, name: $"hyvärinen {act}");
    }

    [Fact]
    public void DenoisingLossGradientMatchesFiniteDifferences()
    {
        var sde = new VpSde();
        var net = new ScoreNet(new ScoreNetConfig { Hidden = [6, 5], TimeFeatures = 2 }, new Rng(3));
        var rng = new Rng(9);
        double[] t = [0.05, 0.3, 0.6, 0.95];
        var (xt, eps) = sde.Perturb(Tensor.RandN(rng, [4, 2]), t, rng);
        var w = ScoreMatching.Weights(sde, t, ScoreWeighting.NoiseVariance);
        GradCheck.Run(_ => ScoreMatching.DenoisingLoss(net, sde, xt, eps, t, w), net.Parameters().ToArray(), eps: 1e-2, atol: 2e-3, rtol: 2e-2, name: "dsm");
    }

    [Fact]
    public void HyvarinenObjectiveEqualsFisherDivergenceMinusScoreEnergy()
    {
        // Integration by parts (Hyvärinen 2005, Thm 1): for x ~ N(0, I), ∇log p = −x and
        //   E[½‖s‖² + ∇·s] = ½E‖s + x‖² − ½E‖x‖²   for any smooth s (Stein's identity E[∇·s + s·x] = 0).
        // Checked for a random net with 20 000 draws: the per-sample difference ∇·s + s·x has std ≈ 1, so the
        // Monte Carlo error is ≈ 0.01; a wrong divergence (e.g. a missing layer factor) shifts it by O(1).
        var net = new ScoreNet(new ScoreNetConfig { Hidden = [16, 16] }, new Rng(1));
        const int n = 20_000;
        var x = Tensor.RandN(new Rng(2), [n, 2]);
        var t = Enumerable.Repeat(0.5, n).ToArray();
        using var _ = NoGrad.Scope();
        double lhs = ScoreMatching.HyvarinenTerms(net, x, t).Data.Average(v => (double)v);
        var s = net.Forward(x, t);
        var trueScore = x.Mul(-1f);
        var ones = Enumerable.Repeat(1.0, n).ToArray();
        double rhs = ScoreMatching.FisherDivergence(s, trueScore, ones) + ScoreMatching.HyvarinenOptimum(trueScore, ones);
        Check.Close(rhs, lhs, atol: 0.04, name: "Hyvärinen objective vs Fisher divergence − ½E‖x‖²");
    }

    [Fact]
    public void ParameterCountsAreExact()
    {
        // [x1, x2, t] → 128 → 128 → 128 → 2: (3·128 + 128) + 2·(128·128 + 128) + (128·2 + 2) = 33 794.
        Assert.Equal(33_794, new ScoreNet(new ScoreNetConfig(), new Rng(1)).ParameterCount());
        // Conditional, 10 classes + ∅, embedding 16, 4 time features: input 2 + 1 + 4 + 16 = 23.
        var cond = new ScoreNet(new ScoreNetConfig { Hidden = [64, 64], TimeFeatures = 4, Classes = 10, ClassEmbedding = 16 }, new Rng(1));
        Assert.Equal((23 * 64 + 64) + (64 * 64 + 64) + (64 * 2 + 2) + 11 * 16, cond.ParameterCount());
        // Space features add 2·F·D inputs: F = 8 on 2-D → 32 more columns of the first layer.
        Assert.Equal(33_794 + 32 * 128, new ScoreNet(new ScoreNetConfig { SpaceFeatures = 8 }, new Rng(1)).ParameterCount());
        Assert.Equal(["mlp.0.weight", "mlp.0.bias", "mlp.1.weight", "mlp.1.bias", "mlp.2.weight", "mlp.2.bias", "class_embedding.weight"],
            cond.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void BadNetInputGivesOneLineErrors()
    {
        var net = new ScoreNet(new ScoreNetConfig { Hidden = [4], Classes = 3 }, new Rng(1));
        var x = Tensor.Zeros(2, 2);
        MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => net.Forward(x, [0.1, 0.2], [0, 4])));
        MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => net.Forward(Tensor.Zeros(2, 3), 0.5)));
        MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => net.Forward(x, [0.1])));
        MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => new ScoreNet(new ScoreNetConfig { TimeFeatures = 3 }, new Rng(1))));
        MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => new ScoreNet(new ScoreNetConfig { Hidden = [] }, new Rng(1))));
        var gelu = new ScoreNet(new ScoreNetConfig { Hidden = [4], Activation = Activation.Gelu }, new Rng(1));
        var e = Assert.ThrowsAny<ArgumentException>(() => gelu.ForwardWithDivergence(x, [0.1, 0.2]));
        Assert.Contains("no tangent rule", e.Message);
        var plain = new ScoreNet(new ScoreNetConfig { Hidden = [4] }, new Rng(1));
        MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => plain.Forward(x, 0.5, [0, 1])));
    }
}
