// Histogram: bars from raw values (shared bin edges across series so they compare), or from precomputed
// bars, with optional overlaid curves (a fitted Gaussian, a true density). Counts or densities
// (count / (n · bin width), so the bars integrate to 1 and match a pdf curve). Non-finite values are ignored.
namespace ProbLab.Reports;

/// <summary>A histogram: <c>var h = new Histogram { Density = true }; h.AddValues("samples", xs); h.AddGaussian("fit", mu, sd);</c>.</summary>
public sealed class Histogram : XYChart
{
    private sealed record ValueSeries(string? Name, double[] Values, string? Color);
    private sealed record BarSeries(string? Name, double[] Edges, double[] Heights, string? Color);
    private sealed record Curve(string? Name, double[]? X, double[]? Y, Func<double, double>? F, int Samples, string? Color, string? Dash, bool Scaled);

    private readonly List<ValueSeries> _values = [];
    private readonly List<BarSeries> _bars = [];
    private readonly List<Curve> _curves = [];

    /// <summary>Number of bins for raw values (default 30).</summary>
    public int Bins { get; set; } = 30;
    /// <summary>Normalise raw-value bars to a density (area 1) instead of counts.</summary>
    public bool Density { get; set; }
    /// <summary>Fixed binning range (null: the range of all finite values).</summary>
    public (double Min, double Max)? BinRange { get; set; }
    /// <summary>Bar fill opacity (overlapping series stay visible).</summary>
    public double BarOpacity { get; set; } = 0.55;

    /// <summary>Adds raw values to be binned.</summary>
    public void AddValues<T>(string? name, IEnumerable<T> values, string? color = null) where T : System.Numerics.INumberBase<T>
        => _values.Add(new ValueSeries(name, Seq.ToDoubles(values), color));

    /// <summary>Adds precomputed bars: <paramref name="edges"/> has one more element than <paramref name="heights"/>.</summary>
    /// <exception cref="ArgumentException">When edges.Length != heights.Length + 1.</exception>
    public void AddBars<TE, TH>(string? name, IEnumerable<TE> edges, IEnumerable<TH> heights, string? color = null)
        where TE : System.Numerics.INumberBase<TE> where TH : System.Numerics.INumberBase<TH>
    {
        var e = Seq.ToDoubles(edges); var h = Seq.ToDoubles(heights);
        if (e.Length != h.Length + 1) throw new ArgumentException($"histogram bars '{name}': {e.Length} edges for {h.Length} bars (need bars + 1)");
        _bars.Add(new BarSeries(name, e, h, color));
    }

    /// <summary>Overlays a curve given by points (drawn as is, in the chart's units).</summary>
    public void AddCurve<TX, TY>(string? name, IEnumerable<TX> x, IEnumerable<TY> y, string? color = null, string? dash = null)
        where TX : System.Numerics.INumberBase<TX> where TY : System.Numerics.INumberBase<TY>
    {
        var xs = Seq.ToDoubles(x); var ys = Seq.ToDoubles(y);
        Seq.SameLength("histogram curve", name ?? "", xs.Length, ys.Length);
        _curves.Add(new Curve(name, xs, ys, null, 0, color, dash, false));
    }

    /// <summary>
    /// Overlays a density function f(x) sampled over the x range. It is in density units; when <see cref="Density"/>
    /// is false it is scaled by n · binWidth of the first value series so it matches the counts.
    /// </summary>
    public void AddDensity(string? name, Func<double, double> pdf, int samples = 200, string? color = null, string? dash = null)
        => _curves.Add(new Curve(name, null, null, pdf, Math.Max(samples, 2), color, dash, true));

    /// <summary>Overlays the Gaussian N(mean, sd²) density (see <see cref="AddDensity"/> for scaling).</summary>
    /// <exception cref="ArgumentException">When sd is not positive or mean is not finite.</exception>
    public void AddGaussian(string? name, double mean, double sd, string? color = null, string? dash = null)
    {
        if (!(sd > 0) || !double.IsFinite(sd) || !double.IsFinite(mean)) throw new ArgumentException($"histogram Gaussian '{name}': need finite mean and sd > 0, got N({mean}, {sd}²)");
        AddDensity(name, x => Math.Exp(-0.5 * ((x - mean) / sd) * ((x - mean) / sd)) / (sd * Math.Sqrt(2 * Math.PI)), 200, color, dash);
    }

    /// <summary>Shared bin edges of all raw-value series (Bins + 1 values).</summary>
    internal double[] Edges()
    {
        double lo, hi;
        if (BinRange is var (a, b)) { lo = a; hi = b; }
        else
        {
            var all = _values.SelectMany(v => v.Values).Where(double.IsFinite).ToArray();
            if (all.Length == 0) return [0, 1];
            lo = all.Min(); hi = all.Max();
        }
        if (lo == hi) { lo -= 0.5; hi += 0.5; }
        int k = Math.Max(1, Bins);
        return Enumerable.Range(0, k + 1).Select(i => lo + (hi - lo) * i / k).ToArray();
    }

    /// <summary>Bar heights of one raw-value series over the edges (counts, or densities when <see cref="Density"/>).</summary>
    internal double[] BinHeights(double[] values, double[] edges)
    {
        int k = edges.Length - 1;
        var counts = new double[k];
        double lo = edges[0], hi = edges[^1], w = (hi - lo) / k;
        int n = 0;
        foreach (double v in values)
        {
            if (!double.IsFinite(v) || v < lo || v > hi) continue;
            int i = Math.Min((int)((v - lo) / w), k - 1); // the last bin is closed on the right, as numpy's
            counts[i]++; n++;
        }
        if (Density && n > 0) for (int i = 0; i < k; i++) counts[i] /= n * w;
        return counts;
    }

    private IEnumerable<(string? Name, double[] Edges, double[] Heights, string Color)> AllBars()
    {
        int c = 0;
        if (_values.Count > 0)
        {
            var edges = Edges();
            foreach (var v in _values) yield return (v.Name, edges, BinHeights(v.Values, edges), v.Color ?? Palette.Categorical(c++).Hex);
        }
        foreach (var b in _bars) yield return (b.Name, b.Edges, b.Heights, b.Color ?? Palette.Categorical(c++).Hex);
    }

    /// <summary>Curve i defaults to a darker shade of bar series i (a fit drawn over its own data), else the next palette colour.</summary>
    private string CurveColor(int i)
    {
        if (_curves[i].Color != null) return _curves[i].Color!;
        var bars = AllBars().Select(b => b.Color).ToList();
        if (i < bars.Count && Color.TryParse(bars[i], out var c)) return c.Darken(0.35).Hex;
        return Palette.Categorical(bars.Count + i).Hex;
    }

    private (double[] X, double[] Y) CurvePoints(Curve c, double lo, double hi)
    {
        if (c.F == null) return (c.X!, c.Y!);
        double scale = 1;
        if (!Density && _values.Count > 0)
        {
            var e = Edges();
            scale = _values[0].Values.Count(v => double.IsFinite(v) && v >= e[0] && v <= e[^1]) * (e[1] - e[0]);
        }
        var xs = Enumerable.Range(0, c.Samples).Select(i => lo + (hi - lo) * i / (c.Samples - 1)).ToArray();
        return (xs, xs.Select(x => c.F(x) * scale).ToArray());
    }

    private (double Lo, double Hi) XRangeOfBars()
    {
        var bars = AllBars().ToList();
        if (bars.Count == 0) return (double.NaN, double.NaN);
        return (bars.Min(b => b.Edges.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Min()), bars.Max(b => b.Edges.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max()));
    }

    internal override double YPadding => 0.04;
    internal override bool IncludeZeroY => !Y.IsLog;

    internal override void CollectExtent(DataExtent e)
    {
        foreach (var (_, edges, heights, _) in AllBars())
            for (int i = 0; i < heights.Length; i++) { e.Add(edges[i], heights[i]); e.Add(edges[i + 1], heights[i]); }
        var (lo, hi) = XRangeOfBars();
        foreach (var c in _curves)
        {
            if (c.F != null && double.IsNaN(lo)) continue; // a function needs an x range from the bars
            var (xs, ys) = CurvePoints(c, lo, hi);
            e.AddAll(xs, ys);
        }
    }

    internal override IEnumerable<LegendEntry> LegendEntries()
    {
        foreach (var (name, _, _, color) in AllBars())
            if (!string.IsNullOrEmpty(name)) yield return new LegendEntry(name, color, LegendSymbol.Patch, Opacity: BarOpacity);
        for (int i = 0; i < _curves.Count; i++)
            if (!string.IsNullOrEmpty(_curves[i].Name)) yield return new LegendEntry(_curves[i].Name!, CurveColor(i), LegendSymbol.Line, _curves[i].Dash);
    }

    internal override void DrawData(PlotContext ctx)
    {
        double baseY = Y.IsLog ? ctx.Plot.Bottom : ctx.Y(0);
        foreach (var (_, edges, heights, color) in AllBars())
        {
            var paint = new Paint(Fill: color, FillOpacity: BarOpacity, Stroke: color, StrokeWidth: 0.7, StrokeOpacity: 0.9);
            for (int i = 0; i < heights.Length; i++)
            {
                double x0 = ctx.X(edges[i]), x1 = ctx.X(edges[i + 1]), y = ctx.Y(heights[i]);
                if (double.IsNaN(x0) || double.IsNaN(x1) || double.IsNaN(y) || heights[i] == 0) continue;
                ctx.Svg.Rect(x0, Math.Min(y, baseY), x1 - x0, Math.Abs(baseY - y), paint);
                ctx.Occupancy.Rect(new Box(Math.Min(x0, x1), Math.Min(y, baseY), Math.Abs(x1 - x0), Math.Abs(baseY - y)));
            }
        }
        var (lo, hi) = (ctx.XScale.Min, ctx.XScale.Max);
        for (int i = 0; i < _curves.Count; i++)
        {
            var (xs, ys) = CurvePoints(_curves[i], lo, hi);
            foreach (var run in ctx.MapRuns(xs, ys))
            {
                ctx.Svg.Path(new PathData().Polyline(run), Paint.Line(CurveColor(i), 2, _curves[i].Dash));
                for (int j = 1; j < run.Count; j++) ctx.Occupancy.Segment(run[j - 1].X, run[j - 1].Y, run[j].X, run[j].Y);
            }
        }
    }
}
