// Layer normalisation over the last dimension, llm.c-style kernel pair.
// Shapes: inp/out (rows, C) where rows = B·T; weight/bias (C); mean/rstd (rows) saved for backward.
// y = (x − μ)·rstd·w + b with rstd = 1/√(σ² + ε), σ² the biased variance (as torch.nn.LayerNorm).
using System.Numerics.Tensors;

namespace ProbLab.Kernels;

/// <summary>LayerNorm forward/backward on row-major (rows × C) buffers.</summary>
public static class LayerNormKernels
{
    /// <summary>Normalises each row; writes mean and reciprocal std per row for the backward pass.</summary>
    public static void Forward(Span<float> output, Span<float> mean, Span<float> rstd, ReadOnlySpan<float> inp,
        ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int rows, int c, float eps = 1e-5f)
    {
        for (int r = 0; r < rows; r++)
        {
            var x = inp.Slice(r * c, c);
            var y = output.Slice(r * c, c);
            float m = TensorPrimitives.Sum(x) / c;
            TensorPrimitives.Subtract(x, m, y);                 // y = x − μ
            float v = TensorPrimitives.SumOfSquares<float>(y) / c;
            float s = 1f / MathF.Sqrt(v + eps);
            TensorPrimitives.Multiply(y, s, y);                 // x̂
            if (!weight.IsEmpty) TensorPrimitives.Multiply(y, weight, y);
            if (!bias.IsEmpty) TensorPrimitives.Add(y, bias, y);
            mean[r] = m;
            rstd[r] = s;
        }
    }

    /// <summary>
    /// Accumulates gradients: dInp += rstd·(g − mean(g) − x̂·mean(g·x̂)) with g = dOut·w; dWeight += Σ dOut·x̂; dBias += Σ dOut.
    /// Any of the destination spans may be empty to skip it.
    /// </summary>
    public static void Backward(Span<float> dInp, Span<float> dWeight, Span<float> dBias, ReadOnlySpan<float> dOut,
        ReadOnlySpan<float> inp, ReadOnlySpan<float> weight, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, int rows, int c)
    {
        Span<float> xhat = c <= 1024 ? stackalloc float[c] : new float[c];
        Span<float> g = c <= 1024 ? stackalloc float[c] : new float[c];
        for (int r = 0; r < rows; r++)
        {
            var x = inp.Slice(r * c, c);
            var dy = dOut.Slice(r * c, c);
            TensorPrimitives.Subtract(x, mean[r], xhat);
            TensorPrimitives.Multiply(xhat, rstd[r], xhat);
            if (!dBias.IsEmpty) TensorPrimitives.Add(dBias, dy, dBias);
            if (!dWeight.IsEmpty) TensorPrimitives.MultiplyAdd(dy, xhat, dWeight, dWeight);
            if (dInp.IsEmpty) continue;
            if (!weight.IsEmpty) TensorPrimitives.Multiply(dy, weight, g); else dy.CopyTo(g);
            float gMean = TensorPrimitives.Sum<float>(g) / c;
            float gxMean = TensorPrimitives.Dot<float>(g, xhat) / c;
            var dx = dInp.Slice(r * c, c);
            float s = rstd[r];
            for (int i = 0; i < c; i++) dx[i] += s * (g[i] - gMean - xhat[i] * gxMean);
        }
    }
}
