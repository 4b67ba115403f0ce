// The QWOP pictures and chapter: SVGs are well-formed XML, the ground line is height 0 (the feet stand on it at
// the start), filmstrip frames run forward in time, the animation's static attributes are frame 0 and all its
// tracks share one duration and length, the CSV matches the trajectory, and the chapter (tiny budget) has every
// section and figure with the runs' own numbers.
using System.Globalization;
using System.Xml.Linq;
using ProbLab.Cli;
using ProbLab.Cli.Experiments;
using ProbLab.Data;
using ProbLab.Reports;
using ProbLab.Search;

namespace ProbLab.Tests.Cli;

public class QwopFiguresTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly double[] Standing = Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? 0.5 : 0.0).ToArray();
    private static readonly double[] Falling = [-0.5, 0.3, .. Enumerable.Repeat(0.1, 38)];

    private static double Num(XElement e, string name) => double.Parse(e.Attribute(name)!.Value, CultureInfo.InvariantCulture);

    private static List<XElement> Lines(XDocument doc, string stroke) =>
        doc.Descendants(Svg + "line").Where(l => (string?)l.Attribute("stroke") == stroke).ToList();

    [Fact]
    public void FilmstripRunsForwardInTimeWithTheFeetOnTheGround()
    {
        var t = QwopSimulator.Trace(Standing);
        Assert.False(t.Fell);
        var doc = XDocument.Parse(QwopFigures.Filmstrip(t, frames: 6, columns: 3));
        var times = doc.Descendants(Svg + "text").Select(x => x.Value).Where(v => v.StartsWith("t = ", StringComparison.Ordinal))
            .Select(v => double.Parse(v[4..], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(t.EvenlySpacedFrames(6).Select(f => Math.Round(QwopTrajectory.Time(f), 1)), times);
        Assert.Equal(20.0, times[^1]);

        // Panel 1: the ground line (height 0) and the start pose, whose feet are at height 0 exactly.
        double ground = Num(Lines(doc, "#8c8c8c").First(l => Num(l, "y1") == Num(l, "y2") && Num(l, "x2") - Num(l, "x1") > 100), "y1");
        var legA = Lines(doc, "#4e79a7").Take(2).ToList(); // thigh A, calf A of frame 0
        Check.Close(ground, Num(legA[1], "y2"), 0.006, 0, "foot A at the start is on the ground line");
        Check.Close(ground - 62 * 0.5, Num(legA[0], "y2"), 0.006, 0, "knee A at height 0.5");
        var head = doc.Descendants(Svg + "circle").First(c => Num(c, "r") > 5);
        Check.Close(ground - 62 * 1.9, Num(head, "cy"), 0.006, 0, "head at height 1.9");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AnimationShowsFrameZeroStaticallyAndKeepsItsTracksInStep(bool fall)
    {
        var t = QwopSimulator.Trace(fall ? Falling : Standing);
        Assert.Equal(fall, t.Fell);
        int segments = (t.SubSteps + 9) / 10 + 1;
        var doc = XDocument.Parse(QwopFigures.Animation(t, 0.05, title: "test"));
        var animates = doc.Descendants(Svg + "animate").Where(a => (string)a.Attribute("attributeName")! is "x1" or "y1" or "x2" or "y2" or "cx" or "cy").ToList();
        Assert.Equal(5 * 4 + 2, animates.Count); // 5 sticks × 4 coordinates, head centre
        foreach (var a in animates)
        {
            Assert.Equal(10 * segments + 1, a.Attribute("values")!.Value.Split(';').Length);
            Assert.Equal($"{(10 * segments * 0.05).ToString("0.###", CultureInfo.InvariantCulture)}s", a.Attribute("dur")!.Value);
            // The element's own attribute (what a viewer without SMIL draws) is the animation's first value: frame 0.
            double first = double.Parse(a.Attribute("values")!.Value.Split(';')[0], CultureInfo.InvariantCulture);
            Assert.Equal(first, Num(a.Parent!, (string)a.Attribute("attributeName")!));
        }
        var frames = doc.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "frame").ToList();
        Assert.Equal(segments, frames.Count);
        Assert.Null(frames[0].Attribute("visibility"));
        Assert.All(frames.Skip(1), g => Assert.Equal("hidden", (string?)g.Attribute("visibility")));
        Assert.StartsWith("t = 0.0 ", frames[0].Value);
        Assert.Contains(fall ? "(fell: run over)" : "(end of plan)", frames[^1].Value);
    }

    [Fact]
    public void ChronophotographDrawsOneFigurePerSegmentAndTheMarkers()
    {
        var t = QwopSimulator.Trace(Falling);
        var doc = XDocument.Parse(QwopFigures.Chronophotograph(t));
        int figures = t.SubSteps / 10 + 1 + (t.SubSteps % 10 == 0 ? 0 : 1);
        Assert.Equal(figures, doc.Descendants(Svg + "circle").Count(c => Num(c, "r") > 5));
        Assert.Contains(doc.Descendants(Svg + "text"), x => x.Value == $"final head x {t.Distance.ToString("0.00", CultureInfo.InvariantCulture)}");
    }

    [Fact]
    public void TrajectoryCsvHoldsEveryFrame()
    {
        var t = QwopSimulator.Trace(Falling);
        var rows = QwopFigures.TrajectoryCsv(t).TrimEnd('\n').Split('\n');
        Assert.Equal(t.FrameCount + 1, rows.Length);
        for (int f = 0; f < t.FrameCount; f += 17)
        {
            double[] v = rows[f + 1].Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(f, (int)v[0]);
            for (int i = 0; i < 12; i++) Assert.Equal(t.Positions[f * 12 + i], v[2 + i]);
        }
    }

    [Fact]
    public void ChapterHasEverySectionAndQuotesItsRuns()
    {
        using var tmp = new TempDir();
        var ctx = new ExperimentContext(3, DataDirs.FromEnvironment(getEnv: _ => null), tmp.Path, new SilentProgress(), default);
        var chapter = new Report("test").AddSection("qwop");
        var cfg = new QwopExperiment.QwopConfig { Methods = ["mcmc", "cmaes"], Seeds = 2, Evaluations = 3000, TracePoints = 30, FilmstripFrames = 4 };
        new QwopExperiment().Run(ctx, cfg, chapter);
        Assert.Same(cfg, ctx.Config);
        var sections = chapter.Subsections.ToList();
        Assert.Equal(["Comparison", "Convergence", "The best plan", "The walker", "Against the exam report"], sections.Select(s => s.Title));
        var figures = sections.SelectMany(s => s.Blocks).OfType<FigureBlock>().ToList();
        Assert.Equal(7, figures.Count); // method bars, curves, plan bars, filmstrip, chronophotograph, animation, x over time
        Assert.All(figures, f => { Assert.StartsWith("<svg", f.Svg); Assert.DoesNotContain("NaN", f.Svg); XDocument.Parse(f.Svg); });
        var table = sections[0].Blocks.OfType<TableBlock>().Single().Table;
        Assert.Equal(["MCMC", "CMA-ES"], table.Rows.Select(r => r[0]));
        Assert.Equal("6.9376", table.CellText(0, table.Headers.Count - 1)); // the exam's MCMC value next to ours
        // The plan text reproduces the reported best distance exactly.
        string planText = sections[2].Blocks.OfType<PreBlock>().Single().Text;
        double best = QwopSimulator.Simulate(QwopPlan.Parse(planText));
        Assert.Contains(best.ToString("F4", CultureInfo.InvariantCulture), sections[2].Blocks.OfType<KeyValueBlock>().Single().Pairs.Single(p => p.Key == "distance").Value);
        Assert.Contains("8.0988", sections[4].Blocks.OfType<ParagraphBlock>().Single().Text);
    }
}
