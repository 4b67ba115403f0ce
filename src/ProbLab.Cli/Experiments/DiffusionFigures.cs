// Figures of the diffusion chapters, drawn with ProbLab.Reports: point clouds over the analytic density of
// p_k (so a reader sees whether the simulated x_k follow the closed form), reverse trajectories over the
// spiral curve, side-by-side sampler comparisons, smoothed loss curves, and the schedule comparison.
// Scatter panels show at most MaxPoints points (SVG size); densities are evaluated on a grid from the exact
// mixture, never from samples.
using System.Globalization;
using ProbLab.Models.Diffusion;
using ProbLab.Reports;
using ProbLab.Tensors;
using R = ProbLab.Reports;
using Tensor = ProbLab.Tensors.Tensor;

namespace ProbLab.Cli.Experiments;

/// <summary>Chart builders for the spiral-diffusion chapter (and the loss curves shared with the latent one).</summary>
public static class DiffusionFigures
{
    /// <summary>Points drawn per scatter panel.</summary>
    public const int MaxPoints = 1000;

    /// <summary>Plot window of the spiral figures: [−Extent, Extent]².</summary>
    public const double Extent = 2.6;

    private static readonly ColorMap DensityMap = new("density", [R.Color.Parse("#ffffff"), R.Color.Parse("#9ecae1"), R.Color.Parse("#08519c")]);

    /// <summary>A square panel with the density of <paramref name="density"/> (or nothing) and the first MaxPoints rows of X (N, 2).</summary>
    public static Chart Cloud(string title, Tensor x, IsotropicMixture? density, string color = "#d62728", bool curve = false, SpiralMixture? spiral = null)
    {
        XYChart chart;
        if (density is not null)
        {
            var hm = Heatmap.FromFunction((a, b) => Math.Exp(density.LogDensity([a, b])), (-Extent, Extent), (-Extent, Extent), 90, 90);
            hm.ColorMap = DensityMap;
            hm.ShowColorBar = false;
            hm.ColorLabel = "p_k(x)";
            chart = hm;
        }
        else chart = new ScatterChart { X = { Min = -Extent, Max = Extent }, Y = { Min = -Extent, Max = Extent } };
        chart.Title = title;
        chart.AspectRatio = 1;
        chart.Legend = LegendPosition.None;
        chart.X.Label = "x₁";
        chart.Y.Label = "x₂";
        if (curve && spiral is not null) AddCurve(chart, spiral);
        var (xs, ys) = Columns(x, MaxPoints);
        var pts = chart is Heatmap h ? h.AddPoints("samples", xs, ys, color) : ((ScatterChart)chart).Add("samples", xs, ys);
        pts.Color = color;
        pts.Size = 1.4;
        pts.Opacity = 0.6;
        pts.Outline = false;
        return chart;
    }

    /// <summary>Paths of the first (up to) 6 tracked particles (P, K + 1, 2) over the spiral curve, every few steps, with start (○) and end (●) markers.</summary>
    public static ScatterChart Trajectories(string title, Tensor paths, SpiralMixture spiral)
    {
        const int maxPaths = 6, maxVertices = 30;
        var chart = new ScatterChart { Title = title, Width = 460, Height = 460, EqualAspect = true, Legend = LegendPosition.None };
        chart.X.Min = chart.Y.Min = -Extent - 0.6;
        chart.X.Max = chart.Y.Max = Extent + 0.6;
        chart.X.Label = "x₁";
        chart.Y.Label = "x₂";
        AddCurve(chart, spiral);
        int p = Math.Min(maxPaths, paths.Shape[0]), steps = paths.Shape[1];
        for (int i = 0; i < p; i++)
        {
            var xs = new double[steps];
            var ys = new double[steps];
            for (int k = 0; k < steps; k++) (xs[k], ys[k]) = (paths.Data[(i * steps + k) * 2], paths.Data[(i * steps + k) * 2 + 1]);
            string c = Palette.Categorical(i).Hex;
            var (tx, ty) = Thin(xs, ys, maxVertices);                                      // the Brownian jitter of every step hides the drift
            chart.AddLine(null, tx, ty, c, 1.1);
            var end = chart.Add(null, new[] { xs[0] }, new[] { ys[0] });
            end.Color = c; end.Size = 5; end.Marker = MarkerShape.Circle;
            var start = chart.Add(null, new[] { xs[^1] }, new[] { ys[^1] });
            start.Color = "#ffffff"; start.OutlineColor = c; start.Size = 5;
        }
        return chart;
    }

    /// <summary>Training loss per step: the raw values faintly and a moving average on top, with optional horizontal references.</summary>
    public static R.LineChart Loss(string title, IReadOnlyList<(string Name, double[] Loss)> runs, IReadOnlyList<(string Name, double Value)>? references = null,
        string yLabel = "loss")
    {
        var chart = new R.LineChart { Title = title, Width = 620, Height = 360, Legend = LegendPosition.Right };
        chart.X.Label = "step";
        chart.Y.Label = yLabel;
        for (int r = 0; r < runs.Count; r++)
        {
            var (name, loss) = runs[r];
            string c = Palette.Categorical(r).Hex;
            var (sx, sy) = Thin(Enumerable.Range(1, loss.Length).Select(i => (double)i).ToArray(), loss, 600);
            var raw = chart.Add(null, sx, sy);
            raw.Color = c;
            raw.Opacity = 0.25;
            raw.Width = 0.8;
            var (mx, my) = Thin(Enumerable.Range(1, loss.Length).Select(i => (double)i).ToArray(), MovingAverage(loss, Math.Max(1, loss.Length / 50)), 600);
            chart.Add(name, mx, my).Color = c;
        }
        foreach (var (name, value) in references ?? []) chart.AddHLine(value, name);
        // The raw Hyvärinen loss has rare huge outliers at small t: clip the y-range to the smoothed curves.
        var smooth = runs.SelectMany(r => MovingAverage(r.Loss, Math.Max(1, r.Loss.Length / 50))).Concat((references ?? []).Select(v => v.Value)).Where(double.IsFinite).ToArray();
        if (smooth.Length > 0)
        {
            double lo = smooth.Min(), hi = smooth.Max(), pad = 0.15 * Math.Max(1e-9, hi - lo);
            chart.Y.Min = lo - pad;
            chart.Y.Max = hi + pad;
        }
        return chart;
    }

    /// <summary>ᾱ(t) of each schedule on a log axis.</summary>
    public static R.LineChart AlphaBar(IReadOnlyList<(string Name, VpSde Sde)> schedules)
    {
        var chart = new R.LineChart { Title = "Signal fraction ᾱ(t) = exp(−∫₀ᵗ β)", Width = 520, Height = 330, Legend = LegendPosition.Bottom };
        chart.X.Label = "t = k/K";
        chart.Y.Label = "ᾱ(t)";
        chart.Y.Scale = AxisScale.Log;
        var ts = Enumerable.Range(0, 201).Select(i => i / 200.0).ToArray();
        foreach (var (name, sde) in schedules) chart.Add(name, ts, ts.Select(sde.AlphaBar));
        return chart;
    }

    /// <summary>Centered moving average of width w (shorter at the ends).</summary>
    public static double[] MovingAverage(double[] v, int w)
    {
        var r = new double[v.Length];
        int h = w / 2;
        for (int i = 0; i < v.Length; i++)
        {
            int a = Math.Max(0, i - h), b = Math.Min(v.Length - 1, i + h);
            double s = 0;
            int n = 0;
            for (int j = a; j <= b; j++)
                if (double.IsFinite(v[j])) { s += v[j]; n++; }
            r[i] = n > 0 ? s / n : double.NaN;
        }
        return r;
    }

    /// <summary>The first n points of X (N, 2) as coordinate arrays.</summary>
    public static (double[] X, double[] Y) Columns(Tensor x, int n)
    {
        int m = Math.Min(n, x.Shape[0]);
        var xs = new double[m];
        var ys = new double[m];
        for (int i = 0; i < m; i++) (xs[i], ys[i]) = (x.Data[2 * i], x.Data[2 * i + 1]);
        return (xs, ys);
    }

    /// <summary>"0.0483" style.</summary>
    public static string F4(double v) => v.ToString("F4", CultureInfo.InvariantCulture);

    /// <summary>Invariant-culture interpolation.</summary>
    public static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static void AddCurve(XYChart chart, SpiralMixture spiral)
    {
        var (cx, cy) = spiral.Curve(400);
        switch (chart)
        {
            case ScatterChart s: s.AddLine(null, cx, cy, "#555555", 0.8, "3 2"); break;
            default: chart.AddOverlay(ctx => ctx.Svg.Polyline(cx.Select(ctx.X).Zip(cy.Select(ctx.Y)).Select(p => (p.First, p.Second)).ToArray(), Paint.Line("#555555", 0.8))); break;
        }
    }

    // Every k-th point so a curve has at most `max` vertices (keeps the last one).
    private static (double[] X, double[] Y) Thin(double[] x, double[] y, int max)
    {
        if (x.Length <= max) return (x, y);
        int step = (x.Length + max - 1) / max;
        var idx = Enumerable.Range(0, x.Length).Where(i => i % step == 0 || i == x.Length - 1).ToArray();
        return (idx.Select(i => x[i]).ToArray(), idx.Select(i => y[i]).ToArray());
    }
}
