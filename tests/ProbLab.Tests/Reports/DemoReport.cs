// DemoReport: a sample report with every chart kind, image grid, table, note and an animated SVG, built
// from deterministic synthetic data. Used by the structure tests and the headless-chromium screenshot
// test; set PROBLAB_DEMO_OUT=<dir> when running ChromiumTests to keep the page and screenshot for a look.
using ProbLab.Reports;
using ProbLab.Tensors;

namespace ProbLab.Tests.Reports;

internal static class DemoReport
{
    public static Report Build(int seed = 7)
    {
        var rng = new Rng(seed);
        var r = new Report("ProbLab report layer — demo") { Subtitle = "Every chart kind on synthetic data, *deterministic* from `--seed 7`." };
        r.Meta("command", "problab report demo --seed 7").Meta("seed", seed).Meta("elapsed", "1.23 s").AddMachineInfo();
        r.Config(("lr", 3e-4), ("steps", 2000), ("batch_size", 64), ("dropout", 0.1), ("dataset", "synthetic"));
        r.Note("Synthetic stand-in data used: the real dataset was not found under `--data-dir`.");

        var lines = r.AddSection("Line charts");
        lines.Paragraph("Loss curves on a log axis, a mean ± sd band over five seeds and an MCMC trace with its burn-in marked.\n\n- log y axis with 1-2-5 ticks\n- legend placed where it covers no data");
        lines.Figure(LossCurves(rng), "Training and validation loss (log scale); the dashed line marks the end of warm-up.");
        lines.Figure(SeedBand(rng), "Mean ± 1 sd over 5 seeds.");
        lines.Figure(Trace(rng), "Metropolis–Hastings trace of μ with burn-in.");

        var scatter = r.AddSection("Scatter plots");
        scatter.Figure(MixtureMap(rng), "Gaussian mixture (3 components) on map-like data, equal aspect; grey: data, colours: component of each sample, ellipses: 2σ.");
        scatter.Figure(ValueScatter(rng), "Points coloured by a numeric value, with a colour bar.");
        scatter.Figure(FortyClasses(rng), "All 40 categorical colours.");

        var hist = r.AddSection("Histograms and bars");
        hist.Figure(SkillHistogram(rng), "Posterior samples of a skill with the fitted Gaussian.");
        hist.Figure(Grouped(), "Grouped bars with error bars.");

        var heat = r.AddSection("Heatmaps");
        heat.Figure(Density(rng), "2-D density on a 160×160 grid (embedded PNG) with samples overlaid.");
        heat.Figure(DecisionRegions(rng), "Decision regions (30×30 cells) with labelled data.");
        heat.Figure(Confusion(), "Confusion matrix with values.");

        var panels = r.AddSection("Multi-panel figures");
        panels.Figure(Snapshots(rng), "Samples at epochs 1, 10, 20, 30, 40 and 50.");
        var images = panels.AddSection("Images");
        images.Image(Digits(rng), "100 synthetic 28×28 digits, upscaled ×2.", displayWidth: 330);
        images.Image(ColorTiles(rng), "RGB tiles from a CHW batch.", displayWidth: 330);
        var anim = panels.AddSection("Animation");
        anim.Figure(StickFigure(), "Animated stick figure (SMIL): limbs swing, frames flip.");

        var tables = r.AddSection("Tables and text");
        var t = new Table("method", "log-lik", "accuracy", "time (s)", "notes") { Caption = "Inference methods on the synthetic league." };
        t.AddRow("ADF", -1234.567, 0.612, 0.012, "one pass").AddRow("EP", -1201.25, 0.641, 0.35, null).AddRow("Gibbs", double.NaN, 0.638, 12.5, "10 000 sweeps");
        t.SetFormat(2, "P1");
        tables.Table(t);
        tables.KeyValues("Best run", ("seed", 3), ("final loss", 1.4321), ("converged", true));
        tables.Preformatted("ROMEO: What light through yonder window breaks?\nJULIET: <b>not bold</b> & escaped", "Sample from the char model");
        tables.Note("Gibbs log-likelihood was **not** computed (NaN shown as is).", NoteKind.Info);
        return r;
    }

    private static double[] Normals(Rng rng, int n, double mean, double sd) => Enumerable.Range(0, n).Select(_ => rng.Normal(mean, sd)).ToArray();

    public static LineChart LossCurves(Rng rng)
    {
        var c = new LineChart { Title = "GPT training loss" };
        c.X.Label = "step"; c.Y.Label = "cross-entropy (nats)"; c.Y.Scale = AxisScale.Log;
        var steps = Enumerable.Range(0, 2000).ToArray();
        c.Add("train", steps, steps.Select(s => 0.9 + 3.4 * Math.Exp(-s / 250.0) + 0.08 * rng.Normal()).ToArray()).Width = 1.3;
        var vs = Enumerable.Range(0, 21).Select(i => i * 100).ToArray();
        var val = c.Add("validation", vs, vs.Select(s => 1.05 + 3.3 * Math.Exp(-s / 260.0)).ToArray());
        val.Marker = MarkerShape.Circle;
        c.AddVLine(200, "warm-up end");
        return c;
    }

    public static LineChart SeedBand(Rng rng)
    {
        var c = new LineChart { Title = "Negative log-likelihood over seeds" };
        c.X.Label = "epoch"; c.Y.Label = "NLL";
        var x = Enumerable.Range(1, 50).ToArray();
        foreach (var (name, rate) in new[] { ("Adam", 8.0), ("SGD", 20.0) })
        {
            var runs = Enumerable.Range(0, 5).Select(_ => x.Select(e => 1.2 + 2.5 * Math.Exp(-e / rate) + 0.12 * rng.Normal()).ToArray()).ToList();
            c.AddMeanBand(name, x, runs);
        }
        return c;
    }

    public static LineChart Trace(Rng rng)
    {
        var c = new LineChart { Title = "MCMC trace" };
        c.X.Label = "iteration"; c.Y.Label = "μ";
        double v = -4; var ys = new double[600];
        for (int i = 0; i < ys.Length; i++) { v += 0.04 * (1.5 - v) + 0.25 * rng.Normal(); ys[i] = v; }
        c.Add("chain 1", ys).Width = 1.1;
        c.AddVLine(100, "burn-in");
        c.AddHLine(1.5, "true μ");
        return c;
    }

    public static ScatterChart MixtureMap(Rng rng)
    {
        var c = new ScatterChart { Title = "Mixture on a map", EqualAspect = true, Width = 520, Height = 420 };
        c.X.Label = "longitude"; c.Y.Label = "latitude";
        var centres = new[] { (2.3, 48.8, 1.5, 0.8), (13.4, 52.5, 2.0, 1.0), (12.5, 41.9, 1.2, 1.6) };
        var dx = new List<double>(); var dy = new List<double>();
        foreach (var (mx, my, sx, sy) in centres) for (int i = 0; i < 300; i++) { dx.Add(rng.Normal(mx, sx)); dy.Add(rng.Normal(my, sy)); }
        c.AddBackground(dx, dy, "data");
        var sx2 = new List<double>(); var sy2 = new List<double>(); var lab = new List<int>();
        for (int k = 0; k < 3; k++) for (int i = 0; i < 60; i++) { sx2.Add(rng.Normal(centres[k].Item1, centres[k].Item3)); sy2.Add(rng.Normal(centres[k].Item2, centres[k].Item4)); lab.Add(k); }
        c.AddCategorical("component", sx2, sy2, lab, ["Paris", "Berlin", "Rome"]);
        for (int k = 0; k < 3; k++)
            c.AddCovarianceEllipse(null, centres[k].Item1, centres[k].Item2, centres[k].Item3 * centres[k].Item3, 0.3 * centres[k].Item3 * centres[k].Item4, centres[k].Item4 * centres[k].Item4, 2, Palette.Categorical(k).Hex);
        return c;
    }

    public static ScatterChart ValueScatter(Rng rng)
    {
        var c = new ScatterChart { Title = "Coloured by value" };
        c.X.Label = "x₁"; c.Y.Label = "x₂";
        var x = Normals(rng, 400, 0, 1); var y = Normals(rng, 400, 0, 1);
        c.AddValues("log p", x, y, x.Zip(y, (a, b) => -0.5 * (a * a + b * b)).ToArray(), valueLabel: "log density");
        return c;
    }

    public static ScatterChart FortyClasses(Rng rng)
    {
        var c = new ScatterChart { Title = "40 classes", Width = 640, Height = 400 };
        var x = new List<double>(); var y = new List<double>(); var l = new List<int>();
        for (int k = 0; k < 40; k++) for (int i = 0; i < 12; i++) { x.Add(k % 8 + 0.25 * rng.Normal()); y.Add(k / 8 + 0.25 * rng.Normal()); l.Add(k); }
        c.AddCategorical("class", x, y, l);
        return c;
    }

    public static Histogram SkillHistogram(Rng rng)
    {
        var h = new Histogram { Title = "Skill posterior", Density = true, Bins = 40 };
        h.X.Label = "skill"; h.Y.Label = "density";
        var a = Normals(rng, 3000, 25, 3); var b = Normals(rng, 3000, 31, 2);
        h.AddValues("player A", a); h.AddValues("player B", b);
        h.AddGaussian("N fit A", a.Average(), Math.Sqrt(a.Select(v => (v - a.Average()) * (v - a.Average())).Average()));
        h.AddGaussian("N fit B", b.Average(), 2, dash: "6 3");
        return h;
    }

    public static BarChart Grouped()
    {
        var b = new BarChart("ATP 2019", "WTA 2019", "Synthetic", "Chess") { Title = "Predictive accuracy", ShowValues = true };
        b.Y.Label = "accuracy"; b.Y.Max = 1;
        b.Add("ADF", new[] { 0.62, 0.58, 0.71, 0.55 }, new[] { 0.02, 0.03, 0.01, 0.02 });
        b.Add("EP", new[] { 0.64, 0.60, 0.74, 0.57 }, new[] { 0.02, 0.02, 0.01, 0.02 });
        b.Add("Gibbs", new[] { 0.63, 0.61, 0.74, 0.56 }, new[] { 0.03, 0.02, 0.02, 0.03 });
        return b;
    }

    public static Heatmap Density(Rng rng)
    {
        int n = 160; var z = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double x = -3 + 6.0 * (j + 0.5) / n, y = -3 + 6.0 * (i + 0.5) / n;
                z[i, j] = Math.Exp(-((x - 1) * (x - 1) + (y - 1) * (y - 1)) / 0.6) + 0.7 * Math.Exp(-((x + 1.2) * (x + 1.2) + (y + 0.8) * (y + 0.8)) / 0.9);
            }
        var h = new Heatmap(z, (-3, 3), (-3, 3)) { Title = "Learned density", ColorLabel = "p(x)", Width = 500, Height = 420, AspectRatio = 1 };
        h.X.Label = "x₁"; h.Y.Label = "x₂";
        h.AddPoints("samples", Normals(rng, 80, 1, 0.5), Normals(rng, 80, 1, 0.5));
        return h;
    }

    public static Heatmap DecisionRegions(Rng rng)
    {
        int n = 30; var z = new double[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) z[i, j] = 1 / (1 + Math.Exp(-2 * ((j - 15) * 0.3 + (i - 15) * 0.2)));
        var h = new Heatmap(z, (-2, 2), (-2, 2)) { Title = "Decision regions", ColorMap = ColorMap.RedBlue, ColorLabel = "p(class 1)", Width = 480, Height = 400 };
        var x = Normals(rng, 120, 0, 1); var y = Normals(rng, 120, 0, 1);
        h.AddCategoricalPoints("data", x, y, x.Zip(y, (a, b) => a * 0.3 + b * 0.2 > 0 ? 1 : 0).ToArray(), ["class 0", "class 1"]);
        return h;
    }

    public static Heatmap Confusion()
    {
        var z = new double[,] { { 48, 2, 0 }, { 5, 40, 5 }, { 1, 3, 46 } };
        return new Heatmap(z) { Title = "Confusion matrix", ShowValues = true, RowsTopDown = true, ColorMap = ColorMap.Blues,
            ColumnLabels = ["cat", "dog", "bird"], RowLabels = ["cat", "dog", "bird"], Width = 400, Height = 340,
            X = { Label = "predicted" }, Y = { Label = "true" } };
    }

    public static FigureGrid Snapshots(Rng rng)
    {
        var g = new FigureGrid(3) { Title = "Samples during training", PanelWidth = 300, PanelHeight = 240 };
        foreach (int epoch in new[] { 1, 10, 20, 30, 40, 50 })
        {
            double spread = 2.5 / Math.Sqrt(epoch);
            var s = new ScatterChart { Title = $"epoch {epoch}", EqualAspect = true };
            s.X.Min = -4; s.X.Max = 4; s.Y.Min = -4; s.Y.Max = 4;
            s.AddBackground(Normals(rng, 200, 0, 1), Normals(rng, 200, 0, 1));
            s.Add(null, Normals(rng, 100, 0, spread), Normals(rng, 100, 0, spread)).Size = 2.2;
            g.Add(s);
        }
        return g;
    }

    public static RasterImage Digits(Rng rng)
    {
        var batch = new float[100 * 28 * 28];
        for (int k = 0; k < 100; k++)
        {
            double cx = 14 + 3 * rng.Normal(), cy = 14 + 3 * rng.Normal(), rx = 5 + 2 * rng.NextDouble(), ry = 8 + 2 * rng.NextDouble();
            for (int y = 0; y < 28; y++)
                for (int x = 0; x < 28; x++)
                {
                    double d = Math.Sqrt((x - cx) * (x - cx) / (rx * rx) + (y - cy) * (y - cy) / (ry * ry));
                    batch[k * 784 + y * 28 + x] = (float)Math.Exp(-(d - 1) * (d - 1) * 18);
                }
        }
        return ImageGrid.FromBatch(batch, 100, 1, 28, 28, columns: 10, padding: 2, scale: 2);
    }

    public static RasterImage ColorTiles(Rng rng)
    {
        int n = 16, h = 24, w = 24; var batch = new float[n * 3 * h * w];
        for (int k = 0; k < n; k++)
            for (int c = 0; c < 3; c++)
            {
                double phase = rng.NextDouble() * 6.28;
                for (int i = 0; i < h * w; i++) batch[(k * 3 + c) * h * w + i] = (float)(0.5 + 0.5 * Math.Sin(phase + (i % w) * 0.3 * (c + 1) + (i / w) * 0.2));
            }
        return ImageGrid.FromBatch(batch, n, 3, h, w, columns: 4, padding: 2, scale: 3);
    }

    /// <summary>A walking stick figure: thighs and shins as animated lines, plus a 4-frame flip-book of the torso lean.</summary>
    public static string StickFigure()
    {
        var svg = new SvgBuilder(360, 220);
        svg.Rect(0, 0, 360, 220, Paint.Solid("#ffffff"));
        svg.Line(20, 190, 340, 190, Paint.Line("#999999", 2));
        double hipX = 180, hipY = 120, thigh = 40, shin = 40;
        var leg = Paint.Line("#3d3d8f", 5);
        foreach (double phase in new[] { 0.0, Math.PI })
        {
            var kneeX = new List<double>(); var kneeY = new List<double>(); var footX = new List<double>(); var footY = new List<double>();
            for (int f = 0; f <= 16; f++)
            {
                double t = 2 * Math.PI * f / 16 + phase, a = 0.45 * Math.Sin(t), b = a - 0.35 * (1 + Math.Cos(t));
                kneeX.Add(hipX + thigh * Math.Sin(a)); kneeY.Add(hipY + thigh * Math.Cos(a));
                footX.Add(kneeX[^1] + shin * Math.Sin(b)); footY.Add(kneeY[^1] + shin * Math.Cos(b));
            }
            svg.Line(hipX, hipY, kneeX[0], kneeY[0], leg, [SvgAnimation.Values("x2", kneeX, 1.2), SvgAnimation.Values("y2", kneeY, 1.2)]);
            svg.Line(kneeX[0], kneeY[0], footX[0], footY[0], leg,
                [SvgAnimation.Values("x1", kneeX, 1.2), SvgAnimation.Values("y1", kneeY, 1.2), SvgAnimation.Values("x2", footX, 1.2), SvgAnimation.Values("y2", footY, 1.2)]);
        }
        svg.FrameSequence(4, 0.3, (s, i) =>
        {
            double lean = 4 * Math.Sin(i * Math.PI / 2);
            using (s.Group(Transform.Rotate(lean, hipX, hipY)))
            {
                s.Line(hipX, hipY, hipX, hipY - 55, Paint.Line("#4e79a7", 6));
                s.Circle(hipX, hipY - 70, 13, new Paint(Fill: "#ffffff", Stroke: "#4e79a7", StrokeWidth: 4));
                s.Line(hipX, hipY - 45, hipX - 25, hipY - 20 + 5 * i, Paint.Line("#4e79a7", 4));
                s.Line(hipX, hipY - 45, hipX + 25, hipY - 20 - 5 * i, Paint.Line("#4e79a7", 4));
            }
        });
        svg.Text(180, 212, "SMIL animation: open the report in a browser", new TextStyle(11, "#666666", TextAnchor.Middle));
        return svg.ToString();
    }
}
