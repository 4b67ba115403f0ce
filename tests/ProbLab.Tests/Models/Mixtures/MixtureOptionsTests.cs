// Bad options and bad data give one-line ArgumentExceptions that name the field, row or column.
using ProbLab.Models.Mixtures;
using ProbLab.Tensors;

namespace ProbLab.Tests.Models.Mixtures;

public class MixtureOptionsTests
{
    private static void AssertOneLine(Exception ex, string mustContain)
    {
        Assert.Contains(mustContain, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    public static IEnumerable<object[]> BadOptions() => new[]
    {
        new object[] { new GaussianMixtureOptions { Components = 0 }, "Components" },
        new object[] { new GaussianMixtureOptions { Epochs = 0 }, "Epochs" },
        new object[] { new GaussianMixtureOptions { BatchSize = -1 }, "BatchSize" },
        new object[] { new GaussianMixtureOptions { LearningRate = float.NaN }, "LearningRate" },
        new object[] { new GaussianMixtureOptions { LearningRate = 0 }, "LearningRate" },
        new object[] { new GaussianMixtureOptions { Init = (MixtureInit)7 }, "Init" },
        new object[] { new GaussianMixtureOptions { Epochs = 5, SnapshotEpochs = new[] { 6 } }, "SnapshotEpochs" },
        new object[] { new UniformMixtureOptions { Components = -3 }, "Components" },
        new object[] { new UniformMixtureOptions { EdgeSoftnessStart = -1 }, "EdgeSoftnessStart" },
        new object[] { new UniformMixtureOptions { EdgeSoftnessStart = 0.1f, EdgeSoftnessEnd = 0.5f }, "EdgeSoftnessEnd" },
        new object[] { new UniformMixtureOptions { EdgeSoftnessStart = 0.1f, EdgeSoftnessEnd = 0f }, "EdgeSoftnessEnd" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void BadOptionsAreRejectedByTheConstructor(MixtureOptions options, string field)
    {
        var ex = Assert.Throws<ArgumentException>(() => options is UniformMixtureOptions u ? new UniformMixture(u) : (MixtureModel)new GaussianMixture((GaussianMixtureOptions)options));
        AssertOneLine(ex, field);
    }

    [Fact]
    public void BadEmOptionsAreRejected()
    {
        var x = Tensor.Rand(new Rng(1), new[] { 20, 2 });
        AssertOneLine(Assert.Throws<ArgumentException>(() => GaussianMixture.FitEm(x, new EmOptions { Components = 0 }, new Rng(1))), "Components");
        AssertOneLine(Assert.Throws<ArgumentException>(() => GaussianMixture.FitEm(x, new EmOptions { Tolerance = -1 }, new Rng(1))), "Tolerance");
        AssertOneLine(Assert.Throws<ArgumentException>(() => GaussianMixture.FitEm(x, new EmOptions { Components = 21 }, new Rng(1))), "k = 21");
    }

    [Fact]
    public void BadDataNamesRowAndColumn()
    {
        var x = Tensor.Rand(new Rng(1), new[] { 10, 2 });
        x[3, 1] = float.NaN;
        var gmm = new GaussianMixture(new GaussianMixtureOptions { Components = 2, Epochs = 1 });
        AssertOneLine(Assert.Throws<ArgumentException>(() => gmm.Fit(x, new Rng(1))), "x row 3, column 1 is NaN");
        AssertOneLine(Assert.Throws<ArgumentException>(() => gmm.Fit(Tensor.Zeros(0, 2), new Rng(1))), "no rows");
        AssertOneLine(Assert.Throws<ArgumentException>(() => gmm.Fit(Tensor.Zeros(5), new Rng(1))), "(N, D)");
        x[3, 1] = 0.5f;
        gmm.Fit(x, new Rng(1));
        AssertOneLine(Assert.Throws<ArgumentException>(() => gmm.ScoreSamples(Tensor.Zeros(4, 3))), "3 features");
        var inf = Tensor.Zeros(2, 2);
        inf[1, 0] = float.PositiveInfinity;
        AssertOneLine(Assert.Throws<ArgumentException>(() => gmm.Score(inf)), "row 1, column 0");
    }

    [Fact]
    public void ClassMeansNeedLabelsForEveryComponent()
    {
        var x = Tensor.Rand(new Rng(1), new[] { 10, 2 });
        var opts = new GaussianMixtureOptions { Components = 3, Epochs = 1, Init = MixtureInit.ClassMeans };
        AssertOneLine(Assert.Throws<ArgumentException>(() => new GaussianMixture(opts).Fit(x, new Rng(1))), "ClassMeans");
        var twoClasses = Enumerable.Range(0, 10).Select(i => i % 2).ToArray();
        AssertOneLine(Assert.Throws<ArgumentException>(() => new GaussianMixture(opts).Fit(x, new Rng(1), labels: twoClasses)), "class 2 has no training points");
        var fourClasses = Enumerable.Range(0, 10).Select(i => i % 4).ToArray();
        AssertOneLine(Assert.Throws<ArgumentException>(() => new GaussianMixture(opts).Fit(x, new Rng(1), labels: fourClasses)), "Components");
    }

    [Fact]
    public void SampleArgumentsAreChecked()
    {
        var x = Tensor.Rand(new Rng(1), new[] { 10, 2 });
        var gmm = new GaussianMixture(new GaussianMixtureOptions { Components = 2, Epochs = 1 }).Fit(x, new Rng(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => gmm.SampleComponent(2, 5, new Rng(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => gmm.Sample(-1, new Rng(1)));
    }

    [Fact]
    public void EdgeSoftnessScheduleIsGeometric()
    {
        var o = new UniformMixtureOptions { Epochs = 5, EdgeSoftnessStart = 0.16f, EdgeSoftnessEnd = 0.01f };
        Check.Close(0.16, o.EdgeSoftness(1), 1e-7, 0, "τ(1)");
        Check.Close(0.04, o.EdgeSoftness(3), 1e-7, 0, "τ(3)");
        Check.Close(0.01, o.EdgeSoftness(5), 1e-7, 0, "τ(5)");
        Assert.Equal(0f, new UniformMixtureOptions().EdgeSoftness(3));
    }
}
