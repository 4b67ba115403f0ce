// Fused softmax + negative log-likelihood over class logits, the classifier/LM loss.
// Shapes: logits (rows, V), targets (rows) with class indices; rows = B·T. Mean over counted rows;
// targets equal to ignoreIndex contribute nothing (PyTorch's ignore_index).
using System.Numerics.Tensors;

namespace ProbLab.Kernels;

/// <summary>Cross-entropy forward/backward on row-major logits.</summary>
public static class CrossEntropyKernels
{
    /// <summary>
    /// Writes softmax probabilities into <paramref name="probs"/> (rows × V) and returns the summed
    /// −log p(target) over counted rows (in double), with the count of counted rows.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A target is outside [0, V) and is not the ignore index.</exception>
    public static (double Sum, int Count) Forward(Span<float> probs, ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, int rows, int v, int ignoreIndex = -100)
    {
        double total = 0;
        int count = 0;
        for (int r = 0; r < rows; r++)
        {
            var x = logits.Slice(r * v, v);
            var p = probs.Slice(r * v, v);
            float max = TensorPrimitives.Max(x);
            TensorPrimitives.Subtract(x, max, p);
            TensorPrimitives.Exp(p, p);
            float sum = TensorPrimitives.Sum<float>(p);
            TensorPrimitives.Multiply(p, 1f / sum, p);
            int t = targets[r];
            if (t == ignoreIndex) continue;
            if ((uint)t >= (uint)v) throw new ArgumentOutOfRangeException(nameof(targets), $"target {t} at row {r} is outside [0, {v})");
            // −log p_t = log Σ exp(x − max) − (x_t − max), exact in log space.
            total += Math.Log(sum) - (x[t] - max);
            count++;
        }
        return (total, count);
    }

    /// <summary>dLogits += scale·(p − onehot(target)) for counted rows (scale = upstream grad / count).</summary>
    public static void Backward(Span<float> dLogits, ReadOnlySpan<float> probs, ReadOnlySpan<int> targets, int rows, int v, float scale, int ignoreIndex = -100)
    {
        for (int r = 0; r < rows; r++)
        {
            int t = targets[r];
            if (t == ignoreIndex) continue;
            var d = dLogits.Slice(r * v, v);
            TensorPrimitives.MultiplyAdd(probs.Slice(r * v, v), scale, d, d);
            d[t] -= scale;
        }
    }
}
