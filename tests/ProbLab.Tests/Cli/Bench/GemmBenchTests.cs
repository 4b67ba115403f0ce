// GemmBench plumbing (no timing assertions): one record per size in order, GFLOP/s consistent with the
// reported milliseconds, the thread cap restored afterwards, and argument errors.
using ProbLab.Cli.Bench;
using ProbLab.Kernels;

namespace ProbLab.Tests.Cli.Bench;

public class GemmBenchTests
{
    [Fact]
    public void ReturnsOneConsistentRecordPerSize()
    {
        int saved = Parallelism.MaxThreads;
        var results = GemmBench.Run(new[] { 8, 3 }, threads: 1, transB: true, repetitions: 2);
        Assert.Equal(new[] { 8, 3 }, results.Select(r => r.N).ToArray());
        foreach (var r in results)
        {
            Assert.True(r.Ms > 0 && double.IsFinite(r.Gflops), $"n={r.N}: ms={r.Ms}, gflops={r.Gflops}");
            Assert.True(r.BestMs <= r.Ms, $"n={r.N}: best {r.BestMs} ms is slower than the median {r.Ms} ms");
            Check.Close(2.0 * r.N * r.N * r.N / (r.Ms * 1e-3) / 1e9, r.Gflops, 0, 1e-9, $"gflops of n={r.N}");
            Check.Close(2.0 * r.N * r.N * r.N / (r.BestMs * 1e-3) / 1e9, r.BestGflops, 0, 1e-9, $"best gflops of n={r.N}");
        }
        Assert.Equal(saved, Parallelism.MaxThreads);
    }

    [Fact]
    public void RejectsBadArguments()
    {
        Assert.Throws<ArgumentException>(() => GemmBench.Run(new[] { 0 }));
        Assert.Throws<ArgumentException>(() => GemmBench.Run(new[] { 4 }, threads: 0));
        Assert.Throws<ArgumentException>(() => GemmBench.Run(new[] { 4 }, repetitions: 0));
        Assert.Throws<OperationCanceledException>(() => GemmBench.Measure(4, cancel: new CancellationToken(canceled: true)));
    }
}
