// Chart builders shared by the TrueSkill experiments: a "forest plot" (one row per team or player, a marker at
// the mean and a bar over mean ± sd for each method, rows labelled by name), which compares several posteriors
// at a glance where a bar chart starting at zero would hide the differences.
using ProbLab.Reports;

namespace ProbLab.Cli.Experiments;

/// <summary>One method's values in a forest plot: a marker at Center (none when null) and a bar from Low to High (none when null).</summary>
internal sealed record ForestSeries(string Name, double[]? Center, double[]? Low, double[]? High, MarkerShape Marker = MarkerShape.Circle)
{
    /// <summary>Marker at the mean, bar over mean ± sd.</summary>
    public static ForestSeries MeanSd(string name, double[] mean, double[] sd, MarkerShape marker = MarkerShape.Circle) =>
        new(name, mean, mean.Zip(sd, (m, s) => m - s).ToArray(), mean.Zip(sd, (m, s) => m + s).ToArray(), marker);
}

/// <summary>Chart builders for the TrueSkill report.</summary>
internal static class TrueSkillCharts
{
    /// <summary>Rows named <paramref name="names"/> top to bottom; each series draws its bars and markers, offset vertically
    /// within the row when <paramref name="dodge"/> (several methods), on the row line otherwise (several marks of one quantity).</summary>
    public static ScatterChart Forest(string title, IReadOnlyList<string> names, string xLabel, bool dodge, params ForestSeries[] series)
    {
        int n = names.Count;
        var chart = new ScatterChart { Title = title, Width = 620, Height = Math.Max(260, 60 + 22 * n), Legend = LegendPosition.Bottom };
        chart.X.Label = xLabel;
        chart.Y.TickValues = Enumerable.Range(0, n).Select(i => -(double)i).ToArray();
        chart.Y.Format = v => { int i = (int)Math.Round(-v); return i >= 0 && i < n ? names[i] : ""; };
        chart.Y.Min = -(n - 1) - 0.6;
        chart.Y.Max = 0.6;
        for (int s = 0; s < series.Length; s++)
        {
            var sr = series[s];
            double offset = !dodge || series.Length == 1 ? 0 : 0.5 * (s - (series.Length - 1) / 2.0) / Math.Max(1, series.Length - 1) * 0.9;
            string color = Palette.Categorical(s).Hex;
            // All bars of one series as one polyline broken by NaN points.
            if (sr.Low is { } low && sr.High is { } high)
            {
                var lx = new List<double>(); var ly = new List<double>();
                for (int i = 0; i < n; i++)
                {
                    if (!double.IsFinite(low[i]) || !double.IsFinite(high[i])) continue;
                    lx.Add(low[i]); ly.Add(-i - offset);
                    lx.Add(high[i]); ly.Add(-i - offset);
                    lx.Add(double.NaN); ly.Add(double.NaN);
                }
                chart.AddLine(sr.Center is null ? sr.Name : null, lx, ly, color, sr.Center is null ? 2.4 : 1.6);
            }
            if (sr.Center is null) continue;
            var pts = chart.Add(sr.Name, sr.Center, Enumerable.Range(0, n).Select(i => -i - offset));
            pts.Color = color; pts.Marker = sr.Marker; pts.Size = 3.6; pts.Opacity = 1;
        }
        return chart;
    }
}
