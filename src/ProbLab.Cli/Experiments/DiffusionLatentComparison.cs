// The "wider latent" section of the latent-diffusion chapter: the same classifier-free guidance run in the exam's
// 2-D VAE latent and in a wider one (the full preset: d_z = 16). Shows both guided grids side by side, one per-digit
// classifier table with a pair of rows per latent, the k-nearest-neighbour separability of test encodings per
// digit (why 4 and 9 blend in 2-D), and both guidance sweeps. Knows only GuidanceStudyResults and numbers.
using ProbLab.Models.Diffusion;
using ProbLab.Reports;
using static ProbLab.Cli.Experiments.DiffusionFigures;

namespace ProbLab.Cli.Experiments;

/// <summary>
/// One latent of the comparison: its guidance run, the VAE's test −ELBO, the per-digit k-NN accuracy of its test encodings, and
/// (when a classifier judged the run) the per-digit fraction of reconstructions of real test digits the classifier reads correctly.
/// </summary>
public sealed record LatentSide(GuidanceStudyResult Guidance, double TestNegElbo, double[] NeighbourAccuracy, double[]? ReconstructionAccuracy = null)
{
    /// <summary>"d_z = N".</summary>
    public string Name => Inv($"d_z = {Guidance.LatentDim}");
}

/// <summary>Writes the comparison of guidance in two latents.</summary>
public static class DiffusionLatentComparison
{
    /// <summary>Writes the section: why the narrow latent blends digits, both grids, the per-digit tables and the sweeps; k is the k-NN's k; images are side×side.</summary>
    public static void Write(Section s, LatentSide narrow, LatentSide wide, int k, int side)
    {
        var (a, b) = (narrow.Guidance, wide.Guidance);
        int classes = a.ClassMeans.GetLength(0);
        var c = a.Config;
        s.Paragraph(Inv($"The same guidance (w = {a.Grid.Weight}, the same score-net settings, {c.ConditionalTraining.Steps} training steps, K = {c.Steps}) run in the latent of a second VAE that differs only in its latent size ") +
                    Inv($"({b.LatentDim} instead of {a.LatentDim}; test −ELBO {wide.TestNegElbo:F1} vs {narrow.TestNegElbo:F1} nats/image). The latents are standardised per dimension in both cases, and the score net takes the {b.LatentDim}-D latent as its input. ") +
                    Inv($"Each grid row shows the first {Math.Min(DiffusionLatentSections.ShownPerClass, c.PerClass)} of the {c.PerClass} samples requested as that digit; the table scores all of them."));
        s.Paragraph(WhyNarrowBlends(narrow, wide, k));

        var grids = new FigureGrid(2) { PanelWidth = 440, PanelHeight = 470 };
        grids.Add(new ImageView(DiffusionLatentSections.GridImage(a.Grid, side)) { Title = narrow.Name + (narrow.Guidance.LatentDim == 2 ? " (the exam's VAE)" : "") });
        grids.Add(new ImageView(DiffusionLatentSections.GridImage(b.Grid, side)) { Title = wide.Name });
        s.Figure(grids, Inv($"Guided samples at w = {a.Grid.Weight}, row d requested as digit d (d = 0 at the top): the exam's 2-D latent (left) and the {b.LatentDim}-D latent (right)."));

        var table = new Table(["", .. Enumerable.Range(0, classes).Select(d => d.ToString()), "all"])
            { Caption = Inv($"Per digit at w = {a.Grid.Weight}: fraction of the {c.PerClass} guided samples the pixel classifier assigns to the requested digit, its most common other answer (count), the {k}-NN accuracy of held-out test encodings (how well the latent separates the digits), and how often the classifier reads the VAE's reconstruction decode(μ(x)) of a real test digit as that digit (what the decoder can draw at all)") };
        foreach (var side_ in new[] { narrow, wide })
        {
            var g = side_.Guidance.Grid;
            table.AddRow([side_.Name + ": classifier agrees", .. Enumerable.Range(0, classes).Select(d => Inv($"{g.ClassifierAccuracyOf(d):P0}")), g.ClassifierAccuracy is { } acc ? Inv($"{acc:P1}") : "—"]);
            table.AddRow([side_.Name + ": most common other", .. Enumerable.Range(0, classes).Select(d => DiffusionLatentSections.MostCommonOther(g, d)), ""]);
            table.AddRow([side_.Name + Inv($": {k}-NN accuracy of test encodings"), .. side_.NeighbourAccuracy.Select(v => Inv($"{v:P0}")), Inv($"{side_.NeighbourAccuracy.Average():P1}")]);
            if (side_.ReconstructionAccuracy is { } rec)
                table.AddRow([side_.Name + ": reconstructions of real test digits read right", .. rec.Select(v => Inv($"{v:P0}")), Inv($"{rec.Average():P1}")]);
        }
        if (a.Grid.Predicted is not null && b.Grid.Predicted is not null) s.Table(table);

        var sweep = new Table("w", Inv($"classifier, {narrow.Name}"), Inv($"classifier, {wide.Name}"), Inv($"nearest mean, {narrow.Name}"), Inv($"nearest mean, {wide.Name}"))
            { Caption = "Guidance sweep in both latents: fraction of guided samples of the requested digit, judged by the pixel classifier on the decoded image and by the nearest class mean of the latent" };
        foreach (var (ga, gb) in a.Sweep.Zip(b.Sweep))
            sweep.AddRow(Inv($"{ga.Weight:0.##}"), Pct(ga.ClassifierAccuracy), Pct(gb.ClassifierAccuracy), Inv($"{ga.NearestMeanAccuracy:P0}"), Inv($"{gb.NearestMeanAccuracy:P0}"));
        s.Table(sweep);
        s.Paragraph(Inv($"Training the conditional score net took {a.ConditionalSeconds:F1} s in {narrow.Name} and {b.ConditionalSeconds:F1} s in {wide.Name}; sampling the {a.Grid.Requested.Length} guided latents at w = {a.Grid.Weight} took {a.Grid.Seconds:F1} s and {b.Grid.Seconds:F1} s. ") +
                    (b.Grid.NearestMeanAccuracy < (b.Grid.ClassifierAccuracy ?? 0) - 0.05
                        ? Inv($"In {wide.Name} the nearest class mean is a poorer judge than the classifier ({b.Grid.NearestMeanAccuracy:P0} vs {b.Grid.ClassifierAccuracy:P0} at w = {b.Grid.Weight}): the digit clusters are not round balls around their means there, and it is the decoded image that has to show the digit.")
                        : ""));
    }

    // The explanation, with measured numbers: the two digits the classifier most often rejects in the narrow latent's grid
    // (or, without a classifier, the two least separable digits), their agreement and their k-NN separability in both latents.
    private static string WhyNarrowBlends(LatentSide narrow, LatentSide wide, int k)
    {
        var g = narrow.Guidance.Grid;
        int classes = narrow.NeighbourAccuracy.Length;
        bool judged = g.Predicted is not null;
        var worst = Enumerable.Range(0, classes).OrderBy(d => judged ? g.ClassifierAccuracyOf(d) ?? 1 : narrow.NeighbourAccuracy[d]).ThenBy(d => d).Take(2).Order().ToArray();
        string names = Inv($"{worst[0]} and {worst[1]}");
        string agreement = judged
            ? Inv($"In {narrow.Name} the classifier accepts ") + string.Join(" and ", worst.Select(d => Inv($"{g.ClassifierAccuracyOf(d):P0} of the {d}s (most often read as {DiffusionLatentSections.MostCommonOther(g, d)})"))) +
              Inv($"; in {wide.Name}, ") + string.Join(" and ", worst.Select(d => Inv($"{wide.Guidance.Grid.ClassifierAccuracyOf(d):P0}"))) + ". "
            : "";
        return Inv($"**Why the {narrow.Guidance.LatentDim}-D latent blends digits such as {names}.** The {narrow.Name} VAE must place all of MNIST in {(narrow.Guidance.LatentDim == 2 ? "a plane" : Inv($"{narrow.Guidance.LatentDim} dimensions"))}, and its KL term pulls the encoder means of every digit towards one N(0, I) blob. ") +
               "Digits such as 4 and 9 share slant, width and stroke, the factors that move most pixels, and differ mainly in a detail (whether the top is closed); with so few coordinates the encoder spends them on " +
               "the shared factors and lays such classes side by side, overlapping. The decoder is a smooth map that, under the Bernoulli likelihood, outputs about the average image of " +
               "the inputs encoded near z, so where two digits mix it draws a blend. Guidance can only move samples to where p(y | z) is highest, and in so narrow a latent those places can still " +
               "decode to blends. A wider latent has room for such details as directions of their own: the digits separate, and the same sampler gives the requested digits. " +
               agreement + Reconstructions(narrow, wide, worst) +
               Inv($"The share of held-out test encodings whose {k} nearest training encodings vote for the right digit is, for {names}: ") +
               string.Join(" and ", worst.Select(d => Inv($"{narrow.NeighbourAccuracy[d]:P0} in {narrow.Name}, {wide.NeighbourAccuracy[d]:P0} in {wide.Name}"))) +
               Inv($" (all digits: {narrow.NeighbourAccuracy.Average():P1} vs {wide.NeighbourAccuracy.Average():P1}).");
    }

    // The decoder's ceiling for the named digits, when measured.
    private static string Reconstructions(LatentSide narrow, LatentSide wide, int[] digits)
    {
        if (narrow.ReconstructionAccuracy is not { } a || wide.ReconstructionAccuracy is not { } b) return "";
        string rates = string.Join(" and ", digits.Select(d => Inv($"{a[d]:P0} of the time for {d}"))) + Inv($" in {narrow.Name} (") +
                       string.Join(", ", digits.Select(d => Inv($"{b[d]:P0}"))) + Inv($" in {wide.Name})");
        return digits.Any(d => a[d] < 0.9)
            ? "Even the reconstructions decode(μ(x)) of real test digits are read as the right digit only " + rates +
              ": no sampler in the narrow latent can draw these digits much better than its decoder does. "
            : "The reconstructions decode(μ(x)) of real test digits are read as the right digit " + rates +
              ", so the decoder can draw them; the misses come from where the guided latents land. ";
    }

    private static string Pct(double? v) => v is { } x ? Inv($"{x:P0}") : "—";
}
