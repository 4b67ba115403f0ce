// Synthetic 2-D classification data: interleaved spiral arms (the classic CS231n toy problem), used by the
// engine demo and tests. Class k's points lie on r ∈ [0, 1], θ = 4r + 2πk/K plus Gaussian angle noise.
using ProbLab.Tensors;

namespace ProbLab.Data;

/// <summary>Generator for the K-arm spiral dataset.</summary>
public static class Spirals
{
    /// <summary>N points per class for K classes: X (N·K, 2) and labels (N·K).</summary>
    public static (Tensor X, int[] Labels) Generate(int pointsPerClass, int classes, Rng rng, float noise = 0.2f)
    {
        if (pointsPerClass < 1) throw new ArgumentOutOfRangeException(nameof(pointsPerClass), pointsPerClass, "points per class must be at least 1");
        if (classes < 1) throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be at least 1");
        int n = pointsPerClass * classes;
        var x = Tensor.Zeros(n, 2);
        var y = new int[n];
        for (int k = 0; k < classes; k++)
            for (int i = 0; i < pointsPerClass; i++)
            {
                int at = k * pointsPerClass + i;
                float r = pointsPerClass == 1 ? 1f : (float)i / (pointsPerClass - 1);
                double theta = 4.0 * r + 2 * Math.PI * k / classes + noise * rng.Normal();
                x.Data[2 * at] = (float)(r * Math.Cos(theta));
                x.Data[2 * at + 1] = (float)(r * Math.Sin(theta));
                y[at] = k;
            }
        return (x, y);
    }
}
