// Measurements behind `problab bench ...`. One delegate per benchmark, so the command stays a thin shell
// and a better method (e.g. Bench/GemmBench.cs) replaces the simple one here by changing one line.
using System.Diagnostics;
using ProbLab.Kernels;
using ProbLab.Tensors;

namespace ProbLab.Cli.Bench;

/// <summary>The measurement functions the bench commands call.</summary>
public static class BenchRegistry
{
    /// <summary>Result of one GEMM size: n, throughput 2·n³ / best time, the best time, and how many timed runs.</summary>
    public sealed record GemmResult(int N, double Gflops, double BestMs, int Repeats);

    /// <summary>Measures C(n×n) = A·B for one size: (n, repeats, rng, cancel) → result.</summary>
    public static Func<int, int, Rng, CancellationToken, GemmResult> Gemm { get; } = MeasureGemm;

    /// <summary>Simple best-of-N timing of <see cref="Kernels.Gemm.Sgemm"/> after one untimed warm-up (JIT, caches).</summary>
    public static GemmResult MeasureGemm(int n, int repeats, Rng rng, CancellationToken cancel)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "matrix size must be at least 1");
        if (repeats < 1) throw new ArgumentOutOfRangeException(nameof(repeats), repeats, "repeats must be at least 1");
        var a = new float[n * n];
        var b = new float[n * n];
        var c = new float[n * n];
        rng.FillUniform(a, -1, 1);
        rng.FillUniform(b, -1, 1);
        Kernels.Gemm.Sgemm(false, false, n, n, n, a, n, b, n, c, n);
        double best = double.MaxValue;
        for (int r = 0; r < repeats; r++)
        {
            cancel.ThrowIfCancellationRequested();
            long t0 = Stopwatch.GetTimestamp();
            Kernels.Gemm.Sgemm(false, false, n, n, n, a, n, b, n, c, n);
            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }
        double flops = 2.0 * n * n * (double)n;
        return new GemmResult(n, flops / best / 1e9, best * 1e3, repeats);
    }
}
