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

/// <summary>A benchmark measurement.</summary>
/// <param name="Simulations">Simulations run while timing.</param>
/// <param name="Seconds">Wall time.</param>
/// <param name="SimulationsPerSecond">Simulations / Seconds.</param>
/// <param name="MeanSubSteps">Mean sub-steps per simulated plan of the workload.</param>
/// <param name="Batched">Whether the SIMD batch path was used.</param>
/// <param name="LaneWidth">Plans per SIMD batch on this machine (8 AVX-512, 4 AVX2, 1 scalar).</param>
public sealed record QwopBenchmarkResult(long Simulations, double Seconds, double SimulationsPerSecond, double MeanSubSteps, bool Batched, int LaneWidth);

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

    /// <summary>Runs at least <paramref name="minSeconds"/> of simulations (after one warm-up pass) and reports the rate.</summary>
    /// <exception cref="ArgumentOutOfRangeException">minSeconds not positive.</exception>
    public static QwopBenchmarkResult Measure(QwopWorkload workload, bool batched, Rng rng, double minSeconds = 1.0, int plansPerPass = 1024)
    {
        if (!(minSeconds > 0)) throw new ArgumentOutOfRangeException(nameof(minSeconds), minSeconds, "must be positive");
        double[] plans = Plans(workload, plansPerPass, rng);
        var distances = new double[plansPerPass];
        double meanSteps = 0;
        for (int p = 0; p < plansPerPass; p++) meanSteps += QwopSimulator.Trace(plans.AsSpan(p * 40, 40)).SubSteps;
        meanSteps /= plansPerPass;

        Pass(plans, distances, batched); // warm-up: JIT to the optimised tier before timing
        long sims = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < minSeconds)
        {
            Pass(plans, distances, batched);
            sims += plansPerPass;
        }
        double secs = clock.Elapsed.TotalSeconds;
        return new QwopBenchmarkResult(sims, secs, sims / secs, meanSteps, batched, batched ? LaneWidth : 1);
    }

    private static void Pass(double[] plans, double[] distances, bool batched)
    {
        if (batched) QwopSimulator.SimulateBatch(plans, distances);
        else
            for (int p = 0; p < distances.Length; p++) distances[p] = QwopSimulator.Simulate(plans.AsSpan(p * 40, 40));
    }
}
