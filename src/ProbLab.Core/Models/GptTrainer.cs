// Training loop of HUJI IML ex5 §4.7 for a Gpt on windowed token data: Adam, epochs of windows drawn with
// replacement, per-epoch train/test cross-entropy and the exercise's accuracy (the LAST position's argmax
// equals the next token), and after each epoch a few generations from a prompt with plain and top-k
// sampling. Optional checkpoint every epoch (weights, Adam moments, RNG streams, history) so a run resumes
// bit for bit. Returns plain metric records; printing and plotting belong to the caller.
using System.Diagnostics;
using System.Text.Json;
using ProbLab.Checkpoints;
using ProbLab.Data;
using ProbLab.Nn.Optim;
using ProbLab.Tensors;

namespace ProbLab.Models;

/// <summary>Options of <see cref="GptTrainer"/>; defaults are the course's.</summary>
public sealed record GptTrainOptions
{
    /// <summary>Number of epochs.</summary>
    public int Epochs { get; init; } = 10;
    /// <summary>Windows per optimizer step.</summary>
    public int BatchSize { get; init; } = 64;
    /// <summary>Adam learning rate.</summary>
    public float LearningRate { get; init; } = 3e-4f;
    /// <summary>Training windows per epoch, drawn with replacement (the course: 100,000).</summary>
    public int SamplesPerEpoch { get; init; } = 100_000;
    /// <summary>Test windows per evaluation, drawn without replacement (the course: 10,000).</summary>
    public int TestSamples { get; init; } = 10_000;
    /// <summary>Generations per sampling mode after each epoch.</summary>
    public int Generations { get; init; } = 3;
    /// <summary>New tokens per generation.</summary>
    public int GenerationTokens { get; init; } = 30;
    /// <summary>k of the top-k generations (0 skips them).</summary>
    public int TopK { get; init; } = 5;
    /// <summary>Sampling temperature of the generations.</summary>
    public float Temperature { get; init; } = 1f;
    /// <summary>Seed of the data, dropout and sampling streams.</summary>
    public ulong Seed { get; init; }
    /// <summary>Folder for a checkpoint after every epoch, or null.</summary>
    public string? CheckpointDir { get; init; }
    /// <summary>Continue from the checkpoint in <see cref="CheckpointDir"/>.</summary>
    public bool Resume { get; init; }

    /// <summary>Checks every field; the message names the field and its value.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public GptTrainOptions Validate()
    {
        if (Epochs < 0) throw new ArgumentException($"Epochs must be non-negative, got {Epochs}");
        if (BatchSize < 1) throw new ArgumentException($"BatchSize must be at least 1, got {BatchSize}");
        if (!(LearningRate > 0) || float.IsInfinity(LearningRate)) throw new ArgumentException($"LearningRate must be a positive finite number, got {LearningRate}");
        if (SamplesPerEpoch < 1) throw new ArgumentException($"SamplesPerEpoch must be at least 1, got {SamplesPerEpoch}");
        if (TestSamples < 1) throw new ArgumentException($"TestSamples must be at least 1, got {TestSamples}");
        if (Generations < 0 || GenerationTokens < 0) throw new ArgumentException($"Generations ({Generations}) and GenerationTokens ({GenerationTokens}) must be non-negative");
        if (TopK < 0) throw new ArgumentException($"TopK must be non-negative, got {TopK}");
        if (!(Temperature >= 0) || float.IsInfinity(Temperature)) throw new ArgumentException($"Temperature must be a finite number ≥ 0, got {Temperature}");
        if (Resume && CheckpointDir is null) throw new ArgumentException("Resume needs a CheckpointDir");
        return this;
    }
}

/// <summary>Metrics of one epoch. Accuracy is the exercise's: last position's argmax equals the next token.</summary>
public sealed record GptEpochMetrics(int Epoch, long Step, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy,
    IReadOnlyList<string> Samples, IReadOnlyList<string> TopKSamples, double Seconds);

/// <summary>Progress after each optimizer step (for progress bars).</summary>
public readonly record struct GptProgress(int Epoch, int Epochs, long Step, long StepsPerEpoch, float Loss);

/// <summary>Everything a training run produced: per-epoch metrics and the loss of every step.</summary>
public sealed record GptTrainingResult(IReadOnlyList<GptEpochMetrics> Epochs, IReadOnlyList<float> StepLosses);

/// <summary>Trains a <see cref="Gpt"/> on train windows, evaluating on test windows after each epoch.</summary>
public sealed class GptTrainer
{
    private readonly Gpt _model;
    private readonly TextWindows _train, _test;
    private readonly GptTrainOptions _opt;
    private readonly Func<int[], string> _decode;
    private readonly int[] _prompt;
    private readonly IReadOnlyDictionary<string, string> _metadata;

    /// <summary>
    /// Sets up training. <paramref name="decode"/> turns generated ids into text for the metric records;
    /// <paramref name="prompt"/> seeds the generations (may be empty when the model has a BOS token);
    /// <paramref name="checkpointMetadata"/> is stored with every checkpoint (e.g. the tokenizer's vocabulary).
    /// </summary>
    /// <exception cref="ArgumentException">Invalid options, or windows longer than the model's block size.</exception>
    public GptTrainer(Gpt model, TextWindows train, TextWindows test, GptTrainOptions options, Func<int[], string> decode, int[] prompt,
        IReadOnlyDictionary<string, string>? checkpointMetadata = null)
    {
        _metadata = checkpointMetadata ?? new Dictionary<string, string>();
        _opt = options.Validate();
        if (train.BlockSize > model.Config.BlockSize || test.BlockSize > model.Config.BlockSize)
            throw new ArgumentException($"windows of {Math.Max(train.BlockSize, test.BlockSize)} tokens exceed the model's block size {model.Config.BlockSize}");
        (_model, _train, _test, _decode, _prompt) = (model, train, test, decode, prompt);
    }

    /// <summary>Runs (or resumes) training and returns the full history.</summary>
    /// <exception cref="FileNotFoundException">Resume was requested but the folder holds no checkpoint.</exception>
    /// <exception cref="InvalidDataException">The checkpoint belongs to a different model configuration.</exception>
    public GptTrainingResult Run(Action<GptProgress>? progress = null, CancellationToken cancel = default)
    {
        var adam = new Adam(_model.NamedParameters(), _opt.LearningRate);
        var root = new Rng(_opt.Seed);
        var rngs = new Dictionary<string, Rng> { ["data"] = root.Split(), ["eval"] = root.Split(), ["sample"] = root.Split(), ["dropout"] = root.Split() };
        var history = new List<GptEpochMetrics>();
        var stepLosses = new List<float>();
        int startEpoch = 0;
        if (_opt.Resume) startEpoch = Restore(adam, rngs, history, stepLosses);

        int bs = _opt.BatchSize, t = _train.BlockSize;
        long stepsPerEpoch = (_opt.SamplesPerEpoch + bs - 1) / bs;
        var x = new int[bs * t];
        var y = new int[bs * t];
        var logitsBuffer = new float[bs * t * _model.Config.VocabSize]; // reused by every full batch
        _model.Train();
        for (int epoch = startEpoch + 1; epoch <= _opt.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var starts = _train.SampleWithReplacement(rngs["data"], _opt.SamplesPerEpoch);
            double lossSum = 0;
            long correct = 0;
            for (int s0 = 0; s0 < starts.Length; s0 += bs)
            {
                cancel.ThrowIfCancellationRequested();
                int n = Math.Min(bs, starts.Length - s0);
                _train.Fill(starts.AsSpan(s0, n), x, y);
                var xb = n == bs ? x : x[..(n * t)];
                var yb = n == bs ? y : y[..(n * t)];
                var (logits, loss) = _model.Forward(xb, n, yb, rngs["dropout"], logitsBuffer: n == bs && _model.UseFusedKernels ? logitsBuffer : null);
                adam.ZeroGrad();
                loss!.Backward();
                adam.Step();
                float l = loss.Item();
                if (!float.IsFinite(l)) throw new InvalidOperationException($"training diverged: loss {l} at step {adam.StepCount}");
                stepLosses.Add(l);
                lossSum += (double)l * n;
                correct += LastPositionHits(logits.Data, yb, n, t, _model.Config.VocabSize);
                progress?.Invoke(new GptProgress(epoch, _opt.Epochs, adam.StepCount, stepsPerEpoch, l));
            }
            var (testLoss, testAcc) = Evaluate(_model, _test, _test.SampleWithoutReplacement(rngs["eval"], _opt.TestSamples), bs);
            var (plain, topK) = SampleTexts(rngs["sample"]);
            history.Add(new GptEpochMetrics(epoch, adam.StepCount, lossSum / starts.Length, (double)correct / starts.Length,
                testLoss, testAcc, plain, topK, clock.Elapsed.TotalSeconds));
            if (_opt.CheckpointDir is not null) Save(adam, rngs, history, stepLosses, epoch);
        }
        return new GptTrainingResult(history, stepLosses);
    }

    /// <summary>Mean cross-entropy over all positions and last-position accuracy of the windows at <paramref name="starts"/>.</summary>
    public static (double Loss, double Accuracy) Evaluate(Gpt model, TextWindows data, int[] starts, int batchSize)
    {
        bool training = model.Training;
        model.Eval();
        using var _ = NoGrad.Scope();
        int t = data.BlockSize;
        var x = new int[batchSize * t];
        var y = new int[batchSize * t];
        var logitsBuffer = new float[batchSize * t * model.Config.VocabSize];
        double lossSum = 0;
        long correct = 0;
        for (int s0 = 0; s0 < starts.Length; s0 += batchSize)
        {
            int n = Math.Min(batchSize, starts.Length - s0);
            data.Fill(starts.AsSpan(s0, n), x, y);
            var xb = n == batchSize ? x : x[..(n * t)];
            var yb = n == batchSize ? y : y[..(n * t)];
            var (logits, loss) = model.Forward(xb, n, yb, logitsBuffer: n == batchSize ? logitsBuffer : null);
            lossSum += (double)loss!.Item() * n;
            correct += LastPositionHits(logits.Data, yb, n, t, model.Config.VocabSize);
        }
        if (training) model.Train();
        return (lossSum / starts.Length, (double)correct / starts.Length);
    }

    // Windows whose last position's argmax equals its target (the exercise's accuracy numerator).
    private static long LastPositionHits(float[] logits, int[] y, int n, int t, int v)
    {
        long hits = 0;
        for (int r = 0; r < n; r++)
        {
            int row = r * t + t - 1;
            if (System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits.AsSpan(row * v, v)) == y[row]) hits++;
        }
        return hits;
    }

    private (string[] Plain, string[] TopK) SampleTexts(Rng rng)
    {
        string Gen(int k) => _decode(_prompt) + _decode(_model.Generate(_prompt, _opt.GenerationTokens, _opt.Temperature, k, rng));
        var plain = Enumerable.Range(0, _opt.Generations).Select(_ => Gen(0)).ToArray();
        var topK = _opt.TopK == 0 ? [] : Enumerable.Range(0, _opt.Generations).Select(_ => Gen(_opt.TopK)).ToArray();
        return (plain, topK);
    }

    /// <summary>Checkpoint metadata key of the model config JSON.</summary>
    public const string ConfigKey = "gpt.config";
    private const string HistoryKey = "gpt.history", LossesKey = "gpt.step_losses";
    private static readonly JsonSerializerOptions Json = new();

    private void Save(Adam adam, Dictionary<string, Rng> rngs, List<GptEpochMetrics> history, List<float> losses, int epoch)
    {
        var state = new TrainingState
        {
            Epoch = epoch,
            Rngs = rngs.ToDictionary(kv => kv.Key, kv => kv.Value.GetState()),
            Metadata = new(_metadata)
            {
                [ConfigKey] = _model.Config.ToJson(),
                [HistoryKey] = JsonSerializer.Serialize(history, Json),
                [LossesKey] = JsonSerializer.Serialize(losses, Json),
            },
        };
        Checkpoint.Save(_opt.CheckpointDir!, _model, adam, state);
    }

    // Loads weights, Adam state, RNG streams and history; returns the last completed epoch.
    private int Restore(Adam adam, Dictionary<string, Rng> rngs, List<GptEpochMetrics> history, List<float> losses)
    {
        string dir = _opt.CheckpointDir!;
        if (!Checkpoint.Exists(dir)) throw new FileNotFoundException($"cannot resume: no checkpoint in '{dir}'");
        var saved = Checkpoint.ReadState(dir);
        if (!saved.Metadata.TryGetValue(ConfigKey, out var cfgJson) || GptConfig.FromJson(cfgJson) != _model.Config)
            throw new InvalidDataException($"{dir}: the checkpoint was written for a different GPT configuration ({cfgJson ?? "none"})");
        var state = Checkpoint.Load(dir, _model, adam);
        adam.LearningRate = _opt.LearningRate;
        foreach (var (name, rng) in rngs)
            if (state.Rngs.TryGetValue(name, out var s)) rng.SetState(s);
        if (state.Metadata.TryGetValue(HistoryKey, out var h)) history.AddRange(JsonSerializer.Deserialize<List<GptEpochMetrics>>(h, Json) ?? []);
        if (state.Metadata.TryGetValue(LossesKey, out var l)) losses.AddRange(JsonSerializer.Deserialize<List<float>>(l, Json) ?? []);
        return state.Epoch;
    }
}
