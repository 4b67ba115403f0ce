// Latent diffusion and classifier-free guidance on synthetic class-conditional "latents": four overlapping
// Gaussian classes in 2-D, shifted and scaled away from unit scale (so standardisation matters). Checks:
// the guidance formula with exact scores sharpens classes; a learned conditional net with guidance produces
// the requested class (nearest class mean); unconditional latent diffusion reproduces the class blobs and
// decodes through any function; bad input (w < 0, unfitted, wrong widths) → one-line errors.
using ProbLab.Models.Diffusion;
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Tests.Models.Diffusion;

public class GuidanceTests
{
    // Class centres in standardised-looking units, then the "encoder" map z = 3·c + (5, −2).
    private static readonly double[,] Centres = { { -1, -1 }, { 1, -1 }, { -1, 1 }, { 1, 1 } };
    private const double Spread = 0.45;

    private static (Tensor Z, int[] Labels) Latents(int n, Rng rng)
    {
        var z = Tensor.Zeros(n, 2);
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            int c = i % 4;
            y[i] = c;
            z.Data[2 * i] = (float)(3 * (Centres[c, 0] + Spread * rng.Normal()) + 5);
            z.Data[2 * i + 1] = (float)(3 * (Centres[c, 1] + Spread * rng.Normal()) - 2);
        }
        return (z, y);
    }

    // Fraction of rows whose nearest class centre (in the latent map) is the requested label.
    private static double NearestMeanAccuracy(Tensor z, int[] labels)
    {
        int hits = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            int best = -1;
            double bd = double.PositiveInfinity;
            for (int c = 0; c < 4; c++)
            {
                double dx = z.Data[2 * i] - (3 * Centres[c, 0] + 5), dy = z.Data[2 * i + 1] - (3 * Centres[c, 1] - 2);
                if (dx * dx + dy * dy < bd) { bd = dx * dx + dy * dy; best = c; }
            }
            if (best == labels[i]) hits++;
        }
        return (double)hits / labels.Length;
    }

    [Fact]
    public void GuidanceWithExactScoresSharpensTheRequestedClass()
    {
        // Exact scores in centre units: class c diffuses as a single Gaussian, the marginal as the 4-mixture.
        // Without guidance, nearest-mean accuracy is P(both coordinates on the right side) = Φ(1/0.45)² ≈ 0.97;
        // with w = 4 the extra push away from the other classes must raise it (to ≈ 1).
        var sde = new VpSde(0.1, 12, 200);
        var all = new IsotropicMixture(Centres, Spread);
        var classes = Enumerable.Range(0, 4).Select(c => new IsotropicMixture(new[,] { { Centres[c, 0], Centres[c, 1] } }, Spread)).ToArray();
        int[] labels = Enumerable.Range(0, 400).Select(i => i % 4).ToArray();
        ScoreFunction conditional = (x, t) =>
        {
            var s = Tensor.Zeros(x.Shape);
            for (int i = 0; i < labels.Length; i++)
            {
                var row = sde.Marginal(classes[labels[i]], t).Score(new Tensor([x.Data[2 * i], x.Data[2 * i + 1]], 1, 2));
                s.Data[2 * i] = row.Data[0];
                s.Data[2 * i + 1] = row.Data[1];
            }
            return s;
        };
        double Accuracy(double w)
        {
            var x = sde.Sample(ClassifierFreeGuidance.Combine(conditional, sde.ExactScore(all), w), 400, 2, new Rng(5)).Final;
            return NearestMeanAccuracy(new LatentStandardizer([5, -2], [3, 3]).Inverse(x), labels);
        }
        double plain = Accuracy(0), guided = Accuracy(4);
        Assert.True(plain > 0.9, $"w = 0 accuracy {plain:F3}");
        Assert.True(guided > plain && guided > 0.98, $"w = 4 accuracy {guided:F3} vs w = 0 {plain:F3}");
    }

    [Fact]
    public void LearnedGuidanceProducesTheRequestedClass()
    {
        // A conditional net trained for 400 steps on 2000 latents; guided samples (default w = 7.5)
        // must land nearest to the requested class mean for ≥ 90% of rows overall and ≥ 80% per class.
        var (z, y) = Latents(2000, new Rng(1));
        var sde = new VpSde(0.1, 12, 100);
        var net = new ScoreNet(new ScoreNetConfig { Hidden = [32, 32], Classes = 4, ClassEmbedding = 8 }, new Rng(2), sde.InverseSigma);
        var model = new LatentDiffusion(sde, net);
        var opts = new ScoreTrainingOptions { Objective = ScoreObjective.Denoising, Weighting = ScoreWeighting.NoiseVariance, Steps = 400, BatchSize = 128, LearningRate = 5e-3f };
        model.Fit(z, y, opts, new Rng(3));
        int[] want = Enumerable.Range(0, 200).Select(i => i % 4).ToArray();
        var samples = model.SampleLatents(200, new Rng(4), want);
        Assert.Equal([200, 2], samples.Shape);
        Check.Finite(samples.Data, "guided latents");
        Assert.True(NearestMeanAccuracy(samples, want) >= 0.9, $"accuracy {NearestMeanAccuracy(samples, want):F3}");
        for (int c = 0; c < 4; c++)
        {
            var rows = Enumerable.Range(0, 200).Where(i => want[i] == c).ToArray();
            var sub = new Tensor(rows.SelectMany(i => new[] { samples.Data[2 * i], samples.Data[2 * i + 1] }).ToArray(), rows.Length, 2);
            Assert.True(NearestMeanAccuracy(sub, rows.Select(_ => c).ToArray()) >= 0.8, $"class {c}");
        }
    }

    [Fact]
    public void UnconditionalLatentDiffusionReproducesTheBlobsAndDecodes()
    {
        // A sample is "on a blob" if it lies within 2.45 latent σ (3·0.45 per axis) of its nearest class centre:
        // a 2-D Gaussian puts 1 − e^{−2.45²/2} = 95% of its mass there. Require ≥ 85% of 300 samples (the
        // binomial sd is 1.3%) and every class ≥ 15% of them (25% expected: no collapse onto a few blobs).
        var (z, y) = Latents(2000, new Rng(1));
        var sde = new VpSde(0.1, 12, 100);
        var net = new ScoreNet(new ScoreNetConfig { Hidden = [64, 64] }, new Rng(2), sde.InverseSigma);
        var model = new LatentDiffusion(sde, net);
        model.Fit(z, null, new ScoreTrainingOptions { Objective = ScoreObjective.Denoising, Weighting = ScoreWeighting.NoiseVariance, Steps = 400, BatchSize = 128 }, new Rng(3));
        Check.Close(5, model.Standardizer!.Mean[0], atol: 0.2, name: "latent mean");
        var x = model.Generate(300, zz => zz.Mul(2f), new Rng(4));                      // "decoder": doubles the latent
        Assert.Equal([300, 2], x.Shape);
        var zs = x.Mul(0.5f);
        int near = 0;
        var counts = new int[4];
        for (int i = 0; i < 300; i++)
        {
            double bd = double.PositiveInfinity; int best = 0;
            for (int c = 0; c < 4; c++)
            {
                double dx = zs.Data[2 * i] - (3 * Centres[c, 0] + 5), dy = zs.Data[2 * i + 1] - (3 * Centres[c, 1] - 2), d = Math.Sqrt(dx * dx + dy * dy);
                if (d < bd) { bd = d; best = c; }
            }
            counts[best]++;
            if (bd < 3 * Spread * 2.45) near++;                                            // 2.45σ radius holds 95% of a 2-D Gaussian
        }
        Assert.True(near >= 255, $"{near}/300 samples near a class centre");
        Assert.All(counts, c => Assert.True(c >= 45, $"class counts {string.Join(",", counts)}"));
    }

    [Fact]
    public void StandardizerRoundTripsAndRejectsConstantColumns()
    {
        var (z, _) = Latents(100, new Rng(1));
        var s = LatentStandardizer.Fit(z);
        var u = s.Transform(z);
        Check.Close(0, u.Data.Where((_, i) => i % 2 == 0).Average(v => (double)v), atol: 1e-5, name: "standardised mean");
        Check.Close(1, u.Data.Where((_, i) => i % 2 == 1).Average(v => (double)v * v), atol: 1e-4, name: "standardised variance");
        Check.Close(z, s.Inverse(u), atol: 1e-4, name: "round trip");
        var constant = Tensor.Zeros(10, 2);
        for (int i = 0; i < 10; i++) constant.Data[2 * i] = i;
        var e = Assert.ThrowsAny<ArgumentException>(() => LatentStandardizer.Fit(constant));
        Assert.Contains("dimension 1", e.Message);
        MixtureTests.AssertOneLine(e);
    }

    [Fact]
    public void BadGuidanceInputGivesOneLineErrors()
    {
        var sde = new VpSde(0.1, 12, 10);
        var cond = new ScoreNet(new ScoreNetConfig { Hidden = [4], Classes = 3 }, new Rng(1));
        var e = Assert.ThrowsAny<ArgumentException>(() => ClassifierFreeGuidance.Score(cond, [0, 1], -0.5));
        Assert.Contains("w must be", e.Message);
        MixtureTests.AssertOneLine(e);
        MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => ClassifierFreeGuidance.Score(cond, [3], 1)));
        MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => ClassifierFreeGuidance.Score(new ScoreNet(new ScoreNetConfig { Hidden = [4] }, new Rng(1)), [0], 1)));
        MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => ClassifierFreeGuidance.Combine((x, t) => x, (x, t) => x, double.NaN)));
        var model = new LatentDiffusion(sde, cond);
        MixtureTests.AssertOneLine(Assert.Throws<InvalidOperationException>(() => model.SampleLatents(2, new Rng(1))));
        MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => model.Fit(Tensor.Zeros(5, 3), [0, 1, 2, 0, 1], new ScoreTrainingOptions { Steps = 1 }, new Rng(1))));
        MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => model.Fit(Tensor.Zeros(5, 2), null, new ScoreTrainingOptions { Steps = 1 }, new Rng(1))));
        var (z, y) = Latents(20, new Rng(1));
        model.Fit(z, y.Select(v => v % 3).ToArray(), new ScoreTrainingOptions { Steps = 1 }, new Rng(1));
        MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => model.SampleLatents(2, new Rng(1), [0, 1], guidance: -1)));
    }
}
