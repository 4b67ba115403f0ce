// ColorBar: the vertical colour scale drawn right of a heatmap or a numerically coloured scatter plot.
namespace ProbLab.Reports;

internal sealed class ColorBar(ColorMap map, double min, double max, string? label, bool log)
{
    private const double BarW = 12, Gap = 4;

    private string[] Labels(out double[] values)
    {
        values = log && min > 0 ? Ticks.Log(min, max, 6) : Ticks.Linear(min, max, 6);
        double step = values.Length > 1 ? values[1] - values[0] : 1;
        return log ? values.Select(Ticks.FormatLog).ToArray() : values.Select(v => Ticks.Format(v, step)).ToArray();
    }

    /// <summary>Horizontal space the bar needs including its tick labels and title.</summary>
    public double Width
    {
        get
        {
            var labels = Labels(out _);
            double lw = labels.Length == 0 ? 0 : labels.Max(l => Theme.TextWidth(l, Theme.TickSize));
            return 6 + BarW + Gap + 3 + lw + (label != null ? 22 : 4) + 6;
        }
    }

    /// <summary>Position in [0, 1] of a value along the map (log10 spacing for log bars); NaN for values that cannot be shown.</summary>
    public static double Normalize(double v, double min, double max, bool log)
    {
        if (!double.IsFinite(v) || (log && v <= 0)) return double.NaN;
        double t = log ? (Math.Log10(v) - Math.Log10(min)) / (Math.Log10(max) - Math.Log10(min)) : (v - min) / (max - min);
        return double.IsFinite(t) ? Math.Clamp(t, 0, 1) : 0.5;
    }

    public void Draw(SvgBuilder svg, double x, double y, double height)
    {
        x += 6;
        var stops = Enumerable.Range(0, 17).Select(i => (i / 16.0, map.At(i / 16.0))).ToList();
        string grad = svg.LinearGradient(stops, vertical: true);
        svg.Rect(x, y, BarW, height, new Paint(Fill: $"url(#{grad})", Stroke: "#bbbbbb", StrokeWidth: 0.6));
        var labels = Labels(out var values);
        var scale = new ScaleMap(min, max, y + height, y, log);
        var axisPaint = new Paint(Stroke: Theme.AxisColor, StrokeWidth: 1);
        for (int i = 0; i < values.Length; i++)
        {
            double py = scale.Map(values[i]);
            if (double.IsNaN(py)) continue;
            svg.Line(x + BarW, py, x + BarW + 3, py, axisPaint);
            svg.Text(x + BarW + Gap + 3, py, labels[i], Theme.TickStyle with { Baseline = "central" });
        }
        if (label != null)
        {
            double lw = labels.Length == 0 ? 0 : labels.Max(l => Theme.TextWidth(l, Theme.TickSize));
            svg.Text(x + BarW + Gap + 3 + lw + 14, y + height / 2, Theme.Fit(label, Theme.LabelSize, height), Theme.LabelStyle with { Rotate = 90 });
        }
    }
}
