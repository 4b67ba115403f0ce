// Training and the β sweep for the variational information bottleneck: Adam on CE + β·KL over shuffled
// minibatches, validation error after each epoch, and a sweep that trains one model per β from the same
// seed and keeps each model's validation error and latent means (for the error-vs-β curve and the scatters).
using System.Diagnostics;
using ProbLab.Nn.Optim;
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Models;

/// <summary>Training settings for <see cref="VibTrainer"/>.</summary>
public sealed record VibTrainOptions
{
    /// <summary>Weight of the KL (compression) term.</summary>
    public float Beta { get; init; } = 1e-3f;
    /// <summary>Passes over the training set.</summary>
    public int Epochs { get; init; } = 10;
    /// <summary>Examples per Adam step (Alemi et al. use 100).</summary>
    public int BatchSize { get; init; } = 100;
    /// <summary>Adam learning rate.</summary>
    public float LearningRate { get; init; } = 1e-3f;
    /// <summary>Stop each epoch after this many steps (null: the whole training set); for quick presets.</summary>
    public int? MaxStepsPerEpoch { get; init; }

    /// <summary>Throws if a field is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The message names the field and value.</exception>
    public VibTrainOptions Validate()
    {
        if (!(Beta >= 0) || float.IsInfinity(Beta)) throw new ArgumentOutOfRangeException(nameof(Beta), Beta, "beta must be a finite non-negative number");
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "epochs must be at least 1");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "batch size must be at least 1");
        if (!(LearningRate > 0) || float.IsInfinity(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "learning rate must be a positive number");
        if (MaxStepsPerEpoch is < 1) throw new ArgumentOutOfRangeException(nameof(MaxStepsPerEpoch), MaxStepsPerEpoch, "max steps per epoch must be at least 1");
        return this;
    }
}

/// <summary>Labelled examples: X (N, D) and one class index per row.</summary>
public sealed record LabelledData(Tensor X, int[] Labels)
{
    /// <summary>Number of examples.</summary>
    public int Count => Labels.Length;
}

/// <summary>Per-epoch VIB metrics: train means (nats per example) and validation error rate and KL.</summary>
public sealed record VibEpochRecord(int Epoch, double TrainCrossEntropy, double TrainKl, double ValidationError, double ValidationKl, double Seconds);

/// <summary>Outcome of one β of a sweep: final validation/test errors, KL (nats) and the validation latent means (N, K).</summary>
public sealed record VibSweepResult(float Beta, double ValidationError, double? TestError, double ValidationKl, Tensor LatentMeans, int[] LatentLabels, IReadOnlyList<VibEpochRecord> Epochs);

/// <summary>Fits a <see cref="Vib"/> with Adam and runs β sweeps.</summary>
public static class VibTrainer
{
    /// <summary>Trains <paramref name="model"/> and evaluates on <paramref name="validation"/> after each epoch.</summary>
    /// <exception cref="ArgumentException">Data shapes or labels are invalid (one-line message).</exception>
    public static List<VibEpochRecord> Fit(Vib model, LabelledData train, LabelledData validation, VibTrainOptions options, Rng rng,
        Action<VibEpochRecord>? onEpoch = null)
    {
        options.Validate();
        CheckData(model, train, "training");
        CheckData(model, validation, "validation");
        var opt = new Adam(model.NamedParameters(), options.LearningRate);
        var records = new List<VibEpochRecord>();
        int n = train.Count, d = model.Config.InputSize;
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var sw = Stopwatch.StartNew();
            var perm = rng.Permutation(n);
            double ce = 0, kl = 0;
            int seen = 0, steps = 0;
            for (int start = 0; start < n; start += options.BatchSize)
            {
                if (options.MaxStepsPerEpoch is int max && steps >= max) break;
                int b = Math.Min(options.BatchSize, n - start);
                var (x, y) = Gather(train, perm, start, b, d);
                opt.ZeroGrad();
                var loss = model.Loss(x, y, options.Beta, rng);
                loss.Loss.Backward();
                opt.Step();
                ce += loss.CrossEntropy * b;
                kl += loss.Kl * b;
                seen += b;
                steps++;
            }
            double seconds = sw.Elapsed.TotalSeconds;
            var (err, valKl) = Evaluate(model, validation);
            var rec = new VibEpochRecord(epoch, ce / seen, kl / seen, err, valKl, seconds);
            records.Add(rec);
            onEpoch?.Invoke(rec);
        }
        return records;
    }

    /// <summary>Error rate of predictions at z = μ(x) and the mean KL(p(z|x) ‖ N(0, I)) in nats, over <paramref name="data"/>.</summary>
    public static (double Error, double Kl) Evaluate(Vib model, LabelledData data, int batchSize = 1000)
    {
        CheckData(model, data, "evaluation");
        using var _ = NoGrad.Scope();
        int n = data.Count, wrong = 0;
        double kl = 0;
        for (int start = 0; start < n; start += batchSize)
        {
            int b = Math.Min(batchSize, n - start);
            var x = Vae.Rows(data.X, start, b);
            var (mu, logVar) = model.Encode(x);
            var pred = model.Decode(mu).ArgMax();
            for (int i = 0; i < b; i++) if (pred[i] != data.Labels[start + i]) wrong++;
            kl += mu.GaussianKl(logVar).Item();
        }
        return (wrong / (double)n, kl / n);
    }

    /// <summary>
    /// Trains one model per β (each from a fresh <c>Split()</c> of <paramref name="rng"/>, in order) and
    /// returns the final validation error, test error (if <paramref name="test"/> is given), KL and the latent
    /// means of the first <paramref name="latentPoints"/> validation examples.
    /// </summary>
    public static List<VibSweepResult> Sweep(VibConfig config, IReadOnlyList<float> betas, LabelledData train, LabelledData validation,
        LabelledData? test, VibTrainOptions options, Rng rng, int latentPoints = 2000, Action<float, VibEpochRecord>? onEpoch = null)
    {
        if (betas.Count == 0) throw new ArgumentException("VIB sweep needs at least one beta");
        var results = new List<VibSweepResult>();
        foreach (float beta in betas)
        {
            var runRng = rng.Split();
            var model = new Vib(config, runRng);
            var epochs = Fit(model, train, validation, options with { Beta = beta }, runRng, rec => onEpoch?.Invoke(beta, rec));
            double? testErr = test is null ? null : Evaluate(model, test).Error;
            int m = Math.Min(latentPoints, validation.Count);
            Tensor means = Tensor.Zeros(m, config.Latent);
            if (m > 0)
                using (NoGrad.Scope()) means = model.Encode(Vae.Rows(validation.X, 0, m)).Mu;
            results.Add(new VibSweepResult(beta, epochs[^1].ValidationError, testErr, epochs[^1].ValidationKl,
                means, validation.Labels.AsSpan(0, m).ToArray(), epochs));
        }
        return results;
    }

    /// <summary>β values 10^lo, 10^(lo+1), ..., 10^hi (the sweep of special-participation Q3 is −6..2).</summary>
    public static float[] LogSpacedBetas(int lo = -6, int hi = 2)
    {
        if (hi < lo) throw new ArgumentException($"beta exponent range is empty: {lo}..{hi}");
        return Enumerable.Range(lo, hi - lo + 1).Select(e => (float)Math.Pow(10, e)).ToArray();
    }

    private static (Tensor X, int[] Y) Gather(LabelledData data, int[] perm, int start, int b, int d)
    {
        var x = new float[b * d];
        var y = new int[b];
        for (int i = 0; i < b; i++)
        {
            int r = perm[start + i];
            data.X.Data.AsSpan(r * d, d).CopyTo(x.AsSpan(i * d, d));
            y[i] = data.Labels[r];
        }
        return (new Tensor(x, b, d), y);
    }

    private static void CheckData(Vib model, LabelledData data, string what)
    {
        if (data.X.Rank != 2 || data.X.Shape[1] != model.Config.InputSize)
            throw new ArgumentException($"VIB {what} data has shape {ShapeUtil.Format(data.X.Shape)}, expected (N, {model.Config.InputSize})");
        if (data.Count == 0) throw new ArgumentException($"VIB {what} data is empty");
        if (data.X.Shape[0] != data.Count) throw new ArgumentException($"VIB {what} data has {data.X.Shape[0]} rows but {data.Count} labels");
        int bad = Array.FindIndex(data.Labels, l => l < 0 || l >= model.Config.Classes);
        if (bad >= 0) throw new ArgumentException($"VIB {what} label at row {bad} is {data.Labels[bad]}, outside [0, {model.Config.Classes})");
        int nan = Array.FindIndex(data.X.Data, v => !float.IsFinite(v));
        if (nan >= 0) throw new ArgumentException($"VIB {what} data row {nan / data.X.Shape[1]}, column {nan % data.X.Shape[1]} is {data.X.Data[nan]}");
    }
}
