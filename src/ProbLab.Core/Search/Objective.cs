// Black-box objectives for the optimisers in this folder: maximise f over a box [Lower, Upper]^D, evaluated
// in batches (points are rows of a (n, D) row-major span) so SIMD simulators can fill their lanes.
namespace ProbLab.Search;

/// <summary>A function to MAXIMISE over the box [Lower, Upper]^Dimension, evaluated a batch at a time.</summary>
public interface IObjective
{
    /// <summary>Number of coordinates D.</summary>
    int Dimension { get; }
    /// <summary>Lower bound of every coordinate (may be −∞).</summary>
    double Lower { get; }
    /// <summary>Upper bound of every coordinate (may be +∞).</summary>
    double Upper { get; }
    /// <summary>values[i] = f(points[i·D .. (i+1)·D)); points lie inside the box.</summary>
    void Evaluate(ReadOnlySpan<double> points, Span<double> values);
}

/// <summary>The QWOP walker's distance as an objective on [−1, 1]^40.</summary>
public sealed class QwopObjective : IObjective
{
    /// <inheritdoc/>
    public int Dimension => QwopSimulator.PlanLength;
    /// <inheritdoc/>
    public double Lower => -1;
    /// <inheritdoc/>
    public double Upper => 1;

    /// <summary>Distances of a batch of plans (SIMD lanes; no per-call validation: optimisers only produce finite points).</summary>
    public void Evaluate(ReadOnlySpan<double> points, Span<double> values) =>
        QwopSimulator.SimulateBatchUnchecked(points, values[..(points.Length / QwopSimulator.PlanLength)]);
}

/// <summary>An objective from a per-point delegate (test functions, toy targets).</summary>
/// <param name="dimension">D.</param>
/// <param name="f">f(x) for one point x of length D; higher is better.</param>
/// <param name="lower">Lower box bound (default −∞).</param>
/// <param name="upper">Upper box bound (default +∞).</param>
public sealed class FunctionObjective(int dimension, Func<ReadOnlySpan<double>, double> f,
    double lower = double.NegativeInfinity, double upper = double.PositiveInfinity) : IObjective
{
    /// <inheritdoc/>
    public int Dimension { get; } = dimension >= 1 ? dimension : throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "dimension must be at least 1");
    /// <inheritdoc/>
    public double Lower => lower;
    /// <inheritdoc/>
    public double Upper => upper;

    /// <inheritdoc/>
    public void Evaluate(ReadOnlySpan<double> points, Span<double> values)
    {
        int n = points.Length / Dimension;
        for (int i = 0; i < n; i++) values[i] = f(points.Slice(i * Dimension, Dimension));
    }
}

/// <summary>Box helpers shared by the optimisers.</summary>
public static class Box
{
    /// <summary>Reflects x into [lo, hi] (mirror at each wall, repeatedly for far-out points); identity for an infinite box.</summary>
    /// <remarks>Reflection keeps a symmetric proposal symmetric on the box, so Metropolis acceptance stays exact.</remarks>
    public static double Reflect(double x, double lo, double hi)
    {
        if (x >= lo && x <= hi) return x;
        if (double.IsInfinity(lo) || double.IsInfinity(hi))
            return x < lo ? 2 * lo - x : 2 * hi - x; // one wall only: a single mirror suffices
        double w = hi - lo;
        double t = (x - lo) % (2 * w);
        if (t < 0) t += 2 * w;
        return t <= w ? lo + t : hi - (t - w);
    }

    /// <summary>Clamps x into [lo, hi].</summary>
    public static double Clip(double x, double lo, double hi) => x < lo ? lo : x > hi ? hi : x;

    /// <summary>A uniform point of the box, or N(0, 1) coordinates where the box is unbounded.</summary>
    public static void Uniform(Tensors.Rng rng, Span<double> x, double lo, double hi)
    {
        bool finite = double.IsFinite(lo) && double.IsFinite(hi);
        for (int i = 0; i < x.Length; i++) x[i] = finite ? rng.Uniform(lo, hi) : rng.Normal();
    }
}
