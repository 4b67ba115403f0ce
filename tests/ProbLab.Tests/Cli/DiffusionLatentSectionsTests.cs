// The latent chapter's writers for latents other than 2-D: the 2-D view (identity for d = 2, principal axes for
// d > 2, none for d = 1), grids that show the first 10 samples per digit of a larger scored batch, and the
// wider-latent comparison section, on tiny synthetic studies (no MNIST, no VAE).
using ProbLab.Cli.Experiments;
using ProbLab.Models.Diffusion;
using ProbLab.Ops;
using ProbLab.Reports;
using ProbLab.Tensors;

namespace ProbLab.Tests.Cli;

public class DiffusionLatentSectionsTests
{
    // n latents of width d: class y = i % 3 at 4·y along axis 0 (and noise everywhere).
    private static (Tensor Z, int[] Y) Latents(int n, int d, Rng rng)
    {
        var z = Tensor.Zeros(n, d);
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % 3;
            for (int j = 0; j < d; j++) z.Data[i * d + j] = (float)((j == 0 ? 4 * y[i] : 0) + rng.Normal());
        }
        return (z, y);
    }

    private static readonly ScoreTrainingOptions Tiny = new() { Objective = ScoreObjective.Denoising, Weighting = ScoreWeighting.NoiseVariance, Steps = 20, BatchSize = 32, PUncond = 0.2 };

    private static LatentStudyConfig TinyStudy(int perClass) => new()
    {
        Steps = 20, Net = new ScoreNetConfig { Hidden = [8] }, Training = Tiny, ConditionalNet = new ScoreNetConfig { Hidden = [8], ClassEmbedding = 2 },
        ConditionalTraining = Tiny, GuidanceSweep = [0, 2], GridSamples = 4, LatentSamples = 30, PerClass = perClass,
    };

    // "Decoder": a 2×2 "image" per latent (the first coordinate, repeated); "classifier": round(x/4) clamped to 0..2.
    private static Tensor Decode(Tensor z)
    {
        int n = z.Shape[0], d = z.Shape[1];
        return new Tensor(Enumerable.Range(0, n).SelectMany(i => Enumerable.Repeat(z.Data[i * d], 4)).ToArray(), n, 4);
    }

    private static int[] Classify(Tensor x) => Enumerable.Range(0, x.Shape[0]).Select(i => (int)Math.Clamp(Math.Round(x.Data[i * 4] / 4), 0, 2)).ToArray();

    [Fact]
    public void ProjectionIsTheIdentityIn2DAndFindsTheLeadingAxisIn4D()
    {
        var (z2, _) = Latents(50, 2, new Rng(1));
        var id = LatentProjection.Fit(z2);
        var (x, y) = id.Apply(z2, 3);
        Check.Close(z2.Data[2], x[1], atol: 0, name: "identity x");
        Check.Close(z2.Data[5], y[2], atol: 0, name: "identity y");
        Assert.Equal("z₁", id.XLabel);
        // 4-D: the class offsets 0/4/8 along axis 0 dominate the variance (≈ 10.7 + 1 vs 1 elsewhere), so PC 1 ≈ ±e₀:
        // the projected x of a row is its centred first coordinate, up to sign.
        var (z4, _) = Latents(600, 4, new Rng(2));
        var pca = LatentProjection.Fit(z4);
        var (px, py) = pca.Apply(z4, 600);
        double mean0 = Enumerable.Range(0, 600).Average(i => (double)z4.Data[i * 4]);
        double corr = Enumerable.Range(0, 600).Sum(i => px[i] * (z4.Data[i * 4] - mean0)) /
                      Math.Sqrt(px.Sum(v => v * v) * Enumerable.Range(0, 600).Sum(i => Math.Pow(z4.Data[i * 4] - mean0, 2)));
        Assert.True(Math.Abs(corr) > 0.99, $"PC 1 vs axis 0 correlation {corr:F4}");
        Check.Close(0, py.Average(), atol: 1e-4, name: "centred PC 2");
        Assert.StartsWith("PC 1 (", pca.XLabel);
        Assert.False(LatentProjection.CanProject(1));
        ProbLab.Tests.Models.Diffusion.MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => LatentProjection.Fit(Tensor.Zeros(10, 1))));
        ProbLab.Tests.Models.Diffusion.MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => pca.Apply(z2, 1)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ChapterWritesForOneAndThreeDimensionalLatents(int d)
    {
        var (z, y) = Latents(240, d, new Rng(3));
        var r = LatentStudy.Run(TinyStudy(12), z, y, z.Slice(0, 0, 60), Decode, Classify, new Rng(4));
        var report = new Report("t");
        DiffusionLatentSections.Write(report.AddSection("latent"), r, z, y, 2, "encoder");
        string html = report.ToHtml();
        Assert.Contains("Guided samples, w = 7.5: row d holds the first 10 of the 12 samples", html);
        Assert.Contains("fraction of the 12 samples", html);
        if (d == 1) Assert.Contains("The latent is 1-D, so there is no latent scatter", html);
        else Assert.Contains("projected on the two leading principal axes", html);
    }

    [Fact]
    public void ComparisonShowsBothGridsAndPerDigitTables()
    {
        var (z2, y) = Latents(240, 2, new Rng(5));
        var (z5, _) = Latents(240, 5, new Rng(5));
        var narrow = LatentStudy.RunGuidance(TinyStudy(4), z2, y, Decode, Classify, new Rng(6));
        var wide = LatentStudy.RunGuidance(TinyStudy(4), z5, y, Decode, Classify, new Rng(7));
        Assert.Equal(5, wide.LatentDim);
        var report = new Report("t");
        DiffusionLatentComparison.Write(report.AddSection("compare"), new LatentSide(narrow, 150, [0.5, 0.6, 0.7], [0.8, 0.5, 0.95]), new LatentSide(wide, 120, [0.9, 0.95, 1], [0.97, 0.98, 0.99]), 10, 2);
        string html = report.ToHtml();
        foreach (string row in new[] { "d_z = 2: classifier agrees", "d_z = 5: classifier agrees", "d_z = 5: most common other", "d_z = 2: 10-NN accuracy of test encodings" })
            Assert.Contains(row, html);
        // The explanation names the two digits the classifier rejects most in d_z = 2 (ties: the smaller digit) and quotes their k-NN numbers.
        var worst = Enumerable.Range(0, 3).OrderBy(d => narrow.Grid.ClassifierAccuracyOf(d)).ThenBy(d => d).Take(2).Order().ToArray();
        double[] nn2 = [0.5, 0.6, 0.7], nn5 = [0.9, 0.95, 1];
        Assert.Contains($"Why the 2-D latent blends digits such as {worst[0]} and {worst[1]}", html);
        Assert.Contains(string.Join(" and ", worst.Select(d => $"{nn2[d] * 100:0} % in d_z = 2, {nn5[d] * 100:0} % in d_z = 5")) + " (all digits: 60.0 % vs 95.0 %)", html);
        // Reconstruction rows for both latents, and the decoder-ceiling sentence (digit 1's reconstructions: 50 % < 90 %, so "only" when 1 is named).
        Assert.Contains("d_z = 2: reconstructions of real test digits read right", html);
        Assert.Contains("d_z = 5: reconstructions of real test digits read right", html);
        double[] rec2 = [0.8, 0.5, 0.95], rec5 = [0.97, 0.98, 0.99];
        string rates = string.Join(" and ", worst.Select(d => $"{rec2[d] * 100:0} % of the time for {d}")) + " in d_z = 2 (" + string.Join(", ", worst.Select(d => $"{rec5[d] * 100:0} %")) + " in d_z = 5)";
        Assert.Contains((worst.Any(d => rec2[d] < 0.9) ? "Even the reconstructions decode(μ(x)) of real test digits are read as the right digit only " : "The reconstructions decode(μ(x)) of real test digits are read as the right digit ") + rates, html);
    }

    [Fact]
    public void GridImageShowsTheFirstTenSamplesOfEachDigit()
    {
        // 3 classes × 12 samples, each decoded to a 2×2 image of one grey value (class/3 + k/100 for its k-th sample):
        // the grid must equal the batch of the first 10 per class laid out 10 per row.
        int[] req = Enumerable.Range(0, 36).Select(i => i / 12).ToArray();
        var decoded = new Tensor(req.Select((c, i) => Enumerable.Repeat(c / 3f + i % 12 / 100f, 4)).SelectMany(v => v).ToArray(), 36, 4);
        var g = new GuidedSamples(1, Tensor.Zeros(36, 2), req, decoded, null, 1, null, 0, 0);
        var shown = Enumerable.Range(0, 36).Where(i => i % 12 < 10).SelectMany(i => decoded.Data.Skip(4 * i).Take(4)).ToArray();
        var expected = ImageGrid.FromBatch(shown, 30, 1, 2, 2, 10, 1);
        var img = DiffusionLatentSections.GridImage(g, 2, scale: 1);
        Assert.Equal((expected.Width, expected.Height), (img.Width, img.Height));
        Assert.Equal(expected.Pixels, img.Pixels);
        Assert.Equal("Guided samples, w = 1: row d holds the first 10 of the 12 samples requested as digit d (d = 0 at the top).", DiffusionLatentSections.GridCaption(g));
    }
}
