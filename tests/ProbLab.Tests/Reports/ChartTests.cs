// Charts: every kind renders to a parseable SVG with finite coordinates; NaN/∞ data are dropped (and break
// lines); log axes put decades at equal pixel spacing; equal aspect gives equal pixels per unit; the
// automatic legend avoids the data; the categorical palette has 40 well-separated colours.
using System.Globalization;
using System.Xml.Linq;
using ProbLab.Reports;
using ProbLab.Tensors;

namespace ProbLab.Tests.Reports;

public class ChartTests
{
    private static readonly XNamespace Ns = SvgAssert.Ns;

    public static TheoryData<string> DemoCharts => ["loss", "band", "trace", "map", "values", "forty", "hist", "bars", "density", "regions", "confusion", "grid"];

    private static Chart Demo(string name)
    {
        var rng = new Rng(3);
        return name switch
        {
            "loss" => DemoReport.LossCurves(rng), "band" => DemoReport.SeedBand(rng), "trace" => DemoReport.Trace(rng),
            "map" => DemoReport.MixtureMap(rng), "values" => DemoReport.ValueScatter(rng), "forty" => DemoReport.FortyClasses(rng),
            "hist" => DemoReport.SkillHistogram(rng), "bars" => DemoReport.Grouped(), "density" => DemoReport.Density(rng),
            "regions" => DemoReport.DecisionRegions(rng), "confusion" => DemoReport.Confusion(), "grid" => DemoReport.Snapshots(rng),
            _ => throw new ArgumentException(name),
        };
    }

    [Theory]
    [MemberData(nameof(DemoCharts))]
    public void EveryChartKindIsValidSvg(string name)
    {
        var chart = Demo(name);
        var doc = SvgAssert.Valid(chart.ToSvg());
        Assert.NotEmpty(doc.Descendants(Ns + "text"));
        if (chart.Title != null) Assert.Contains(chart.Title, SvgAssert.Texts(doc));
    }

    /// <summary>Elements drawn in the clipped data layer (not legend or axes).</summary>
    private static IEnumerable<XElement> Clipped(XDocument doc, string name)
        => doc.Descendants(Ns + "g").Where(g => g.Attribute("clip-path") != null).SelectMany(g => g.Descendants(Ns + name));

    [Fact]
    public void NonFiniteDataAreDroppedAndBreakTheLine()
    {
        var c = new LineChart();
        c.Add("a", new[] { 0.0, 1, 2, 3, 4, 5 }, new[] { 1.0, 2, double.NaN, 3, double.PositiveInfinity, 4 });
        c.Add("b", new[] { 0.0, 1 }, new[] { double.NaN, double.NaN });
        var doc = SvgAssert.Valid(c.ToSvg());
        // Runs: [0,1] is a line, [3] and [5] are single points drawn as dots.
        Assert.Single(doc.Descendants(Ns + "path"));
        Assert.Equal(2, doc.Descendants(Ns + "circle").Count());
    }

    [Fact]
    public void EmptyChartsStillRenderAxes()
    {
        SvgAssert.Valid(new LineChart { Title = "empty" }.ToSvg());
        SvgAssert.Valid(new ScatterChart().ToSvg());
        SvgAssert.Valid(new Histogram().ToSvg());
        var log = new LineChart();
        log.Y.Scale = AxisScale.Log;
        log.Add("non-positive only", new[] { 0.0, -1, -2 });
        SvgAssert.Valid(log.ToSvg());
        var flat = new LineChart();
        flat.Add("constant", new[] { 5.0, 5, 5 });
        flat.Add("single", new[] { 2.0 }, new[] { 1e-12 });
        flat.Add("extreme", new[] { 0.0, 1, 2 }, new[] { -double.MaxValue, 1, double.MaxValue });
        SvgAssert.Valid(flat.ToSvg());
        var huge = new ScatterChart();
        huge.Add("huge", new[] { -1e299, 1e299 }, new[] { 1e-300, 3e-300 });
        SvgAssert.Valid(huge.ToSvg());
    }

    /// <summary>Y tick labels (right-anchored texts left of the plot) with their pixel y.</summary>
    private static List<(double Value, double Y)> YTicks(XDocument doc) => doc.Descendants(Ns + "text")
        .Where(t => t.Attribute("text-anchor")?.Value == "end" && t.Attribute("dominant-baseline")?.Value == "central")
        .Select(t => (Value: ParseTick(t.Value), Y: SvgAssert.Attr(t, "y"))).ToList();

    /// <summary>X tick labels (centred, hanging texts below the plot) with their pixel x.</summary>
    private static List<(double Value, double X)> XTicks(XDocument doc) => doc.Descendants(Ns + "text")
        .Where(t => t.Attribute("text-anchor")?.Value == "middle" && t.Attribute("dominant-baseline")?.Value == "hanging")
        .Select(t => (Value: ParseTick(t.Value), X: SvgAssert.Attr(t, "x"))).ToList();

    private static double ParseTick(string s)
    {
        if (s.StartsWith("10")) // 10⁻³ style
        {
            const string sup = "⁰¹²³⁴⁵⁶⁷⁸⁹";
            string exp = string.Concat(s[2..].Select(c => c == '⁻' ? '-' : (char)('0' + sup.IndexOf(c))));
            if (s.Length > 2 && s[2..].All(c => sup.Contains(c) || c == '⁻')) return Math.Pow(10, int.Parse(exp, CultureInfo.InvariantCulture));
        }
        return SvgAssert.ParseLabel(s);
    }

    [Fact]
    public void LogAxisPutsDecadesAtEqualSpacing()
    {
        var c = new LineChart();
        c.Y.Scale = AxisScale.Log;
        var x = Enumerable.Range(0, 61).Select(i => (double)i).ToArray();
        c.Add("decay", x, x.Select(i => Math.Pow(10, 2 - i / 12.0)).ToArray()); // 1e2 .. 1e-3
        var ticks = YTicks(SvgAssert.Valid(c.ToSvg())).OrderByDescending(t => t.Value).ToList();
        Check.Close([100, 10, 1, 0.1, 0.01, 0.001], ticks.Select(t => t.Value).ToArray(), rtol: 1e-9, name: "log tick values");
        double gap = ticks[1].Y - ticks[0].Y;
        Assert.True(gap > 10, $"decade spacing {gap}px");
        for (int i = 1; i < ticks.Count; i++) Check.Close(gap, ticks[i].Y - ticks[i - 1].Y, atol: 0.05, rtol: 0, name: $"decade gap {i}");
    }

    [Fact]
    public void LogXAxisWorksToo()
    {
        var c = new LineChart();
        c.X.Scale = AxisScale.Log;
        var lr = new[] { 1e-5, 1e-4, 1e-3, 1e-2, 1e-1 };
        c.Add("final loss", lr, new[] { 3.0, 2.1, 1.5, 1.9, double.NaN });
        c.Add("bad x", new[] { 0.0, -1 }, new[] { 1.0, 2 }); // dropped: x ≤ 0 on a log axis
        var ticks = XTicks(SvgAssert.Valid(c.ToSvg())).OrderBy(t => t.Value).ToList();
        // The x = 0.1 point has a NaN y, so it does not widen the axis: three decades remain.
        Check.Close(lr[..4], ticks.Select(t => t.Value).ToArray(), rtol: 1e-9, name: "log x ticks");
        for (int i = 2; i < ticks.Count; i++) Check.Close(ticks[1].X - ticks[0].X, ticks[i].X - ticks[i - 1].X, atol: 0.05, rtol: 0, name: "decade gap");
    }

    [Fact]
    public void HeatmapFromFunctionSamplesCellCentres()
    {
        var h = Heatmap.FromFunction((x, y) => x + 10 * y, (0, 4), (0, 2), nx: 4, ny: 2);
        Assert.Equal((2, 4), h.Shape);
        var doc = SvgAssert.Valid(h.ToSvg());
        var cells = doc.Descendants(Ns + "rect").Where(r => r.Element(Ns + "title") != null).Select(r => r.Element(Ns + "title")!.Value).ToList();
        Assert.Equal(["5.5", "6.5", "7.5", "8.5", "15.5", "16.5", "17.5", "18.5"], cells); // f at (0.5, 0.5), (1.5, 0.5), ... row 0 first
    }

    [Fact]
    public void LinearTicksMapLinearly()
    {
        var c = new LineChart();
        c.Add("line", new[] { 0.0, 10 }, new[] { -3.0, 7 });
        var doc = SvgAssert.Valid(c.ToSvg());
        var y = YTicks(doc); var x = XTicks(doc);
        Assert.True(y.Count >= 3 && x.Count >= 3);
        // Pixel position is affine in the value: constant pixels per unit between any two ticks.
        double py = (y[^1].Y - y[0].Y) / (y[^1].Value - y[0].Value), px = (x[^1].X - x[0].X) / (x[^1].Value - x[0].Value);
        Assert.True(py < 0 && px > 0, "y grows upwards, x to the right");
        for (int i = 1; i < y.Count; i++) Check.Close(py, (y[i].Y - y[0].Y) / (y[i].Value - y[0].Value), rtol: 1e-3, name: "y affine");
        for (int i = 1; i < x.Count; i++) Check.Close(px, (x[i].X - x[0].X) / (x[i].Value - x[0].Value), rtol: 1e-3, name: "x affine");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EqualAspectGivesEqualPixelsPerUnit(bool fixedLimits)
    {
        var rng = new Rng(5);
        var s = new ScatterChart { EqualAspect = true, Width = 600, Height = 300 };
        if (fixedLimits) { s.X.Min = -1; s.X.Max = 1; s.Y.Min = -1; s.Y.Max = 1; }
        s.Add("p", Enumerable.Range(0, 50).Select(_ => rng.Normal()).ToArray(), Enumerable.Range(0, 50).Select(_ => 3 * rng.Normal()).ToArray());
        var doc = SvgAssert.Valid(s.ToSvg());
        var y = YTicks(doc); var x = XTicks(doc);
        double py = Math.Abs((y[^1].Y - y[0].Y) / (y[^1].Value - y[0].Value)), px = (x[^1].X - x[0].X) / (x[^1].Value - x[0].Value);
        Check.Close(px, py, rtol: 2e-3, name: "pixels per unit y vs x");
    }

    [Fact]
    public void AutoLegendGoesToTheEmptyCorner()
    {
        // Points everywhere except the bottom-left quadrant.
        var s = new ScatterChart();
        var xs = new List<double>(); var ys = new List<double>();
        for (int i = 0; i <= 20; i++) for (int j = 0; j <= 20; j++) if (i > 10 || j > 10) { xs.Add(i); ys.Add(j); }
        s.Add("first series", xs, ys); s.Add("second", new[] { 20.0 }, new[] { 20.0 });
        var doc = SvgAssert.Valid(s.ToSvg());
        var frame = doc.Descendants(Ns + "rect").Single(r => r.Attribute("stroke")?.Value == "#dddddd");
        double lx = SvgAssert.Attr(frame, "x"), ly = SvgAssert.Attr(frame, "y"), lw = SvgAssert.Attr(frame, "width"), lh = SvgAssert.Attr(frame, "height");
        foreach (var c in doc.Descendants(Ns + "circle").Where(c => c.Attribute("r")!.Value == "3"))
        {
            double cx = SvgAssert.Attr(c, "cx"), cy = SvgAssert.Attr(c, "cy");
            Assert.False(cx > lx && cx < lx + lw && cy > ly && cy < ly + lh, $"data point ({cx}, {cy}) under the legend");
        }
        Assert.True(lx < s.Width / 2 && ly > s.Height / 2, "legend should be bottom-left");
    }

    [Fact]
    public void LegendMovesOutsideWhenNoCornerIsFree()
    {
        var s = new ScatterChart();
        var xs = new List<double>(); var ys = new List<double>();
        for (int i = 0; i <= 20; i++) for (int j = 0; j <= 20; j++) { xs.Add(i); ys.Add(j); }
        s.Add("dense", xs, ys);
        var doc = SvgAssert.Valid(s.ToSvg());
        Assert.DoesNotContain(doc.Descendants(Ns + "rect"), r => r.Attribute("stroke")?.Value == "#dddddd");
        var label = doc.Descendants(Ns + "text").Single(t => t.Value == "dense");
        double maxDataX = doc.Descendants(Ns + "circle").Max(c => SvgAssert.Attr(c, "cx"));
        Assert.True(SvgAssert.Attr(label, "x") > maxDataX, "legend label right of all data");
    }

    [Fact]
    public void CategoricalPaletteHasFortyDistinctColours()
    {
        Assert.Equal(40, Palette.Count);
        var labs = Palette.All.Select(Lab).ToList();
        Assert.Equal(40, Palette.All.Select(c => c.Hex).Distinct().Count());
        double minDist = double.MaxValue;
        for (int i = 0; i < 40; i++) for (int j = 0; j < i; j++) minDist = Math.Min(minDist, Dist(labs[i], labs[j]));
        Assert.True(minDist > 20, $"closest pair of categorical colours has ΔE76 = {minDist:F1}");
        Assert.Equal(Palette.Categorical(0), Palette.Categorical(40));
        Assert.Throws<ArgumentOutOfRangeException>(() => Palette.Categorical(-1));
    }

    // CIELAB (D65) from sRGB, written independently of the library for the palette check.
    private static (double L, double A, double B) Lab(Color c)
    {
        static double Lin(byte v) { double s = v / 255.0; return s <= 0.04045 ? s / 12.92 : Math.Pow((s + 0.055) / 1.055, 2.4); }
        double r = Lin(c.R), g = Lin(c.G), b = Lin(c.B);
        double x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, y = 0.2126 * r + 0.7152 * g + 0.0722 * b, z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
        static double F(double t) => t > 0.008856 ? Math.Cbrt(t) : 7.787 * t + 16.0 / 116;
        return (116 * F(y) - 16, 500 * (F(x) - F(y)), 200 * (F(y) - F(z)));
    }

    private static double Dist((double L, double A, double B) p, (double L, double A, double B) q)
        => Math.Sqrt((p.L - q.L) * (p.L - q.L) + (p.A - q.A) * (p.A - q.A) + (p.B - q.B) * (p.B - q.B));

    [Fact]
    public void CategoricalScatterUsesClassColoursAndNames()
    {
        var s = new ScatterChart();
        s.AddCategorical("c", new[] { 0.0, 1, 2 }, new[] { 0.0, 1, 2 }, [0, 2, 2], ["zero", "one", "two"]);
        var doc = SvgAssert.Valid(s.ToSvg());
        var texts = SvgAssert.Texts(doc);
        Assert.Contains("zero", texts); Assert.Contains("two", texts); Assert.DoesNotContain("one", texts);
        Assert.Contains(doc.Descendants(Ns + "circle"), c => c.Attribute("fill")?.Value == Palette.Categorical(2).Hex);
        Assert.Throws<ArgumentException>(() => s.AddCategorical("bad", new[] { 0.0 }, new[] { 0.0 }, [-1]));
        Assert.Throws<ArgumentException>(() => s.Add("bad", new[] { 0.0, 1 }, new[] { 0.0 }));
    }

    [Fact]
    public void HistogramBinsCountsAndDensities()
    {
        var h = new Histogram { Bins = 4, BinRange = (0, 4) };
        var values = new[] { 0.0, 0.5, 1, 3.99, 4, double.NaN, 7 };
        h.AddValues("v", values);
        var edges = h.Edges();
        Check.Close([0, 1, 2, 3, 4], edges, name: "edges");
        Check.Close([2, 1, 0, 2], h.BinHeights(values, edges), name: "counts (last bin closed, NaN and out-of-range ignored)");
        h.Density = true;
        var d = h.BinHeights(values, edges);
        Check.Close(1, d.Sum() * 1.0, name: "density integrates to 1");
        Assert.Throws<ArgumentException>(() => h.AddBars("bad", new[] { 0.0, 1 }, new[] { 1.0, 2 }));
        Assert.Throws<ArgumentException>(() => h.AddGaussian("bad", 0, 0));
    }

    [Fact]
    public void GaussianOverlayMatchesCountScale()
    {
        var rng = new Rng(2);
        var h = new Histogram { Bins = 21, BinRange = (-4.2, 4.2) }; // a bin centred on the mode
        var v = Enumerable.Range(0, 200_000).Select(_ => rng.Normal()).ToArray();
        h.AddValues("v", v);
        h.AddGaussian("fit", 0, 1);
        var doc = SvgAssert.Valid(h.ToSvg());
        // The curve's peak is at the tallest bar's height (counts scale = n · bin width · pdf); 200k draws keep noise < 1%.
        double barTop = Clipped(doc, "rect").Min(r => SvgAssert.Attr(r, "y"));
        var curveYs = doc.Descendants(Ns + "path").SelectMany(p => p.Attribute("d")!.Value.Split(' ')).Where(t => t.Contains(','))
            .Select(t => double.Parse(t.TrimStart('M', 'L').Split(',')[1], CultureInfo.InvariantCulture)).ToList();
        Check.Close(barTop, curveYs.Min(), atol: 4, rtol: 0, name: "curve peak vs bar peak (px)");
    }

    [Fact]
    public void BarChartValidatesAndDrawsEveryBar()
    {
        var b = new BarChart("a", "b", "c");
        b.Add("g1", new[] { 1.0, 2, 3 }); b.Add("g2", new[] { 1.5, double.NaN, -1 }, new[] { 0.1, 0.1, 0.1 });
        var doc = SvgAssert.Valid(b.ToSvg());
        Assert.Equal(5, Clipped(doc, "rect").Count()); // the NaN slot stays empty
        Assert.Contains("a", SvgAssert.Texts(doc));
        Assert.Throws<ArgumentException>(() => b.Add("bad", new[] { 1.0 }));
        Assert.Throws<ArgumentException>(() => new BarChart());
    }

    [Fact]
    public void SmallHeatmapsUseCellsLargeOnesAPngWithTransparentNaN()
    {
        var small = new double[3, 4];
        small[1, 2] = double.NaN;
        var doc = SvgAssert.Valid(new Heatmap(small).ToSvg());
        Assert.Equal(11, doc.Descendants(Ns + "rect").Count(r => r.Element(Ns + "title") != null));

        var big = new double[60, 70];
        for (int i = 0; i < 60; i++) for (int j = 0; j < 70; j++) big[i, j] = i + j;
        big[0, 0] = double.NaN; // bottom-left cell (row 0 is the bottom)
        var h = new Heatmap(big, (0, 7), (0, 6));
        var img = SvgAssert.Valid(h.ToSvg()).Descendants(Ns + "image").Single();
        string href = img.Attribute("href")!.Value;
        Assert.StartsWith("data:image/png;base64,", href);
        var png = Png.Decode(Convert.FromBase64String(href["data:image/png;base64,".Length..]));
        Assert.Equal((70, 60, PixelFormat.Rgba), (png.Width, png.Height, png.Format));
        Assert.Equal(0, png[0, 59, 3]);     // NaN → transparent, at the bottom-left of the image
        Assert.Equal(255, png[69, 0, 3]);
        Assert.Equal(ColorMap.Viridis.At(1), new Color(png[69, 0, 0], png[69, 0, 1], png[69, 0, 2])); // max value, top-right
        Assert.Throws<ArgumentException>(() => new Heatmap(new double[0, 3]));
        Assert.Throws<ArgumentException>(() => new Heatmap(small, (1, 1)));
    }

    [Fact]
    public void FigureGridLaysOutPanels()
    {
        var g = DemoReport.Snapshots(new Rng(1));
        var doc = SvgAssert.Valid(g.ToSvg());
        var root = doc.Root!;
        Assert.Equal(3 * 300 + 2 * 6, SvgAssert.Attr(root, "width"));
        Assert.Equal(30 + 2 * 240 + 6, SvgAssert.Attr(root, "height"));
        var texts = SvgAssert.Texts(doc);
        foreach (int e in new[] { 1, 10, 20, 30, 40, 50 }) Assert.Contains($"epoch {e}", texts);
        Assert.Throws<ArgumentException>(() => new FigureGrid(0));
    }

    [Fact]
    public void ImageViewAndDrawingPanelRender()
    {
        var g = new FigureGrid(2);
        g.Add(new ImageView(RasterImage.FromGray(new float[16], 4, 4)) { Title = "img", Caption = "cap" });
        g.Add(new DrawingPanel((svg, box) => svg.Circle(box.CenterX, box.CenterY, 10, Paint.Solid("#ff0000"))) { Title = "drawn" });
        var doc = SvgAssert.Valid(g.ToSvg());
        Assert.Single(doc.Descendants(Ns + "image"));
        Assert.Contains("drawn", SvgAssert.Texts(doc));
    }

    [Fact]
    public void LongSeriesAreDecimatedButKeepTheirEnvelope()
    {
        var c = new LineChart { Width = 400 };
        var y = Enumerable.Range(0, 100_000).Select(i => Math.Sin(i * 0.01) + (i == 54321 ? 5 : 0)).ToArray();
        c.Add("long", y);
        string svg = c.ToSvg();
        var doc = SvgAssert.Valid(svg);
        string d = doc.Descendants(Ns + "path").Single().Attribute("d")!.Value;
        int points = d.Count(ch => ch == 'L') + 1;
        Assert.InRange(points, 400, 4 * 400);
        // The spike survives: the smallest pixel y (highest point) is the spike's.
        double minY = d.Split(' ').Select(t => double.Parse(t.TrimStart('M', 'L').Split(',')[1], CultureInfo.InvariantCulture)).Min();
        var ticks = YTicks(doc);
        double pxPerUnit = (ticks[^1].Y - ticks[0].Y) / (ticks[^1].Value - ticks[0].Value);
        Check.Close(y.Max(), ticks[0].Value + (minY - ticks[0].Y) / pxPerUnit, atol: 0.05, rtol: 0, name: "spike height");
    }
}
