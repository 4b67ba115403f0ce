// The exam's P3.3-P3.4 as one study over plain inputs (latents, labels, a decoder), so it runs on any
// encoder: unconditional latent diffusion compared with sampling the VAE prior, and a class-conditional net
// with classifier-free guidance (grid of samples per class, sweep over w). Returns plain records.
// Metrics, all in standardised latent units:
//   - Parzen log-density: mean log p̂(z) of generated latents under a Gaussian KDE of (up to 10 000) training
//     latents, bandwidth h = m^(−1/(d+4)) (Scott's rule for unit-variance data); prior draws that land in the
//     "holes" between clusters or outside them score low, held-out encodings give the reference value. (A nearest-
//     neighbour distance does not work here: 60 000 latents cover the plane, so every point has a close neighbour.)
//   - nearest-class-mean accuracy: the requested class is the one whose latent mean is closest;
//   - optionally a classifier on the decoded outputs (e.g. an MNIST MLP), which judges the images themselves;
//   - within-class spread: mean distance of a class's samples to their own centroid (guidance trades it away).
using System.Diagnostics;
using ProbLab.Nn;
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Models.Diffusion;

/// <summary>Settings of the latent-diffusion and guidance study.</summary>
public sealed record LatentStudyConfig
{
    /// <summary>β(0) (the exam's P3.4 student: 0.1).</summary>
    public double Beta0 { get; init; } = 0.1;
    /// <summary>β(1) (the exam's P3.4 student: 12).</summary>
    public double Beta1 { get; init; } = 12;
    /// <summary>Diffusion steps K.</summary>
    public int Steps { get; init; } = 500;
    /// <summary>Unconditional score net.</summary>
    public ScoreNetConfig Net { get; init; } = new() { Activation = Activation.Silu, SpaceFeatures = 8, MaxFrequency = 16 };
    /// <summary>Training of the unconditional net (denoising, ε-parameterised).</summary>
    public ScoreTrainingOptions Training { get; init; } = new() { Objective = ScoreObjective.Denoising, Weighting = ScoreWeighting.NoiseVariance, Steps = 8000, LearningRate = 2e-3f };
    /// <summary>Class-conditional net (its Classes is set from the labels).</summary>
    public ScoreNetConfig ConditionalNet { get; init; } = new() { Activation = Activation.Silu, SpaceFeatures = 8, MaxFrequency = 16, ClassEmbedding = 32 };
    /// <summary>Training of the conditional net; PUncond is the label-drop probability (0.2).</summary>
    public ScoreTrainingOptions ConditionalTraining { get; init; } = new() { Objective = ScoreObjective.Denoising, Weighting = ScoreWeighting.NoiseVariance, Steps = 8000, LearningRate = 2e-3f, PUncond = 0.2 };
    /// <summary>Guidance weight w of the class grid (convention s̃ = (1 + w)s_c − w s_∅).</summary>
    public double Guidance { get; init; } = ClassifierFreeGuidance.DefaultWeight;
    /// <summary>Guidance interval start: below this t the plain conditional score is used (0 = guidance at every step).</summary>
    public double GuidanceMinTime { get; init; }
    /// <summary>Weights of the guidance sweep.</summary>
    public double[] GuidanceSweep { get; init; } = [0, 1, 3, 7.5, 15];
    /// <summary>Decoded samples in each comparison grid (VAE prior vs latent diffusion).</summary>
    public int GridSamples { get; init; } = 100;
    /// <summary>Generated latents for the scatter overlay and the nearest-data metric.</summary>
    public int LatentSamples { get; init; } = 2000;
    /// <summary>Guided samples per class, in the grid and in each sweep point.</summary>
    public int PerClass { get; init; } = 10;

    /// <summary>Throws a one-line error naming the first invalid field.</summary>
    public void Validate()
    {
        _ = new VpSde(Beta0, Beta1, Steps);
        Net.Validate();
        Training.Validate();
        ConditionalNet.Validate();
        ConditionalTraining.Validate();
        ClassifierFreeGuidance.CheckWeight(Guidance);
        foreach (double w in GuidanceSweep) ClassifierFreeGuidance.CheckWeight(w);
        if (!(GuidanceMinTime >= 0 && GuidanceMinTime <= 1)) throw new ArgumentOutOfRangeException(nameof(GuidanceMinTime), $"GuidanceMinTime must be in [0, 1], got {GuidanceMinTime}");
        if (GridSamples < 1) throw new ArgumentOutOfRangeException(nameof(GridSamples), $"GridSamples must be at least 1, got {GridSamples}");
        if (LatentSamples < 1) throw new ArgumentOutOfRangeException(nameof(LatentSamples), $"LatentSamples must be at least 1, got {LatentSamples}");
        if (PerClass < 1) throw new ArgumentOutOfRangeException(nameof(PerClass), $"PerClass must be at least 1, got {PerClass}");
    }
}

/// <summary>Guided samples at one w: latents (C·PerClass, d) with their requested labels, decoded outputs, the classifier's predictions (if any) and the class metrics.</summary>
public sealed record GuidedSamples(double Weight, Tensor Latents, int[] Requested, Tensor Decoded, int[]? Predicted, double NearestMeanAccuracy,
    double? ClassifierAccuracy, double WithinClassSpread, double Seconds)
{
    /// <summary>Fraction of the samples requested as class c that the classifier assigned to c (null without a classifier).</summary>
    public double? ClassifierAccuracyOf(int c)
    {
        if (Predicted is null) return null;
        var rows = Enumerable.Range(0, Requested.Length).Where(i => Requested[i] == c).ToArray();
        return rows.Length == 0 ? null : rows.Count(i => Predicted[i] == c) / (double)rows.Length;
    }
}

/// <summary>A Monte Carlo mean with its standard error (sample std / √n).</summary>
public readonly record struct Estimate(double Mean, double StdError);

/// <summary>What the guidance part (P3.4) produced: class means (C, d) of the raw latents, the conditional net's training, the grid at w and the sweep.</summary>
public sealed record GuidanceStudyResult(LatentStudyConfig Config, int LatentDim, LatentStandardizer Standardizer, double[,] ClassMeans,
    ScoreTrainingHistory Conditional, double ConditionalSeconds, GuidedSamples Grid, IReadOnlyList<GuidedSamples> Sweep);

/// <summary>Everything the latent study produced: the unconditional part (P3.3) and the guidance part (P3.4).</summary>
public sealed record LatentStudyResult(LatentStudyConfig Config, VpSde Sde, LatentStandardizer Standardizer,
    ScoreTrainingHistory Unconditional, double UnconditionalSeconds, Tensor DiffusionLatents, Tensor DiffusionDecoded,
    Tensor PriorLatents, Tensor PriorDecoded, Estimate DiffusionParzen, Estimate PriorParzen, Estimate HeldOutParzen, double ParzenBandwidth,
    GuidanceStudyResult Guidance)
{
    /// <summary>Per-class mean latent (C, d).</summary>
    public double[,] ClassMeans => Guidance.ClassMeans;
    /// <summary>Training history of the conditional net.</summary>
    public ScoreTrainingHistory Conditional => Guidance.Conditional;
    /// <summary>Seconds spent training the conditional net.</summary>
    public double ConditionalSeconds => Guidance.ConditionalSeconds;
    /// <summary>Guided samples at the configured w.</summary>
    public GuidedSamples Grid => Guidance.Grid;
    /// <summary>Guided samples for each w of the sweep.</summary>
    public IReadOnlyList<GuidedSamples> Sweep => Guidance.Sweep;
}

/// <summary>Runs the latent-diffusion and guidance study.</summary>
public static class LatentStudy
{
    /// <summary>
    /// Runs on training latents Z (N, d) with labels 0..C−1, a decoder (latents (n, d) → outputs), and an optional
    /// classifier of decoded outputs; <paramref name="heldOut"/> latents (held-out encodings) give the KDE reference value.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid config, mismatched labels, fewer than 2 classes, or degenerate latents.</exception>
    public static LatentStudyResult Run(LatentStudyConfig cfg, Tensor latents, int[] labels, Tensor heldOut, Func<Tensor, Tensor> decode,
        Func<Tensor, int[]>? classify, Rng rng, IProgress<StudyProgress>? progress = null, CancellationToken cancel = default)
    {
        int d = CheckInputs(cfg, latents, labels);
        var sde = new VpSde(cfg.Beta0, cfg.Beta1, cfg.Steps);
        var rUncond = rng.Split(); var rGuidance = rng.Split(); var rPrior = rng.Split();

        // P3.3: unconditional latent diffusion vs the VAE prior.
        var uncond = new LatentDiffusion(sde, new ScoreNet(cfg.Net with { Dim = d, Classes = 0 }, rUncond.Split(), sde.InverseSigma));
        var clock = Stopwatch.StartNew();
        var hU = uncond.Fit(latents, null, cfg.Training, rUncond.Split(), Reporter("train: latent score", cfg.Training.Steps, progress, cancel));
        double uSeconds = clock.Elapsed.TotalSeconds;
        var std = uncond.Standardizer!;
        var gen = uncond.SampleLatents(cfg.LatentSamples, rUncond.Split(), onStep: StepReporter("sample: latent diffusion", sde.Steps, progress, cancel));
        var prior = Tensor.RandN(rPrior, [cfg.LatentSamples, d]);                      // z ~ N(0, I), the VAE's prior
        Tensor genDecoded, priorDecoded;
        using (NoGrad.Scope())
        {
            genDecoded = decode(gen.Slice(0, 0, Math.Min(cfg.GridSamples, cfg.LatentSamples)));
            priorDecoded = decode(prior.Slice(0, 0, Math.Min(cfg.GridSamples, cfg.LatentSamples)));
        }
        var zStd = std.Transform(latents.Slice(0, 0, Math.Min(latents.Shape[0], 10_000)));
        double h = Math.Pow(zStd.Shape[0], -1.0 / (d + 4));
        var genParzen = ParzenLogDensity(std.Transform(gen), zStd, h);
        var priorParzen = ParzenLogDensity(std.Transform(prior), zStd, h);
        var heldParzen = ParzenLogDensity(std.Transform(heldOut.Slice(0, 0, Math.Min(heldOut.Shape[0], cfg.LatentSamples))), zStd, h);

        // P3.4: class-conditional net with classifier-free guidance.
        var guidance = RunGuidance(cfg, latents, labels, decode, classify, rGuidance, progress, cancel);
        return new LatentStudyResult(cfg, sde, std, hU, uSeconds, gen, genDecoded, prior, priorDecoded, genParzen, priorParzen, heldParzen, h, guidance);
    }

    /// <summary>
    /// The guidance part alone (P3.4): trains the class-conditional net on latents Z (N, d) with labels 0..C−1, then
    /// samples PerClass latents per class at w = Guidance and at each other sweep weight (the sweep reuses the grid at w = Guidance),
    /// decodes them and (optionally) classifies the outputs.
    /// Works for any latent width d ≥ 1.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid config, mismatched labels, fewer than 2 classes, or degenerate latents.</exception>
    public static GuidanceStudyResult RunGuidance(LatentStudyConfig cfg, Tensor latents, int[] labels, Func<Tensor, Tensor> decode,
        Func<Tensor, int[]>? classify, Rng rng, IProgress<StudyProgress>? progress = null, CancellationToken cancel = default)
    {
        int d = CheckInputs(cfg, latents, labels), classes = labels.Max() + 1;
        var sde = new VpSde(cfg.Beta0, cfg.Beta1, cfg.Steps);
        var rNet = rng.Split(); var rFit = rng.Split(); var rGuide = rng.Split();
        var means = ClassMeans(latents, labels, classes);
        var cond = new LatentDiffusion(sde, new ScoreNet(cfg.ConditionalNet with { Dim = d, Classes = classes }, rNet, sde.InverseSigma));
        var clock = Stopwatch.StartNew();
        var hC = cond.Fit(latents, labels, cfg.ConditionalTraining, rFit, Reporter("train: conditional score", cfg.ConditionalTraining.Steps, progress, cancel));
        double cSeconds = clock.Elapsed.TotalSeconds;
        var requested = Enumerable.Range(0, classes * cfg.PerClass).Select(i => i / cfg.PerClass).ToArray();
        GuidedSamples Guided(double w) => Guide(cond, w, cfg.GuidanceMinTime, requested, means, decode, classify, rGuide.Split(), progress, cancel);
        var grid = Guided(cfg.Guidance);
        var sweep = cfg.GuidanceSweep.Select(w => w == cfg.Guidance ? grid : Guided(w)).ToList();   // the grid's w is not sampled twice
        return new GuidanceStudyResult(cfg, d, cond.Standardizer!, means, hC, cSeconds, grid, sweep);
    }

    // Validates the config and the (latents, labels) pair; returns the latent width d.
    private static int CheckInputs(LatentStudyConfig cfg, Tensor latents, int[] labels)
    {
        cfg.Validate();
        if (latents.Rank != 2 || labels.Length != latents.Shape[0]) throw new ArgumentException($"{labels.Length} labels for latents of shape {ShapeUtil.Format(latents.Shape)}");
        if (labels.Length == 0 || labels.Max() < 1 || labels.Min() < 0) throw new ArgumentException($"labels must be 0..C−1 with C ≥ 2, got {(labels.Length == 0 ? "none" : $"{labels.Min()}..{labels.Max()}")}");
        return latents.Shape[1];
    }

    /// <summary>Per-class mean latent (C, d).</summary>
    public static double[,] ClassMeans(Tensor z, int[] labels, int classes)
    {
        int n = z.Shape[0], d = z.Shape[1];
        var m = new double[classes, d];
        var count = new int[classes];
        for (int i = 0; i < n; i++)
        {
            count[labels[i]]++;
            for (int j = 0; j < d; j++) m[labels[i], j] += z.Data[i * d + j];
        }
        for (int c = 0; c < classes; c++)
            for (int j = 0; j < d; j++) m[c, j] /= Math.Max(1, count[c]);
        return m;
    }

    /// <summary>Fraction of rows whose nearest class mean is the requested class.</summary>
    public static double NearestMeanAccuracy(Tensor z, int[] requested, double[,] means)
    {
        int d = z.Shape[1], classes = means.GetLength(0), hits = 0;
        for (int i = 0; i < requested.Length; i++)
        {
            int best = 0;
            double bd = double.PositiveInfinity;
            for (int c = 0; c < classes; c++)
            {
                double s = 0;
                for (int j = 0; j < d; j++) s += Math.Pow(z.Data[i * d + j] - means[c, j], 2);
                if (s < bd) { bd = s; best = c; }
            }
            if (best == requested[i]) hits++;
        }
        return (double)hits / requested.Length;
    }

    /// <summary>Per-class accuracy (C): the fraction of rows with label c whose prediction is c; NaN for a class with no rows.</summary>
    /// <exception cref="ArgumentException">Lengths differ or a label is outside 0..C−1.</exception>
    public static double[] AccuracyPerClass(int[] predicted, int[] labels, int classes)
    {
        if (predicted.Length != labels.Length) throw new ArgumentException($"{predicted.Length} predictions for {labels.Length} labels");
        var hits = new int[classes];
        var count = new int[classes];
        for (int i = 0; i < labels.Length; i++)
        {
            int c = labels[i];
            if (c < 0 || c >= classes) throw new ArgumentException($"label {c} at row {i} is outside 0..{classes - 1}");
            count[c]++;
            if (predicted[i] == c) hits[c]++;
        }
        return Enumerable.Range(0, classes).Select(c => count[c] == 0 ? double.NaN : (double)hits[c] / count[c]).ToArray();
    }

    /// <summary>
    /// Per-class accuracy (C) of a k-nearest-neighbour vote: each query row (M, d) takes the majority label of its k
    /// nearest reference rows (N, d) in Euclidean distance (a tie goes to the tied class with the closest member).
    /// A measure of how well the latent separates the classes; NaN for a class with no query rows.
    /// </summary>
    /// <exception cref="ArgumentException">Widths or label counts differ, k is outside 1..N, or a label is outside 0..C−1.</exception>
    public static double[] NeighbourAccuracyPerClass(Tensor reference, int[] referenceLabels, Tensor queries, int[] queryLabels, int k, int classes)
    {
        int n = reference.Shape[0], m = queries.Shape[0], d = reference.Shape[1];
        if (reference.Rank != 2 || queries.Rank != 2 || queries.Shape[1] != d || referenceLabels.Length != n || queryLabels.Length != m)
            throw new ArgumentException($"k-NN needs (N, d) references and (M, d) queries with one label per row, got {ShapeUtil.Format(reference.Shape)} with {referenceLabels.Length} labels and {ShapeUtil.Format(queries.Shape)} with {queryLabels.Length}");
        if (k < 1 || k > n) throw new ArgumentOutOfRangeException(nameof(k), $"k must be in 1..{n}, got {k}");
        if (referenceLabels.Concat(queryLabels).Any(c => c < 0 || c >= classes)) throw new ArgumentException($"labels must be in 0..{classes - 1}");
        var predicted = new int[m];
        var bestDist = new double[k];
        var bestLabel = new int[k];
        var votes = new int[classes];
        for (int q = 0; q < m; q++)
        {
            Array.Fill(bestDist, double.PositiveInfinity);
            for (int r = 0; r < n; r++)
            {
                double s = 0;
                for (int j = 0; j < d; j++)
                {
                    double e = queries.Data[q * d + j] - reference.Data[r * d + j];
                    s += e * e;
                }
                if (s >= bestDist[k - 1]) continue;
                int pos = k - 1;                                                          // insertion into the sorted k-best list
                while (pos > 0 && bestDist[pos - 1] > s) { bestDist[pos] = bestDist[pos - 1]; bestLabel[pos] = bestLabel[pos - 1]; pos--; }
                bestDist[pos] = s;
                bestLabel[pos] = referenceLabels[r];
            }
            Array.Clear(votes);
            foreach (int c in bestLabel) votes[c]++;
            int top = votes.Max();
            predicted[q] = bestLabel.First(c => votes[c] == top);                       // list is sorted: first tied label is the closest
        }
        return AccuracyPerClass(predicted, queryLabels, classes);
    }

    /// <summary>
    /// Mean over the rows a of A of log p̂(a), p̂ = (1/m) Σ_k N(a | b_k, h² I) the Gaussian KDE of the m rows of B
    /// (both (·, d)); each log-sum is computed with the maximum subtracted, so far-away rows stay finite.
    /// </summary>
    public static double MeanParzenLogDensity(Tensor a, Tensor b, double h) => ParzenLogDensity(a, b, h).Mean;

    /// <summary>As <see cref="MeanParzenLogDensity"/>, with the standard error of the mean over the rows of A.</summary>
    public static Estimate ParzenLogDensity(Tensor a, Tensor b, double h)
    {
        int na = a.Shape[0], nb = b.Shape[0], d = a.Shape[1];
        if (b.Shape[1] != d || nb == 0 || !(h > 0)) throw new ArgumentException($"Parzen density needs matching widths, data and h > 0 (got {ShapeUtil.Format(a.Shape)}, {ShapeUtil.Format(b.Shape)}, h = {h})");
        var logits = new double[nb];
        var values = new double[na];
        double inv2h2 = 0.5 / (h * h), norm = Math.Log(nb) + 0.5 * d * Math.Log(2 * Math.PI * h * h);
        for (int i = 0; i < na; i++)
        {
            double max = double.NegativeInfinity;
            for (int k = 0; k < nb; k++)
            {
                double s = 0;
                for (int j = 0; j < d; j++)
                {
                    double e = a.Data[i * d + j] - b.Data[k * d + j];
                    s += e * e;
                }
                logits[k] = -s * inv2h2;
                if (logits[k] > max) max = logits[k];
            }
            double sum = 0;
            for (int k = 0; k < nb; k++) sum += Math.Exp(logits[k] - max);
            values[i] = max + Math.Log(sum) - norm;
        }
        double mean = values.Average();
        double sd = na > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (na - 1)) : double.NaN;
        return new Estimate(mean, sd / Math.Sqrt(na));
    }

    private static GuidedSamples Guide(LatentDiffusion model, double w, double minTime, int[] requested, double[,] means, Func<Tensor, Tensor> decode,
        Func<Tensor, int[]>? classify, Rng rng, IProgress<StudyProgress>? progress, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var z = model.SampleLatents(requested.Length, rng, requested, w, StepReporter($"sample: guidance w = {w:G4}", model.Sde.Steps, progress, cancel), minTime);
        Tensor images;
        using (NoGrad.Scope()) images = decode(z);
        int[]? predicted = classify?.Invoke(images);
        double? clsAcc = predicted is null ? null : predicted.Zip(requested).Count(p => p.First == p.Second) / (double)requested.Length;
        return new GuidedSamples(w, z, requested, images, predicted, NearestMeanAccuracy(z, requested, means), clsAcc,
            WithinClassSpread(model.Standardizer!.Transform(z), requested), clock.Elapsed.TotalSeconds);
    }

    // Mean distance of each sample to its class's sample centroid (standardised units), averaged over classes.
    private static double WithinClassSpread(Tensor z, int[] labels)
    {
        int d = z.Shape[1];
        double total = 0;
        var groups = labels.Select((c, i) => (c, i)).GroupBy(p => p.c).ToList();
        foreach (var g in groups)
        {
            var rows = g.Select(p => p.i).ToArray();
            var centre = new double[d];
            foreach (int i in rows) for (int j = 0; j < d; j++) centre[j] += z.Data[i * d + j] / rows.Length;
            double s = 0;
            foreach (int i in rows) s += Math.Sqrt(Enumerable.Range(0, d).Sum(j => Math.Pow(z.Data[i * d + j] - centre[j], 2)));
            total += s / rows.Length;
        }
        return total / groups.Count;
    }

    private static Action<int, double> Reporter(string stage, int total, IProgress<StudyProgress>? progress, CancellationToken cancel) => (step, loss) =>
    {
        cancel.ThrowIfCancellationRequested();
        progress?.Report(new StudyProgress(stage, step + 1, total, loss));
    };

    private static Action<int> StepReporter(string stage, int total, IProgress<StudyProgress>? progress, CancellationToken cancel) => done =>
    {
        cancel.ThrowIfCancellationRequested();
        progress?.Report(new StudyProgress(stage, done, total));
    };
}
