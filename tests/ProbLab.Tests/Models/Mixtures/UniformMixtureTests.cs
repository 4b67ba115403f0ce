// UniformMixture contracts: ScoreSamples against a naive box density written here, never NaN/−∞ (even when
// every point is outside every box), the course's hard-box SGD pathology (centres frozen, sizes only
// shrink), recovery of known boxes by the smoothed fit with full coverage, and samples inside their boxes
// with the uniform moments.
using ProbLab.Models.Mixtures;
using ProbLab.Tensors;
using static ProbLab.Tests.Models.Mixtures.MixtureTestData;

namespace ProbLab.Tests.Models.Mixtures;

public class UniformMixtureTests
{
    private static UniformMixture Model(float[] logits, float[] centers, float[] logSizes) =>
        (UniformMixture)new UniformMixture(new UniformMixtureOptions { Components = logits.Length }).FromSnapshot(new MixtureSnapshot(0, logits, centers, logSizes));

    // log Σ_k π_k [x ∈ box_k] / area_k, or −1e6 + log Σ_k π_k (= −1e6) when no box holds x.
    private static double NaiveLogDensity(float[] w, float[] c, float[] ls, float x0, float x1)
    {
        double p = 0;
        for (int k = 0; k < w.Length; k++)
        {
            float s0 = MathF.Exp(ls[2 * k]), s1 = MathF.Exp(ls[2 * k + 1]);
            bool inside = x0 >= c[2 * k] - s0 / 2 && x0 <= c[2 * k] + s0 / 2 && x1 >= c[2 * k + 1] - s1 / 2 && x1 <= c[2 * k + 1] + s1 / 2;
            if (inside) p += w[k] / ((double)s0 * s1);
        }
        return p > 0 ? Math.Log(p) : -1e6;
    }

    [Fact]
    public void ScoreSamplesMatchesNaiveDensity()
    {
        var umm = Model(new[] { 0.2f, -0.3f, 0.5f }, new[] { 0f, 0f, 0.5f, 0.5f, -1f, 1f }, new[] { 0.3f, 0f, -0.5f, 0.2f, 0f, 0f });
        var x = Tensor.Rand(new Rng(1), new[] { 3000, 2 }, -2.5f, 2.5f);
        var ll = umm.ScoreSamples(x);
        var w = umm.Weights();
        var snap = umm.Snapshot(0);
        int outside = 0;
        for (int i = 0; i < 3000; i++)
        {
            double e = NaiveLogDensity(w, snap.Locations, snap.LogScales, x[i, 0], x[i, 1]);
            if (e == -1e6) outside++;
            Check.Close(e, ll[i], 1e-4, 1e-6, $"log p(x[{i}])");
        }
        Assert.InRange(outside, 100, 2900); // both branches exercised
        Check.Close(outside / 3000.0, umm.OutsideFraction(x), 0, 0, "outside fraction");
    }

    [Fact]
    public void ResponsibilitiesSumToOneInsideAndOutside()
    {
        var umm = Model(new[] { 0.2f, -0.3f }, new[] { 0f, 0f, 0.3f, 0.3f }, new[] { 0f, 0f, 0f, 0f });
        var x = Tensor.Rand(new Rng(2), new[] { 500, 2 }, -3f, 3f);
        var p = umm.PredictProba(x);
        Check.Finite(p.Data, "p(k | x)");
        for (int i = 0; i < 500; i++) Check.Close(1.0, p[i, 0] + p[i, 1], 1e-5, 0, $"Σ_k p(k | x[{i}])");
    }

    [Fact]
    public void HardBoxSgdNeverProducesNaNAndOnlyShrinksBoxes()
    {
        // Data far from the N(0,1) initial centres: at first nearly every point is outside every box.
        var (raw, labels) = SampleBoxes(3000, new Rng(3));
        for (int i = 0; i < raw.Size; i++) raw.Data[i] += 1.5f;
        var opts = new UniformMixtureOptions { Components = 5, Epochs = 6, BatchSize = 256, LearningRate = 0.01f, SnapshotEpochs = Enumerable.Range(0, 7).ToArray() };
        var umm = new UniformMixture(opts).Fit(raw, new Rng(4));
        var h = umm.History!;
        foreach (var e in h.Epochs)
        {
            Assert.True(double.IsFinite(e.TrainLogLik) && double.IsFinite(e.MeanBatchLoss), $"epoch {e.Epoch}: {e}");
            Assert.True(e.TrainLogLik >= -1e6 - 10, $"epoch {e.Epoch} log-likelihood {e.TrainLogLik} below −1e6");
            Assert.Equal(0.0, e.GradNorms.Locations); // no gradient ever reaches a hard box's centre
        }
        Check.Finite(umm.ScoreSamples(raw), "log p(x)");
        Assert.True(umm.OutsideFraction(raw) > 0);
        for (int s = 1; s < h.Snapshots.Count; s++)
        {
            Assert.Equal(h.Snapshots[0].Locations, h.Snapshots[s].Locations);
            for (int i = 0; i < h.Snapshots[s].LogScales.Length; i++)
                Assert.True(h.Snapshots[s].LogScales[i] <= h.Snapshots[s - 1].LogScales[i], $"log size {i} grew in epoch {h.Snapshots[s].Epoch}");
        }
    }

    [Fact]
    public void SmoothedFitRecoversKnownBoxesAndCoversEveryPoint()
    {
        var (x, labels) = SampleBoxes(6000, new Rng(5));
        var opts = new UniformMixtureOptions
        {
            Components = 3, Epochs = 30, BatchSize = 256, LearningRate = 0.01f, Init = MixtureInit.ClassMeans,
            EdgeSoftnessStart = 0.1f, EdgeSoftnessEnd = 0.01f,
        };
        var umm = new UniformMixture(opts).Fit(x, new Rng(6), labels: labels);
        Assert.Equal(0.0, umm.OutsideFraction(x));
        var c = umm.Centers.Data;
        var s = umm.Sizes.Data;
        var w = umm.Weights();
        var order = OrderByX(c, 3);
        var truth = OrderByX(BoxCenters, 3);
        for (int i = 0; i < 3; i++)
        {
            Check.Close(BoxWeights[truth[i]], w[order[i]], 0.01, 0.1, $"weight {i}");
            for (int j = 0; j < 2; j++)
            {
                Check.Close(BoxCenters[truth[i] * 2 + j], c[order[i] * 2 + j], 0.05, 0.1, $"centre {i},{j}");
                Check.Close(BoxSizes[truth[i] * 2 + j], s[order[i] * 2 + j], 0.02, 0.1, $"size {i},{j}");
            }
        }
    }

    [Fact]
    public void SamplesLieInTheirBoxesWithUniformMoments()
    {
        var umm = Model(new[] { 0f, 1f }, new[] { -1f, 0.5f, 1f, -0.5f }, new[] { 0f, -0.5f, 0.4f, 0.2f });
        var sizes = umm.Sizes;
        var centers = umm.Centers;
        var (x, comps) = umm.Sample(20000, new Rng(7));
        for (int i = 0; i < 20000; i++)
            for (int j = 0; j < 2; j++)
                Assert.InRange(x[i, j], centers[comps[i], j] - sizes[comps[i], j] / 2, centers[comps[i], j] + sizes[comps[i], j] / 2);
        for (int k = 0; k < 2; k++)
        {
            var sk = umm.SampleComponent(k, 20000, new Rng(8 + (ulong)k));
            for (int j = 0; j < 2; j++)
            {
                var col = Enumerable.Range(0, 20000).Select(i => (double)sk[i, j]).ToArray();
                double m = col.Average(), v = col.Select(t => (t - m) * (t - m)).Sum() / 19999, s = sizes[k, j];
                Check.Close(centers[k, j], m, 4 * s / Math.Sqrt(12 * 20000), 0, $"box {k} mean {j}");
                Check.Close(s * s / 12, v, 0, 0.05, $"box {k} variance {j}");
            }
        }
    }

    [Fact]
    public void InitialSizesFollowTheCourse()
    {
        var (x, _) = SampleBoxes(300, new Rng(9));
        var umm = new UniformMixture(new UniformMixtureOptions { Components = 50, Epochs = 1, SnapshotEpochs = new[] { 0 } }).Fit(x, new Rng(10));
        var sizes = umm.History!.Snapshots[0].LogScales.Select(MathF.Exp).ToArray();
        Assert.All(sizes, s => Assert.InRange(s, 1f, 1.2f));
    }
}
