// Sections of the latent-diffusion chapter (exam P3.3-P3.4) for a finished LatentStudy: the latent scatter
// with generated latents overlaid, VAE-prior vs latent-diffusion sample grids, loss curves, the guided digit
// grid (one row per requested digit) and the guidance sweep. Independent of which encoder produced the
// latents: the caller passes the training latents, their labels and the decoded image size. Scatters of latents
// with d > 2 show the two leading principal axes of the training latents (LatentProjection); d = 1 has none.
using ProbLab.Models.Diffusion;
using ProbLab.Reports;
using static ProbLab.Cli.Experiments.DiffusionFigures;
using Tensor = ProbLab.Tensors.Tensor;

namespace ProbLab.Cli.Experiments;

/// <summary>Writes the latent-diffusion and guidance sections.</summary>
public static class DiffusionLatentSections
{
    /// <summary>Latent points drawn per scatter (SVG size).</summary>
    public const int MaxLatentPoints = 4000;

    /// <summary>Writes every section; <paramref name="latents"/> (N, d) and <paramref name="labels"/> are the training encodings; images are side×side.</summary>
    public static void Write(Section chapter, LatentStudyResult r, Tensor latents, int[] labels, int side, string encoderNote)
    {
        Comparison(chapter.AddSection("Latent diffusion vs the VAE prior (P3.3)"), r, latents, labels, side, encoderNote);
        Guidance(chapter.AddSection("Class-conditional generation with classifier-free guidance (P3.4)"), r, latents, labels, side);
    }

    private static void Comparison(Section s, LatentStudyResult r, Tensor latents, int[] labels, int side, string encoderNote)
    {
        var c = r.Config;
        s.Paragraph(encoderNote + " " +
                    Inv($"The latents are standardised per dimension (means {string.Join(", ", r.Standardizer.Mean.Select(v => v.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))}, ") +
                    Inv($"stds {string.Join(", ", r.Standardizer.Std.Select(v => v.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))}) so that the VP-SDE's N(0, I) matches x_K, ") +
                    Inv($"a score net is trained on them with denoising score matching (β₀ = {c.Beta0}, β₁ = {c.Beta1}, K = {c.Steps}, {c.Training.Steps} steps), and reverse samples are ") +
                    "de-standardised and decoded. The VAE's own generator decodes z ~ N(0, I); but the aggregate posterior of the encoder means is not N(0, I): it is a set of digit " +
                    "clusters with gaps, and prior draws that land in a gap decode to blends of digits.");
        double gap = r.DiffusionParzen.Mean - r.PriorParzen.Mean;
        double gapSe = Math.Sqrt(r.DiffusionParzen.StdError * r.DiffusionParzen.StdError + r.PriorParzen.StdError * r.PriorParzen.StdError);
        s.Paragraph(Inv($"**How data-like are the generated latents?** Mean log-density (± standard error) under a Gaussian kernel density estimate of the training latents (standardised units, bandwidth h = {r.ParzenBandwidth:F3}): ") +
                    Inv($"held-out test encodings {Est(r.HeldOutParzen)} (what real data scores), latent-diffusion samples {Est(r.DiffusionParzen)}, VAE prior draws {Est(r.PriorParzen)}. ") +
                    (gap > 2 * gapSe
                        ? Inv($"Diffusion samples are more data-like than prior draws by {gap:F3} ± {gapSe:F3} nats: the prior also puts mass in the low-density gaps and outskirts of the clusters.")
                        : gap < -2 * gapSe
                            ? Inv($"Here prior draws score higher than diffusion samples by {-gap:F3} ± {gapSe:F3} nats.")
                            : Inv($"The difference between diffusion samples and prior draws ({gap:F3} ± {gapSe:F3} nats) is within Monte Carlo error: with a 2-D latent and this KL weight the aggregate posterior is already close to N(0, I) at the scale of the kernel, so the exam's \"holes\" argument shows at most in the details of the cluster shapes, not in this average.")));
        if (LatentProjection.CanProject(latents.Shape[1]))
        {
            var view = LatentProjection.Fit(latents);
            var scatter = new FigureGrid(2) { PanelWidth = 520, PanelHeight = 520 };
            scatter.Add(LatentScatter(Inv($"latent diffusion: {r.DiffusionLatents.Shape[0]} samples (black) over the data"), view, latents, labels, r.DiffusionLatents, "#111111"));
            scatter.Add(LatentScatter(Inv($"VAE prior: {r.PriorLatents.Shape[0]} draws z ~ N(0, I) (black)"), view, latents, labels, r.PriorLatents, "#111111"));
            s.Figure(scatter, "Encoder means of the training images coloured by digit, with generated latents overlaid" + ViewNote(latents.Shape[1]));
        }
        else s.Paragraph("The latent is 1-D, so there is no latent scatter; the decoded grids below show the samples.");
        int n = Math.Min(r.PriorDecoded.Shape[0], r.DiffusionDecoded.Shape[0]);
        int cols = (int)Math.Ceiling(Math.Sqrt(n));
        var images = new FigureGrid(2) { PanelWidth = 460, PanelHeight = 480 };
        images.Add(new ImageView(ImageGrid.FromBatch(r.PriorDecoded.Data, n, 1, side, side, cols, scale: 1)) { Title = "VAE: decode(z), z ~ N(0, I)" });
        images.Add(new ImageView(ImageGrid.FromBatch(r.DiffusionDecoded.Data, n, 1, side, side, cols, scale: 1)) { Title = "latent diffusion: decode(reverse sample)" });
        s.Figure(images, Inv($"{n} decoded samples from each generator (pixel probabilities σ(logits))."));
        s.Figure(Loss("Latent score training", [("unconditional", r.Unconditional.Loss), (Inv($"conditional (p_uncond = {c.ConditionalTraining.PUncond})"), r.Conditional.Loss)]),
            Inv($"Denoising loss ½σ²‖s_θ + ε/σ‖² per step (faint) and moving average; training took {r.UnconditionalSeconds:F1} s and {r.ConditionalSeconds:F1} s."));
    }

    private static void Guidance(Section s, LatentStudyResult r, Tensor latents, int[] labels, int side)
    {
        var c = r.Config;
        int classes = r.ClassMeans.GetLength(0);
        s.Paragraph(Inv($"One score net s_θ(z, t, y) with a learned class embedding (size {c.ConditionalNet.ClassEmbedding}) and a null class ∅: during training each label is replaced by ∅ ") +
                    Inv($"with probability p_uncond = {c.ConditionalTraining.PUncond}, so the same net gives the conditional and the unconditional score. Sampling uses ") +
                    "**s̃ = (1 + w)·s(z, t, y) − w·s(z, t, ∅)**, w ≥ 0: w = 0 is the plain conditional score, larger w pushes samples away from the other classes. " +
                    Inv($"(The exam's student wrote s̃ = s_∅ + w'(s_y − s_∅), so w' = 1 + w; their w' = 7.5 is our w = 6.5.) Default here: w = {c.Guidance}") +
                    (c.GuidanceMinTime > 0 ? Inv($", applied for t ≥ {c.GuidanceMinTime} (the plain conditional score below).") : ", applied at every step."));
        s.Paragraph(Inv($"**Checks.** Each requested digit is judged twice: by the nearest class mean of the encoder latents, and by an MLP classifier trained on the real images, applied to the decoded samples ") +
                    Inv($"(it does not see latents). At w = {r.Grid.Weight}: nearest-mean accuracy {r.Grid.NearestMeanAccuracy:P0}") +
                    (r.Grid.ClassifierAccuracy is { } acc ? Inv($", classifier accuracy {acc:P0}.") : ".") +
                    " Nearest class mean is a weak judge in a 2-D latent space where clusters overlap (4/9, 3/5/8): a latent on the far side of its own cluster can be closer to another digit's mean." +
                    " The classifier is the sharper test, but it still accepts an ambiguous image as long as it leans the right way, so look at the rows too.");
        s.Image(GridImage(r.Grid, side), GridCaption(r.Grid), displayWidth: 620);
        if (r.Grid.Predicted is not null)
        {
            var perDigit = new Table(["requested digit", .. Enumerable.Range(0, classes).Select(d => d.ToString())])
                { Caption = Inv($"Per digit at w = {r.Grid.Weight}: fraction of the {c.PerClass} samples the pixel classifier assigns to the requested digit, and its most common other answer") };
            AddPerDigitRows(perDigit, r.Grid, classes, "");
            s.Table(perDigit);
            var weak = Enumerable.Range(0, classes).Where(d => r.Grid.ClassifierAccuracyOf(d) < 0.95).ToArray();
            if (weak.Length > 0)
                s.Paragraph("**Weakest digits:** " + string.Join("; ", weak.Select(d => Inv($"{d} ({r.Grid.ClassifierAccuracyOf(d):P0}, otherwise read as {MostCommonOther(r.Grid, d)})"))) +
                            ". These are digits whose clusters overlap with another digit's in the latent space (in the exam's 2-D latent: 4 with 9, 3/5 with 8): guidance moves the samples to the part of " +
                            "the cluster where the label is most certain, but the decoder's images there can still look like a blend, which is a limit of the VAE's latent rather than of the sampler.");
        }
        if (LatentProjection.CanProject(latents.Shape[1]))
            s.Figure(LatentScatter(Inv($"guided latents, w = {r.Grid.Weight}, over the encoder means"), LatentProjection.Fit(latents), latents, labels, r.Grid.Latents, null, r.Grid.Requested),
                "Encoder means of the training images (small, coloured by digit) and the guided latents (large, outlined, coloured by the requested digit)" + ViewNote(latents.Shape[1]));

        var table = new Table("w", "nearest-class-mean accuracy", "classifier accuracy (decoded)", "within-class spread", "seconds")
            { Caption = "Guidance sweep: accuracy of the requested digit and diversity (mean distance of a class's samples to their centroid, standardised units)" };
        foreach (var g in r.Sweep)
            table.AddRow(Inv($"{g.Weight:0.##}"), Inv($"{g.NearestMeanAccuracy:P0}"), g.ClassifierAccuracy is { } a ? Inv($"{a:P0}") : "—", F4(g.WithinClassSpread), Inv($"{g.Seconds:F1}"));
        s.Table(table);
        var ws = r.Sweep.Select(g => g.Weight).ToArray();
        var accuracy = new Reports.LineChart { Title = "Requested digit produced", Legend = LegendPosition.Bottom };
        accuracy.X.Label = "guidance weight w";
        accuracy.Y.Label = "accuracy";
        accuracy.Y.Max = 1;
        accuracy.Add("nearest class mean (latent)", ws, r.Sweep.Select(g => g.NearestMeanAccuracy)).Marker = MarkerShape.Circle;
        if (r.Sweep.All(g => g.ClassifierAccuracy is not null))
            accuracy.Add("classifier on decoded image", ws, r.Sweep.Select(g => g.ClassifierAccuracy!.Value)).Marker = MarkerShape.Circle;
        var spread = new Reports.LineChart { Title = "Diversity", Legend = LegendPosition.None };
        spread.X.Label = "guidance weight w";
        spread.Y.Label = "within-class spread";
        spread.Y.Min = 0;
        spread.Add("within-class spread", ws, r.Sweep.Select(g => g.WithinClassSpread)).Marker = MarkerShape.Square;
        var sweep = new FigureGrid(2) { PanelWidth = 430, PanelHeight = 320 };
        sweep.Add(accuracy).Add(spread);
        s.Figure(sweep, "Guidance trades diversity for class fidelity: as w grows, samples move into the part of each digit's cluster away from the other digits.");
        // One sample per digit per w: rows = w, columns = digits.
        var rows = new List<float>();
        foreach (var g in r.Sweep)
            for (int d = 0; d < classes; d++)
            {
                int i = Array.IndexOf(g.Requested, d);
                rows.AddRange(g.Decoded.Data.AsSpan(i * side * side, side * side).ToArray());
            }
        s.Image(ImageGrid.FromBatch(rows.ToArray(), r.Sweep.Count * classes, 1, side, side, classes, scale: 2),
            "First sample of each digit (columns 0-9) for each w of the sweep (rows, top to bottom: " + string.Join(", ", r.Sweep.Select(g => Inv($"{g.Weight:0.##}"))) + ").", displayWidth: 620);
    }

    private static string Est(Estimate e) => Inv($"{e.Mean:F3} ± {e.StdError:F3}");

    private static string ViewNote(int d) => d == 2 ? "." : Inv($"; the {d}-D latents are projected on the two leading principal axes of the training latents, so digits that differ along other axes overlap in the picture.");

    /// <summary>Samples shown per digit in a grid image (the rest are only scored).</summary>
    public const int ShownPerClass = 10;

    /// <summary>The first (up to) 10 decoded samples of each requested class, one row per class (side×side images).</summary>
    public static RasterImage GridImage(GuidedSamples g, int side, int scale = 2)
    {
        var classes = g.Requested.Distinct().Order().ToArray();
        int perRow = Math.Min(ShownPerClass, classes.Min(c => g.Requested.Count(r => r == c))), px = side * side;
        var pixels = new float[classes.Length * perRow * px];
        for (int k = 0; k < classes.Length; k++)
        {
            var rows = Enumerable.Range(0, g.Requested.Length).Where(i => g.Requested[i] == classes[k]).Take(perRow).ToArray();
            for (int j = 0; j < perRow; j++) g.Decoded.Data.AsSpan(rows[j] * px, px).CopyTo(pixels.AsSpan((k * perRow + j) * px, px));
        }
        return ImageGrid.FromBatch(pixels, classes.Length * perRow, 1, side, side, perRow, scale);
    }

    /// <summary>Caption of <see cref="GridImage"/>: the weight, what a row holds, and how many samples were scored.</summary>
    public static string GridCaption(GuidedSamples g)
    {
        int per = g.Requested.Length / Math.Max(1, g.Requested.Distinct().Count()), shown = Math.Min(ShownPerClass, per);
        return Inv($"Guided samples, w = {g.Weight}: row d holds ") + (shown < per ? Inv($"the first {shown} of the {per} samples") : Inv($"{per} samples")) +
               " requested as digit d (d = 0 at the top).";
    }

    /// <summary>Adds the rows "classifier agrees" and "most common other" (prefixed) for classes 0..C−1 of a grid with predictions.</summary>
    public static void AddPerDigitRows(Table table, GuidedSamples g, int classes, string prefix)
    {
        table.AddRow([prefix + "classifier agrees", .. Enumerable.Range(0, classes).Select(d => Inv($"{g.ClassifierAccuracyOf(d):P0}"))]);
        table.AddRow([prefix + "most common other", .. Enumerable.Range(0, classes).Select(d => MostCommonOther(g, d))]);
    }

    /// <summary>The classifier's most frequent wrong answer for the samples requested as c, with the number of wrong answers ("—" if it never disagrees).</summary>
    public static string MostCommonOther(GuidedSamples g, int c)
    {
        var wrong = Enumerable.Range(0, g.Requested.Length).Where(i => g.Requested[i] == c && g.Predicted![i] != c).Select(i => g.Predicted![i]).ToArray();
        return wrong.Length == 0 ? "—" : wrong.GroupBy(v => v).OrderByDescending(q => q.Count()).ThenBy(q => q.Key).First().Key + Inv($" ({wrong.Length})");
    }

    // The data's 0.2%-99.8% quantiles, padded by a quarter of the range.
    private static (double, double) Window(double[] values)
    {
        var v = values.Order().ToArray();
        double lo = v[(int)(0.002 * (v.Length - 1))], hi = v[(int)(0.998 * (v.Length - 1))], pad = 0.25 * (hi - lo);
        return (lo - pad, hi + pad);
    }

    /// <summary>Training latents coloured by label (small, faint) in a 2-D view, with an overlay: one colour, or coloured by <paramref name="overlayLabels"/>.</summary>
    public static ScatterChart LatentScatter(string title, LatentProjection view, Tensor latents, int[] labels, Tensor overlay, string? color, int[]? overlayLabels = null)
    {
        var chart = new ScatterChart { Title = title, Width = 560, Height = 520, EqualAspect = true, Legend = LegendPosition.Bottom };
        chart.X.Label = view.XLabel;
        chart.Y.Label = view.YLabel;
        var (bx, by) = view.Apply(latents, latents.Shape[0]);
        // The window is the data's (0.2%-99.8% quantiles, padded), so a few far-off samples cannot shrink the clusters to a dot.
        (chart.X.Min, chart.X.Max) = Window(bx);
        (chart.Y.Min, chart.Y.Max) = Window(by);
        int n = Math.Min(MaxLatentPoints, latents.Shape[0]);
        var bg = chart.AddCategorical("digit", bx.Take(n), by.Take(n), labels.Take(n), Enumerable.Range(0, labels.Max() + 1).Select(k => k.ToString()).ToArray());
        bg.Size = overlayLabels is null ? 1.6 : 1.2;
        bg.Opacity = overlayLabels is null ? 0.55 : 0.25;
        bg.Outline = false;
        int m = Math.Min(MaxLatentPoints, overlay.Shape[0]);
        var (ox, oy) = view.Apply(overlay, m);
        if (overlayLabels is null)
        {
            var o = chart.Add("generated", ox, oy);
            o.Color = color;
            o.Size = 1.8;
            o.Opacity = 0.8;
            o.Outline = false;
        }
        else
        {
            var o = chart.AddCategorical("requested", ox, oy, overlayLabels.Take(m), Enumerable.Range(0, overlayLabels.Max() + 1).Select(k => "requested " + k).ToArray());
            o.Size = 3.5;
            o.Opacity = 0.95;
            o.OutlineColor = "#000000";
        }
        return chart;
    }
}
