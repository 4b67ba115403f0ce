// GEMM throughput benchmark behind `problab bench gemm`: square C = A·B (optionally with transposed
// operands) for given sizes and a thread cap. Each size is warmed up (so the JIT has reached its optimised
// tier), then timed in several repetitions of ≥ 20 ms each (a batch of calls for small n). Gflops/Ms are
// the MEDIAN repetition (what a quiet machine sustains); BestGflops/BestMs the fastest one (more robust on
// a shared, noisy machine). GFLOP/s = 2·n³ / time.
using System.Diagnostics;
using ProbLab.Kernels;
using ProbLab.Tensors;

namespace ProbLab.Cli.Bench;

/// <summary>One benchmark row: size n, median GFLOP/s and ms per n×n×n product, and the best repetition's.</summary>
public sealed record GemmBenchResult(int N, double Gflops, double Ms, double BestGflops, double BestMs);

/// <summary>Square SGEMM throughput measurement (warm-up, then median and best of timed repetitions).</summary>
public static class GemmBench
{
    /// <summary>Measures C = op(A)·op(B) for each n in <paramref name="sizes"/> with at most <paramref name="threads"/> threads (restored afterwards).</summary>
    /// <exception cref="ArgumentException">A size, threads or repetitions is below 1.</exception>
    public static IReadOnlyList<GemmBenchResult> Run(IEnumerable<int> sizes, int threads = 1, bool transA = false,
        bool transB = false, int repetitions = 7, Rng? rng = null, CancellationToken cancel = default)
    {
        if (threads < 1) throw new ArgumentException($"bench gemm: threads must be at least 1, got {threads}");
        if (repetitions < 1) throw new ArgumentException($"bench gemm: repetitions must be at least 1, got {repetitions}");
        var list = sizes.ToList();
        foreach (int n in list)
            if (n < 1) throw new ArgumentException($"bench gemm: size must be at least 1, got {n}");
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = threads;
            rng ??= new Rng(1234);
            return list.Select(n => Measure(n, repetitions, transA, transB, rng, cancel)).ToList();
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    /// <summary>Measures one size with the current <see cref="Parallelism.MaxThreads"/>; operands drawn U(−1, 1) from <paramref name="rng"/>.</summary>
    /// <exception cref="ArgumentException">n or repetitions is below 1.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> fired between repetitions.</exception>
    public static GemmBenchResult Measure(int n, int repetitions = 7, bool transA = false, bool transB = false,
        Rng? rng = null, CancellationToken cancel = default)
    {
        if (n < 1) throw new ArgumentException($"bench gemm: size must be at least 1, got {n}");
        if (repetitions < 1) throw new ArgumentException($"bench gemm: repetitions must be at least 1, got {repetitions}");
        rng ??= new Rng(1234);
        var a = new float[n * n];
        var b = new float[n * n];
        var c = new float[n * n];
        rng.FillUniform(a, -1f, 1f);
        rng.FillUniform(b, -1f, 1f);
        void Once() => Gemm.Sgemm(transA, transB, n, n, n, a, n, b, n, c, n);

        // Warm-up: at least 0.3 s and 3 calls, so tiered compilation has settled; also sizes the batch.
        var sw = Stopwatch.StartNew();
        int calls = 0;
        while (calls < 3 || sw.Elapsed.TotalSeconds < 0.3) { cancel.ThrowIfCancellationRequested(); Once(); calls++; }
        double perCall = sw.Elapsed.TotalSeconds / calls;
        int batch = Math.Max(1, (int)Math.Ceiling(0.02 / perCall));

        var times = new double[repetitions];
        for (int r = 0; r < repetitions; r++)
        {
            cancel.ThrowIfCancellationRequested();
            sw.Restart();
            for (int i = 0; i < batch; i++) Once();
            times[r] = sw.Elapsed.TotalSeconds / batch;
        }
        Array.Sort(times);
        double median = repetitions % 2 == 1 ? times[repetitions / 2] : 0.5 * (times[repetitions / 2 - 1] + times[repetitions / 2]);
        double flops = 2.0 * n * n * (double)n;
        return new GemmBenchResult(n, flops / median / 1e9, median * 1e3, flops / times[0] / 1e9, times[0] * 1e3);
    }
}
