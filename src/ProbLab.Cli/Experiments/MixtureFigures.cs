// Figures of the mixture-model chapter, drawn with ProbLab.Reports and embedded as SVG: samples coloured by
// component over the training data (a grey density image of the countries, so the reader sees what was
// learned), box outlines for uniform mixtures, grids of snapshots over epochs, log-likelihood curves and
// the uniform-mixture diagnostics. Points are shown in longitude/latitude (the standardisation undone).
using System.Globalization;
using ProbLab.Models.Mixtures;
using ProbLab.Reports;
using R = ProbLab.Reports;

namespace ProbLab.Cli.Experiments;

/// <summary>The map behind every sample plot: the training data's density and the standardisation to undo.</summary>
public sealed class EuropeBackdrop
{
    private const int Cols = 150, Rows = 110;
    private readonly double[,] _density;

    /// <summary>Bins the (standardised) training points of <paramref name="data"/> into a longitude/latitude density grid.</summary>
    public EuropeBackdrop(MixtureDataset data)
    {
        Mean = data.Mean;
        Std = data.Std;
        var x = data.TrainX.Data;
        int n = data.TrainX.Shape[0];
        double lonMin = double.MaxValue, lonMax = double.MinValue, latMin = double.MaxValue, latMax = double.MinValue;
        for (int i = 0; i < n; i++)
        {
            double lon = Lon(x[2 * i]), lat = Lat(x[2 * i + 1]);
            (lonMin, lonMax, latMin, latMax) = (Math.Min(lonMin, lon), Math.Max(lonMax, lon), Math.Min(latMin, lat), Math.Max(latMax, lat));
        }
        double padX = 0.04 * (lonMax - lonMin), padY = 0.04 * (latMax - latMin);
        LonRange = (lonMin - padX, lonMax + padX);
        LatRange = (latMin - padY, latMax + padY);
        _density = new double[Rows, Cols];
        for (int i = 0; i < n; i++)
        {
            int c = (int)((Lon(x[2 * i]) - LonRange.Min) / (LonRange.Max - LonRange.Min) * Cols);
            int r = (int)((Lat(x[2 * i + 1]) - LatRange.Min) / (LatRange.Max - LatRange.Min) * Rows);
            _density[Math.Clamp(r, 0, Rows - 1), Math.Clamp(c, 0, Cols - 1)] += 1;
        }
        // log(1 + count): cities and countryside both visible.
        for (int r = 0; r < Rows; r++)
            for (int c = 0; c < Cols; c++) _density[r, c] = Math.Log(1 + _density[r, c]);
    }

    /// <summary>Training mean and std of (standardised-away) longitude and latitude.</summary>
    public double[] Mean { get; }

    /// <inheritdoc cref="Mean"/>
    public double[] Std { get; }

    /// <summary>Plotted longitude range (data extent plus 4%).</summary>
    public (double Min, double Max) LonRange { get; }

    /// <summary>Plotted latitude range.</summary>
    public (double Min, double Max) LatRange { get; }

    /// <summary>Longitude of a standardised first coordinate.</summary>
    public double Lon(double z) => z * Std[0] + Mean[0];

    /// <summary>Latitude of a standardised second coordinate.</summary>
    public double Lat(double z) => z * Std[1] + Mean[1];

    /// <summary>A map panel: the training data's density in grey.</summary>
    public Heatmap Map(string title)
    {
        var hm = new Heatmap(_density, LonRange, LatRange)
        {
            Title = title, ColorMap = new ColorMap("data", [R.Color.Parse("#ffffff"), R.Color.Parse("#8c8c8c")]),
            AspectRatio = 1 / Math.Cos(Math.PI / 180 * 0.5 * (LatRange.Min + LatRange.Max)), Legend = LegendPosition.None,
            ColorLabel = "data: log(1 + points per cell)",
        };
        hm.X.Label = "longitude (°)";
        hm.Y.Label = "latitude (°)";
        return hm;
    }
}

/// <summary>Chart builders for the mixture chapter.</summary>
public static class MixtureFigures
{
    /// <summary>Samples (standardised) coloured by component over the data map, with box outlines for a uniform mixture.</summary>
    public static Heatmap Samples(EuropeBackdrop map, string title, PointSet samples, MixtureSnapshot? boxes = null)
    {
        var hm = map.Map(title);
        var lon = new double[samples.Count];
        var lat = new double[samples.Count];
        for (int i = 0; i < samples.Count; i++) (lon[i], lat[i]) = (map.Lon(samples.X[2 * i]), map.Lat(samples.X[2 * i + 1]));
        var s = hm.AddCategoricalPoints("component", lon, lat, samples.Labels);
        s.Size = 2.2;
        s.Opacity = 0.85;
        s.Outline = false;
        if (boxes is not null) AddBoxes(hm, map, boxes);
        return hm;
    }

    // Each box c ± s/2 as a rectangle outline in its component's colour.
    private static void AddBoxes(XYChart chart, EuropeBackdrop map, MixtureSnapshot p) => chart.AddOverlay(ctx =>
    {
        int k = p.Logits.Length;
        for (int c = 0; c < k; c++)
        {
            double s0 = Math.Exp(p.LogScales[2 * c]), s1 = Math.Exp(p.LogScales[2 * c + 1]);
            double x0 = ctx.X(map.Lon(p.Locations[2 * c] - s0 / 2)), x1 = ctx.X(map.Lon(p.Locations[2 * c] + s0 / 2));
            double y0 = ctx.Y(map.Lat(p.Locations[2 * c + 1] - s1 / 2)), y1 = ctx.Y(map.Lat(p.Locations[2 * c + 1] + s1 / 2));
            if (!double.IsFinite(x0 + x1 + y0 + y1)) continue;
            ctx.Svg.Rect(Math.Min(x0, x1), Math.Min(y0, y1), Math.Max(Math.Abs(x1 - x0), 0.5), Math.Max(Math.Abs(y1 - y0), 0.5),
                Paint.Line(Palette.Categorical(c).Hex, 1.1, opacity: 0.9));
        }
    });

    /// <summary>Two panels side by side: 1000 mixture samples, and 100 samples from each component.</summary>
    public static FigureGrid SamplePair(EuropeBackdrop map, MixtureRun run, string label)
    {
        var grid = new FigureGrid(2) { PanelWidth = 470, PanelHeight = 420 };
        var boxes = run.Spec.Kind == MixtureKind.Uniform ? run.Final : null;
        grid.Add(Samples(map, $"{label}: {run.Samples.Count} samples", run.Samples, boxes));
        grid.Add(Samples(map, $"{label}: {run.ComponentSamples.Count / Math.Max(1, run.Spec.Components)} per component", run.ComponentSamples, boxes));
        return grid;
    }

    /// <summary>A grid of one panel per snapshot at <paramref name="epochs"/>: mixture samples (<paramref name="perComponent"/> false) or per-component samples.</summary>
    public static FigureGrid Snapshots(EuropeBackdrop map, MixtureRun run, bool perComponent, IReadOnlyCollection<int> epochs)
    {
        var grid = new FigureGrid(3) { PanelWidth = 320, PanelHeight = 290 };
        foreach (var s in run.Snapshots.Where(s => epochs.Contains(s.Epoch)))
        {
            var boxes = run.Spec.Kind == MixtureKind.Uniform ? s.Parameters : null;
            grid.Add(Samples(map, Inv($"epoch {s.Epoch} (test LL {Fmt(s.TestLogLik)})"), perComponent ? s.ComponentSamples : s.Samples, boxes));
        }
        return grid;
    }

    /// <summary>Train (solid) and test (dashed) mean log-likelihood per epoch for each run, with optional horizontal references.</summary>
    public static R.LineChart Curves(string title, IReadOnlyList<(string Name, MixtureRun Run)> runs, IReadOnlyList<(string Name, double Value)>? references = null)
    {
        var chart = new R.LineChart { Title = title, Width = 620, Height = 360, Legend = LegendPosition.Right };
        chart.X.Label = "epoch";
        chart.Y.Label = "mean log-likelihood";
        int color = 0;
        foreach (var (name, run) in runs)
        {
            var epochs = run.History.Epochs.Where(e => double.IsFinite(e.TrainLogLik)).ToArray();
            string hex = Palette.Categorical(color++).Hex;
            chart.Add($"{name} train", epochs.Select(e => (double)e.Epoch), epochs.Select(e => e.TrainLogLik)).Color = hex;
            var test = chart.Add($"{name} test", epochs.Select(e => (double)e.Epoch), epochs.Select(e => e.TestLogLik));
            test.Color = hex;
            test.Dash = "5 3";
        }
        foreach (var (name, value) in references ?? []) chart.AddHLine(value, name);
        return chart;
    }

    /// <summary>One line chart of a per-epoch statistic of uniform-mixture analyses.</summary>
    public static R.LineChart UniformStat(string title, string yLabel, IReadOnlyList<UniformAnalysis> analyses, Func<UniformEpochStats, double> stat, bool logY = false)
    {
        var chart = new R.LineChart { Title = title, Width = 460, Height = 320, Legend = LegendPosition.Bottom };
        chart.X.Label = "epoch";
        chart.Y.Label = yLabel;
        if (logY) chart.Y.Scale = AxisScale.Log;
        foreach (var a in analyses)
            chart.Add(a.Label, a.Epochs.Select(e => (double)e.Epoch), a.Epochs.Select(stat));
        return chart;
    }

    /// <summary>Gradient norms of the three parameter groups per epoch for one uniform run (centres are exactly 0 with hard boxes).</summary>
    public static R.LineChart GradientNorms(UniformAnalysis a)
    {
        var chart = new R.LineChart { Title = $"Gradient norms, {a.Label}", Width = 460, Height = 320, Legend = LegendPosition.Bottom };
        chart.X.Label = "epoch";
        chart.Y.Label = "mean ‖∂loss/∂θ‖ per step";
        var e = a.Epochs.Where(s => s.GradNorms is not null).ToArray();
        chart.Add("logits", e.Select(s => (double)s.Epoch), e.Select(s => s.GradNorms!.Logits));
        chart.Add("log sizes", e.Select(s => (double)s.Epoch), e.Select(s => s.GradNorms!.LogScales));
        chart.Add("centres", e.Select(s => (double)s.Epoch), e.Select(s => s.GradNorms!.Locations)).Dash = "4 3";
        return chart;
    }

    /// <summary>"−2.4649" style, or "−7.1e+05" for the huge uniform-mixture values.</summary>
    public static string Fmt(double v) => !double.IsFinite(v) ? "n/a" : Math.Abs(v) < 1e4 ? v.ToString("F4", CultureInfo.InvariantCulture) : v.ToString("0.###e+0", CultureInfo.InvariantCulture);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
