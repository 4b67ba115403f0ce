// The mixture chapter's section builders on a small synthetic Europe-like set: every figure is present,
// SVGs are finite, and the written analysis quotes the runs' own numbers.
using ProbLab.Cli.Experiments;
using ProbLab.Data;
using ProbLab.Data.Synthetic;
using ProbLab.Models.Mixtures;
using ProbLab.Reports;
using ProbLab.Tensors;

namespace ProbLab.Tests.Cli;

public class MixtureSectionsTests
{
    private static (MixtureDataset Data, DataSource Source) Small()
    {
        var (train, _, test) = EuropeSynthetic.Generate(new Rng(1), 4000, 10, 800);
        var europe = new EuropeDataset(train, null, test, DataSource.Synthetic("europe", "4000/800 test points", "test"));
        return (MixtureDataset.FromEurope(europe), europe.Source);
    }

    [Fact]
    public void GaussianSectionsHaveEveryFigure()
    {
        var (data, source) = Small();
        int[] snaps = [1, 2, 3];
        MixtureRun Fit(MixtureInit init, MixtureMethod method = MixtureMethod.Sgd) => MixtureExperiments.Run(
            new MixtureRunSpec(MixtureKind.Gaussian, 33, init, method, Epochs: 3, BatchSize: 512, SnapshotEpochs: method == MixtureMethod.Em ? null : snaps), data, new Rng(2));
        var random = Fit(MixtureInit.Random);
        var means = Fit(MixtureInit.ClassMeans);
        var em = Fit(MixtureInit.Random, MixtureMethod.Em);
        var map = new EuropeBackdrop(data);
        var chapter = new Report("test").AddSection("mixtures");
        MixtureSections.DataNote(chapter, data, source);
        MixtureSections.Sweep(chapter, "sweep", map, [random], data);
        MixtureSections.Dynamics(chapter, map, random, means, snaps, em);
        MixtureSections.EmBaseline(chapter, map, em, random, means);
        var sections = chapter.Subsections.ToList();
        Assert.Equal(["Data and conventions", "sweep", "GMM K = 33 during training, random initialisation",
            "GMM K = 33 during training, means initialised at the per-country training means", "Baseline: EM for the diagonal GMM, K = 33"], sections.Select(s => s.Title));
        var figures = sections.SelectMany(s => s.Blocks).OfType<FigureBlock>().ToList();
        Assert.Equal(1 + 3 + 3 + 1, figures.Count); // sweep pair; per init: two snapshot grids and the curves; EM pair
        Assert.All(figures, f => { Assert.StartsWith("<svg", f.Svg); Assert.DoesNotContain("NaN", f.Svg); });
        var compare = sections[3].Blocks.OfType<ParagraphBlock>().Single().Text;
        Assert.Contains(MixtureFigures.Fmt(means.TestLogLik), compare);
    }

    [Fact]
    public void SmoothedUniformSectionReportsCoverage()
    {
        var (data, _) = Small();
        var hard = MixtureExperiments.Run(new MixtureRunSpec(MixtureKind.Uniform, 8, Epochs: 2, BatchSize: 512), data, new Rng(3));
        var smooth = MixtureExperiments.Run(new MixtureRunSpec(MixtureKind.Uniform, 8, Method: MixtureMethod.SmoothedSgd, Epochs: 4, BatchSize: 512), data, new Rng(3));
        var section = MixtureSections.Smoothed(new Report("test").AddSection("mixtures"), new EuropeBackdrop(data), smooth, hard, data);
        var table = section.Blocks.OfType<TableBlock>().Single().Table;
        Assert.Equal(2, table.Rows.Count);
        Assert.Equal(0.0, MixtureSections.Model(smooth).OutsideFraction(data.TrainX));
        Assert.Equal(2, section.Blocks.OfType<FigureBlock>().Count());
    }
}
