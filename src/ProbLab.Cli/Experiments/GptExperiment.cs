// The transformer part of HUJI IML ex5 (§4.2–4.7) and special participation Q1, as one report chapter:
// - training of the character GPT on tiny Shakespeare: train/test loss and last-position accuracy per epoch
//   (figure 17 of the course report: loss left, accuracy right), and per-epoch generations from "the "
//   with plain and top-k sampling;
// - initialisation scale of a tied embedding/head: N(0, 1) vs N(0, 1/C) initial losses and curves;
// - the KV cache: per-token latency against position with and without it, its speedup, and the largest
//   logit difference between the two (they compute the same function);
// - training throughput of the course model (the `bench gpt-nano` measurement).
// Quick: a few hundred steps in total; Full: the course settings (10 epochs of 100,000 windows).
using ProbLab.Models;
using ProbLab.Reports;
using ProbLab.Tensors;
using ProbLab.Cli.Commands;

namespace ProbLab.Cli.Experiments;

/// <summary>Character GPT on tiny Shakespeare: training curves, samples, init scale, KV cache, speed.</summary>
public sealed class GptExperiment : IExperiment
{
    /// <summary>Config of the GPT chapter.</summary>
    public sealed record GptExperimentConfig
    {
        /// <summary>Training epochs.</summary>
        public int Epochs { get; init; } = 10;
        /// <summary>Training windows per epoch (with replacement).</summary>
        public int SamplesPerEpoch { get; init; } = 100_000;
        /// <summary>Test windows per evaluation (without replacement).</summary>
        public int TestSamples { get; init; } = 10_000;
        /// <summary>Optimizer steps of each init-scale run.</summary>
        public int InitScaleSteps { get; init; } = 1_000;
        /// <summary>Block size of the model timed for the KV-cache figure (random weights; latency does not depend on them).</summary>
        public int KvBlockSize { get; init; } = 256;
        /// <summary>Layers of that model.</summary>
        public int KvLayers { get; init; } = 4;
        /// <summary>Embedding size of that model.</summary>
        public int KvEmbd { get; init; } = 128;
        /// <summary>Timing repeats per position (the median is shown).</summary>
        public int KvRepeats { get; init; } = 5;
        /// <summary>Timed steps of the throughput measurement.</summary>
        public int BenchSteps { get; init; } = 200;

        /// <summary>The preset's config.</summary>
        public static GptExperimentConfig For(Preset preset) => preset == Preset.Full ? new()
            : new() { Epochs = 2, SamplesPerEpoch = 960, TestSamples = 192, InitScaleSteps = 30, KvBlockSize = 32, KvLayers = 2, KvEmbd = 64, KvRepeats = 5, BenchSteps = 50 };
    }

    /// <inheritdoc/>
    public string Name => "gpt";

    /// <inheritdoc/>
    public string Title => "Character-level GPT on tiny Shakespeare";

    /// <inheritdoc/>
    public void Run(ExperimentContext ctx, Preset preset, Section chapter)
    {
        var cfg = GptExperimentConfig.For(preset);
        ctx.RecordConfig(cfg);
        var model = new GptConfig();
        var data = CharGptData.Load(ctx.Data, model.BlockSize, ctx.Cancel);
        ctx.RecordData(data.Source);
        model = model with { VocabSize = data.Vocab.Size };

        var training = Train(ctx, cfg, data, model);
        WriteTraining(chapter.AddSection("Training: loss and accuracy"), cfg, model, training, data);
        WriteSamples(chapter.AddSection("Generations after each epoch"), training);
        WriteInitScale(chapter.AddSection("Initialisation scale of a tied embedding"), InitScale(ctx, cfg, data, model), model);
        WriteKvCache(chapter.AddSection("KV cache"), ctx, cfg);
        WriteSpeed(chapter.AddSection("Training speed"), ctx, cfg);
    }

    private static GptTrainingResult Train(ExperimentContext ctx, GptExperimentConfig cfg, CharGptData data, GptConfig config, string label = "gpt train")
    {
        var gpt = new Gpt(config, ctx.Rng.Split());
        var options = new GptTrainOptions
        {
            Epochs = cfg.Epochs, SamplesPerEpoch = cfg.SamplesPerEpoch, TestSamples = cfg.TestSamples, Seed = unchecked((ulong)ctx.Seed),
        };
        var trainer = new GptTrainer(gpt, data.Train, data.Test, options, ids => data.Vocab.Decode(ids), data.Vocab.Encode("the "));
        long steps = cfg.Epochs * ((cfg.SamplesPerEpoch + options.BatchSize - 1) / options.BatchSize);
        using var task = ctx.Progress.Start(label, steps);
        return trainer.Run(p => task.Advance(1, p.Loss), ctx.Cancel);
    }

    private static void WriteTraining(Section s, GptExperimentConfig cfg, GptConfig model, GptTrainingResult r, CharGptData data)
    {
        long parameters = new Gpt(model, new Rng(0)).ParameterCount();
        s.Paragraph($"A minGPT-style model ({model.Layers} pre-LayerNorm blocks, {model.Heads} heads, {model.Embd} dimensions, context {model.BlockSize}, " +
                    $"GELU MLP, learned positions, {parameters:N0} parameters) predicts the next character over a vocabulary of {data.Vocab.Size}. " +
                    $"Adam (lr 3e-4), batches of 64 windows; an epoch is {cfg.SamplesPerEpoch:N0} windows drawn with replacement from the training text, " +
                    $"and the test loss uses {cfg.TestSamples:N0} windows drawn without replacement from the test text (characters 90–95%). " +
                    "Accuracy is the exercise's: the fraction of windows whose **last** position's most likely character is the true next one.");
        var epochs = r.Epochs.Select(e => e.Epoch).ToArray();
        var loss = new LineChart { Title = "Cross-entropy" };
        loss.X.Label = "epoch";
        loss.Y.Label = "nats per character";
        loss.Add("train", epochs, r.Epochs.Select(e => e.TrainLoss).ToArray()).Marker = MarkerShape.Circle;
        loss.Add("test", epochs, r.Epochs.Select(e => e.TestLoss).ToArray()).Marker = MarkerShape.Circle;
        loss.AddHLine(1.82, "course ≈ 1.82");
        var acc = new LineChart { Title = "Last-position accuracy" };
        acc.X.Label = "epoch";
        acc.Y.Label = "accuracy";
        acc.Add("train", epochs, r.Epochs.Select(e => e.TrainAccuracy).ToArray()).Marker = MarkerShape.Circle;
        acc.Add("test", epochs, r.Epochs.Select(e => e.TestAccuracy).ToArray()).Marker = MarkerShape.Circle;
        if (epochs.Length <= 20)
        {
            loss.X.TickValues = acc.X.TickValues = epochs.Select(e => (double)e).ToArray();
            loss.X.Format = acc.X.Format = v => v.ToString("0", System.Globalization.CultureInfo.InvariantCulture);
        }
        var grid = new FigureGrid(2) { PanelWidth = 420, PanelHeight = 300 };
        grid.Add(loss).Add(acc);
        s.Figure(grid, "Training and test loss (left) and accuracy (right) across epochs, as figure 17 of the course report. " +
                       "The train values are running means over each epoch's steps; the dashed line is the course's final test loss.");
        var table = new Table("epoch", "step", "train loss", "test loss", "train acc", "test acc", "seconds") { Caption = "Per-epoch metrics (loss in nats per character)." };
        foreach (var e in r.Epochs) table.AddRow(e.Epoch, e.Step, e.TrainLoss, e.TestLoss, e.TrainAccuracy, e.TestAccuracy, e.Seconds);
        for (int c = 2; c <= 5; c++) table.SetFormat(c, "F4");
        table.SetFormat(6, "F1");
        s.Table(table);
    }

    private static void WriteSamples(Section s, GptTrainingResult r)
    {
        s.Paragraph("After each epoch: three continuations of \"the \" (30 new characters) by plain sampling from the model's distribution, " +
                    "and three with top-k sampling (k = 5: all but the five most likely characters get probability 0, the rest are renormalised). " +
                    "Line breaks are shown as ↵.");
        var table = new Table("epoch", "plain sampling", "top-5 sampling") { Caption = "Three generations per epoch and sampling mode." };
        foreach (var e in r.Epochs)
            for (int i = 0; i < Math.Max(e.Samples.Count, e.TopKSamples.Count); i++)
                table.AddRow(i == 0 ? e.Epoch.ToString() : "", Show(e.Samples, i), Show(e.TopKSamples, i));
        s.Table(table);
    }

    private static string Show(IReadOnlyList<string> xs, int i) => i < xs.Count ? xs[i].Replace("\n", "↵", StringComparison.Ordinal) : "";

    private sealed record InitScaleRun(string Label, float Std, IReadOnlyList<float> Losses);

    // Special participation Q1: tied wte/lm_head at std 1 vs std C^-1/2; everything else as the course model.
    private static InitScaleRun[] InitScale(ExperimentContext ctx, GptExperimentConfig cfg, CharGptData data, GptConfig model)
    {
        float small = 1f / MathF.Sqrt(model.Embd);
        var runs = new List<InitScaleRun>();
        foreach (var (label, std) in new[] { ("std 1", 1f), ($"std C^-½ = {small:F3}", small) })
        {
            var one = cfg with { Epochs = 1, SamplesPerEpoch = cfg.InitScaleSteps * 64, TestSamples = Math.Min(cfg.TestSamples, 640) };
            var r = Train(ctx, one, data, model with { TiedWeights = true, EmbeddingInitStd = std }, $"init {label}");
            runs.Add(new InitScaleRun(label, std, r.StepLosses));
        }
        return runs.ToArray();
    }

    private static void WriteInitScale(Section s, InitScaleRun[] runs, GptConfig model)
    {
        double lnV = Math.Log(model.VocabSize);
        s.Paragraph($"With the output head tied to the token embedding, the logits are h·w for the final hidden state h (after ln_f, so |h|² ≈ C = {model.Embd}) " +
                    $"and embedding rows w. Rows drawn from N(0, 1) give logits of standard deviation ≈ √C, a confidently wrong initial distribution and a loss far above " +
                    $"ln V = {lnV:F3}; rows from N(0, 1/C) give unit-variance logits and an initial loss near ln V (special participation, question 1).");
        var chart = new LineChart { Title = "Training loss, tied embedding/head" };
        chart.X.Label = "step";
        chart.Y.Label = "cross-entropy";
        chart.Y.Scale = AxisScale.Log;
        foreach (var r in runs) chart.Add(r.Label, Enumerable.Range(1, r.Losses.Count).ToArray(), r.Losses.ToArray());
        chart.AddHLine(lnV, "ln V");
        s.Figure(chart, "Per-step training loss of the two initialisations (log scale); the horizontal line is the uniform-prediction loss ln V.");
        var table = new Table("initialisation", "initial loss", "initial loss − ln V", "loss after last step") { Caption = "Loss of the first batch (before any update) and of the last step." };
        foreach (var r in runs) table.AddRow(r.Label, r.Losses[0], r.Losses[0] - lnV, r.Losses[^1]);
        for (int c = 1; c <= 3; c++) table.SetFormat(c, "F3");
        s.Table(table);
    }

    private static void WriteKvCache(Section s, ExperimentContext ctx, GptExperimentConfig cfg)
    {
        var config = new GptConfig { BlockSize = cfg.KvBlockSize, VocabSize = 65, Layers = cfg.KvLayers, Heads = 4, Embd = cfg.KvEmbd };
        var gpt = new Gpt(config, ctx.Rng.Split());
        gpt.Eval();
        var points = GptBenchmark.GenerationLatency(gpt, ctx.Rng.Split(), cfg.KvRepeats);
        double maxDiff = MaxLogitDifference(gpt, ctx.Rng.Split());
        double cached = points.Sum(p => p.CachedMs), full = points.Sum(p => p.UncachedMs);
        s.Paragraph($"Generating token t+1 needs the keys and values of every earlier position in every layer. Without a cache the model re-runs the whole prefix " +
                    $"(cost growing with t); with the KV cache only the new token goes through the layers and attends to the stored rows. Timed on a " +
                    $"{config.Layers}-layer, {config.Embd}-dimension model with block size {config.BlockSize} (random weights), one sequence, median of {cfg.KvRepeats} runs. " +
                    $"Filling the whole context token by token takes {full:F1} ms without and {cached:F1} ms with the cache: a **{full / cached:F1}×** speedup. " +
                    $"The two give the same logits up to float rounding (largest difference over all positions {maxDiff:G2}). " +
                    $"Once the context is longer than the block size every position shifts (learned absolute positions), so the cache is rebuilt from the new window.");
        var chart = new LineChart { Title = "Next-token latency by position" };
        chart.X.Label = "position";
        chart.Y.Label = "ms per token";
        chart.Y.Scale = AxisScale.Log;
        chart.Add("full forward (no cache)", points.Select(p => p.Position).ToArray(), points.Select(p => p.UncachedMs).ToArray());
        chart.Add("KV cache", points.Select(p => p.Position).ToArray(), points.Select(p => p.CachedMs).ToArray());
        s.Figure(chart, "Median time to produce the next-token logits at each position (log scale).");
    }

    // Largest |logit difference| between KV-cached and full-forward next-token logits along one random sequence.
    private static double MaxLogitDifference(Gpt gpt, Rng rng)
    {
        int bs = gpt.Config.BlockSize;
        var seq = Enumerable.Range(0, bs).Select(_ => rng.NextInt(gpt.Config.VocabSize)).ToArray();
        var cache = gpt.CreateCache();
        double max = 0;
        for (int p = 0; p < bs; p++)
        {
            var a = gpt.Extend(cache, seq.AsSpan(p, 1));
            var b = gpt.LastLogits(seq.AsSpan(0, p + 1));
            for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }
        return max;
    }

    private static void WriteSpeed(Section s, ExperimentContext ctx, GptExperimentConfig cfg)
    {
        var r = GptBenchmark.TrainSteps(new GptConfig(), 64, cfg.BenchSteps, warmupSteps: 100, seed: unchecked((ulong)ctx.Seed));
        s.Paragraph($"One training step of the course model (forward, backward and Adam on a batch of 64 windows of 10 characters) takes " +
                    $"**{r.MsPerStep:F2} ms** on average here ({r.TokensPerSecond:N0} tokens/s; median step {r.MedianMsPerStep:F2} ms, fastest {r.BestMsPerStep:F2} ms; " +
                    $"{r.Steps} timed steps, {Kernels.Parallelism.MaxThreads} thread(s)); " +
                    "`problab bench gpt-nano` repeats this measurement, and the PyTorch anchor script `torch_gpt_nano.py` times the same model, batch and optimizer. " +
                    "Each transformer block is one fused autograd node whose kernels run on reused buffers, and attention runs with 16 sequences in the vector lanes.");
    }
}
