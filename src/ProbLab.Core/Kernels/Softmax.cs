// Row softmax / log-softmax / logsumexp kernels over contiguous rows of length N (the last axis).
// Stable by construction: subtract the row max before exp (TensorPrimitives.SoftMax does not, and gives
// NaN on logits like [1000, 1001]). Rows: B·T (or any outer count). Backward pairs take the forward output.
using System.Numerics.Tensors;

namespace ProbLab.Kernels;

/// <summary>Numerically stable softmax-family kernels on row-major (rows × N) buffers.</summary>
public static class SoftmaxKernels
{
    /// <summary>y[r,:] = softmax(x[r,:]).</summary>
    public static void Forward(Span<float> y, ReadOnlySpan<float> x, int rows, int n)
    {
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * n, n);
            var yr = y.Slice(r * n, n);
            float max = TensorPrimitives.Max(xr);
            TensorPrimitives.Subtract(xr, max, yr);
            TensorPrimitives.Exp(yr, yr);
            float sum = TensorPrimitives.Sum<float>(yr);
            TensorPrimitives.Multiply(yr, 1f / sum, yr);
        }
    }

    /// <summary>dx[r,:] += y ⊙ (dy − ⟨dy, y⟩), the softmax Jacobian-vector product.</summary>
    public static void Backward(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> y, int rows, int n)
    {
        for (int r = 0; r < rows; r++)
        {
            var yr = y.Slice(r * n, n);
            var dyr = dy.Slice(r * n, n);
            var dxr = dx.Slice(r * n, n);
            float dot = TensorPrimitives.Dot(dyr, yr);
            for (int j = 0; j < n; j++) dxr[j] += yr[j] * (dyr[j] - dot);
        }
    }

    /// <summary>y[r,:] = x[r,:] − logsumexp(x[r,:]).</summary>
    public static void LogForward(Span<float> y, ReadOnlySpan<float> x, int rows, int n)
    {
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * n, n);
            var yr = y.Slice(r * n, n);
            // (x − max) − log Σ exp(x − max): subtracting the max first keeps full precision when |x| is
            // large (x − lse would lose the low bits of lse ≈ 1000 in float32).
            float max = TensorPrimitives.Max(xr);
            if (float.IsInfinity(max)) { TensorPrimitives.Subtract(xr, max, yr); continue; }
            TensorPrimitives.Subtract(xr, max, yr);
            double sum = 0;
            for (int j = 0; j < n; j++) sum += Math.Exp(yr[j]);
            TensorPrimitives.Subtract(yr, (float)Math.Log(sum), yr);
        }
    }

    /// <summary>dx[r,:] += dy − softmax(x)·Σdy, with softmax = exp(y).</summary>
    public static void LogBackward(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> y, int rows, int n)
    {
        for (int r = 0; r < rows; r++)
        {
            var yr = y.Slice(r * n, n);
            var dyr = dy.Slice(r * n, n);
            var dxr = dx.Slice(r * n, n);
            float sum = TensorPrimitives.Sum(dyr);
            for (int j = 0; j < n; j++) dxr[j] += dyr[j] - MathF.Exp(yr[j]) * sum;
        }
    }

    /// <summary>log Σ exp(x), stable; −∞ for an all −∞ row, +∞ if any +∞.</summary>
    public static float LogSumExp(ReadOnlySpan<float> x)
    {
        float max = TensorPrimitives.Max(x);
        if (float.IsNegativeInfinity(max) || float.IsPositiveInfinity(max)) return max;
        double sum = 0;
        for (int j = 0; j < x.Length; j++) sum += Math.Exp(x[j] - max);
        return max + (float)Math.Log(sum);
    }
}
