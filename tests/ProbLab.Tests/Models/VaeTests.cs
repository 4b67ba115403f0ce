// VAE: exact parameter count, shapes, ELBO terms against their definitions, reparameterised gradients of
// the whole network against finite differences (fixed noise), a tiny VAE overfitting a handful of images,
// checkpoints (round trip, wrong latent size → one-line error) and bad input.
using ProbLab.Kernels;
using ProbLab.Models;
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Tests.Models;

public class VaeTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "problab-vae-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }

    /// <summary>n binary "images" of side×side pixels: each a random bar pattern (distinct, deterministic).</summary>
    internal static Tensor BarImages(int n, int side, Rng rng)
    {
        var x = Tensor.Zeros(n, side * side);
        for (int i = 0; i < n; i++)
        {
            bool vertical = i % 2 == 0;
            int bar = rng.NextInt(side), width = 1 + rng.NextInt(2);
            for (int r = 0; r < side; r++)
                for (int c = 0; c < side; c++)
                {
                    int along = vertical ? c : r;
                    if (along >= bar && along < bar + width) x[i, r * side + c] = 1f;
                }
        }
        return x;
    }

    [Fact]
    public void ParameterCountAndShapesMatchTheExamNetwork()
    {
        var vae = new Vae(new VaeConfig(), new Rng(0));
        // enc 784·400+400, mu and logvar 2·(400·2+2), dec 2·400+400, out 400·784+784
        Assert.Equal(314_000 + 1_604 + 1_200 + 314_384, vae.ParameterCount());
        Assert.Equal(new[] { "enc.weight", "enc.bias", "mu.weight", "mu.bias", "logvar.weight", "logvar.bias", "dec.weight", "dec.bias", "out.weight", "out.bias" },
            vae.NamedParameters().Select(p => p.Name));
        var x = Tensor.Rand(new Rng(1), new[] { 3, 784 });
        var (mu, lv) = vae.Encode(x);
        Assert.Equal(new[] { 3, 2 }, mu.Shape);
        Assert.Equal(new[] { 3, 2 }, lv.Shape);
        Assert.Equal(new[] { 3, 784 }, vae.Decode(mu).Shape);
        Assert.Equal(new[] { 5, 784 }, vae.Sample(5, new Rng(2)).Shape);
        var (grid, coords) = vae.DecodeGrid(4);
        Assert.Equal(new[] { 16, 784 }, grid.Shape);
        Check.Close(-coords[0], coords[3], 1e-6, 0, "grid symmetric");
        Assert.All(vae.Reconstruct(x).Data, p => Assert.InRange(p, 0f, 1f));
    }

    [Fact]
    public void ElboTermsMatchTheirDefinitions()
    {
        var vae = new Vae(new VaeConfig(12, 7, 3), new Rng(4));
        var x = Tensor.Rand(new Rng(6), new[] { 4, 12 });
        var e = vae.Elbo(x, new Rng(9));
        // Recompute by hand with the same noise: z = μ + e^{lv/2}ε, recon = Σ BCE, KL = −½ Σ (1 + lv − μ² − e^lv).
        var (mu, lv) = vae.Encode(x);
        var eps = Tensor.RandN(new Rng(9), mu.Shape);
        double kl = 0;
        var z = Tensor.ZerosLike(mu);
        for (int i = 0; i < mu.Size; i++)
        {
            kl += -0.5 * (1 + lv.Data[i] - mu.Data[i] * mu.Data[i] - Math.Exp(lv.Data[i]));
            z.Data[i] = (float)(mu.Data[i] + Math.Exp(0.5 * lv.Data[i]) * eps.Data[i]);
        }
        var p = vae.DecodeProbs(z);
        double recon = 0;
        for (int i = 0; i < x.Size; i++) recon -= x.Data[i] * Math.Log(p.Data[i]) + (1 - x.Data[i]) * Math.Log(1 - p.Data[i]);
        Check.Close(kl, e.Kl, 1e-5, 1e-5, "KL");
        Check.Close(recon, e.Recon, 1e-4, 1e-5, "recon");
        Check.Close(recon + kl, e.Loss.Item(), 1e-4, 1e-5, "loss");
        Check.Close((recon + kl) / 4, e.NegElboPerImage, 1e-4, 1e-5, "per image");
    }

    [Fact]
    public void ReparameterisedElboGradientsMatchFiniteDifferences()
    {
        // Fixed noise: the same Rng seed gives the same ε in every evaluation, so −ELBO is a deterministic
        // function of the weights and central differences check the whole backward pass.
        var vae = new Vae(new VaeConfig(6, 5, 2), new Rng(21));
        var x = Tensor.Rand(new Rng(22), new[] { 3, 6 });
        var ps = vae.Parameters().ToArray();
        GradCheck.Run(_ => vae.Elbo(x, new Rng(23)).Loss, ps, eps: 1e-3, atol: 1e-2, rtol: 2e-2, name: "vae elbo");
    }

    [Fact]
    public void TinyVaeOverfitsAHandfulOfImages()
    {
        var rng = new Rng(31);
        var x = BarImages(8, 6, rng); // (8, 36) binary
        var vae = new Vae(new VaeConfig(36, 64, 2), rng);
        var before = VaeTrainer.Evaluate(vae, x, new Rng(1));
        var history = VaeTrainer.Fit(vae, x, null, new VaeTrainOptions { Epochs = 600, BatchSize = 8, LearningRate = 1e-2f }, rng);
        var after = VaeTrainer.Evaluate(vae, x, new Rng(1));
        Assert.Equal(600, history.Steps.Count);
        Check.Close(0, after.Recon, 2.0, 0, "reconstruction nats per image after overfitting");
        Assert.True(after.NegElbo < 0.25 * before.NegElbo, $"−ELBO {after.NegElbo:F2} did not drop below a quarter of {before.NegElbo:F2}");
        // Deterministic reconstructions round to the training images.
        var rec = vae.Reconstruct(x);
        int wrong = 0;
        for (int i = 0; i < x.Size; i++) if ((rec.Data[i] > 0.5f ? 1f : 0f) != x.Data[i]) wrong++;
        Assert.True(wrong <= 2, $"{wrong} of {x.Size} reconstructed pixels are wrong");
    }

    [Fact]
    public void ImportanceWeightedBoundApproachesExactLikelihood()
    {
        // With a 1-D latent, log p(x) = log ∫ p(x|z) N(z; 0, 1) dz is a 1-D integral (Simpson on [−10, 10]).
        // The ELBO lies below it, and the importance-weighted estimate with many samples comes close.
        var rng = new Rng(51);
        var x = BarImages(3, 3, rng);                     // (3, 9); images 0 and 2 coincide
        var vae = new Vae(new VaeConfig(9, 16, 1), rng);
        VaeTrainer.Fit(vae, x, null, new VaeTrainOptions { Epochs = 40, BatchSize = 3, LearningRate = 1e-2f }, rng);
        double exact = 0;
        var (mu, logVar) = vae.Encode(x);
        for (int i = 0; i < 3; i++)
        {
            var xi = x.Slice(0, i, 1);
            double Integrand(double z)
            {
                var logits = vae.Decode(Tensor.FromArray(new[] { (float)z }, 1, 1));
                double logPx = -LatentKernelsNaive.BceWithLogits(logits.Data, xi.Data);
                return Math.Exp(logPx - 0.5 * z * z) / Math.Sqrt(2 * Math.PI);
            }
            // The posterior can be very narrow: integrate its window μ ± 50σ finely and the rest coarsely.
            double m = mu.Data[i], sd = Math.Exp(0.5 * logVar.Data[i]);
            double a = Math.Max(-10, m - 50 * sd), b = Math.Min(10, m + 50 * sd);
            exact += Math.Log(KlFit.Simpson(Integrand, -10, a, 2000) + KlFit.Simpson(Integrand, a, b, 4000) + KlFit.Simpson(Integrand, b, 10, 2000));
        }
        exact /= 3;
        // One-sample ELBOs scatter (±0.3 nats here); their mean over 400 draws is the ELBO to ≈ 0.01.
        double elboMean = Enumerable.Range(0, 400).Average(s => -VaeTrainer.Evaluate(vae, x, new Rng((ulong)s + 100)).NegElbo);
        double iwae = VaeTrainer.ImportanceWeightedLogLikelihood(vae, x, 5000, new Rng(2));
        Console.WriteLine($"IWAE test: exact {exact:F4}, ELBO {elboMean:F4}, IWAE(5000) {iwae:F4}");
        Assert.True(elboMean < exact + 0.03, $"ELBO {elboMean} should not exceed log p(x) {exact}");
        Check.Close(exact, iwae, 0.02, 0, "IWAE(K=5000) vs quadrature log p(x)");
        double k1 = Enumerable.Range(0, 400).Average(s => VaeTrainer.ImportanceWeightedLogLikelihood(vae, x, 1, new Rng((ulong)s + 100)));
        Check.Close(elboMean, k1, 0.05, 0, "K = 1 is the one-sample ELBO");
    }

    [Fact]
    public void CheckpointRoundTripAndLatentSizeMismatch()
    {
        var vae = new Vae(new VaeConfig(10, 8, 3), new Rng(41));
        vae.Save(_dir);
        var loaded = Vae.Load(_dir);
        Assert.Equal(vae.Config, loaded.Config);
        Assert.Equal(vae.Parameters().SelectMany(p => p.Data), loaded.Parameters().SelectMany(p => p.Data));

        var wrongLatent = new Vae(new VaeConfig(10, 8, 2), new Rng(0));
        var e = Assert.Throws<InvalidDataException>(() => wrongLatent.LoadWeights(_dir));
        Assert.Contains("latent size 3", e.Message);
        Assert.DoesNotContain('\n', e.Message);

        var wrongHidden = new Vae(new VaeConfig(10, 9, 3), new Rng(0));
        var e2 = Assert.Throws<InvalidDataException>(() => wrongHidden.LoadWeights(_dir));
        Assert.DoesNotContain('\n', e2.Message);
    }

    [Fact]
    public void NonVaeCheckpointAndMissingFolderAreOneLineErrors()
    {
        var mlp = new ProbLab.Nn.Mlp(new[] { 2, 3 }, ProbLab.Nn.Activation.Relu, new Rng(0));
        ProbLab.Checkpoints.Checkpoint.Save(_dir, mlp, null, new ProbLab.Checkpoints.TrainingState());
        var e = Assert.Throws<InvalidDataException>(() => Vae.Load(_dir));
        Assert.Contains("not a VAE checkpoint", e.Message);
        Assert.Throws<FileNotFoundException>(() => Vae.Load(_dir + "-missing"));
    }

    [Fact]
    public void BadInputIsRejectedWithOneLineMessages()
    {
        var vae = new Vae(new VaeConfig(4, 3, 2), new Rng(0));
        var nan = Tensor.FromArray(new[] { 0f, 1f, float.NaN, 0.5f }, 1, 4);
        var e = Assert.Throws<ArgumentException>(() => VaeTrainer.Fit(vae, nan, null, new VaeTrainOptions { Epochs = 1 }, new Rng(0)));
        Assert.Contains("row 0, column 2", e.Message);
        Assert.Throws<ArgumentException>(() => VaeTrainer.Fit(vae, Tensor.Full(2f, 1, 4), null, new VaeTrainOptions(), new Rng(0)));
        Assert.Throws<ArgumentException>(() => vae.Encode(Tensor.Zeros(2, 5)));
        Assert.Throws<ArgumentException>(() => vae.Decode(Tensor.Zeros(2, 3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Vae(new VaeConfig(Latent: 0), new Rng(0)));
        var o = Assert.Throws<ArgumentOutOfRangeException>(() => new VaeTrainOptions { BatchSize = 0 }.Validate());
        Assert.Contains("BatchSize", o.Message);
    }

    [Fact]
    public void GoldenLossSequence()
    {
        // Ten Adam steps of a tiny VAE at a fixed seed, recorded from our own run (regression guard; regenerate
        // only deliberately, saying why in the commit message).
        var rng = new Rng(2024);
        var x = BarImages(6, 4, rng);
        var vae = new Vae(new VaeConfig(16, 8, 2), rng);
        var h = VaeTrainer.Fit(vae, x, null, new VaeTrainOptions { Epochs = 10, BatchSize = 6, LearningRate = 1e-2f }, rng);
        double[] expected = { 11.2478, 11.0502, 11.3803, 10.8661, 10.8086, 10.7308, 10.7184, 10.5293, 10.7595, 10.4225 };
        var actual = h.Steps.Select(s => s.NegElbo).ToArray();
        Check.Close(expected, actual, 1e-2, 1e-3, "−ELBO per step");
    }

    [Fact]
    public void TrainingIsDeterministicForASeed()
    {
        float[] Run()
        {
            var rng = new Rng(77);
            var x = BarImages(6, 4, rng);
            var vae = new Vae(new VaeConfig(16, 8, 2), rng);
            VaeTrainer.Fit(vae, x, null, new VaeTrainOptions { Epochs = 3, BatchSize = 4 }, rng);
            return vae.Parameters().SelectMany(p => p.Data).ToArray();
        }
        Assert.Equal(Run(), Run());
    }
}
