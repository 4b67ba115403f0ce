// Neural-network ops with fused kernels: layer norm, cross-entropy over class indices, dropout.
using ProbLab.Kernels;
using ProbLab.Tensors;

namespace ProbLab.Ops;

public static partial class TensorOps
{
    /// <summary>LayerNorm over the last dimension with optional affine weight and bias of shape (C).</summary>
    public static Tensor LayerNorm(this Tensor x, Tensor? weight, Tensor? bias, float eps = 1e-5f)
    {
        int c = x.Shape[^1];
        int rows = x.Size / Math.Max(1, c);
        if (weight is not null && weight.Size != c) throw new ArgumentException($"layer norm weight has {weight.Size} elements, expected {c}");
        if (bias is not null && bias.Size != c) throw new ArgumentException($"layer norm bias has {bias.Size} elements, expected {c}");
        var y = Tensor.ZerosLike(x);
        var mean = new float[rows];
        var rstd = new float[rows];
        LayerNormKernels.Forward(y.Data, mean, rstd, x.Data, weight?.Data, bias?.Data, rows, c, eps);
        var parents = new List<Tensor> { x };
        if (weight is not null) parents.Add(weight);
        if (bias is not null) parents.Add(bias);
        return y.Record("layer_norm", parents.ToArray(), () =>
            LayerNormKernels.Backward(
                x.RequiresGrad ? x.Grad : Span<float>.Empty,
                weight is { RequiresGrad: true } ? weight.Grad : Span<float>.Empty,
                bias is { RequiresGrad: true } ? bias.Grad : Span<float>.Empty,
                y.Grad, x.Data, weight?.Data, mean, rstd, rows, c));
    }

    /// <summary>
    /// Mean cross-entropy of <paramref name="logits"/> (..., V) against class indices (one per row);
    /// rows whose target equals <paramref name="ignoreIndex"/> are excluded from the mean.
    /// </summary>
    /// <exception cref="ArgumentException">The number of targets differs from the number of rows.</exception>
    public static Tensor CrossEntropy(this Tensor logits, int[] targets, int ignoreIndex = -100)
    {
        int v = logits.Shape[^1];
        int rows = logits.Size / Math.Max(1, v);
        if (targets.Length != rows) throw new ArgumentException($"cross entropy: {targets.Length} targets for {rows} rows of logits {ShapeUtil.Format(logits.Shape)}");
        var probs = new float[logits.Size];
        var (sum, count) = CrossEntropyKernels.Forward(probs, logits.Data, targets, rows, v, ignoreIndex);
        var y = Tensor.Scalar(count == 0 ? 0f : (float)(sum / count));
        return y.Record("cross_entropy", logits, () =>
        {
            if (count == 0) return;
            CrossEntropyKernels.Backward(logits.Grad, probs, targets, rows, v, y.Grad![0] / count, ignoreIndex);
        });
    }

    /// <summary>Inverted dropout: zeroes each element with probability p and scales survivors by 1/(1−p). Identity when p = 0.</summary>
    public static Tensor Dropout(this Tensor x, float p, Rng rng)
    {
        if (p < 0f || p >= 1f) throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability must be in [0, 1)");
        if (p == 0f) return x;
        float scale = 1f / (1f - p);
        var mask = new float[x.Size];
        for (int i = 0; i < mask.Length; i++) mask[i] = rng.NextFloat() >= p ? scale : 0f;
        var y = Tensor.ZerosLike(x);
        System.Numerics.Tensors.TensorPrimitives.Multiply(x.Data, mask, y.Data);
        return y.Record("dropout", x, () => System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(y.Grad!, mask, x.Grad!, x.Grad!));
    }
}
