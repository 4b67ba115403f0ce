// AxisTicks (tick positions, labels and final limits of one axis) and AxisPainter (grid, axis lines, tick
// marks, tick labels and axis titles). Lines are snapped to half pixels so 1-px strokes stay crisp.
namespace ProbLab.Reports;

internal sealed class AxisTicks
{
    public (double Min, double Max) Domain { get; private init; }
    public double[] Values { get; private init; } = [];
    public string[] Labels { get; private init; } = [];
    public double[] Minor { get; private init; } = [];
    public bool Rotated { get; private set; }

    public double MaxLabelWidth(double fontSize) => Labels.Length == 0 ? 0 : Labels.Max(l => Theme.TextWidth(l, fontSize));

    public static AxisTicks Build(Axis axis, (double Min, double Max) dom, int target, bool nice, (double[] Values, string[] Labels)? category)
    {
        if (category is var (cv, cl))
            return new AxisTicks { Domain = dom, Values = cv, Labels = cl };
        double lo = dom.Min, hi = dom.Max;
        double[] values, minor = [];
        if (axis.IsLog)
        {
            values = axis.TickValues?.Where(v => v > 0 && v >= lo && v <= hi).ToArray() ?? Ticks.Log(lo, hi, Math.Max(4, (int)Math.Ceiling(target * 1.6)));
            minor = axis.TickValues == null ? Ticks.LogMinor(lo, hi).Except(values).ToArray() : [];
        }
        else
        {
            if (nice && axis.TickValues == null)
            {
                var (nlo, nhi) = Ticks.NiceDomain(lo, hi, target);
                if (axis.Min == null) lo = nlo;
                if (axis.Max == null) hi = nhi;
            }
            values = axis.TickValues?.Where(v => double.IsFinite(v) && v >= lo && v <= hi).ToArray() ?? Ticks.Linear(lo, hi, target);
        }
        double step = values.Length > 1 ? Math.Abs(values[1] - values[0]) : Ticks.NiceStep(lo, hi, Math.Max(1, target - 1));
        var fmt = axis.Format ?? (axis.IsLog ? Ticks.FormatLog : v => Ticks.Format(v, step));
        return new AxisTicks { Domain = (lo, hi), Values = values, Labels = values.Select(fmt).ToArray(), Minor = minor };
    }

    /// <summary>Builds x ticks whose labels do not overlap: numeric axes drop to fewer ticks, category axes rotate their labels.</summary>
    public static AxisTicks BuildFitting(Axis axis, (double Min, double Max) dom, int target, bool nice, (double[] Values, string[] Labels)? category, double plotWidth)
    {
        if (category != null)
        {
            var cat = Build(axis, dom, target, nice, category);
            cat.Rotated = !Fits(cat, axis, plotWidth);
            return cat;
        }
        for (int t = target; ; t--)
        {
            var ticks = Build(axis, dom, t, nice, null);
            if (t <= 2 || Fits(ticks, axis, plotWidth)) return ticks;
        }
    }

    private static bool Fits(AxisTicks t, Axis axis, double plotWidth)
    {
        if (t.Values.Length < 2) return true;
        var map = new ScaleMap(t.Domain.Min, t.Domain.Max, 0, plotWidth, axis.IsLog);
        for (int i = 1; i < t.Values.Length; i++)
        {
            double gap = Math.Abs(map.Map(t.Values[i]) - map.Map(t.Values[i - 1]));
            double need = (Theme.TextWidth(t.Labels[i], Theme.TickSize) + Theme.TextWidth(t.Labels[i - 1], Theme.TickSize)) / 2 + 8;
            if (gap < need) return false;
        }
        return true;
    }
}

internal static class AxisPainter
{
    private static double Crisp(double v) => Math.Round(v - 0.5) + 0.5;

    public static void DrawGrid(SvgBuilder svg, XYChart.Layout l, Axis x, Axis y)
    {
        var p = l.Plot;
        var minorPaint = new Paint(Stroke: "#f3f3f3", StrokeWidth: 1);
        var majorPaint = new Paint(Stroke: Theme.GridColor, StrokeWidth: 1);
        if (y.Grid)
        {
            foreach (double v in l.YTicks.Minor) HLine(svg, l.YScale.Map(v), p, minorPaint);
            foreach (double v in l.YTicks.Values) HLine(svg, l.YScale.Map(v), p, majorPaint);
        }
        if (x.Grid)
        {
            foreach (double v in l.XTicks.Minor) VLine(svg, l.XScale.Map(v), p, minorPaint);
            foreach (double v in l.XTicks.Values) VLine(svg, l.XScale.Map(v), p, majorPaint);
        }
    }

    private static void HLine(SvgBuilder svg, double py, Box p, Paint paint)
    {
        if (double.IsNaN(py) || py < p.Y - 0.5 || py > p.Bottom + 0.5) return;
        svg.Line(p.X, Crisp(py), p.Right, Crisp(py), paint);
    }

    private static void VLine(SvgBuilder svg, double px, Box p, Paint paint)
    {
        if (double.IsNaN(px) || px < p.X - 0.5 || px > p.Right + 0.5) return;
        svg.Line(Crisp(px), p.Y, Crisp(px), p.Bottom, paint);
    }

    public static void DrawAxes(SvgBuilder svg, XYChart.Layout l, Axis xAxis, Axis yAxis)
    {
        var p = l.Plot;
        var axisPaint = new Paint(Stroke: Theme.AxisColor, StrokeWidth: 1);
        double bx = Crisp(p.Bottom), lx = Crisp(p.X);
        svg.Line(p.X - 0.5, bx, p.Right, bx, axisPaint);
        svg.Line(lx, p.Y, lx, p.Bottom + 0.5, axisPaint);

        var tickStyle = Theme.TickStyle;
        for (int i = 0; i < l.YTicks.Values.Length; i++)
        {
            double y = l.YScale.Map(l.YTicks.Values[i]);
            if (double.IsNaN(y) || y < p.Y - 0.5 || y > p.Bottom + 0.5) continue;
            svg.Line(lx - Theme.TickLength, Crisp(y), lx, Crisp(y), axisPaint);
            svg.Text(lx - Theme.TickLength - 3, y, l.YTicks.Labels[i], tickStyle with { Anchor = TextAnchor.End, Baseline = "central" });
        }
        foreach (double v in l.YTicks.Minor)
        {
            double y = l.YScale.Map(v);
            if (!double.IsNaN(y)) svg.Line(lx - 2.5, Crisp(y), lx, Crisp(y), axisPaint);
        }
        for (int i = 0; i < l.XTicks.Values.Length; i++)
        {
            double x = l.XScale.Map(l.XTicks.Values[i]);
            if (double.IsNaN(x) || x < p.X - 0.5 || x > p.Right + 0.5) continue;
            svg.Line(Crisp(x), bx, Crisp(x), bx + Theme.TickLength, axisPaint);
            double ty = bx + Theme.TickLength + 3;
            if (l.XTicks.Rotated)
                svg.Text(x + 3, ty + 2, l.XTicks.Labels[i], tickStyle with { Anchor = TextAnchor.End, Rotate = -35, Baseline = "hanging" });
            else
                svg.Text(x, ty, l.XTicks.Labels[i], tickStyle with { Anchor = TextAnchor.Middle, Baseline = "hanging" });
        }
        foreach (double v in l.XTicks.Minor)
        {
            double x = l.XScale.Map(v);
            if (!double.IsNaN(x)) svg.Line(Crisp(x), bx, Crisp(x), bx + 2.5, axisPaint);
        }

        double xTickH = l.XTicks.Rotated ? l.XTicks.MaxLabelWidth(Theme.TickSize) * 0.6 + Theme.TickSize + 4 : Theme.TickSize + 4;
        if (xAxis.Label != null)
            svg.Text(p.CenterX, bx + Theme.TickLength + 4 + xTickH + 12, Theme.Fit(xAxis.Label, Theme.LabelSize, p.Width + 40), Theme.LabelStyle);
        if (yAxis.Label != null)
        {
            double x = lx - Theme.TickLength - 5 - l.YTicks.MaxLabelWidth(Theme.TickSize) - 10;
            svg.Text(x, p.CenterY, Theme.Fit(yAxis.Label, Theme.LabelSize, p.Height + 30), Theme.LabelStyle with { Rotate = -90 });
        }
    }
}
