// Latent diffusion and guidance in more than two latent dimensions (the report's d_z = 16 run): synthetic
// class-conditional "latents" in 8-D where class c sits at +2 along axis c only (so in the first two axes
// classes 2 and 3 coincide), shifted and scaled per axis. Checks: shapes of every record, guided samples land
// nearest to the requested class mean, and the k-NN separability measure against a hand-worked case.
using ProbLab.Models.Diffusion;
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Tests.Models.Diffusion;

public class WideLatentTests
{
    private const int Dim = 8, Classes = 4;

    // z = scale_j·(2·e_c + 0.5·ε) + shift_j, with per-axis scale 1 + j/4 and shift j − 3 (standardisation has work to do).
    private static (Tensor Z, int[] Labels) Latents(int n, Rng rng)
    {
        var z = Tensor.Zeros(n, Dim);
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            int c = i % Classes;
            y[i] = c;
            for (int j = 0; j < Dim; j++)
                z.Data[i * Dim + j] = (float)((1 + j / 4.0) * ((j == c ? 2 : 0) + 0.5 * rng.Normal()) + j - 3);
        }
        return (z, y);
    }

    private static int[] NearestMean(Tensor z, double[,] means) => Enumerable.Range(0, z.Shape[0]).Select(i =>
        Enumerable.Range(0, Classes).MinBy(c => Enumerable.Range(0, Dim).Sum(j => Math.Pow(z.Data[i * Dim + j] - means[c, j], 2)))).ToArray();

    [Fact]
    public void GuidanceIn8DProducesTheRequestedClass()
    {
        // Two class means differ by 2 (unscaled) along two axes: a draw from class c is nearer another mean only if its
        // noise along that 2√2-long difference exceeds √2 = 2.8 sd, so real data scores > 1 − 3·Φ(−2.8) ≈ 99%. A conditional
        // net trained for 400 steps with w = 3 must put ≥ 90% of 200 guided samples nearest their requested mean, ≥ 80% per class.
        var (z, y) = Latents(2000, new Rng(1));
        var sde = new VpSde(0.1, 12, 100);
        var net = new ScoreNet(new ScoreNetConfig { Dim = Dim, Hidden = [64, 64], Classes = Classes, ClassEmbedding = 8 }, new Rng(2), sde.InverseSigma);
        var model = new LatentDiffusion(sde, net);
        var opts = new ScoreTrainingOptions { Objective = ScoreObjective.Denoising, Weighting = ScoreWeighting.NoiseVariance, Steps = 400, BatchSize = 128, LearningRate = 5e-3f, PUncond = 0.2 };
        model.Fit(z, y, opts, new Rng(3));
        Assert.Equal(Dim, model.Standardizer!.Mean.Length);
        Check.Close(4, model.Standardizer.Mean[7], atol: 0.3, name: "axis 7 mean (shift 4, class 3 never there)");
        int[] want = Enumerable.Range(0, 200).Select(i => i % Classes).ToArray();
        var samples = model.SampleLatents(200, new Rng(4), want, guidance: 3);
        Assert.Equal([200, Dim], samples.Shape);
        Check.Finite(samples.Data, "guided 8-D latents");
        var got = NearestMean(samples, LatentStudy.ClassMeans(z, y, Classes));
        double overall = got.Zip(want).Count(p => p.First == p.Second) / 200.0;
        Assert.True(overall >= 0.9, $"nearest-mean accuracy {overall:F3}");
        for (int c = 0; c < Classes; c++)
        {
            double acc = Enumerable.Range(0, 200).Where(i => want[i] == c).Average(i => got[i] == c ? 1.0 : 0.0);
            Assert.True(acc >= 0.8, $"class {c}: {acc:F3}");
        }
    }

    [Fact]
    public void GuidanceStudyRunsIn8DWithEveryShape()
    {
        var (z, y) = Latents(800, new Rng(5));
        var small = new ScoreNetConfig { Hidden = [32], SpaceFeatures = 2, MaxFrequency = 4, ClassEmbedding = 4 };
        var cfg = new LatentStudyConfig
        {
            Steps = 30, ConditionalNet = small, GuidanceSweep = [0, 2], PerClass = 5,
            ConditionalTraining = new ScoreTrainingOptions { Objective = ScoreObjective.Denoising, Weighting = ScoreWeighting.NoiseVariance, Steps = 40, BatchSize = 64, PUncond = 0.2 },
        };
        // "Decoder": the first three coordinates doubled (n, 3); "classifier": nearest class mean of the latent (decoder inverted).
        var means = LatentStudy.ClassMeans(z, y, Classes);
        Tensor Decode(Tensor l) => new(Enumerable.Range(0, l.Shape[0]).SelectMany(i => Enumerable.Range(0, 3).Select(j => 2 * l.Data[i * Dim + j])).ToArray(), l.Shape[0], 3);
        var r = LatentStudy.RunGuidance(cfg, z, y, Decode, null, new Rng(6));
        Assert.Equal(Dim, r.LatentDim);
        Assert.Equal(Classes, r.ClassMeans.GetLength(0));
        Assert.Equal(Dim, r.ClassMeans.GetLength(1));
        Check.Close(means[2, 2], r.ClassMeans[2, 2], atol: 1e-9, name: "class mean");
        Assert.Equal([Classes * 5, Dim], r.Grid.Latents.Shape);
        Assert.Equal([Classes * 5, 3], r.Grid.Decoded.Shape);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i / 5), r.Grid.Requested);
        Assert.Null(r.Grid.Predicted);
        Assert.Null(r.Grid.ClassifierAccuracyOf(0));
        Assert.Equal([0.0, 2.0], r.Sweep.Select(g => g.Weight));
        Assert.Equal(40, r.Conditional.Loss.Length);
        Assert.All(r.Sweep, g => Check.Finite(g.Latents.Data, Inv($"sweep w = {g.Weight}")));
        Assert.All(r.Sweep, g => Assert.InRange(g.NearestMeanAccuracy, 0, 1));
    }

    [Fact]
    public void NeighbourAccuracyVotesAmongTheKNearest()
    {
        // 1-D references: class 0 at 0, 1, 2; class 1 at 10, 11. Queries: 0.5 (class 0, 3-NN = {0, 1, 2}: right),
        // 9 (class 1, 3-NN = {10, 11, 2}: votes 1,1,0 → right), 6.4 labelled 1 (3-NN = {2, 10, 11}: votes 0,1,1 → 1: right),
        // 5 labelled 0 (3-NN = {2, 1} and one of {0, 10} at distance 5: class 0 either way: right), 12 labelled 0 (3-NN = {11, 10, 2}: wrong).
        var refs = Tensor.FromArray([0f, 1f, 2f, 10f, 11f], 5, 1);
        var q = Tensor.FromArray([0.5f, 9f, 6.4f, 5f, 12f], 5, 1);
        var acc = LatentStudy.NeighbourAccuracyPerClass(refs, [0, 0, 0, 1, 1], q, [0, 1, 1, 0, 0], 3, 3);
        Check.Close(2 / 3.0, acc[0], atol: 1e-12, name: "class 0");
        Check.Close(1.0, acc[1], atol: 1e-12, name: "class 1");
        Assert.True(double.IsNaN(acc[2]), "class 2 has no queries");
        // k = 2 with a tie (one vote each): the closer neighbour's class wins. Query 6.1: 10 at distance 3.9, 2 at 4.1 → class 1.
        var tie = LatentStudy.NeighbourAccuracyPerClass(refs, [0, 0, 0, 1, 1], Tensor.FromArray([6.1f], 1, 1), [1], 2, 2);
        Check.Close(1.0, tie[1], atol: 1e-12, name: "tie to the closer neighbour");
        MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => LatentStudy.NeighbourAccuracyPerClass(refs, [0, 0, 0, 1, 1], q, [0, 1, 1, 0, 0], 6, 2)));
        MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => LatentStudy.NeighbourAccuracyPerClass(refs, [0, 0, 0, 1, 1], Tensor.Zeros(2, 2), [0, 1], 1, 2)));
    }

    [Fact]
    public void AccuracyPerClassCountsHitsWithinEachLabel()
    {
        // labels 0,0,0,1,2,2 with predictions 0,1,0,1,0,2: class 0 2/3, class 1 1/1, class 2 1/2, class 3 has no rows.
        var acc = LatentStudy.AccuracyPerClass([0, 1, 0, 1, 0, 2], [0, 0, 0, 1, 2, 2], 4);
        Check.Close(2 / 3.0, acc[0], atol: 1e-12, name: "class 0");
        Check.Close(1.0, acc[1], atol: 1e-12, name: "class 1");
        Check.Close(0.5, acc[2], atol: 1e-12, name: "class 2");
        Assert.True(double.IsNaN(acc[3]), "class 3 has no rows");
        MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => LatentStudy.AccuracyPerClass([0, 1], [0], 2)));
        MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => LatentStudy.AccuracyPerClass([0, 1], [0, 5], 2)));
    }

    private static string Inv(FormattableString s) => s.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
