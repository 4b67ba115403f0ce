// Data helpers of the mixture estimators: input checks with one-line messages and per-class means for the
// class-means initialisation (standardisation lives in ProbLab.Data.Standardizer).
using ProbLab.Tensors;

namespace ProbLab.Models.Mixtures;

/// <summary>Validation and preprocessing of (N, D) point sets for mixture models.</summary>
public static class MixtureData
{
    /// <summary>Throws unless x is a non-empty (N, D) tensor of finite values (with D = <paramref name="features"/> when given).</summary>
    /// <exception cref="ArgumentException">Wrong rank, no rows, wrong D, or a NaN/∞ value (row and column named).</exception>
    public static void CheckPoints(Tensor x, string name, int features = -1)
    {
        if (x.Rank != 2) throw new ArgumentException($"{name} must have shape (N, D), got {ShapeUtil.Format(x.Shape)}");
        if (x.Shape[0] == 0) throw new ArgumentException($"{name} has no rows");
        if (x.Shape[1] == 0) throw new ArgumentException($"{name} has no columns");
        if (features >= 0 && x.Shape[1] != features) throw new ArgumentException($"{name} has {x.Shape[1]} features, the model has {features}");
        int d = x.Shape[1];
        for (int i = 0; i < x.Size; i++)
            if (!float.IsFinite(x.Data[i])) throw new ArgumentException($"{name} row {i / d}, column {i % d} is {x.Data[i]}, not a finite number");
    }

    /// <summary>Mean of the rows of x (N, D) with label k, for k in [0, K), as (K × D); every class must occur.</summary>
    /// <exception cref="ArgumentException">Label count differs from N, a label is outside [0, K), or a class has no points.</exception>
    public static float[] ClassMeans(Tensor x, int[] labels, int classes)
    {
        int n = x.Shape[0], d = x.Shape[1];
        if (labels.Length != n) throw new ArgumentException($"class-means initialisation: {labels.Length} labels for {n} points");
        var sum = new double[classes * d];
        var count = new int[classes];
        for (int i = 0; i < n; i++)
        {
            int c = labels[i];
            if (c < 0 || c >= classes) throw new ArgumentException($"class-means initialisation: label {c} of row {i} is outside [0, {classes}) (Components must equal the number of classes)");
            count[c]++;
            for (int j = 0; j < d; j++) sum[c * d + j] += x.Data[i * d + j];
        }
        var means = new float[classes * d];
        for (int c = 0; c < classes; c++)
        {
            if (count[c] == 0) throw new ArgumentException($"class-means initialisation: class {c} has no training points (Components = {classes} must equal the number of classes)");
            for (int j = 0; j < d; j++) means[c * d + j] = (float)(sum[c * d + j] / count[c]);
        }
        return means;
    }
}
