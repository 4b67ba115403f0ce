// Axis settings (label, linear/log scale, fixed limits, tick count/format) and the data-to-pixel mapping.
namespace ProbLab.Reports;

/// <summary>Linear or base-10 logarithmic axis.</summary>
public enum AxisScale { Linear, Log }

/// <summary>User settings of one chart axis, e.g. <c>chart.Y.Scale = AxisScale.Log; chart.Y.Label = "loss";</c>.</summary>
public sealed class Axis
{
    /// <summary>Axis title drawn next to the axis (null: none).</summary>
    public string? Label { get; set; }
    /// <summary>Linear or log10 scale; on a log axis non-positive data are dropped.</summary>
    public AxisScale Scale { get; set; } = AxisScale.Linear;
    /// <summary>Fixed lower limit (null: from the data).</summary>
    public double? Min { get; set; }
    /// <summary>Fixed upper limit (null: from the data).</summary>
    public double? Max { get; set; }
    /// <summary>Approximate number of labelled ticks (null: chosen from the axis length, about one per 80 px).</summary>
    public int? TickCount { get; set; }
    /// <summary>Custom tick label formatter (null: <see cref="Ticks.Format"/> or <see cref="Ticks.FormatLog"/>).</summary>
    public Func<double, string>? Format { get; set; }
    /// <summary>Explicit tick positions (null: automatic nice ticks).</summary>
    public IReadOnlyList<double>? TickValues { get; set; }
    /// <summary>Draw light grid lines at the ticks (default true).</summary>
    public bool Grid { get; set; } = true;

    internal bool IsLog => Scale == AxisScale.Log;
}

/// <summary>Maps a data interval [Min, Max] to a pixel interval [From, To] linearly or in log10 space.</summary>
public sealed class ScaleMap
{
    /// <summary>Lower data limit.</summary>
    public double Min { get; }
    /// <summary>Upper data limit.</summary>
    public double Max { get; }
    /// <summary>True for a log10 mapping.</summary>
    public bool IsLog { get; }
    private readonly double _from, _to, _a, _b;

    internal ScaleMap(double min, double max, double from, double to, bool log)
    {
        Min = min; Max = max; IsLog = log; _from = from; _to = to;
        double t0 = log ? Math.Log10(min) : min, t1 = log ? Math.Log10(max) : max;
        if (t1 == t0) t1 = t0 + 1;
        _a = (to - from) / (t1 - t0);
        _b = from - _a * t0;
    }

    /// <summary>Pixel coordinate of a data value; NaN when the value cannot be shown (non-finite or beyond ±1e300, or ≤ 0 on a log axis). Far-away values are clamped to ±1e6 px beyond the plot so SVG coordinates stay sane.</summary>
    public double Map(double v)
    {
        if (!(Math.Abs(v) < 1e300) || (IsLog && v <= 0)) return double.NaN;
        double p = _a * (IsLog ? Math.Log10(v) : v) + _b;
        return Math.Clamp(p, Math.Min(_from, _to) - 1e6, Math.Max(_from, _to) + 1e6);
    }

    /// <summary>Data value at a pixel coordinate (inverse of <see cref="Map"/>).</summary>
    public double Invert(double p)
    {
        double t = (p - _b) / _a;
        return IsLog ? Math.Pow(10, t) : t;
    }

    /// <summary>Pixel span of the scale: (from, to).</summary>
    public (double From, double To) Range => (_from, _to);
}
