// LineChart: multi-series line plot (loss curves, traces) with optional markers, shaded bands (mean ± sd
// over seeds), log axes and reference lines. Non-finite points (and non-positive ones on a log axis) are
// dropped and break the line into separate runs, so a diverged run still shows its curve up to the NaN.
// Long monotone series are decimated per pixel column (first/min/max/last) so the SVG stays small
// while the drawn envelope stays exact.
namespace ProbLab.Reports;

/// <summary>One line of a <see cref="LineChart"/>; set its properties after <c>chart.Add(...)</c>.</summary>
public sealed class LineSeries
{
    internal LineSeries(string? name, double[] x, double[] y) { Name = name; X = x; Y = y; }

    /// <summary>Legend label (null or empty: not in the legend).</summary>
    public string? Name { get; set; }
    /// <summary>X values.</summary>
    public double[] X { get; }
    /// <summary>Y values (same length as X).</summary>
    public double[] Y { get; }
    /// <summary>CSS colour (null: the next palette colour).</summary>
    public string? Color { get; set; }
    /// <summary>Stroke width in pixels.</summary>
    public double Width { get; set; } = 1.8;
    /// <summary>SVG dash pattern such as "6 3" (null: solid).</summary>
    public string? Dash { get; set; }
    /// <summary>Marker drawn at every point (default none).</summary>
    public MarkerShape Marker { get; set; } = MarkerShape.None;
    /// <summary>Marker radius in pixels.</summary>
    public double MarkerSize { get; set; } = 3;
    /// <summary>Line opacity in [0, 1].</summary>
    public double Opacity { get; set; } = 1;
    /// <summary>Lower edge of the shaded band (null: no band).</summary>
    public double[]? BandLower { get; private set; }
    /// <summary>Upper edge of the shaded band.</summary>
    public double[]? BandUpper { get; private set; }
    /// <summary>Fill opacity of the band.</summary>
    public double BandOpacity { get; set; } = 0.18;

    /// <summary>Adds a shaded band between lower and upper (same length as X), e.g. mean ± sd; returns this series.</summary>
    /// <exception cref="ArgumentException">When the lengths differ from X.</exception>
    public LineSeries WithBand<T>(IEnumerable<T> lower, IEnumerable<T> upper) where T : System.Numerics.INumberBase<T>
    {
        var lo = Seq.ToDoubles(lower); var hi = Seq.ToDoubles(upper);
        if (lo.Length != X.Length || hi.Length != X.Length)
            throw new ArgumentException($"line series '{Name}': band has {lo.Length}/{hi.Length} values but x has {X.Length}");
        BandLower = lo; BandUpper = hi;
        return this;
    }
}

/// <summary>A multi-series line chart: <c>var c = new LineChart { Title = "Loss" }; c.Add("train", steps, losses); c.Y.Scale = AxisScale.Log;</c>.</summary>
public sealed class LineChart : XYChart
{
    private readonly List<LineSeries> _series = [];

    /// <summary>The series in drawing order.</summary>
    public IReadOnlyList<LineSeries> Series => _series;

    /// <summary>Adds a series of (x, y) points; any numeric element types (int, float, double, ...).</summary>
    /// <exception cref="ArgumentException">When x and y differ in length.</exception>
    public LineSeries Add<TX, TY>(string? name, IEnumerable<TX> x, IEnumerable<TY> y)
        where TX : System.Numerics.INumberBase<TX> where TY : System.Numerics.INumberBase<TY>
    {
        var xs = Seq.ToDoubles(x); var ys = Seq.ToDoubles(y);
        Seq.SameLength("line series", name ?? "", xs.Length, ys.Length);
        var s = new LineSeries(name, xs, ys);
        _series.Add(s);
        return s;
    }

    /// <summary>Adds a series with x = 0, 1, 2, ... (e.g. per-step losses).</summary>
    public LineSeries Add<TY>(string? name, IEnumerable<TY> y) where TY : System.Numerics.INumberBase<TY>
    {
        var ys = Seq.ToDoubles(y);
        return Add(name, Seq.Range(ys.Length), ys);
    }

    /// <summary>
    /// Adds the pointwise mean of several runs (e.g. seeds) with a band of mean ± k·sd (sample sd, n − 1);
    /// runs may differ in length; at each x only the finite values present are used.
    /// </summary>
    /// <exception cref="ArgumentException">When no run is given.</exception>
    public LineSeries AddMeanBand<TX, TY>(string? name, IEnumerable<TX> x, IEnumerable<IEnumerable<TY>> runs, double k = 1)
        where TX : System.Numerics.INumberBase<TX> where TY : System.Numerics.INumberBase<TY>
    {
        var xs = Seq.ToDoubles(x);
        var rs = runs.Select(Seq.ToDoubles).ToList();
        if (rs.Count == 0) throw new ArgumentException($"line series '{name}': AddMeanBand needs at least one run");
        var mean = new double[xs.Length]; var lo = new double[xs.Length]; var hi = new double[xs.Length];
        for (int i = 0; i < xs.Length; i++)
        {
            var vals = rs.Where(r => i < r.Length && double.IsFinite(r[i])).Select(r => r[i]).ToArray();
            if (vals.Length == 0) { mean[i] = lo[i] = hi[i] = double.NaN; continue; }
            double m = vals.Average();
            double sd = vals.Length > 1 ? Math.Sqrt(vals.Sum(v => (v - m) * (v - m)) / (vals.Length - 1)) : 0;
            mean[i] = m; lo[i] = m - k * sd; hi[i] = m + k * sd;
        }
        return Add(name, xs, mean).WithBand(lo, hi);
    }

    private string ColorOf(int i) => _series[i].Color ?? Palette.Categorical(i).Hex;

    internal override double XPadding => 0;
    internal override double YPadding => 0.03;

    internal override void CollectExtent(DataExtent e)
    {
        foreach (var s in _series)
        {
            e.AddAll(s.X, s.Y);
            if (s.BandLower != null) { e.AddAll(s.X, s.BandLower); e.AddAll(s.X, s.BandUpper!); }
        }
    }

    internal override IEnumerable<LegendEntry> LegendEntries()
    {
        for (int i = 0; i < _series.Count; i++)
            if (!string.IsNullOrEmpty(_series[i].Name))
                yield return new LegendEntry(_series[i].Name!, ColorOf(i), LegendSymbol.Line, _series[i].Dash, _series[i].Marker, _series[i].Opacity, _series[i].BandLower != null);
    }

    internal override void DrawData(PlotContext ctx)
    {
        for (int i = 0; i < _series.Count; i++) DrawBand(ctx, _series[i], ColorOf(i));
        for (int i = 0; i < _series.Count; i++) DrawLine(ctx, _series[i], ColorOf(i));
    }

    private static void DrawBand(PlotContext ctx, LineSeries s, string color)
    {
        if (s.BandLower == null || s.BandUpper == null) return;
        // Each run of points where x, lower and upper are all drawable becomes one polygon.
        var upper = new List<(double, double)>(); var lower = new List<(double, double)>();
        void Flush()
        {
            if (upper.Count >= 2)
            {
                lower.Reverse();
                ctx.Svg.Polygon([.. upper, .. lower], new Paint(Fill: color, FillOpacity: s.BandOpacity));
                for (int j = 0; j < upper.Count; j++)
                {
                    var (ux, uy) = upper[j]; var (lx, ly) = lower[lower.Count - 1 - j];
                    ctx.Occupancy.Segment(ux, uy, lx, ly);
                    if (j > 0) { ctx.Occupancy.Segment(upper[j - 1].Item1, upper[j - 1].Item2, ux, uy); }
                }
            }
            upper.Clear(); lower.Clear();
        }
        for (int i = 0; i < s.X.Length; i++)
        {
            double px = ctx.X(s.X[i]), pu = ctx.Y(s.BandUpper[i]), pl = ctx.Y(s.BandLower[i]);
            if (double.IsNaN(px) || double.IsNaN(pu) || double.IsNaN(pl)) { Flush(); continue; }
            upper.Add((px, pu)); lower.Add((px, pl));
        }
        Flush();
    }

    private static void DrawLine(PlotContext ctx, LineSeries s, string color)
    {
        var paint = Paint.Line(color, s.Width, s.Dash, s.Opacity);
        var markerPaint = new Paint(Fill: color, Stroke: "#ffffff", StrokeWidth: 0.8, Opacity: s.Opacity);
        foreach (var run in ctx.MapRuns(s.X, s.Y))
        {
            var pts = Decimate(run, ctx.Plot.Width);
            if (pts.Count == 1) Markers.Draw(ctx.Svg, MarkerShape.Circle, pts[0].X, pts[0].Y, s.Width * 1.2, Paint.Solid(color));
            else ctx.Svg.Path(new PathData().Polyline(pts), paint);
            for (int i = 0; i < pts.Count; i++)
            {
                if (i > 0) ctx.Occupancy.Segment(pts[i - 1].X, pts[i - 1].Y, pts[i].X, pts[i].Y);
                else ctx.Occupancy.Point(pts[0].X, pts[0].Y);
            }
            if (s.Marker != MarkerShape.None)
                foreach (var (x, y) in run) Markers.Draw(ctx.Svg, s.Marker, x, y, s.MarkerSize, markerPaint);
        }
    }

    /// <summary>
    /// For runs much longer than the plot is wide and monotone in x, keeps per pixel column the first, min,
    /// max and last point in their original order (the M4 idea: the rasterised line is unchanged).
    /// </summary>
    internal static List<(double X, double Y)> Decimate(List<(double X, double Y)> run, double plotWidth)
    {
        if (run.Count <= Math.Max(2000, 4 * plotWidth)) return run;
        for (int i = 1; i < run.Count; i++) if (run[i].X < run[i - 1].X) return run;
        var result = new List<(double X, double Y)>();
        int start = 0;
        while (start < run.Count)
        {
            int col = (int)Math.Floor(run[start].X), end = start;
            while (end + 1 < run.Count && (int)Math.Floor(run[end + 1].X) == col) end++;
            int iMin = start, iMax = start;
            for (int i = start; i <= end; i++)
            {
                if (run[i].Y < run[iMin].Y) iMin = i;
                if (run[i].Y > run[iMax].Y) iMax = i;
            }
            foreach (int i in new SortedSet<int> { start, iMin, iMax, end }) result.Add(run[i]);
            start = end + 1;
        }
        return result;
    }
}
