// Library-level GPT benchmarks behind `problab bench gpt-nano` and the report's KV-cache figure:
// - training throughput: full steps (forward, backward, Adam) on one fixed random batch, as the PyTorch
//   anchor script does, after a warm-up that lets the JIT reach its optimised tier;
// - generation latency per position, with and without the KV cache.
// Wall-clock times via Stopwatch; the caller sets Parallelism.MaxThreads.
using System.Diagnostics;
using ProbLab.Nn.Optim;
using ProbLab.Tensors;

namespace ProbLab.Models;

/// <summary>
/// Training-step throughput of one configuration: mean time per step (total / steps) and the tokens per second
/// it implies, plus the median and fastest single step (robust to other load on the machine).
/// </summary>
public sealed record GptBenchResult(double MsPerStep, double TokensPerSecond, double MedianMsPerStep, double BestMsPerStep,
    int Steps, int BatchSize, int BlockSize, long Parameters);

/// <summary>Median time to produce the next-token logits at one position, with and without the KV cache.</summary>
public sealed record GptLatencyPoint(int Position, double CachedMs, double UncachedMs);

/// <summary>GPT speed measurements.</summary>
public static class GptBenchmark
{
    /// <summary>
    /// Times <paramref name="steps"/> Adam training steps of a fresh model on a random (B, BlockSize) batch,
    /// after <paramref name="warmupSteps"/> untimed ones.
    /// </summary>
    /// <exception cref="ArgumentException">Non-positive steps or batch size, or an invalid config.</exception>
    public static GptBenchResult TrainSteps(GptConfig config, int batchSize = 64, int steps = 200, int warmupSteps = 100, ulong seed = 42)
    {
        if (steps < 1 || batchSize < 1 || warmupSteps < 0) throw new ArgumentException($"benchmark needs steps ≥ 1 and batch ≥ 1 (got steps {steps}, batch {batchSize}, warm-up {warmupSteps})");
        var rng = new Rng(seed);
        var model = new Gpt(config, rng);
        var adam = new Adam(model.NamedParameters(), 3e-4f);
        int n = batchSize * config.BlockSize;
        var x = new int[n];
        var y = new int[n];
        for (int i = 0; i < n; i++) { x[i] = rng.NextInt(config.VocabSize); y[i] = rng.NextInt(config.VocabSize); }
        var dropout = rng.Split();
        var logits = new float[n * config.VocabSize];
        void Step()
        {
            var (_, loss) = model.Forward(x, batchSize, y, dropout, logitsBuffer: logits);
            adam.ZeroGrad();
            loss!.Backward();
            adam.Step();
        }
        for (int i = 0; i < warmupSteps; i++) Step();
        var each = new double[steps];
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            Step();
            each[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        double ms = clock.Elapsed.TotalMilliseconds / steps;
        return new GptBenchResult(ms, n / ms * 1000.0, Median(each), each.Min(), steps, batchSize, config.BlockSize, model.ParameterCount());
    }

    /// <summary>
    /// For positions 0..BlockSize−1 of one random sequence: the median over <paramref name="repeats"/> of the time to
    /// get the next-token logits by extending a KV cache by one token vs a full forward over the prefix.
    /// </summary>
    public static IReadOnlyList<GptLatencyPoint> GenerationLatency(Gpt model, Rng rng, int repeats = 5)
    {
        if (repeats < 1) throw new ArgumentException($"repeats must be at least 1, got {repeats}");
        int bs = model.Config.BlockSize;
        var seq = new int[bs];
        for (int i = 0; i < bs; i++) seq[i] = rng.NextInt(model.Config.VocabSize);
        var cached = new double[bs][];
        var uncached = new double[bs][];
        for (int p = 0; p < bs; p++) { cached[p] = new double[repeats]; uncached[p] = new double[repeats]; }
        var cache = model.CreateCache();
        for (int r = 0; r < repeats; r++)
        {
            cache.Clear();
            for (int p = 0; p < bs; p++)
            {
                long t0 = Stopwatch.GetTimestamp();
                model.Extend(cache, seq.AsSpan(p, 1));
                cached[p][r] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                t0 = Stopwatch.GetTimestamp();
                model.LastLogits(seq.AsSpan(0, p + 1));
                uncached[p][r] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            }
        }
        return Enumerable.Range(0, bs).Select(p => new GptLatencyPoint(p, Median(cached[p]), Median(uncached[p]))).ToArray();
    }

    private static double Median(double[] xs)
    {
        var s = (double[])xs.Clone();
        Array.Sort(s);
        return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
    }
}
