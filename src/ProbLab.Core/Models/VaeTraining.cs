// Training loop, evaluation and benchmark for the VAE: Adam on the summed negative ELBO of shuffled
// minibatches (the exam's setting: lr 1e-3, batch 128, 15 epochs), with per-step and per-epoch metric
// records (nats per image). Test metrics use one z sample per image, as the PyTorch anchor script does.
using System.Diagnostics;
using ProbLab.Kernels;
using ProbLab.Nn.Optim;
using ProbLab.Tensors;

namespace ProbLab.Models;

/// <summary>Training settings for <see cref="VaeTrainer"/>.</summary>
public sealed record VaeTrainOptions
{
    /// <summary>Passes over the training set.</summary>
    public int Epochs { get; init; } = 15;
    /// <summary>Images per Adam step.</summary>
    public int BatchSize { get; init; } = 128;
    /// <summary>Adam learning rate.</summary>
    public float LearningRate { get; init; } = 1e-3f;
    /// <summary>Batch size for evaluation passes (no gradients).</summary>
    public int EvalBatchSize { get; init; } = 1000;
    /// <summary>Stop each epoch after this many steps (null: the whole training set); for quick presets.</summary>
    public int? MaxStepsPerEpoch { get; init; }

    /// <summary>Throws if a field is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The message names the field and value.</exception>
    public VaeTrainOptions Validate()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "epochs must be at least 1");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "batch size must be at least 1");
        if (!(LearningRate > 0) || float.IsInfinity(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "learning rate must be a positive number");
        if (EvalBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(EvalBatchSize), EvalBatchSize, "eval batch size must be at least 1");
        if (MaxStepsPerEpoch is < 1) throw new ArgumentOutOfRangeException(nameof(MaxStepsPerEpoch), MaxStepsPerEpoch, "max steps per epoch must be at least 1");
        return this;
    }
}

/// <summary>Mean −ELBO, reconstruction and KL terms in nats per image.</summary>
public readonly record struct ElboStats(double NegElbo, double Recon, double Kl);

/// <summary>Metrics of one optimizer step (nats per image of that minibatch).</summary>
public sealed record VaeStepRecord(long Step, int Epoch, double NegElbo, double Recon, double Kl);

/// <summary>Metrics after one epoch: running train means over the epoch's steps, test means, and wall seconds of the training pass.</summary>
public sealed record VaeEpochRecord(int Epoch, ElboStats Train, ElboStats? Test, double Seconds);

/// <summary>Everything a VAE training run recorded.</summary>
public sealed class VaeHistory
{
    /// <summary>One record per optimizer step.</summary>
    public List<VaeStepRecord> Steps { get; } = new();
    /// <summary>One record per epoch.</summary>
    public List<VaeEpochRecord> Epochs { get; } = new();
}

/// <summary>Fits a <see cref="Vae"/> with Adam and evaluates it.</summary>
public static class VaeTrainer
{
    /// <summary>
    /// Trains <paramref name="model"/> on the rows of <paramref name="train"/> (N, InputSize) for the configured
    /// epochs and evaluates on <paramref name="test"/> after each one. <paramref name="rng"/> drives the
    /// shuffles and the reparameterisation noise; <paramref name="onEpoch"/> sees each epoch record as it completes.
    /// </summary>
    /// <exception cref="ArgumentException">The training set is empty or has the wrong width.</exception>
    public static VaeHistory Fit(Vae model, Tensor train, Tensor? test, VaeTrainOptions options, Rng rng,
        Action<VaeEpochRecord>? onEpoch = null, Action<VaeStepRecord>? onStep = null, Adam? optimizer = null)
    {
        options.Validate();
        CheckData(model, train, "training");
        if (test is not null) CheckData(model, test, "test");
        var opt = optimizer ?? new Adam(model.NamedParameters(), options.LearningRate);
        var history = new VaeHistory();
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var sw = Stopwatch.StartNew();
            var trainStats = RunEpoch(model, opt, train, options, rng, epoch, history, onStep);
            double seconds = sw.Elapsed.TotalSeconds;
            ElboStats? testStats = test is null ? null : Evaluate(model, test, rng, options.EvalBatchSize);
            var rec = new VaeEpochRecord(epoch, trainStats, testStats, seconds);
            history.Epochs.Add(rec);
            onEpoch?.Invoke(rec);
        }
        return history;
    }

    // One shuffled pass; returns the image-weighted mean of the minibatch metrics.
    private static ElboStats RunEpoch(Vae model, Adam opt, Tensor train, VaeTrainOptions options, Rng rng, int epoch,
        VaeHistory history, Action<VaeStepRecord>? onStep)
    {
        int n = train.Shape[0], d = train.Shape[1];
        var perm = rng.Permutation(n);
        double sumLoss = 0, sumRecon = 0, sumKl = 0;
        int seen = 0, steps = 0;
        for (int start = 0; start < n; start += options.BatchSize)
        {
            if (options.MaxStepsPerEpoch is int max && steps >= max) break;
            int b = Math.Min(options.BatchSize, n - start);
            var x = Gather(train, perm, start, b, d);
            opt.ZeroGrad();
            var elbo = model.Elbo(x, rng);
            elbo.Loss.Backward();
            opt.Step();
            steps++;
            seen += b;
            sumRecon += elbo.Recon;
            sumKl += elbo.Kl;
            sumLoss += elbo.Recon + elbo.Kl;
            var rec = new VaeStepRecord(opt.StepCount, epoch, elbo.NegElboPerImage, elbo.ReconPerImage, elbo.KlPerImage);
            history.Steps.Add(rec);
            onStep?.Invoke(rec);
        }
        return new ElboStats(sumLoss / seen, sumRecon / seen, sumKl / seen);
    }

    /// <summary>One-sample −ELBO, reconstruction and KL per image over all rows of <paramref name="x"/>, without gradients.</summary>
    public static ElboStats Evaluate(Vae model, Tensor x, Rng rng, int batchSize = 1000)
    {
        CheckData(model, x, "evaluation");
        using var _ = NoGrad.Scope();
        int n = x.Shape[0];
        double recon = 0, kl = 0;
        for (int start = 0; start < n; start += batchSize)
        {
            int b = Math.Min(batchSize, n - start);
            var e = model.Elbo(Vae.Rows(x, start, b), rng);
            recon += e.Recon;
            kl += e.Kl;
        }
        return new ElboStats((recon + kl) / n, recon / n, kl / n);
    }

    /// <summary>
    /// Importance-weighted estimate of the mean log-likelihood log p(x) in nats per image (Burda et al. 2016):
    /// log (1/K) Σ_k p(x|z_k) p(z_k) / q(z_k|x) with z_k ~ q(z|x). It lower-bounds log p(x), is at least the ELBO
    /// in expectation, and tightens as K grows; K = 1 is the one-sample ELBO.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">K is below 1.</exception>
    public static double ImportanceWeightedLogLikelihood(Vae model, Tensor x, int k, Rng rng, int batchSize = 100)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "importance samples K must be at least 1");
        CheckData(model, x, "evaluation");
        using var _ = NoGrad.Scope();
        int n = x.Shape[0], dIn = x.Shape[1], dz = model.Config.Latent;
        double total = 0;
        var logW = new double[k];
        var scratch = new float[dIn];
        for (int start = 0; start < n; start += batchSize)
        {
            int b = Math.Min(batchSize, n - start);
            var xb = Vae.Rows(x, start, b);
            var (mu, logVar) = model.Encode(xb);                       // (b, dz)
            var eps = Tensor.RandN(rng, new[] { b * k, dz });           // row i·K + j: sample j of image i
            var z = Tensor.Zeros(b * k, dz);
            for (int r = 0; r < b * k; r++)
                for (int j = 0; j < dz; j++)
                {
                    int src = (r / k) * dz + j;
                    z.Data[r * dz + j] = mu.Data[src] + MathF.Exp(0.5f * logVar.Data[src]) * eps.Data[r * dz + j];
                }
            var logits = model.Decode(z);                               // (b·K, dIn)
            for (int i = 0; i < b; i++)
            {
                var xi = xb.Data.AsSpan(i * dIn, dIn);
                for (int s = 0; s < k; s++)
                {
                    int r = i * k + s;
                    double logPx = -LatentKernels.BceWithLogitsForward(logits.Data.AsSpan(r * dIn, dIn), xi, scratch);
                    // log p(z) − log q(z|x) = Σ_j [−½ z² + ½ ε² + ½ log σ²] (the ½ log 2π terms cancel).
                    double logRatio = 0;
                    for (int j = 0; j < dz; j++)
                    {
                        double zj = z.Data[r * dz + j], ej = eps.Data[r * dz + j];
                        logRatio += -0.5 * zj * zj + 0.5 * ej * ej + 0.5 * logVar.Data[i * dz + j];
                    }
                    logW[s] = logPx + logRatio;
                }
                double max = logW.Max(), sum = 0;
                foreach (double w in logW) sum += Math.Exp(w - max);
                total += max + Math.Log(sum / k);
            }
        }
        return total / n;
    }

    /// <summary>
    /// Training throughput: runs <paramref name="steps"/> Adam steps of the given batch size on rows of
    /// <paramref name="train"/> (after <paramref name="warmupSteps"/> untimed ones, which let the JIT settle) and returns
    /// the measured seconds scaled to one epoch of <paramref name="epochImages"/> images (60 000 for MNIST).
    /// </summary>
    public static double BenchmarkSecondsPerEpoch(Vae model, Tensor train, Rng rng, int steps = 100, int warmupSteps = 60,
        int batchSize = 128, int epochImages = 60_000)
    {
        CheckData(model, train, "benchmark");
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "benchmark steps must be at least 1");
        var opt = new Adam(model.NamedParameters(), 1e-3f);
        int n = train.Shape[0], d = train.Shape[1];
        var perm = rng.Permutation(n);
        int cursor = 0;
        void Step()
        {
            if (cursor + batchSize > n) cursor = 0;
            var x = Gather(train, perm, cursor, Math.Min(batchSize, n), d);
            cursor += batchSize;
            opt.ZeroGrad();
            model.Elbo(x, rng).Loss.Backward();
            opt.Step();
        }
        for (int i = 0; i < warmupSteps; i++) Step();
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++) Step();
        double perStep = sw.Elapsed.TotalSeconds / steps;
        return perStep * Math.Ceiling(epochImages / (double)batchSize);
    }

    // Copies rows perm[start..start+b) of x (N, D) into a fresh (b, D) batch.
    private static Tensor Gather(Tensor x, int[] perm, int start, int b, int d)
    {
        var batch = new float[b * d];
        for (int i = 0; i < b; i++) x.Data.AsSpan(perm[start + i] * d, d).CopyTo(batch.AsSpan(i * d, d));
        return new Tensor(batch, b, d);
    }

    private static void CheckData(Vae model, Tensor x, string what)
    {
        if (x.Rank != 2 || x.Shape[1] != model.Config.InputSize)
            throw new ArgumentException($"VAE {what} data has shape {ShapeUtil.Format(x.Shape)}, expected (N, {model.Config.InputSize})");
        if (x.Shape[0] == 0) throw new ArgumentException($"VAE {what} data is empty");
        // The Bernoulli likelihood needs targets in [0, 1]; NaN fails the comparison too.
        int bad = Array.FindIndex(x.Data, v => !(v >= 0f && v <= 1f));
        if (bad >= 0)
            throw new ArgumentException($"VAE {what} data row {bad / x.Shape[1]}, column {bad % x.Shape[1]} is {x.Data[bad]} (pixels must be in [0, 1])");
    }
}
