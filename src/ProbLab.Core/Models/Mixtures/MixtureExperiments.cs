// The IML ex5 §4 experiments as library functions returning plain records (the CLI and the report draw
// them; nothing here prints): one fit per (model, K, init, method) with its per-epoch log-likelihoods,
// 1000 mixture samples, 100 samples per component, and the same samples at snapshot epochs; plus the
// uniform-mixture analysis (box areas and centre movement per epoch, points outside every box, gradients).
using ProbLab.Tensors;

namespace ProbLab.Models.Mixtures;

/// <summary>Which mixture family.</summary>
public enum MixtureKind
{
    /// <summary>Diagonal Gaussian components.</summary>
    Gaussian,
    /// <summary>Axis-aligned uniform boxes.</summary>
    Uniform,
}

/// <summary>How the mixture is fitted.</summary>
public enum MixtureMethod
{
    /// <summary>The course's minibatch Adam (hard boxes for the uniform mixture).</summary>
    Sgd,
    /// <summary>Expectation-maximisation (Gaussian only; k-means initialisation).</summary>
    Em,
    /// <summary>Adam on sigmoid-smoothed box edges annealed towards hard ones, then covering (uniform only).</summary>
    SmoothedSgd,
}

/// <summary>One experiment: model, K, init, method and the course's training settings (null learning rate = the model's default; 0.01 for the smoothed uniform fit).</summary>
public sealed record MixtureRunSpec(MixtureKind Kind, int Components, MixtureInit Init = MixtureInit.Random, MixtureMethod Method = MixtureMethod.Sgd,
    int Epochs = 50, int BatchSize = 4096, float? LearningRate = null, IReadOnlyList<int>? SnapshotEpochs = null,
    float EdgeSoftnessStart = 0.1f, float EdgeSoftnessEnd = 0.01f, int Samples = 1000, int SamplesPerComponent = 100)
{
    /// <summary>Short label such as "gmm K=33 random sgd".</summary>
    public string Label => $"{(Kind == MixtureKind.Gaussian ? "gmm" : "umm")} K={Components} {(Init == MixtureInit.Random ? "random" : "class-means")} {Method.ToString().ToLowerInvariant()}";
}

/// <summary>Points (Count × D, row-major) with an integer label each (the component that produced them).</summary>
public sealed record PointSet(float[] X, int[] Labels, int Dim)
{
    /// <summary>Number of points.</summary>
    public int Count => Labels.Length;
}

/// <summary>The model at one epoch: its log-likelihoods, samples and parameters.</summary>
public sealed record SnapshotResult(int Epoch, double TrainLogLik, double TestLogLik, PointSet Samples, PointSet ComponentSamples, MixtureSnapshot Parameters);

/// <summary>Everything one experiment produced.</summary>
public sealed record MixtureRun(MixtureRunSpec Spec, FitHistory History, double TrainLogLik, double TestLogLik,
    PointSet Samples, PointSet ComponentSamples, IReadOnlyList<SnapshotResult> Snapshots, MixtureSnapshot Final);

/// <summary>Uniform-mixture diagnostics after one epoch (0 = init): box areas, centre movement, coverage, gradients.</summary>
public sealed record UniformEpochStats(int Epoch, double MeanArea, double MedianArea, double MaxArea, double MeanCenterShift, double MaxCenterShift,
    double TrainOutsideFraction, double TestOutsideFraction, int EmptyBoxes, double TrainLogLik, GradientNorms? GradNorms);

/// <summary>The uniform-mixture analysis of one run: per-epoch stats and the numbers the written answer quotes.</summary>
public sealed record UniformAnalysis(string Label, IReadOnlyList<UniformEpochStats> Epochs, double InitialMeanArea, double FinalMeanArea,
    double MaxCenterShift, double FinalTrainOutsideFraction, double FinalTestOutsideFraction);

/// <summary>Runs the mixture experiments of the report.</summary>
public static class MixtureExperiments
{
    /// <summary>The course's snapshot epochs for a run of <paramref name="epochs"/> epochs: 1, 10, 20, ... up to the last.</summary>
    public static int[] CourseSnapshotEpochs(int epochs) =>
        new[] { 1 }.Concat(Enumerable.Range(1, epochs / 10).Select(i => 10 * i)).Append(epochs).Distinct().Where(e => e <= epochs).ToArray();

    /// <summary>
    /// Fits one mixture on <paramref name="data"/> as <paramref name="spec"/> says, then draws the samples
    /// (at the end and at every snapshot epoch). All randomness comes from <paramref name="rng"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Bad settings (the message names the field), or a method the kind does not support.</exception>
    public static MixtureRun Run(MixtureRunSpec spec, MixtureDataset data, Rng rng, IProgress<EpochRecord>? progress = null)
    {
        if (spec.Samples < 0 || spec.SamplesPerComponent < 0) throw new ArgumentException($"sample counts must be non-negative, got Samples = {spec.Samples}, SamplesPerComponent = {spec.SamplesPerComponent}");
        var snapEpochs = spec.SnapshotEpochs ?? Array.Empty<int>();
        MixtureModel model = Fit(spec, data, rng, snapEpochs, progress);
        var history = model.History!;
        var sampleRng = rng.Split();
        var snaps = new List<SnapshotResult>();
        foreach (var s in history.Snapshots)
        {
            var m = model.FromSnapshot(s);
            var rec = history.Epochs.FirstOrDefault(e => e.Epoch == s.Epoch);
            double tr = rec is not null && !double.IsNaN(rec.TrainLogLik) ? rec.TrainLogLik : m.Score(data.TrainX);
            double te = rec is not null && !double.IsNaN(rec.TestLogLik) ? rec.TestLogLik : m.Score(data.TestX);
            snaps.Add(new SnapshotResult(s.Epoch, tr, te, Draw(m, spec.Samples, sampleRng), DrawPerComponent(m, spec.SamplesPerComponent, sampleRng), s));
        }
        return new MixtureRun(spec, history, model.Score(data.TrainX), model.Score(data.TestX),
            Draw(model, spec.Samples, sampleRng), DrawPerComponent(model, spec.SamplesPerComponent, sampleRng), snaps, model.Snapshot(history.Epochs[^1].Epoch));
    }

    private static MixtureModel Fit(MixtureRunSpec spec, MixtureDataset data, Rng rng, IReadOnlyList<int> snapEpochs, IProgress<EpochRecord>? progress)
    {
        switch (spec.Kind, spec.Method)
        {
            case (MixtureKind.Gaussian, MixtureMethod.Sgd):
                var go = new GaussianMixtureOptions { Components = spec.Components, Epochs = spec.Epochs, BatchSize = spec.BatchSize, Init = spec.Init, SnapshotEpochs = snapEpochs };
                if (spec.LearningRate is float glr) go = go with { LearningRate = glr };
                return new GaussianMixture(go).Fit(data.TrainX, rng, data.TestX, data.TrainLabels, progress);
            case (MixtureKind.Gaussian, MixtureMethod.Em):
                return GaussianMixture.FitEm(data.TrainX, new EmOptions { Components = spec.Components, MaxIterations = Math.Max(spec.Epochs, 1) }, rng, data.TestX, progress);
            case (MixtureKind.Uniform, MixtureMethod.Sgd or MixtureMethod.SmoothedSgd):
                bool smooth = spec.Method == MixtureMethod.SmoothedSgd;
                var uo = new UniformMixtureOptions
                {
                    Components = spec.Components, Epochs = spec.Epochs, BatchSize = spec.BatchSize, Init = spec.Init, SnapshotEpochs = snapEpochs,
                    EdgeSoftnessStart = smooth ? spec.EdgeSoftnessStart : 0f, EdgeSoftnessEnd = smooth ? spec.EdgeSoftnessEnd : 0f,
                };
                // The smoothed fit moves boxes across the map, which the course's lr 0.001 is too slow for.
                uo = uo with { LearningRate = spec.LearningRate ?? (smooth ? 0.01f : uo.LearningRate) };
                return new UniformMixture(uo).Fit(data.TrainX, rng, data.TestX, data.TrainLabels, progress);
            default:
                throw new ArgumentException($"MixtureRunSpec.Method = {spec.Method} is not available for {spec.Kind} mixtures");
        }
    }

    /// <summary><paramref name="n"/> mixture samples labelled by component.</summary>
    public static PointSet Draw(MixtureModel model, int n, Rng rng)
    {
        var (x, ks) = model.Sample(n, rng);
        return new PointSet(x.Data, ks, model.Features);
    }

    /// <summary><paramref name="perComponent"/> samples from each component in turn, labelled by component.</summary>
    public static PointSet DrawPerComponent(MixtureModel model, int perComponent, Rng rng)
    {
        int k = model.Components, d = model.Features;
        var x = new float[k * perComponent * d];
        var labels = new int[k * perComponent];
        for (int c = 0; c < k; c++)
        {
            model.SampleComponent(c, perComponent, rng).Data.CopyTo(x, c * perComponent * d);
            Array.Fill(labels, c, c * perComponent, perComponent);
        }
        return new PointSet(x, labels, d);
    }

    /// <summary>
    /// Box areas, centre movement from the initial centres, the fraction of train/test points outside every
    /// box and the number of boxes containing no training point, for each snapshot of a uniform run
    /// (snapshot every epoch, including 0, for the full curves).
    /// </summary>
    /// <exception cref="ArgumentException">The run is not a uniform mixture or has no snapshots.</exception>
    public static UniformAnalysis AnalyzeUniform(MixtureRun run, MixtureDataset data)
    {
        if (run.Spec.Kind != MixtureKind.Uniform) throw new ArgumentException($"uniform analysis needs a uniform-mixture run, got {run.Spec.Label}");
        if (run.Snapshots.Count == 0) throw new ArgumentException($"uniform analysis of {run.Spec.Label} needs parameter snapshots (SnapshotEpochs)");
        var template = new UniformMixture(new UniformMixtureOptions { Components = run.Spec.Components, Epochs = Math.Max(1, run.Spec.Epochs) });
        var first = run.Snapshots[0].Parameters;
        var stats = new List<UniformEpochStats>();
        foreach (var snap in run.Snapshots)
        {
            var m = (UniformMixture)template.FromSnapshot(snap.Parameters);
            var areas = Areas(snap.Parameters);
            var shifts = CenterShifts(first, snap.Parameters);
            var rec = run.History.Epochs.FirstOrDefault(e => e.Epoch == snap.Epoch);
            stats.Add(new UniformEpochStats(snap.Epoch, areas.Average(), Median(areas), areas.Max(), shifts.Average(), shifts.Max(),
                m.OutsideFraction(data.TrainX), m.OutsideFraction(data.TestX), EmptyBoxes(m, snap.Parameters, data.TrainX), snap.TrainLogLik, rec?.GradNorms));
        }
        return new UniformAnalysis(run.Spec.Label, stats, stats[0].MeanArea, stats[^1].MeanArea, stats.Max(s => s.MaxCenterShift),
            stats[^1].TrainOutsideFraction, stats[^1].TestOutsideFraction);
    }

    private static double[] Areas(MixtureSnapshot s)
    {
        int k = s.Logits.Length, d = s.LogScales.Length / k;
        var a = new double[k];
        for (int c = 0; c < k; c++)
        {
            double sum = 0;
            for (int j = 0; j < d; j++) sum += s.LogScales[c * d + j];
            a[c] = Math.Exp(sum);
        }
        return a;
    }

    private static double[] CenterShifts(MixtureSnapshot a, MixtureSnapshot b)
    {
        int k = a.Logits.Length, d = a.Locations.Length / k;
        var r = new double[k];
        for (int c = 0; c < k; c++)
        {
            double s = 0;
            for (int j = 0; j < d; j++)
            {
                double t = b.Locations[c * d + j] - a.Locations[c * d + j];
                s += t * t;
            }
            r[c] = Math.Sqrt(s);
        }
        return r;
    }

    // Boxes that contain no training point at all (dead components: their gradient is exactly zero).
    private static int EmptyBoxes(UniformMixture m, MixtureSnapshot s, Tensor x)
    {
        int k = m.Components, d = m.Features, n = x.Shape[0];
        var hit = new bool[k];
        for (int c = 0; c < k; c++)
        {
            for (int i = 0; i < n && !hit[c]; i++)
            {
                bool inside = true;
                for (int j = 0; j < d && inside; j++)
                {
                    float size = MathF.Exp(s.LogScales[c * d + j]), v = x.Data[i * d + j], ctr = s.Locations[c * d + j];
                    inside = v >= ctr - size / 2 && v <= ctr + size / 2;
                }
                hit[c] = inside;
            }
        }
        return hit.Count(h => !h);
    }

    private static double Median(double[] v)
    {
        var s = v.OrderBy(t => t).ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
    }
}
