// Reductions and softmax-family ops along one axis. Every axis op views the input as (outer, N, inner)
// around the axis; inner == 1 (the last axis) is the contiguous fast path, other axes gather each
// (outer, inner) column into a scratch row, so one row kernel serves all axes.
using System.Numerics.Tensors;
using ProbLab.Kernels;
using ProbLab.Tensors;

namespace ProbLab.Ops;

public static partial class TensorOps
{
    /// <summary>Sum of all elements, as a rank-0 tensor.</summary>
    public static Tensor Sum(this Tensor x)
    {
        var y = new Tensor(new[] { TensorPrimitives.Sum<float>(x.Data) });
        return y.Record("sum", x, () => TensorPrimitives.Add(x.Grad!, y.Grad![0], x.Grad!));
    }

    /// <summary>Mean of all elements.</summary>
    public static Tensor Mean(this Tensor x)
    {
        float inv = 1f / x.Size;
        var y = new Tensor(new[] { TensorPrimitives.Sum<float>(x.Data) * inv });
        return y.Record("mean", x, () => TensorPrimitives.Add(x.Grad!, y.Grad![0] * inv, x.Grad!));
    }

    /// <summary>Sum along <paramref name="axis"/>; keeps it as size 1 if <paramref name="keepDim"/>.</summary>
    public static Tensor Sum(this Tensor x, int axis, bool keepDim = false)
    {
        int ax = ShapeUtil.NormAxis(axis, x.Rank);
        var (outer, n, inner) = ShapeUtil.AroundAxis(x.Shape, ax);
        var y = new Tensor(new float[outer * inner], ReducedShape(x.Shape, ax, keepDim));
        var xd = x.Data; var yd = y.Data;
        for (int o = 0; o < outer; o++)
        {
            var dst = yd.AsSpan(o * inner, inner);
            for (int j = 0; j < n; j++) TensorPrimitives.Add(dst, xd.AsSpan((o * n + j) * inner, inner), dst);
        }
        return y.Record("sum_axis", x, () =>
        {
            var g = y.Grad!; var dx = x.Grad!;
            for (int o = 0; o < outer; o++)
            {
                var src = g.AsSpan(o * inner, inner);
                for (int j = 0; j < n; j++)
                {
                    var d = dx.AsSpan((o * n + j) * inner, inner);
                    TensorPrimitives.Add(d, src, d);
                }
            }
        });
    }

    /// <summary>Mean along <paramref name="axis"/>.</summary>
    public static Tensor Mean(this Tensor x, int axis, bool keepDim = false) =>
        x.Sum(axis, keepDim).Mul(1f / x.Dim(axis));

    /// <summary>Maximum along <paramref name="axis"/>; the gradient goes to the first arg-max.</summary>
    public static Tensor Max(this Tensor x, int axis, bool keepDim = false)
    {
        int ax = ShapeUtil.NormAxis(axis, x.Rank);
        var (outer, n, inner) = ShapeUtil.AroundAxis(x.Shape, ax);
        if (n == 0) throw new ArgumentException($"max over an empty axis of shape {ShapeUtil.Format(x.Shape)}");
        var y = new Tensor(new float[outer * inner], ReducedShape(x.Shape, ax, keepDim));
        var arg = new int[outer * inner];
        var xd = x.Data;
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int best = 0; float bv = xd[o * n * inner + i];
                for (int j = 1; j < n; j++)
                {
                    float v = xd[(o * n + j) * inner + i];
                    if (v > bv) { bv = v; best = j; }
                }
                y.Data[o * inner + i] = bv;
                arg[o * inner + i] = best;
            }
        return y.Record("max_axis", x, () =>
        {
            var g = y.Grad!; var dx = x.Grad!;
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < inner; i++)
                    dx[(o * n + arg[o * inner + i]) * inner + i] += g[o * inner + i];
        });
    }

    /// <summary>Index of the maximum along the last axis for each row (no gradient).</summary>
    public static int[] ArgMax(this Tensor x)
    {
        int n = x.Shape[^1];
        int rows = x.Size / Math.Max(1, n);
        var r = new int[rows];
        for (int i = 0; i < rows; i++) r[i] = TensorPrimitives.IndexOfMax(x.Data.AsSpan(i * n, n));
        return r;
    }

    /// <summary>log Σ exp along <paramref name="axis"/>, stable (max subtracted).</summary>
    public static Tensor LogSumExp(this Tensor x, int axis, bool keepDim = false)
    {
        int ax = ShapeUtil.NormAxis(axis, x.Rank);
        var (outer, n, inner) = ShapeUtil.AroundAxis(x.Shape, ax);
        var y = new Tensor(new float[outer * inner], ReducedShape(x.Shape, ax, keepDim));
        var xd = x.Data;
        var row = new float[n];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                Gather(xd, row, o, i, n, inner);
                y.Data[o * inner + i] = SoftmaxKernels.LogSumExp(row);
            }
        // d lse / dx_j = exp(x_j − lse) = softmax_j
        return y.Record("logsumexp", x, () =>
        {
            var g = y.Grad!; var dx = x.Grad!;
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < inner; i++)
                {
                    float lse = y.Data[o * inner + i], gi = g[o * inner + i];
                    if (float.IsNegativeInfinity(lse)) continue;
                    for (int j = 0; j < n; j++)
                    {
                        int k = (o * n + j) * inner + i;
                        dx[k] += gi * MathF.Exp(xd[k] - lse);
                    }
                }
        });
    }

    /// <summary>Softmax along <paramref name="axis"/> (default last), stable.</summary>
    public static Tensor Softmax(this Tensor x, int axis = -1) => SoftmaxFamily(x, axis, log: false);

    /// <summary>Log-softmax along <paramref name="axis"/> (default last), stable.</summary>
    public static Tensor LogSoftmax(this Tensor x, int axis = -1) => SoftmaxFamily(x, axis, log: true);

    private static Tensor SoftmaxFamily(Tensor x, int axis, bool log)
    {
        int ax = ShapeUtil.NormAxis(axis, x.Rank);
        var (outer, n, inner) = ShapeUtil.AroundAxis(x.Shape, ax);
        var y = Tensor.ZerosLike(x);
        string name = log ? "log_softmax" : "softmax";
        if (inner == 1)
        {
            if (log) SoftmaxKernels.LogForward(y.Data, x.Data, outer, n);
            else SoftmaxKernels.Forward(y.Data, x.Data, outer, n);
            return y.Record(name, x, () =>
            {
                if (log) SoftmaxKernels.LogBackward(x.Grad!, y.Grad!, y.Data, outer, n);
                else SoftmaxKernels.Backward(x.Grad!, y.Grad!, y.Data, outer, n);
            });
        }
        var xr = new float[n]; var yr = new float[n];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                Gather(x.Data, xr, o, i, n, inner);
                if (log) SoftmaxKernels.LogForward(yr, xr, 1, n); else SoftmaxKernels.Forward(yr, xr, 1, n);
                Scatter(yr, y.Data, o, i, n, inner);
            }
        return y.Record(name, x, () =>
        {
            var gr = new float[n]; var dr = new float[n];
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < inner; i++)
                {
                    Gather(y.Data, yr, o, i, n, inner);
                    Gather(y.Grad!, gr, o, i, n, inner);
                    Gather(x.Grad!, dr, o, i, n, inner);
                    if (log) SoftmaxKernels.LogBackward(dr, gr, yr, 1, n); else SoftmaxKernels.Backward(dr, gr, yr, 1, n);
                    Scatter(dr, x.Grad!, o, i, n, inner);
                }
        });
    }

    private static void Gather(float[] src, Span<float> row, int o, int i, int n, int inner)
    {
        for (int j = 0; j < n; j++) row[j] = src[(o * n + j) * inner + i];
    }

    private static void Scatter(ReadOnlySpan<float> row, float[] dst, int o, int i, int n, int inner)
    {
        for (int j = 0; j < n; j++) dst[(o * n + j) * inner + i] = row[j];
    }

    private static int[] ReducedShape(int[] shape, int axis, bool keepDim)
    {
        if (keepDim)
        {
            var s = (int[])shape.Clone();
            s[axis] = 1;
            return s;
        }
        var r = new int[shape.Length - 1];
        for (int i = 0, k = 0; i < shape.Length; i++) if (i != axis) r[k++] = shape[i];
        return r;
    }
}
