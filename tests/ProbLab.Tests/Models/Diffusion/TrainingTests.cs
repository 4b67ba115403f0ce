// Learned scores: short Hyvärinen and denoising runs on the spiral must reach a loss/Fisher divergence
// below thresholds derived from the exact score (see each test), and the trainer rejects bad options.
//
// Why the thresholds: with weights λ(t), the Hyvärinen objective is J(θ) = F(θ) + J*, where
// F = ½E λ‖s_θ − ∇log p_t‖² ≥ 0 is the Fisher divergence and J* = −½E λ‖∇log p_t‖² < 0 its optimum.
// The zero score has J = 0 and F = −J*. "J below ½J*" therefore means the net removed more than half of
// the zero score's Fisher divergence. Both sides are evaluated on the same fixed batch (exact score known).
using ProbLab.Models.Diffusion;
using ProbLab.Tensors;

namespace ProbLab.Tests.Models.Diffusion;

public class TrainingTests
{
    private static readonly SpiralMixture Spiral = new();

    private static (Tensor Xt, double[] T, double[] W, Tensor TrueScore) EvalBatch(VpSde sde, int n, ulong seed)
    {
        var rng = new Rng(seed);
        var t = ScoreMatching.SampleTimes(sde, n, rng);
        var (xt, _) = sde.Perturb(Spiral.Sample(n, rng).X, t, rng);
        var truth = Tensor.Zeros(n, 2);
        for (int i = 0; i < n; i++)
        {
            var s = sde.Marginal(Spiral, t[i]).Score(new Tensor([xt.Data[2 * i], xt.Data[2 * i + 1]], 1, 2));
            truth.Data[2 * i] = s.Data[0];
            truth.Data[2 * i + 1] = s.Data[1];
        }
        return (xt, t, ScoreMatching.Weights(sde, t, ScoreWeighting.NoiseVariance), truth);
    }

    [Fact]
    public void HyvarinenTrainingReachesHalfTheOptimum()
    {
        var sde = new VpSde();
        var net = new ScoreNet(new ScoreNetConfig { Hidden = [32, 32] }, new Rng(1));
        var opts = new ScoreTrainingOptions { Objective = ScoreObjective.Hyvarinen, Weighting = ScoreWeighting.NoiseVariance, Steps = 300, BatchSize = 64, LearningRate = 5e-3f };
        var hist = ScoreTrainer.Train(net, sde, (n, r) => (Spiral.Sample(n, r).X, null), opts, new Rng(2));
        Assert.Equal(300, hist.Loss.Length);
        var (xt, t, w, truth) = EvalBatch(sde, 3000, 3);
        double optimum = ScoreMatching.HyvarinenOptimum(truth, w);                          // ≈ −0.7
        double loss;
        using (NoGrad.Scope()) loss = ScoreMatching.HyvarinenLoss(net, xt, t, w).Item();
        Assert.True(optimum < -0.5, $"J* = {optimum:F3}");
        Assert.True(loss < 0.5 * optimum, $"Hyvärinen loss {loss:F4} is not below half the optimum {optimum:F4}");
        // The same statement through the Fisher divergence, computed directly from the exact score.
        double fisher;
        using (NoGrad.Scope()) fisher = ScoreMatching.FisherDivergence(net.Forward(xt, t), truth, w);
        Assert.True(fisher < -0.5 * optimum, $"Fisher divergence {fisher:F4} vs score energy {-optimum:F4}");
    }

    [Fact]
    public void DenoisingTrainingHalvesTheFisherDivergence()
    {
        var sde = new VpSde();
        var net = new ScoreNet(new ScoreNetConfig { Hidden = [32, 32] }, new Rng(1), outputScale: sde.InverseSigma);
        var opts = new ScoreTrainingOptions { Objective = ScoreObjective.Denoising, Weighting = ScoreWeighting.NoiseVariance, Steps = 300, BatchSize = 64, LearningRate = 5e-3f };
        ScoreTrainer.Train(net, sde, (n, r) => (Spiral.Sample(n, r).X, null), opts, new Rng(2));
        var (xt, t, w, truth) = EvalBatch(sde, 3000, 3);
        double energy = -ScoreMatching.HyvarinenOptimum(truth, w), fisher;
        using (NoGrad.Scope()) fisher = ScoreMatching.FisherDivergence(net.Forward(xt, t), truth, w);
        Assert.True(fisher < 0.5 * energy, $"Fisher divergence {fisher:F4} vs score energy {energy:F4}");
    }

    [Fact]
    public void TrainingIsDeterministicForASeed()
    {
        var sde = new VpSde(0.1, 12, 100);
        double[] Run()
        {
            var net = new ScoreNet(new ScoreNetConfig { Hidden = [8] }, new Rng(1));
            var opts = new ScoreTrainingOptions { Steps = 5, BatchSize = 16 };
            return ScoreTrainer.Train(net, sde, (n, r) => (Spiral.Sample(n, r).X, null), opts, new Rng(2)).Loss;
        }
        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void BadTrainingInputGivesOneLineErrors()
    {
        var sde = new VpSde();
        var net = new ScoreNet(new ScoreNetConfig { Hidden = [4] }, new Rng(1));
        DataSampler data = (n, r) => (Spiral.Sample(n, r).X, null);
        MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => ScoreTrainer.Train(net, sde, data, new ScoreTrainingOptions { Steps = 0 }, new Rng(1))));
        MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => ScoreTrainer.Train(net, sde, data, new ScoreTrainingOptions { PUncond = 1.5 }, new Rng(1))));
        MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => ScoreTrainer.Train(net, sde, (n, r) => (Tensor.Zeros(n, 3), null), new ScoreTrainingOptions { Steps = 1 }, new Rng(1))));
        var cond = new ScoreNet(new ScoreNetConfig { Hidden = [4], Classes = 2 }, new Rng(1));
        MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => ScoreTrainer.Train(cond, sde, data, new ScoreTrainingOptions { Steps = 1 }, new Rng(1))));
        MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => ScoreTrainer.Rows(Tensor.Zeros(3, 2), [0, 1])));
    }
}
