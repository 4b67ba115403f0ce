// The report's experiment functions on small synthetic data: record shapes, sample counts and labels,
// snapshot epochs, the uniform-mixture analysis, and (with PROBLAB_DATA) the K = 1 optimum on the real
// Europe data.
using ProbLab.Data;
using ProbLab.Models.Mixtures;
using ProbLab.Tests.Data;
using ProbLab.Tensors;
using static ProbLab.Tests.Models.Mixtures.MixtureTestData;

namespace ProbLab.Tests.Models.Mixtures;

public class MixtureExperimentsTests
{
    private static MixtureDataset Synthetic()
    {
        var (tr, trl) = SampleGaussians(3000, new Rng(1));
        var (te, tel) = SampleGaussians(500, new Rng(2));
        return MixtureDataset.FromRaw(tr, trl, te, tel);
    }

    [Fact]
    public void GaussianRunProducesSamplesSnapshotsAndCurves()
    {
        var data = Synthetic();
        var spec = new MixtureRunSpec(MixtureKind.Gaussian, 3, Epochs: 4, BatchSize: 256, SnapshotEpochs: new[] { 1, 4 }, Samples: 50, SamplesPerComponent: 10);
        var run = MixtureExperiments.Run(spec, data, new Rng(3));
        Assert.Equal(4, run.History.Epochs.Count);
        Assert.Equal(50, run.Samples.Count);
        Assert.Equal(100, run.Samples.X.Length);
        Assert.Equal(30, run.ComponentSamples.Count);
        Assert.Equal(Enumerable.Range(0, 3).SelectMany(k => Enumerable.Repeat(k, 10)), run.ComponentSamples.Labels);
        Assert.Equal(new[] { 1, 4 }, run.Snapshots.Select(s => s.Epoch));
        Check.Close(run.TestLogLik, run.Snapshots[^1].TestLogLik, 1e-9, 0, "last snapshot = final");
        Assert.All(run.Samples.X, v => Assert.True(float.IsFinite(v)));
        Assert.Equal("gmm K=3 random sgd", spec.Label);
    }

    [Fact]
    public void EmAndSmoothedRunsAndUnsupportedCombinations()
    {
        var data = Synthetic();
        var em = MixtureExperiments.Run(new MixtureRunSpec(MixtureKind.Gaussian, 3, Method: MixtureMethod.Em, Samples: 10, SamplesPerComponent: 2), data, new Rng(4));
        Assert.Equal("em", em.History.Method);
        var sgd = MixtureExperiments.Run(new MixtureRunSpec(MixtureKind.Gaussian, 3, Epochs: 3, BatchSize: 256, Samples: 10, SamplesPerComponent: 2), data, new Rng(4));
        Assert.True(em.TestLogLik > sgd.TestLogLik, $"EM {em.TestLogLik} should beat 3 SGD epochs {sgd.TestLogLik}");
        var ex = Assert.Throws<ArgumentException>(() => MixtureExperiments.Run(new MixtureRunSpec(MixtureKind.Uniform, 3, Method: MixtureMethod.Em), data, new Rng(4)));
        Assert.Contains("Method", ex.Message);
    }

    [Fact]
    public void UniformAnalysisTracksAreasCentresAndCoverage()
    {
        var data = Synthetic();
        var spec = new MixtureRunSpec(MixtureKind.Uniform, 4, Epochs: 3, BatchSize: 256, LearningRate: 0.01f, SnapshotEpochs: new[] { 0, 1, 2, 3 }, Samples: 20, SamplesPerComponent: 5);
        var run = MixtureExperiments.Run(spec, data, new Rng(5));
        var a = MixtureExperiments.AnalyzeUniform(run, data);
        Assert.Equal(new[] { 0, 1, 2, 3 }, a.Epochs.Select(e => e.Epoch));
        Assert.Equal(0.0, a.MaxCenterShift);
        Assert.True(a.FinalMeanArea <= a.InitialMeanArea);
        Assert.All(a.Epochs, e => Assert.InRange(e.TrainOutsideFraction, 0, 1));
        Assert.Null(a.Epochs[0].GradNorms);
        Assert.NotNull(a.Epochs[1].GradNorms);
        Assert.Throws<ArgumentException>(() => MixtureExperiments.AnalyzeUniform(MixtureExperiments.Run(
            new MixtureRunSpec(MixtureKind.Gaussian, 2, Epochs: 1, Samples: 1, SamplesPerComponent: 1), data, new Rng(1)), data));
    }

    [Fact]
    public void CourseSnapshotEpochs()
    {
        Assert.Equal(new[] { 1, 10, 20, 30, 40, 50 }, MixtureExperiments.CourseSnapshotEpochs(50));
        Assert.Equal(new[] { 1, 3 }, MixtureExperiments.CourseSnapshotEpochs(3));
        Assert.Equal(new[] { 1, 10, 12 }, MixtureExperiments.CourseSnapshotEpochs(12));
    }

    [Fact]
    public void StandardisationUsesTrainStatisticsUnlessAsked()
    {
        var (tr, trl) = SampleGaussians(2000, new Rng(1));
        var (te, tel) = SampleGaussians(400, new Rng(2));
        for (int i = 0; i < te.Size; i++) te.Data[i] += 1f;
        var d = MixtureDataset.FromRaw(tr, trl, te, tel);
        var st = Standardizer.Fit(d.TrainX.Data, 2);
        Check.Close(new[] { 0.0, 0.0 }, st.Mean, 1e-5, 0, "train mean");
        Check.Close(new[] { 1.0, 1.0 }, st.Std, 1e-5, 0, "train std");
        Assert.True(Standardizer.Fit(d.TestX.Data, 2).Mean[0] > 0.2);
        var own = MixtureDataset.FromRaw(tr, trl, te, tel, testOwnStats: true);
        Check.Close(new[] { 0.0, 0.0 }, Standardizer.Fit(own.TestX.Data, 2).Mean, 1e-5, 0, "test own mean");
    }

    [DataFact("europe")]
    public void EuropeSingleGaussianReachesTheAnalyticOptimum()
    {
        var data = MixtureDataset.FromEurope(EuropeData.Load(DataDirs.FromEnvironment()));
        Assert.Equal(106897, data.TrainX.Shape[0]);
        Assert.Equal(13363, data.TestX.Shape[0]);
        Assert.Equal(33, data.Classes);
        var gmm = new GaussianMixture(new GaussianMixtureOptions { Components = 1, EvaluateEveryEpoch = false }).Fit(data.TrainX, new Rng(42));
        Check.Close(-Math.Log(2 * Math.PI) - 1, gmm.Score(data.TrainX), 2e-3, 0, "K=1 train mean log-likelihood");
    }
}
