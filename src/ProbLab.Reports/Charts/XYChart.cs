// XYChart: the shared frame of line, scatter, histogram, bar and heatmap charts: axis limits from the data,
// nice ticks, margins sized from the tick labels, grid, axes, title, reference lines, overlays, colour bar
// and a legend that is put in an empty inside corner when one exists (found by a dry run of the data
// layer that records what it covers), otherwise in the right margin.
namespace ProbLab.Reports;

/// <summary>Base of charts with an x and a y axis; configure <see cref="X"/>, <see cref="Y"/>, <see cref="Legend"/>, overlays and reference lines.</summary>
public abstract class XYChart : Chart
{
    private readonly List<Action<PlotContext>> _overlays = [];
    private readonly List<(bool Vertical, double Value, string? Label, string Color)> _refLines = [];

    internal XYChart() { }

    /// <summary>Horizontal axis settings.</summary>
    public Axis X { get; } = new();
    /// <summary>Vertical axis settings.</summary>
    public Axis Y { get; } = new();
    /// <summary>Legend placement (default Auto: an empty inside corner, else the right margin).</summary>
    public LegendPosition Legend { get; set; } = LegendPosition.Auto;
    /// <summary>Pixels per y unit divided by pixels per x unit (1 = equal aspect, for maps); null lets both axes fill the plot.</summary>
    public double? AspectRatio { get; set; }

    /// <summary>Adds a vertical dashed reference line at data x (e.g. the end of burn-in) with an optional label.</summary>
    public void AddVLine(double x, string? label = null, string? color = null) => _refLines.Add((true, x, label, color ?? Palette.Reference.Hex));

    /// <summary>Adds a horizontal dashed reference line at data y (e.g. a target value) with an optional label.</summary>
    public void AddHLine(double y, string? label = null, string? color = null) => _refLines.Add((false, y, label, color ?? Palette.Reference.Hex));

    /// <summary>Adds a custom layer drawn after the data, clipped to the plot area, in data coordinates via <see cref="PlotContext"/>.</summary>
    public void AddOverlay(Action<PlotContext> draw) => _overlays.Add(draw);

    // ---- hooks for the concrete charts ----
    internal abstract void CollectExtent(DataExtent extent);
    internal abstract void DrawData(PlotContext ctx);
    internal abstract IEnumerable<LegendEntry> LegendEntries();
    internal virtual ColorBar? GetColorBar() => null;
    internal virtual double XPadding => 0;
    internal virtual double YPadding => 0.04;
    internal virtual bool NiceX => false;
    internal virtual bool NiceY => true;
    internal virtual bool IncludeZeroY => false;
    /// <summary>Category axes (bar charts, labelled heatmaps) return fixed tick positions and labels.</summary>
    internal virtual (double[] Values, string[] Labels)? CategoryTicks(bool xAxis) => null;

    /// <inheritdoc/>
    public override void Render(SvgBuilder svg, Box area)
    {
        var ext = new DataExtent(X.IsLog, Y.IsLog);
        CollectExtent(ext);
        foreach (var r in _refLines) if (r.Vertical) ext.AddX(r.Value); else ext.AddY(r.Value);
        var legend = new Legend(Legend == LegendPosition.None ? [] : LegendEntries());
        var colorBar = GetColorBar();
        double cbW = colorBar?.Width ?? 0;

        var pos = Legend;
        if (legend.IsEmpty) pos = LegendPosition.None;
        var layout = ComputeLayout(ext, area, cbW, 0);
        if (pos == LegendPosition.Auto) pos = ChooseInsideCorner(svg, layout, legend) ?? LegendPosition.Right;
        if (pos == LegendPosition.Right)
        {
            var (lw, _) = legend.Measure(layout.Plot.Height);
            layout = ComputeLayout(ext, area, cbW + lw + 12, 0);
            legend.Measure(layout.Plot.Height);
        }
        else if (pos == LegendPosition.Bottom)
        {
            var (_, lh) = MeasureBottomLegend(legend, area.Width);
            layout = ComputeLayout(ext, area, cbW, lh + 10);
        }
        DrawAll(svg, area, layout, legend, pos, colorBar);
    }

    private LegendPosition? ChooseInsideCorner(SvgBuilder svg, Layout layout, Legend legend)
    {
        var (w, h) = legend.Measure(layout.Plot.Height - 16);
        if (w > layout.Plot.Width * 0.5 || h > layout.Plot.Height * 0.6) return null;
        // Dry run of the data layer on a scratch canvas to learn which pixels it covers.
        var occ = new Occupancy();
        var scratch = new SvgBuilder(svg.Width, svg.Height);
        var ctx = new PlotContext(scratch, layout.Plot, layout.XScale, layout.YScale, occ);
        DrawData(ctx);
        foreach (var r in _refLines) DrawRefLine(ctx, r);
        foreach (var p in new[] { LegendPosition.TopRight, LegendPosition.TopLeft, LegendPosition.BottomRight, LegendPosition.BottomLeft })
            if (!occ.Hits(InsideBox(layout.Plot, w, h, p).Inflate(3))) return p;
        return null;
    }

    private static Box InsideBox(Box plot, double w, double h, LegendPosition p) => p switch
    {
        LegendPosition.TopLeft => new Box(plot.X + 8, plot.Y + 8, w, h),
        LegendPosition.BottomRight => new Box(plot.Right - 8 - w, plot.Bottom - 8 - h, w, h),
        LegendPosition.BottomLeft => new Box(plot.X + 8, plot.Bottom - 8 - h, w, h),
        _ => new Box(plot.Right - 8 - w, plot.Y + 8, w, h),
    };

    private static (double W, double H) MeasureBottomLegend(Legend legend, double width)
    {
        // As many columns as fit the width.
        for (int cols = 8; cols > 1; cols--)
        {
            var (w, h) = legend.Measure(double.MaxValue, cols);
            if (w <= width - 20) return (w, h);
        }
        return legend.Measure(double.MaxValue, 1);
    }

    private void DrawAll(SvgBuilder svg, Box area, Layout layout, Legend legend, LegendPosition pos, ColorBar? colorBar)
    {
        var plot = layout.Plot;
        AxisPainter.DrawGrid(svg, layout, X, Y);
        string clip = svg.ClipRect(plot.X - 3, plot.Y - 3, plot.Width + 6, plot.Height + 6);
        var ctx = new PlotContext(svg, plot, layout.XScale, layout.YScale, new Occupancy());
        using (svg.Group(clipId: clip))
        {
            DrawData(ctx);
            foreach (var o in _overlays) o(ctx);
            foreach (var r in _refLines) DrawRefLine(ctx, r);
        }
        AxisPainter.DrawAxes(svg, layout, X, Y);
        if (Title != null)
            svg.Text(plot.CenterX, area.Y + 18, Theme.Fit(Title, Theme.TitleSize, area.Width - 10), Theme.TitleStyle);
        double right = plot.Right + 12;
        if (colorBar != null) { colorBar.Draw(svg, right, plot.Y, plot.Height); right += colorBar.Width; }
        if (pos == LegendPosition.Right) legend.Draw(svg, right + 2, plot.Y, framed: false);
        else if (pos == LegendPosition.Bottom)
        {
            var (w, h) = MeasureBottomLegend(legend, area.Width);
            legend.Draw(svg, area.CenterX - w / 2, area.Bottom - h - 4, framed: false);
        }
        else if (pos != LegendPosition.None)
        {
            var (w, h) = legend.Measure(plot.Height - 16);
            var b = InsideBox(plot, w, h, pos);
            legend.Draw(svg, b.X, b.Y, framed: true);
        }
    }

    private static void DrawRefLine(PlotContext ctx, (bool Vertical, double Value, string? Label, string Color) r)
    {
        var paint = Paint.Line(r.Color, 1.3, "5 4");
        var style = new TextStyle(10.5, r.Color);
        var plot = ctx.Plot;
        if (r.Vertical)
        {
            double x = ctx.X(r.Value);
            if (double.IsNaN(x)) return;
            ctx.Svg.Line(x, plot.Y, x, plot.Bottom, paint);
            ctx.Occupancy.Segment(x, plot.Y, x, plot.Bottom);
            if (r.Label == null) return;
            bool left = x > plot.X + plot.Width * 0.75;
            double tw = Theme.TextWidth(r.Label, 10.5);
            ctx.Svg.Text(left ? x - 4 : x + 4, plot.Bottom - 6, r.Label, style with { Anchor = left ? TextAnchor.End : TextAnchor.Start });
            ctx.Occupancy.Rect(new Box(left ? x - 4 - tw : x + 4, plot.Bottom - 17, tw, 12));
        }
        else
        {
            double y = ctx.Y(r.Value);
            if (double.IsNaN(y)) return;
            ctx.Svg.Line(plot.X, y, plot.Right, y, paint);
            ctx.Occupancy.Segment(plot.X, y, plot.Right, y);
            if (r.Label == null) return;
            double tw = Theme.TextWidth(r.Label, 10.5);
            ctx.Svg.Text(plot.X + 6, y - 4, r.Label, style);
            ctx.Occupancy.Rect(new Box(plot.X + 6, y - 15, tw, 12));
        }
    }

    // ---- layout ----
    internal sealed record Layout(Box Plot, ScaleMap XScale, ScaleMap YScale, AxisTicks XTicks, AxisTicks YTicks);

    private Layout ComputeLayout(DataExtent ext, Box area, double rightReserve, double bottomReserve)
    {
        double top = area.Y + (Title != null ? 30 : 10);
        double yLabelW = Y.Label != null ? 22 : 0, xLabelH = X.Label != null ? 22 : 0;
        var yDom = ResolveDomain(ext.YMin, ext.YMax, Y, YPadding, IncludeZeroY);
        var xDom = ResolveDomain(ext.XMin, ext.XMax, X, XPadding, false);
        double approxH = area.Bottom - top - (Theme.TickLength + 6 + Theme.TickSize) - xLabelH - bottomReserve - 6;
        var yTicks = AxisTicks.Build(Y, yDom, Y.TickCount ?? Math.Clamp((int)Math.Round(approxH / 50), 3, 9), NiceY && AspectRatio == null, CategoryTicks(false));
        double left = area.X + 8 + yLabelW + yTicks.MaxLabelWidth(Theme.TickSize) + Theme.TickLength + 5;
        // Half of the last x tick label may stick out right of the plot; keep room for it.
        double plotW = area.Right - rightReserve - 14 - left;
        var xTicks = AxisTicks.BuildFitting(X, xDom, X.TickCount ?? Math.Clamp((int)Math.Round(plotW / 80), 3, 10), NiceX && AspectRatio == null, CategoryTicks(true), plotW);
        double xTickH = xTicks.Rotated ? xTicks.MaxLabelWidth(Theme.TickSize) * 0.6 + Theme.TickSize + 4 : Theme.TickSize + 4;
        double bottom = area.Bottom - (Theme.TickLength + 4 + xTickH) - xLabelH - bottomReserve - 4;
        var plot = new Box(left, top, Math.Max(plotW, 20), Math.Max(bottom - top, 20));
        if (AspectRatio is double aspect && aspect > 0 && !X.IsLog && !Y.IsLog)
            return WithAspect(plot, xTicks.Domain, yTicks.Domain, aspect);
        return MakeLayout(plot, xTicks, yTicks);
    }

    private Layout MakeLayout(Box plot, AxisTicks xTicks, AxisTicks yTicks)
        => new(plot, new ScaleMap(xTicks.Domain.Min, xTicks.Domain.Max, plot.X, plot.Right, X.IsLog),
            new ScaleMap(yTicks.Domain.Min, yTicks.Domain.Max, plot.Bottom, plot.Y, Y.IsLog), xTicks, yTicks);

    /// <summary>Heatmaps keep their cells filling the plot, so they shrink the plot box instead of widening a data range.</summary>
    internal virtual bool ShrinkForAspect => false;

    /// <summary>
    /// Makes one data unit span AspectRatio times more pixels on y than on x: widens the range of the axis that
    /// has room (about its centre) or, for heatmaps and axes with user-fixed limits, shrinks the plot box and centres it.
    /// </summary>
    private Layout WithAspect(Box plot, (double Min, double Max) x, (double Min, double Max) y, double aspect)
    {
        double pxPerX = plot.Width / (x.Max - x.Min), pxPerY = plot.Height / (y.Max - y.Min);
        bool yTooLoose = pxPerY > aspect * pxPerX; // y has more pixels per unit than wanted
        bool fixedLimits = yTooLoose ? Y.Min != null || Y.Max != null : X.Min != null || X.Max != null;
        if (ShrinkForAspect || fixedLimits)
        {
            if (yTooLoose)
            {
                double h = aspect * pxPerX * (y.Max - y.Min);
                plot = plot with { Y = plot.Y + (plot.Height - h) / 2, Height = h };
            }
            else
            {
                double w = pxPerY / aspect * (x.Max - x.Min);
                plot = plot with { X = plot.X + (plot.Width - w) / 2, Width = w };
            }
        }
        else if (yTooLoose)
        {
            double half = plot.Height / (aspect * pxPerX) / 2, c = (y.Min + y.Max) / 2;
            y = (c - half, c + half);
        }
        else
        {
            double half = plot.Width * aspect / pxPerY / 2, c = (x.Min + x.Max) / 2;
            x = (c - half, c + half);
        }
        var yTicks = AxisTicks.Build(Y, y, Y.TickCount ?? Math.Clamp((int)Math.Round(plot.Height / 50), 3, 9), false, CategoryTicks(false));
        var xTicks = AxisTicks.BuildFitting(X, x, X.TickCount ?? Math.Clamp((int)Math.Round(plot.Width / 80), 3, 10), false, CategoryTicks(true), plot.Width);
        return MakeLayout(plot, xTicks, yTicks);
    }

    /// <summary>Axis limits from the data range, padding, zero inclusion and user overrides; degenerate ranges are widened.</summary>
    internal static (double Min, double Max) ResolveDomain(double lo, double hi, Axis axis, double pad, bool includeZero)
    {
        bool log = axis.IsLog;
        if (!(lo <= hi)) (lo, hi) = log ? (1.0, 10.0) : (0.0, 1.0);
        if (includeZero && !log) { lo = Math.Min(lo, 0); hi = Math.Max(hi, 0); }
        if (axis.Min is double umin && (!log || umin > 0)) lo = umin;
        if (axis.Max is double umax && (!log || umax > 0)) hi = umax;
        if (lo == hi)
        {
            if (log) { lo /= 2; hi *= 2; }
            else { double d = lo == 0 ? 1 : Math.Abs(lo) * 0.1; lo -= d; hi += d; }
        }
        else if (lo > hi) (lo, hi) = (hi, lo);
        if (pad > 0)
        {
            if (log)
            {
                double l0 = Math.Log10(lo), l1 = Math.Log10(hi), d = (l1 - l0) * pad;
                if (axis.Min == null) lo = Math.Pow(10, l0 - d);
                if (axis.Max == null) hi = Math.Pow(10, l1 + d);
            }
            else
            {
                double d = (hi - lo) * pad;
                // Padding never pushes a zero baseline (bars, histograms) off zero.
                if (axis.Min == null && !(includeZero && lo == 0)) lo -= d;
                if (axis.Max == null && !(includeZero && hi == 0)) hi += d;
            }
        }
        return (lo, hi);
    }
}
