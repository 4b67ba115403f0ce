// Broadcasting support for binary ops: expand an operand to the broadcast shape (forward) and reduce a
// full-shape gradient back to an input's shape (backward, SumToShape). Same-shape and scalar operands take
// fast paths in the ops themselves; these general routines handle everything else.
using System.Numerics.Tensors;
using ProbLab.Tensors;

namespace ProbLab.Ops;

/// <summary>NumPy-style broadcasting helpers.</summary>
public static class Broadcast
{
    /// <summary>Materialises <paramref name="src"/> (shape <paramref name="shape"/>) broadcast to <paramref name="target"/>.</summary>
    public static float[] Expand(float[] src, int[] shape, int[] target)
    {
        if (ShapeUtil.Same(shape, target)) return src;
        int total = ShapeUtil.Size(target);
        var dst = new float[total];
        if (src.Length == 1)
        {
            Array.Fill(dst, src[0]);
            return dst;
        }
        var strides = ShapeUtil.BroadcastStrides(shape, target);
        ForEachRun(target, strides, (dstStart, srcStart, len, srcStride) =>
        {
            if (srcStride == 0) dst.AsSpan(dstStart, len).Fill(src[srcStart]);
            else src.AsSpan(srcStart, len).CopyTo(dst.AsSpan(dstStart, len));
        });
        return dst;
    }

    /// <summary>
    /// Adds <paramref name="grad"/> (shape <paramref name="gradShape"/>) into <paramref name="dst"/> (shape
    /// <paramref name="target"/>), summing over broadcast dimensions. The target must broadcast to gradShape.
    /// </summary>
    public static void SumToShape(ReadOnlySpan<float> grad, int[] gradShape, Span<float> dst, int[] target)
    {
        if (ShapeUtil.Same(gradShape, target))
        {
            TensorPrimitives.Add(dst, grad, dst);
            return;
        }
        if (dst.Length == 1)
        {
            dst[0] += TensorPrimitives.Sum(grad);
            return;
        }
        var strides = ShapeUtil.BroadcastStrides(target, gradShape);
        // Runs are visited in a fixed order, so the accumulation order (and the result) is deterministic.
        var g = grad.ToArray();
        var d = new float[dst.Length];
        ForEachRun(gradShape, strides, (gStart, dStart, len, dStride) =>
        {
            if (dStride == 0) d[dStart] += TensorPrimitives.Sum(g.AsSpan(gStart, len));
            else TensorPrimitives.Add(d.AsSpan(dStart, len), g.AsSpan(gStart, len), d.AsSpan(dStart, len));
        });
        TensorPrimitives.Add(dst, d, dst);
    }

    /// <summary>
    /// Walks a row-major shape in runs along its last dimension, calling
    /// <c>action(flatStart, otherStart, runLength, otherLastStride)</c>, where "other" is the operand
    /// described by <paramref name="otherStrides"/> (0 on broadcast dimensions).
    /// </summary>
    internal static void ForEachRun(int[] shape, int[] otherStrides, Action<int, int, int, int> action)
    {
        int rank = shape.Length;
        if (rank == 0)
        {
            action(0, 0, 1, 0);
            return;
        }
        int last = shape[rank - 1];
        int outer = ShapeUtil.Size(shape) / Math.Max(1, last);
        if (last == 0) return;
        var idx = new int[rank];
        int otherOff = 0;
        for (int r = 0; r < outer; r++)
        {
            action(r * last, otherOff, last, otherStrides[rank - 1]);
            // advance the odometer over dimensions 0..rank-2
            for (int d = rank - 2; d >= 0; d--)
            {
                idx[d]++;
                otherOff += otherStrides[d];
                if (idx[d] < shape[d]) break;
                otherOff -= otherStrides[d] * idx[d];
                idx[d] = 0;
            }
        }
    }
}
