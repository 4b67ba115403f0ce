// PlotContext (what data layers and user overlays draw with: canvas, plot box, scales) and DataExtent
// (the finite data range a chart collects before choosing its axis limits).
namespace ProbLab.Reports;

/// <summary>Drawing context of an XY chart's plot area; overlays use it to draw in data coordinates, e.g. <c>ctx.Svg.Circle(ctx.X(1.5), ctx.Y(2), 4, paint)</c>.</summary>
public sealed class PlotContext
{
    /// <summary>The canvas.</summary>
    public SvgBuilder Svg { get; }
    /// <summary>Plot area in pixels (inside the axes).</summary>
    public Box Plot { get; }
    /// <summary>Horizontal data → pixel mapping.</summary>
    public ScaleMap XScale { get; }
    /// <summary>Vertical data → pixel mapping (data up = pixels down).</summary>
    public ScaleMap YScale { get; }
    internal Occupancy Occupancy { get; }

    internal PlotContext(SvgBuilder svg, Box plot, ScaleMap xs, ScaleMap ys, Occupancy occupancy)
    {
        Svg = svg; Plot = plot; XScale = xs; YScale = ys; Occupancy = occupancy;
    }

    /// <summary>Pixel x of a data x (NaN if the value cannot be shown, e.g. ≤ 0 on a log axis).</summary>
    public double X(double x) => XScale.Map(x);
    /// <summary>Pixel y of a data y (NaN if the value cannot be shown).</summary>
    public double Y(double y) => YScale.Map(y);

    /// <summary>Maps data points to pixels and splits them into runs at points that cannot be shown (NaN, ±∞, ≤ 0 on log axes).</summary>
    public List<List<(double X, double Y)>> MapRuns(IReadOnlyList<double> xs, IReadOnlyList<double> ys)
    {
        var runs = new List<List<(double X, double Y)>>();
        List<(double X, double Y)>? cur = null;
        int n = Math.Min(xs.Count, ys.Count);
        for (int i = 0; i < n; i++)
        {
            double px = X(xs[i]), py = Y(ys[i]);
            if (double.IsNaN(px) || double.IsNaN(py)) { cur = null; continue; }
            if (cur == null) { cur = []; runs.Add(cur); }
            cur.Add((px, py));
        }
        return runs;
    }
}

/// <summary>Running min/max of the finite (and, on log axes, positive) data of a chart.</summary>
internal sealed class DataExtent(bool xLog, bool yLog)
{
    public double XMin = double.PositiveInfinity, XMax = double.NegativeInfinity;
    public double YMin = double.PositiveInfinity, YMax = double.NegativeInfinity;

    // |v| < 1e300 keeps (max − min) finite for the tick arithmetic; larger values are treated like ±∞ (not drawn).
    public bool ValidX(double x) => Math.Abs(x) < 1e300 && (!xLog || x > 0);
    public bool ValidY(double y) => Math.Abs(y) < 1e300 && (!yLog || y > 0);

    public void AddX(double x) { if (ValidX(x)) { XMin = Math.Min(XMin, x); XMax = Math.Max(XMax, x); } }
    public void AddY(double y) { if (ValidY(y)) { YMin = Math.Min(YMin, y); YMax = Math.Max(YMax, y); } }

    /// <summary>Adds a point only when both coordinates can be shown (a point with a NaN y does not widen x).</summary>
    public void Add(double x, double y)
    {
        if (!ValidX(x) || !ValidY(y)) return;
        AddX(x); AddY(y);
    }

    public void AddAll(IReadOnlyList<double> xs, IReadOnlyList<double> ys)
    {
        int n = Math.Min(xs.Count, ys.Count);
        for (int i = 0; i < n; i++) Add(xs[i], ys[i]);
    }
}

/// <summary>Conversions from any numeric sequence to double[] (the generic math lets callers pass int[], float[], double[] or lists).</summary>
internal static class Seq
{
    public static double[] ToDoubles<T>(IEnumerable<T> values) where T : System.Numerics.INumberBase<T>
        => values.Select(v => double.CreateSaturating(v)).ToArray();

    public static double[] Range(int n) => Enumerable.Range(0, n).Select(i => (double)i).ToArray();

    public static void SameLength(string what, string name, int a, int b)
    {
        if (a != b) throw new ArgumentException($"{what} '{name}': x has {a} values but y has {b}");
    }
}
