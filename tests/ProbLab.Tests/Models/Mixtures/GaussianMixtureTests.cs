// GaussianMixture contracts (scikit-learn's test habits): ScoreSamples against a naive per-sample density
// written here, responsibilities summing to 1, samples with the fitted moments, recovery of a known
// mixture by SGD and by EM (components sorted, rtol 0.1), the K = 1 analytic optimum, determinism,
// snapshots, and fitted-only errors.
using ProbLab.Data;
using ProbLab.Models.Mixtures;
using ProbLab.Tensors;
using static ProbLab.Tests.Models.Mixtures.MixtureTestData;

namespace ProbLab.Tests.Models.Mixtures;

public class GaussianMixtureTests
{
    private static GaussianMixture FitSynthetic(out Tensor x, out int[] labels, int epochs = 30, MixtureInit init = MixtureInit.ClassMeans)
    {
        (x, labels) = SampleGaussians(6000, new Rng(100));
        var opts = new GaussianMixtureOptions { Components = 3, Epochs = epochs, BatchSize = 256, LearningRate = 0.05f, Init = init };
        return new GaussianMixture(opts).Fit(x, new Rng(7), labels: labels);
    }

    // log Σ_k π_k Π_d N(x_d | μ_kd, σ²_kd), in double, straight from the definition.
    private static double NaiveLogDensity(float[] w, Tensor means, Tensor vars, float[] x, int row)
    {
        int k = w.Length, d = means.Shape[1];
        double p = 0;
        for (int c = 0; c < k; c++)
        {
            double dens = w[c];
            for (int j = 0; j < d; j++)
            {
                double v = vars[c, j], t = x[row * d + j] - means[c, j];
                dens *= Math.Exp(-t * t / (2 * v)) / Math.Sqrt(2 * Math.PI * v);
            }
            p += dens;
        }
        return Math.Log(p);
    }

    [Fact]
    public void ScoreSamplesMatchesNaiveDensity()
    {
        var gmm = FitSynthetic(out var x, out _, epochs: 3);
        var ll = gmm.ScoreSamples(x);
        var w = gmm.Weights();
        var means = gmm.Means;
        var vars = gmm.Variances;
        for (int i = 0; i < x.Shape[0]; i += 7) Check.Close(NaiveLogDensity(w, means, vars, x.Data, i), ll[i], 1e-4, 1e-5, $"log p(x[{i}])");
        Check.Close(ll.Average(v => (double)v), gmm.Score(x), 1e-9, 1e-9, "score = mean");
    }

    [Fact]
    public void ResponsibilitiesSumToOneAndPredictIsArgmax()
    {
        var gmm = FitSynthetic(out var x, out _, epochs: 2);
        var p = gmm.PredictProba(x);
        var pred = gmm.Predict(x);
        for (int i = 0; i < x.Shape[0]; i++)
        {
            double s = 0;
            for (int c = 0; c < 3; c++) s += p[i, c];
            Check.Close(1.0, s, 1e-5, 0, $"Σ_k p(k | x[{i}])");
            Assert.Equal(Enumerable.Range(0, 3).MaxBy(c => p[i, c]), pred[i]);
        }
    }

    [Fact]
    public void SgdRecoversKnownMixture()
    {
        var gmm = FitSynthetic(out _, out _);
        AssertRecovered(gmm, "sgd");
    }

    [Fact]
    public void EmRecoversKnownMixture()
    {
        var (x, _) = SampleGaussians(6000, new Rng(100));
        var gmm = GaussianMixture.FitEm(x, new EmOptions { Components = 3 }, new Rng(3));
        AssertRecovered(gmm, "em");
        Assert.Equal("em", gmm.History!.Method);
        var ll = gmm.History.Epochs.Select(e => e.TrainLogLik).ToArray();
        for (int i = 1; i < ll.Length; i++) Assert.True(ll[i] >= ll[i - 1] - 1e-5, $"EM log-likelihood decreased at iteration {i + 1}: {ll[i - 1]} -> {ll[i]}");
    }

    private static void AssertRecovered(GaussianMixture gmm, string name)
    {
        var means = gmm.Means.Data;
        var vars = gmm.Variances.Data;
        var w = gmm.Weights();
        var order = OrderByX(means, 3);
        var truthOrder = OrderByX(GmmMeans, 3);
        for (int i = 0; i < 3; i++)
        {
            int c = order[i], t = truthOrder[i];
            Check.Close(GmmWeights[t], w[c], 0.01, 0.1, $"{name} weight {i}");
            for (int j = 0; j < 2; j++)
            {
                Check.Close(GmmMeans[t * 2 + j], means[c * 2 + j], 0.05, 0.1, $"{name} mean {i},{j}");
                Check.Close(GmmStds[t * 2 + j] * GmmStds[t * 2 + j], vars[c * 2 + j], 0.01, 0.1, $"{name} variance {i},{j}");
            }
        }
    }

    [Fact]
    public void SamplesHaveTheFittedMoments()
    {
        var gmm = FitSynthetic(out _, out _, epochs: 5);
        var w = gmm.Weights();
        var mu = gmm.Means;
        var v = gmm.Variances;
        int n = 40000;
        var (s, comps) = gmm.Sample(n, new Rng(9));
        Assert.Equal(new[] { n, 2 }, s.Shape);
        for (int j = 0; j < 2; j++)
        {
            double m = 0, m2 = 0;
            for (int c = 0; c < 3; c++) { m += w[c] * mu[c, j]; m2 += w[c] * (v[c, j] + mu[c, j] * mu[c, j]); }
            var col = Enumerable.Range(0, n).Select(i => (double)s[i, j]).ToArray();
            double sm = col.Average(), sv = col.Select(t => (t - sm) * (t - sm)).Sum() / (n - 1);
            double sd = Math.Sqrt(m2 - m * m);
            Check.Close(m, sm, 4 * sd / Math.Sqrt(n), 0, $"mixture mean {j}");
            Check.Close(m2 - m * m, sv, 0, 0.04, $"mixture variance {j}");
        }
        for (int c = 0; c < 3; c++) Check.Close(w[c], comps.Count(k => k == c) / (double)n, 0.01, 0, $"component frequency {c}");
        for (int c = 0; c < 3; c++)
        {
            var sc = gmm.SampleComponent(c, 20000, new Rng(10 + (ulong)c));
            for (int j = 0; j < 2; j++)
            {
                var col = Enumerable.Range(0, 20000).Select(i => (double)sc[i, j]).ToArray();
                double sm = col.Average(), sv = col.Select(t => (t - sm) * (t - sm)).Sum() / 19999;
                Check.Close(mu[c, j], sm, 4 * Math.Sqrt(v[c, j] / 20000), 0, $"component {c} mean {j}");
                Check.Close(v[c, j], sv, 0, 0.05, $"component {c} variance {j}");
            }
        }
    }

    [Fact]
    public void SingleComponentReachesTheAnalyticOptimumOnStandardisedData()
    {
        // For standardised columns (unbiased std) the diagonal-Gaussian MLE has variances (n−1)/n, so the
        // maximum mean log-likelihood is −log 2π − 1 − ½ Σ_d log((n−1)/n) ≈ −2.8379.
        var (raw, _) = SampleGaussians(5000, new Rng(200));
        var x = new Tensor(Standardizer.Fit(raw.Data, 2).Transform(raw.Data), raw.Shape[0], 2);
        int n = x.Shape[0];
        double optimum = -Math.Log(2 * Math.PI) - 1 - Math.Log((n - 1.0) / n);
        var sgd = new GaussianMixture(new GaussianMixtureOptions { Components = 1, Epochs = 40, BatchSize = 500, LearningRate = 0.05f }).Fit(x, new Rng(1));
        Check.Close(optimum, sgd.Score(x), 2e-3, 0, "SGD K=1");
        var em = GaussianMixture.FitEm(x, new EmOptions { Components = 1 }, new Rng(1));
        Check.Close(optimum, em.Score(x), 1e-5, 0, "EM K=1");
        Check.Close(-2.8379, optimum, 1e-3, 0, "−log 2π − 1");
    }

    [Fact]
    public void SameSeedGivesIdenticalFits()
    {
        var a = FitSynthetic(out _, out _, epochs: 2, init: MixtureInit.Random);
        var b = FitSynthetic(out _, out _, epochs: 2, init: MixtureInit.Random);
        Assert.Equal(a.Means.Data, b.Means.Data);
        Assert.Equal(a.Variances.Data, b.Variances.Data);
        Assert.Equal(a.History!.Epochs.Select(e => e.TrainLogLik), b.History!.Epochs.Select(e => e.TrainLogLik));
    }

    [Fact]
    public void HistoryAndSnapshotsFollowTheOptions()
    {
        var (x, _) = SampleGaussians(1000, new Rng(5));
        var (t, _) = SampleGaussians(300, new Rng(6));
        var opts = new GaussianMixtureOptions { Components = 2, Epochs = 5, BatchSize = 128, SnapshotEpochs = new[] { 0, 2, 5 } };
        var gmm = new GaussianMixture(opts).Fit(x, new Rng(1), t);
        var h = gmm.History!;
        Assert.Equal(new[] { 1, 2, 3, 4, 5 }, h.Epochs.Select(e => e.Epoch));
        Assert.Equal(5 * 8, h.Steps);
        Assert.Equal(new[] { 0, 2, 5 }, h.Snapshots.Select(s => s.Epoch));
        Assert.All(h.Epochs, e => { Assert.True(double.IsFinite(e.TrainLogLik)); Assert.True(double.IsFinite(e.TestLogLik)); });
        Check.Close(gmm.Score(x), h.Epochs[^1].TrainLogLik, 1e-9, 0, "last epoch = final score");
        var restored = gmm.FromSnapshot(h.Snapshots[^1]);
        Check.Close(gmm.ScoreSamples(t), restored.ScoreSamples(t), 0, 0, "snapshot restores the model");
        var initial = gmm.FromSnapshot(h.Snapshots[0]);
        Assert.True(initial.Score(x) < gmm.Score(x), "training improved on the initial parameters");
    }

    [Fact]
    public void ClassMeansInitialisationStartsAtTheClassMeans()
    {
        var (x, labels) = SampleGaussians(2000, new Rng(8));
        var opts = new GaussianMixtureOptions { Components = 3, Epochs = 1, Init = MixtureInit.ClassMeans, SnapshotEpochs = new[] { 0 } };
        var gmm = new GaussianMixture(opts).Fit(x, new Rng(1), labels: labels);
        var expected = MixtureData.ClassMeans(x, labels, 3);
        Check.Close(expected, gmm.History!.Snapshots[0].Locations, 0, 0, "initial means");
    }

    [Fact]
    public void FittedOnlyMembersThrowBeforeFit()
    {
        var gmm = new GaussianMixture();
        var ex = Assert.Throws<InvalidOperationException>(() => gmm.ScoreSamples(Tensor.Zeros(3, 2)));
        Assert.Equal("GaussianMixture is not fitted; call Fit first", ex.Message);
        Assert.Throws<InvalidOperationException>(() => gmm.Sample(3, new Rng(1)));
        Assert.Throws<InvalidOperationException>(() => gmm.Means);
    }
}
