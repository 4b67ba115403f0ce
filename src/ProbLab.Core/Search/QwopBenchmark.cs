// QwopBenchmark: simulations per second of the QWOP simulator on one thread (what `problab bench qwop`
// reports). Two workloads: random plans (many fall early, ~100 sub-steps on average) and standing plans
// that run the full 200 sub-steps. The batched path fills SIMD lanes; the scalar path runs one plan a call.
using System.Diagnostics;
using ProbLab.Tensors;

namespace ProbLab.Search;

/// <summary>Which plans the benchmark simulates.</summary>
public enum QwopWorkload
{
    /// <summary>Uniform random plans in [−1, 1]^40 (what a search sees early on).</summary>
    RandomPlans,
    /// <summary>Small perturbations of the standing plan (thigh 0.5, knee 0): every run lasts all 200 sub-steps.</summary>
    FullLength,
}

/// <summary>A benchmark measurement (median and best of the timed repetitions, like the GEMM bench).</summary>
/// <param name="Workload">Which plans were simulated.</param>
/// <param name="Batched">Whether the SIMD batch path was used.</param>
/// <param name="LaneWidth">Plans per SIMD batch on this machine (8 AVX-512, 4 AVX2, 1 scalar).</param>
/// <param name="MeanSubSteps">Mean sub-steps per simulated plan of the workload.</param>
/// <param name="SimulationsPerSecond">Median repetition's simulations per second (what a quiet machine sustains).</param>
/// <param name="BestSimulationsPerSecond">Fastest repetition's rate (more robust on a shared, noisy machine).</param>
/// <param name="Simulations">Simulations run in all timed repetitions.</param>
/// <param name="Seconds">Wall time of all timed repetitions.</param>
/// <param name="CpuSeconds">Process CPU time over the timed repetitions: on a shared, loaded machine Simulations / CpuSeconds
/// estimates what one core does alone (the wall-clock rates count the time the thread waited for a core).</param>
public sealed record QwopBenchmarkResult(QwopWorkload Workload, bool Batched, int LaneWidth, double MeanSubSteps,
    double SimulationsPerSecond, double BestSimulationsPerSecond, long Simulations, double Seconds, double CpuSeconds)
{
    /// <summary>Simulations per second of process CPU time, Simulations / CpuSeconds.</summary>
    public double SimulationsPerCpuSecond => Simulations / CpuSeconds;
}

/// <summary>Measures QWOP simulator throughput on the calling thread.</summary>
public static class QwopBenchmark
{
    /// <summary>Plans per SIMD batch on this machine.</summary>
    public static int LaneWidth =>
        System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? 8 : System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? 4 : 1;

    /// <summary>Builds <paramref name="count"/> plans of a workload, (count, 40) row-major.</summary>
    public static double[] Plans(QwopWorkload workload, int count, Rng rng)
    {
        var plans = new double[count * QwopSimulator.PlanLength];
        for (int i = 0; i < plans.Length; i++)
            plans[i] = workload == QwopWorkload.RandomPlans
                ? rng.Uniform(-1, 1)
                : (i % 2 == 0 ? 0.5 : 0.0) + rng.Uniform(-0.01, 0.01);
        return plans;
    }

    /// <summary>Warms up (≥ 0.3 s), then times <paramref name="repetitions"/> repetitions of ≥ <paramref name="secondsPerRepetition"/> each.</summary>
    /// <exception cref="ArgumentException">repetitions or plansPerPass below 1, or secondsPerRepetition not positive.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> fired between passes.</exception>
    public static QwopBenchmarkResult Measure(QwopWorkload workload, bool batched, Rng? rng = null, int repetitions = 5,
        double secondsPerRepetition = 0.2, int plansPerPass = 1024, CancellationToken cancel = default)
    {
        if (repetitions < 1) throw new ArgumentException($"bench qwop: repetitions must be at least 1, got {repetitions}");
        if (plansPerPass < 1) throw new ArgumentException($"bench qwop: plans per pass must be at least 1, got {plansPerPass}");
        if (!(secondsPerRepetition > 0)) throw new ArgumentException($"bench qwop: seconds per repetition must be positive, got {secondsPerRepetition}");
        rng ??= new Rng(1234);
        double[] plans = Plans(workload, plansPerPass, rng);
        var distances = new double[plansPerPass];
        double meanSteps = 0;
        for (int p = 0; p < plansPerPass; p++) meanSteps += QwopSimulator.Trace(plans.AsSpan(p * 40, 40)).SubSteps;
        meanSteps /= plansPerPass;

        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < 0.3) { cancel.ThrowIfCancellationRequested(); Pass(plans, distances, batched); }

        var rates = new double[repetitions];
        long sims = 0;
        double seconds = 0;
        var process = Process.GetCurrentProcess();
        TimeSpan cpuStart = process.TotalProcessorTime;
        for (int r = 0; r < repetitions; r++)
        {
            long n = 0;
            clock.Restart();
            while (clock.Elapsed.TotalSeconds < secondsPerRepetition)
            {
                cancel.ThrowIfCancellationRequested();
                Pass(plans, distances, batched);
                n += plansPerPass;
            }
            double t = clock.Elapsed.TotalSeconds;
            rates[r] = n / t;
            sims += n;
            seconds += t;
        }
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpuStart).TotalSeconds;
        Array.Sort(rates);
        return new QwopBenchmarkResult(workload, batched, batched ? LaneWidth : 1, meanSteps, rates[repetitions / 2], rates[^1], sims, seconds, cpu);
    }

    private static void Pass(double[] plans, double[] distances, bool batched)
    {
        if (batched) QwopSimulator.SimulateBatch(plans, distances);
        else
            for (int p = 0; p < distances.Length; p++) distances[p] = QwopSimulator.Simulate(plans.AsSpan(p * 40, 40));
    }
}
