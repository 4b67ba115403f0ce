// Autograd ops for transformer layers with fused kernels: causal multi-head attention over a fused qkv
// projection, and GELU (tanh approximation) through the vectorised kernel.
// Shapes: qkv (B, T, 3C) (or (T, 3C) for one sequence), q | k | v concatenated along the last axis and each
// holding NH heads of HS = C/NH channels side by side; output (B, T, C) with the heads merged the same way.
using ProbLab.Kernels;
using ProbLab.Tensors;

namespace ProbLab.Ops;

public static partial class TensorOps
{
    /// <summary>
    /// Causal self-attention softmax(q·kᵀ/√HS + Mask)·v per head, with q, k, v read from the fused projection
    /// <paramref name="qkv"/> (..., T, 3C) and the heads merged into (..., T, C).
    /// </summary>
    /// <exception cref="ArgumentException">The last axis is not 3C with C a multiple of <paramref name="heads"/>, or the rank is not 2 or 3.</exception>
    public static Tensor CausalAttention(this Tensor qkv, int heads)
    {
        if (qkv.Rank is not (2 or 3)) throw new ArgumentException($"causal attention needs qkv of shape (B, T, 3C) or (T, 3C), got {ShapeUtil.Format(qkv.Shape)}");
        int c3 = qkv.Shape[^1], t = qkv.Shape[^2], b = qkv.Rank == 3 ? qkv.Shape[0] : 1;
        if (heads < 1 || c3 % 3 != 0 || (c3 / 3) % heads != 0)
            throw new ArgumentException($"causal attention: last axis {c3} of {ShapeUtil.Format(qkv.Shape)} must be 3C with C a multiple of {heads} heads");
        int c = c3 / 3;
        var shape = (int[])qkv.Shape.Clone();
        shape[^1] = c;
        var y = new Tensor(new float[b * t * c], shape);
        var att = new float[b * heads * t * t]; // (B, NH, T, T), saved probabilities
        AttentionKernels.Forward(y.Data, att, qkv.Data, b, t, c, heads);
        return y.Record("causal_attention", qkv, () =>
            AttentionKernels.Backward(qkv.Grad, y.Grad, qkv.Data, att, b, t, c, heads));
    }

    /// <summary>GELU, tanh approximation, via the vectorised <see cref="GeluKernels"/> (same values as <see cref="Gelu"/> to float rounding).</summary>
    public static Tensor GeluFast(this Tensor x)
    {
        var y = Tensor.ZerosLike(x);
        GeluKernels.Forward(y.Data, x.Data);
        return y.Record("gelu_fast", x, () => GeluKernels.Backward(x.Grad, x.Data, y.Grad));
    }
}
