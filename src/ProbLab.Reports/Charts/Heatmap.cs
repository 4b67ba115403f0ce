// Heatmap: a matrix drawn as coloured cells over x/y ranges (2-D densities, decision regions, confusion
// matrices) with a colour bar and optional overlaid points. Row 0 is at the bottom (y = YRange.Min) by
// default, matching a grid evaluated at increasing y; set RowsTopDown for matrices read like tables.
// Small matrices become rects (optionally with values written in), large ones one embedded PNG image with
// crisp pixels. NaN/∞ cells are transparent.
namespace ProbLab.Reports;

/// <summary>A heatmap: <c>var h = new Heatmap(z, (-3, 3), (-3, 3)) { ColorLabel = "p(x)" }; h.AddPoints("data", xs, ys);</c>, with z[row, col].</summary>
public sealed class Heatmap : XYChart
{
    private readonly double[,] _z;
    private readonly List<ScatterSeries> _points = [];

    /// <summary>Data range covered by the columns (left edge of column 0 to right edge of the last).</summary>
    public (double Min, double Max) XRange { get; }
    /// <summary>Data range covered by the rows.</summary>
    public (double Min, double Max) YRange { get; }
    /// <summary>Colour map (default viridis).</summary>
    public ColorMap ColorMap { get; set; } = ColorMap.Viridis;
    /// <summary>Value mapped to the low end of the colour map (null: data minimum).</summary>
    public double? ZMin { get; set; }
    /// <summary>Value mapped to the high end (null: data maximum).</summary>
    public double? ZMax { get; set; }
    /// <summary>Log10 colour scale (non-positive cells become transparent).</summary>
    public bool LogColor { get; set; }
    /// <summary>Title of the colour bar.</summary>
    public string? ColorLabel { get; set; }
    /// <summary>Whether to draw the colour bar (off for categorical maps such as decision regions).</summary>
    public bool ShowColorBar { get; set; } = true;
    /// <summary>Row 0 at the top (tables, confusion matrices) instead of the bottom.</summary>
    public bool RowsTopDown { get; set; }
    /// <summary>Write each cell's value in it (only used when there are at most 400 cells).</summary>
    public bool ShowValues { get; set; }
    /// <summary>Formatter for cell values.</summary>
    public Func<double, string> ValueFormat { get; set; } = v => v.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
    /// <summary>Names of the columns (category x axis, e.g. predicted class); null: numeric axis.</summary>
    public IReadOnlyList<string>? ColumnLabels { get; set; }
    /// <summary>Names of the rows (category y axis, e.g. true class); null: numeric axis.</summary>
    public IReadOnlyList<string>? RowLabels { get; set; }
    /// <summary>Drawing with rects up to this many cells, as one PNG image above it.</summary>
    public int MaxVectorCells { get; set; } = 2500;

    /// <summary>Creates a heatmap of z[row, col]; ranges default to cell indices (0..cols, 0..rows).</summary>
    /// <exception cref="ArgumentException">When z is empty or a range is empty or not finite.</exception>
    public Heatmap(double[,] z, (double Min, double Max)? xRange = null, (double Min, double Max)? yRange = null)
    {
        if (z.GetLength(0) == 0 || z.GetLength(1) == 0) throw new ArgumentException("heatmap matrix is empty");
        _z = z;
        XRange = xRange ?? (0, z.GetLength(1));
        YRange = yRange ?? (0, z.GetLength(0));
        foreach (var (lo, hi, n) in new[] { (XRange.Min, XRange.Max, "x"), (YRange.Min, YRange.Max, "y") })
            if (!double.IsFinite(lo) || !double.IsFinite(hi) || !(hi > lo)) throw new ArgumentException($"heatmap {n} range [{lo}, {hi}] must be finite and increasing");
        X.Grid = false; Y.Grid = false; // grid lines would be hidden under the cells anyway
    }

    /// <summary>
    /// A heatmap of f(x, y) evaluated at the centres of an nx × ny grid over the ranges (e.g. a density or a
    /// classifier's probability for decision regions); row 0 is the bottom row (smallest y).
    /// </summary>
    /// <exception cref="ArgumentException">When nx or ny &lt; 1 or a range is empty.</exception>
    public static Heatmap FromFunction(Func<double, double, double> f, (double Min, double Max) xRange, (double Min, double Max) yRange, int nx = 100, int ny = 100)
    {
        if (nx < 1 || ny < 1) throw new ArgumentException($"heatmap grid must be at least 1x1, got {nx}x{ny}");
        var z = new double[ny, nx];
        for (int i = 0; i < ny; i++)
        {
            double y = yRange.Min + (yRange.Max - yRange.Min) * (i + 0.5) / ny;
            for (int j = 0; j < nx; j++) z[i, j] = f(xRange.Min + (xRange.Max - xRange.Min) * (j + 0.5) / nx, y);
        }
        return new Heatmap(z, xRange, yRange);
    }

    /// <summary>Rows × columns of the matrix.</summary>
    public (int Rows, int Cols) Shape => (_z.GetLength(0), _z.GetLength(1));

    /// <summary>Overlays single-colour points (e.g. training data on decision regions).</summary>
    public ScatterSeries AddPoints<TX, TY>(string? name, IEnumerable<TX> x, IEnumerable<TY> y, string? color = null)
        where TX : System.Numerics.INumberBase<TX> where TY : System.Numerics.INumberBase<TY>
    {
        var xs = Seq.ToDoubles(x); var ys = Seq.ToDoubles(y);
        Seq.SameLength("heatmap points", name ?? "", xs.Length, ys.Length);
        var s = new ScatterSeries(name, xs, ys) { Color = color ?? "#ffffff", Size = 2.8, Opacity = 0.95, OutlineColor = "#1a1a1a" };
        _points.Add(s);
        return s;
    }

    /// <summary>Overlays points coloured by class label (palette colours), e.g. data over decision regions.</summary>
    public ScatterSeries AddCategoricalPoints<TX, TY>(string? name, IEnumerable<TX> x, IEnumerable<TY> y, IEnumerable<int> labels, IReadOnlyList<string>? classNames = null)
        where TX : System.Numerics.INumberBase<TX> where TY : System.Numerics.INumberBase<TY>
    {
        var s = AddPoints(name, x, y);
        s.SetCategories("heatmap points", labels, classNames);
        return s;
    }

    private (double Lo, double Hi) ZRange()
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (double v in _z)
            if (double.IsFinite(v) && (!LogColor || v > 0)) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
        if (!double.IsFinite(lo)) (lo, hi) = LogColor ? (1.0, 10.0) : (0.0, 1.0);
        lo = ZMin ?? lo; hi = ZMax ?? hi;
        if (lo == hi) { if (LogColor) { lo /= 2; hi *= 2; } else { lo -= 0.5; hi += 0.5; } }
        return (lo, hi);
    }

    internal override double XPadding => 0;
    internal override double YPadding => 0;
    internal override bool NiceY => false;
    internal override bool ShrinkForAspect => true;

    internal override (double[] Values, string[] Labels)? CategoryTicks(bool xAxis)
    {
        var labels = xAxis ? ColumnLabels : RowLabels;
        if (labels == null) return null;
        var (lo, hi) = xAxis ? XRange : YRange;
        int n = xAxis ? Shape.Cols : Shape.Rows;
        double w = (hi - lo) / n;
        var values = Enumerable.Range(0, Math.Min(n, labels.Count)).Select(i => lo + (i + 0.5) * w).ToArray();
        if (!xAxis && RowsTopDown) values = values.Select(v => hi + lo - v).ToArray();
        return (values, labels.Take(values.Length).ToArray());
    }

    internal override void CollectExtent(DataExtent e)
    {
        e.Add(XRange.Min, YRange.Min); e.Add(XRange.Max, YRange.Max);
    }

    internal override IEnumerable<LegendEntry> LegendEntries()
        => _points.SelectMany(p => p.Entries(p.Color ?? "#ffffff"));

    internal override ColorBar? GetColorBar()
    {
        if (!ShowColorBar) return null;
        var (lo, hi) = ZRange();
        return new ColorBar(ColorMap, lo, hi, ColorLabel, LogColor);
    }

    internal override void DrawData(PlotContext ctx)
    {
        var (rows, cols) = Shape;
        var (lo, hi) = ZRange();
        double x0 = ctx.X(XRange.Min), x1 = ctx.X(XRange.Max), yA = ctx.Y(YRange.Min), yB = ctx.Y(YRange.Max);
        if (double.IsNaN(x0) || double.IsNaN(x1) || double.IsNaN(yA) || double.IsNaN(yB)) return;
        ctx.Occupancy.Rect(new Box(Math.Min(x0, x1), Math.Min(yA, yB), Math.Abs(x1 - x0), Math.Abs(yB - yA)));
        if (rows * cols <= MaxVectorCells) DrawCells(ctx, lo, hi, x0, x1, yA, yB);
        else
        {
            var values = new double[rows * cols];
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++)
                {
                    // Image row 0 is the top; with bottom-origin data the last matrix row goes first.
                    int srcRow = RowsTopDown ? r : rows - 1 - r;
                    double v = _z[srcRow, c];
                    values[r * cols + c] = LogColor ? (v > 0 ? Math.Log10(v) : double.NaN) : v;
                }
            var img = RasterImage.FromColorMap(values, cols, rows, ColorMap, LogColor ? Math.Log10(lo) : lo, LogColor ? Math.Log10(hi) : hi);
            ctx.Svg.Image(Math.Min(x0, x1), Math.Min(yA, yB), Math.Abs(x1 - x0), Math.Abs(yB - yA), img.ToDataUri(), pixelated: true);
        }
        foreach (var p in _points) p.Draw(ctx, p.Color ?? "#ffffff");
    }

    private void DrawCells(PlotContext ctx, double lo, double hi, double x0, double x1, double yA, double yB)
    {
        var (rows, cols) = Shape;
        double cw = (x1 - x0) / cols, rh = (yB - yA) / rows; // rh < 0: rows go up the screen
        bool text = ShowValues && rows * cols <= 400;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                double v = _z[r, c];
                double t = ColorBar.Normalize(v, lo, hi, LogColor);
                if (double.IsNaN(t)) continue;
                int screenRow = RowsTopDown ? rows - 1 - r : r;
                var color = ColorMap.At(t);
                double y = yA + screenRow * rh;
                // Cells overlap by a hair so anti-aliasing leaves no seams between them.
                ctx.Svg.Rect(x0 + c * cw, y, cw + 0.4, rh - 0.4, Paint.Solid(color.Hex), tooltip: ValueFormat(v));
                if (text)
                    ctx.Svg.Text(x0 + (c + 0.5) * cw, y + rh / 2, ValueFormat(v),
                        new TextStyle(Math.Clamp(Math.Min(Math.Abs(cw), Math.Abs(rh)) * 0.32, 8, 13), color.Luminance > 0.4 ? "#222222" : "#ffffff", TextAnchor.Middle, Baseline: "central"));
            }
    }
}
