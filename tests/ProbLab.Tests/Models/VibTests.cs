// VIB: loss = CE + β·KL term by term, which parameters each term reaches (Q3(b): the KL reaches only the
// encoder), a small bottleneck classifier learning separable synthetic classes, collapse to the prior at
// large β, and bad input.
using ProbLab.Models;
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Tests.Models;

public class VibTests
{
    // Four Gaussian blobs in 8-D (class c centred at 3·e_c), n per class.
    private static LabelledData Blobs(int perClass, Rng rng)
    {
        int n = 4 * perClass;
        var x = Tensor.RandN(rng, new[] { n, 8 }, 0f, 0.5f);
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % 4;
            x[i, y[i]] += 3f;
        }
        return new LabelledData(x, y);
    }

    private static readonly VibConfig Small = new(InputSize: 8, Hidden: 16, HiddenLayers: 1, Latent: 2, Classes: 4);

    [Fact]
    public void LossIsCrossEntropyPlusBetaTimesKl()
    {
        var vib = new Vib(Small, new Rng(1));
        var data = Blobs(3, new Rng(2));
        var l = vib.Loss(data.X, data.Labels, 0.37f, new Rng(3));
        var (mu, lv) = vib.Encode(data.X);
        double kl = 0;
        for (int i = 0; i < mu.Size; i++) kl += -0.5 * (1 + lv.Data[i] - mu.Data[i] * mu.Data[i] - Math.Exp(lv.Data[i]));
        kl /= data.Count;
        var z = mu.Reparameterize(lv, Tensor.RandN(new Rng(3), mu.Shape));
        double ce = vib.Decode(z).CrossEntropy(data.Labels).Item();
        Check.Close(kl, l.Kl, 1e-5, 1e-5, "KL per example");
        Check.Close(ce, l.CrossEntropy, 1e-5, 1e-5, "CE per example");
        Check.Close(ce + 0.37 * kl, l.Loss.Item(), 1e-5, 1e-5, "CE + β·KL");
        Check.Close(ce, vib.Loss(data.X, data.Labels, 0f, new Rng(3)).Loss.Item(), 1e-6, 1e-6, "β = 0 leaves CE");
    }

    [Fact]
    public void KlTermReachesOnlyTheEncoder()
    {
        // Q3(b): the regulariser depends on θ_e only; the task loss reaches both encoder and decoder.
        var vib = new Vib(Small, new Rng(4));
        var data = Blobs(2, new Rng(5));
        var (mu, lv) = vib.Encode(data.X);
        mu.GaussianKl(lv).Backward();
        foreach (var (name, p) in vib.NamedParameters())
        {
            double norm = p.Grad?.Sum(g => (double)g * g) ?? 0;
            if (name.StartsWith("decoder")) Check.Close(0, norm, 0, 0, $"KL gradient on {name}");
            else Assert.True(norm > 0, $"KL gradient on {name} is zero");
        }
        vib.ZeroGrad();
        vib.Loss(data.X, data.Labels, 0f, new Rng(6)).Loss.Backward();
        foreach (var (name, p) in vib.NamedParameters())
            Assert.True(p.Grad!.Sum(g => (double)g * g) > 0, $"task-loss gradient on {name} is zero");
    }

    [Fact]
    public void LossGradientMatchesFiniteDifferences()
    {
        var vib = new Vib(Small with { Hidden = 5 }, new Rng(7));
        var data = Blobs(2, new Rng(8));
        GradCheck.Run(_ => vib.Loss(data.X, data.Labels, 0.5f, new Rng(9)).Loss, vib.Parameters().ToArray(), eps: 1e-3, atol: 5e-3, rtol: 2e-2, name: "vib loss");
    }

    [Fact]
    public void SmallBetaLearnsAndLargeBetaCollapsesToThePrior()
    {
        var train = Blobs(100, new Rng(10));
        var val = Blobs(50, new Rng(11));
        var options = new VibTrainOptions { Epochs = 15, BatchSize = 50, LearningRate = 1e-2f };
        var sweep = VibTrainer.Sweep(Small, new[] { 1e-3f, 100f }, train, val, null, options, new Rng(12), latentPoints: 40);
        Assert.Equal(2, sweep.Count);
        Assert.True(sweep[0].ValidationError < 0.05, $"β=1e-3 validation error {sweep[0].ValidationError}");
        Assert.True(sweep[0].ValidationKl > 1.0, $"β=1e-3 should carry information, KL {sweep[0].ValidationKl}");
        // β = 100: KL → 0, so z carries (almost) nothing about x and accuracy falls toward chance (75% error).
        Assert.True(sweep[1].ValidationKl < 0.05, $"β=100 KL {sweep[1].ValidationKl}");
        Assert.True(sweep[1].ValidationError > 0.5, $"β=100 validation error {sweep[1].ValidationError}");
        Assert.Equal(new[] { 40, 2 }, sweep[0].LatentMeans.Shape);
        Assert.Equal(15, sweep[0].Epochs.Count);
    }

    [Fact]
    public void LogSpacedBetasCoverTheQuestionsRange()
    {
        var b = VibTrainer.LogSpacedBetas();
        Assert.Equal(9, b.Length);
        Check.Close(1e-6, b[0], 1e-12, 1e-5, "first");
        Check.Close(100, b[^1], 0, 1e-6, "last");
    }

    [Fact]
    public void BadInputIsRejectedWithOneLineMessages()
    {
        var vib = new Vib(Small, new Rng(0));
        var data = Blobs(2, new Rng(1));
        var badLabels = new LabelledData(data.X, data.Labels.Select(l => l == 3 ? 7 : l).ToArray());
        var e = Assert.Throws<ArgumentException>(() => VibTrainer.Fit(vib, badLabels, data, new VibTrainOptions { Epochs = 1 }, new Rng(0)));
        Assert.Contains("outside [0, 4)", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Throws<ArgumentException>(() => vib.Loss(data.X, data.Labels, -1f, new Rng(0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VibTrainOptions { Beta = float.NaN }.Validate());
        Assert.Throws<ArgumentException>(() => VibTrainer.Sweep(Small, Array.Empty<float>(), data, data, null, new VibTrainOptions(), new Rng(0)));
    }
}
