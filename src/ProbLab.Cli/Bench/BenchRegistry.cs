// Measurements behind `problab bench ...`. One delegate per benchmark, so the command stays a thin shell
// and the measurement itself lives next to it (GemmBench.cs).
using ProbLab.Tensors;

namespace ProbLab.Cli.Bench;

/// <summary>The measurement functions the bench commands call.</summary>
public static class BenchRegistry
{
    /// <summary>Result of one GEMM size: n, throughput 2·n³ / best time, the best time, and how many timed runs.</summary>
    public sealed record GemmResult(int N, double Gflops, double BestMs, int Repeats);

    /// <summary>Measures C(n×n) = A·B for one size: (n, repeats, rng, cancel) → best-of-N result (see <see cref="GemmBench"/>).</summary>
    public static Func<int, int, Rng, CancellationToken, GemmResult> Gemm { get; } = (n, repeats, rng, cancel) =>
    {
        var r = GemmBench.Measure(n, repeats, rng: rng, cancel: cancel);
        return new GemmResult(r.N, r.BestGflops, r.BestMs, repeats);
    };
}
