// Process-wide cap on worker threads for kernels (the CLI's --threads), like torch.set_num_threads.
namespace ProbLab.Kernels;

/// <summary>How many threads kernels may use. Defaults to 1: this project's reference machine behaves like one core.</summary>
public static class Parallelism
{
    private static int _maxThreads = 1;

    /// <summary>Maximum worker threads for parallel kernels (at least 1).</summary>
    public static int MaxThreads
    {
        get => _maxThreads;
        set => _maxThreads = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "thread count must be at least 1");
    }

    /// <summary>Options for Parallel.For honouring <see cref="MaxThreads"/>.</summary>
    public static ParallelOptions Options => new() { MaxDegreeOfParallelism = _maxThreads };
}
