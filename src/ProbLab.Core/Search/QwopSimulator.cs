// QwopSimulator: the public face of the QWOP walker (exercise 2 of the SSY316 exam; physics in
// REFERENCE.md §D). A plan is 40 values in [−1, 1], plan[2j] = thigh and plan[2j+1] = knee command of
// segment j; values outside are clipped. The distance is the head's x when the run ends (200 sub-steps,
// or earlier when the hip or the head touches the ground). Batches of plans run 8 (AVX-512) or 4 (AVX2)
// at a time in SIMD lanes; every path gives the same bits per plan. No allocation per simulation.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ProbLab.Search;

/// <summary>A recorded run: the head's final x and the (x, y) of the 6 body points after every sub-step.</summary>
/// <param name="Distance">The head's final x (what <see cref="QwopSimulator.Simulate"/> returns).</param>
/// <param name="SubSteps">Sub-steps simulated (≤ 200).</param>
/// <param name="Fell">True when the run stopped because the hip or the head touched the ground.</param>
/// <param name="Positions">(SubSteps + 1, 6, 2) row-major: frame 0 is the start, frame s follows sub-step s.</param>
public sealed record QwopTrajectory(double Distance, int SubSteps, bool Fell, double[] Positions)
{
    /// <summary>Number of frames, SubSteps + 1.</summary>
    public int FrameCount => SubSteps + 1;

    /// <summary>x of body point <paramref name="point"/> (0 hip, 1 knee A, 2 foot A, 3 knee B, 4 foot B, 5 head) at a frame.</summary>
    public double X(int frame, int point) => Positions[frame * 12 + 2 * point];

    /// <summary>y (height) of body point <paramref name="point"/> at a frame.</summary>
    public double Y(int frame, int point) => Positions[frame * 12 + 2 * point + 1];

    /// <summary>Simulated time of a frame, frame · dt.</summary>
    public static double Time(int frame) => frame * QwopSimulator.TimeStep;

    /// <summary><paramref name="count"/> frame indices spread evenly from the first to the last frame (for a filmstrip).</summary>
    /// <exception cref="ArgumentOutOfRangeException">count &lt; 1.</exception>
    public int[] EvenlySpacedFrames(int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "frame count must be at least 1");
        var idx = new int[count];
        for (int i = 0; i < count; i++)
            idx[i] = count == 1 ? SubSteps : (int)Math.Round((double)i * SubSteps / (count - 1));
        return idx;
    }
}

/// <summary>The QWOP stick-figure walker: plan of 40 commands → distance covered by the head.</summary>
public static class QwopSimulator
{
    /// <summary>Values in a plan: 20 segments × (thigh, knee).</summary>
    public const int PlanLength = 40;
    /// <summary>Control segments; each lasts 10 sub-steps.</summary>
    public const int Segments = 20;
    /// <summary>Most sub-steps a run can take.</summary>
    public const int MaxSubSteps = 200;
    /// <summary>Body points: 0 hip, 1 knee A, 2 foot A, 3 knee B, 4 foot B, 5 head.</summary>
    public const int PointCount = 6;
    /// <summary>Integration step dt.</summary>
    public const double TimeStep = 0.1;

    /// <summary>Names of the 6 body points, by index.</summary>
    public static IReadOnlyList<string> PointNames { get; } = ["hip", "knee A", "foot A", "knee B", "foot B", "head"];

    /// <summary>The 5 sticks (tail point, head point): thigh A, calf A, thigh B, calf B, torso.</summary>
    public static IReadOnlyList<(int Tail, int Head)> Edges { get; } = [(0, 1), (1, 2), (0, 3), (3, 4), (0, 5)];

    /// <summary>The head's final x for one plan (values clipped to [−1, 1]).</summary>
    /// <exception cref="ArgumentException">The plan does not have 40 values, or one is NaN or infinite.</exception>
    [SkipLocalsInit]
    public static double Simulate(ReadOnlySpan<double> plan)
    {
        QwopPlan.Validate(plan);
        Span<Lane1> lanes = stackalloc Lane1[PlanLength];
        for (int i = 0; i < PlanLength; i++) lanes[i] = new Lane1(Clip(plan[i]));
        return QwopPhysics.Simulate<Lane1>(lanes, default, out _, out _).V;
    }

    /// <summary>Simulates one plan and records every body point after every sub-step.</summary>
    /// <exception cref="ArgumentException">The plan does not have 40 values, or one is NaN or infinite.</exception>
    public static QwopTrajectory Trace(ReadOnlySpan<double> plan)
    {
        QwopPlan.Validate(plan);
        Span<Lane1> lanes = stackalloc Lane1[PlanLength];
        for (int i = 0; i < PlanLength; i++) lanes[i] = new Lane1(Clip(plan[i]));
        var frames = new double[(MaxSubSteps + 1) * 12];
        double d = QwopPhysics.Simulate<Lane1>(lanes, frames, out int steps, out bool fell).V;
        return new QwopTrajectory(d, steps, fell, frames.AsSpan(0, (steps + 1) * 12).ToArray());
    }

    /// <summary>Distances of n plans stored row-major in <paramref name="plans"/> (n, 40), using SIMD lanes when available.</summary>
    /// <exception cref="ArgumentException">Length not a multiple of 40, distances too short, or a NaN/infinite value (named by plan and index).</exception>
    public static void SimulateBatch(ReadOnlySpan<double> plans, Span<double> distances)
    {
        if (plans.Length % PlanLength != 0)
            throw new ArgumentException($"plans hold {plans.Length} values, not a multiple of {PlanLength}", nameof(plans));
        int n = plans.Length / PlanLength;
        if (distances.Length < n)
            throw new ArgumentException($"distances has room for {distances.Length} results, need {n}", nameof(distances));
        for (int r = 0; r < n; r++) QwopPlan.Validate(plans.Slice(r * PlanLength, PlanLength), $"plan {r}");
        SimulateBatchUnchecked(plans, distances[..n]);
    }

    /// <summary>The batch loop without validation: widest lanes first, then narrower ones for the tail.</summary>
    internal static void SimulateBatchUnchecked(ReadOnlySpan<double> plans, Span<double> distances)
    {
        int n = distances.Length, r = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; r + 8 <= n; r += 8) RunChunk<Lane8>(plans, distances, r);
        if (Vector256.IsHardwareAccelerated)
            for (; r + 4 <= n; r += 4) RunChunk<Lane4>(plans, distances, r);
        for (; r < n; r++) RunChunk<Lane1>(plans, distances, r);
    }

    /// <summary>Transposes Count plans into lane vectors (clipping), simulates them, and scatters the distances.</summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunChunk<T>(ReadOnlySpan<double> plans, Span<double> distances, int first) where T : unmanaged, ILanes<T>
    {
        int w = T.Count;
        Span<double> column = stackalloc double[8];
        Span<T> lanes = stackalloc T[PlanLength];
        for (int i = 0; i < PlanLength; i++)
        {
            for (int l = 0; l < w; l++) column[l] = Clip(plans[(first + l) * PlanLength + i]);
            lanes[i] = T.Load(column);
        }
        T d = QwopPhysics.Simulate<T>(lanes, default, out _, out _);
        for (int l = 0; l < w; l++) distances[first + l] = T.GetLane(d, l);
    }

    /// <summary>Clip to [−1, 1] (the spec's first control step).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double Clip(double v) => v < -1 ? -1 : v > 1 ? 1 : v;
}
