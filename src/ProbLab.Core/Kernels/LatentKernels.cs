// Kernels for latent-variable models (VAE, VIB): Bernoulli negative log-likelihood from logits, the KL of a
// diagonal Gaussian to N(0, I), and the reparameterised sample z = μ + exp(½ log σ²)·ε. Span-level, no Tensor.
// Shapes: N flat elements (B·D). Each fast kernel has a scalar twin in LatentKernelsNaive for the tests.
//
// BCE with logits, for target x ∈ [0, 1] and logit l (PyTorch's binary_cross_entropy_with_logits):
//   ℓ(l, x) = −x log σ(l) − (1 − x) log(1 − σ(l)) = softplus(l) − x·l = max(l, 0) − x·l + log(1 + e^{−|l|})
// The last form never overflows (e^{−|l|} ≤ 1). dℓ/dl = σ(l) − x, with σ(l) = 1/(1+e) for l ≥ 0 and e/(1+e)
// for l < 0, where e = e^{−|l|} is saved by the forward pass.
using System.Numerics;
using System.Numerics.Tensors;

namespace ProbLab.Kernels;

/// <summary>Fused Bernoulli log-likelihood and Gaussian latent kernels.</summary>
public static class LatentKernels
{
    /// <summary>
    /// Returns Σᵢ ℓ(logits[i], targets[i]) (accumulated in double per block of 1024) and writes e^{−|lᵢ|} into
    /// <paramref name="expNegAbs"/> for the backward pass. One fused SIMD pass (Vector.Exp / Vector.Log).
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static double BceWithLogitsForward(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, Span<float> expNegAbs)
    {
        int n = logits.Length;
        if (targets.Length != n || expNegAbs.Length != n)
            throw new ArgumentException($"bce with logits: span lengths differ (logits {n}, targets {targets.Length}, buffer {expNegAbs.Length})");
        double total = 0;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int w = Vector<float>.Count;
            var one = Vector<float>.One;
            while (i <= n - w)
            {
                // Float partial sums over at most 1024 elements, then into the double total (bounded rounding).
                var acc = Vector<float>.Zero;
                int end = Math.Min(n - w, i + 1024);
                for (; i <= end; i += w)
                {
                    var l = new Vector<float>(logits.Slice(i, w));
                    var e = Vector.Exp(-Vector.Abs(l));
                    e.CopyTo(expNegAbs.Slice(i, w));
                    acc += Vector.Max(l, Vector<float>.Zero) - new Vector<float>(targets.Slice(i, w)) * l + Vector.Log(one + e);
                }
                total += Vector.Sum(acc);
            }
        }
        for (; i < n; i++)
        {
            float l = logits[i], e = MathF.Exp(-MathF.Abs(l));
            expNegAbs[i] = e;
            total += MathF.Max(l, 0f) - targets[i] * l + MathF.Log(1f + e);
        }
        return total;
    }

    /// <summary>dLogits[i] += scale·(σ(lᵢ) − xᵢ), using e^{−|lᵢ|} saved by the forward pass.</summary>
    public static void BceWithLogitsBackward(Span<float> dLogits, ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, ReadOnlySpan<float> expNegAbs, float scale)
    {
        int n = dLogits.Length, i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int w = Vector<float>.Count;
            var one = Vector<float>.One;
            var s = new Vector<float>(scale);
            for (; i <= n - w; i += w)
            {
                var l = new Vector<float>(logits.Slice(i, w));
                var e = new Vector<float>(expNegAbs.Slice(i, w));
                var num = Vector.ConditionalSelect(Vector.GreaterThanOrEqual(l, Vector<float>.Zero), one, e);
                var sig = num / (one + e);
                var d = new Vector<float>(dLogits.Slice(i, w)) + s * (sig - new Vector<float>(targets.Slice(i, w)));
                d.CopyTo(dLogits.Slice(i, w));
            }
        }
        for (; i < n; i++)
        {
            float e = expNegAbs[i];
            float sig = (logits[i] >= 0f ? 1f : e) / (1f + e);
            dLogits[i] += scale * (sig - targets[i]);
        }
    }

    /// <summary>
    /// KL(N(μ, e^{lv}) ‖ N(0, 1)) summed over all elements: −½ Σ (1 + lv − μ² − e^{lv}) (Kingma &amp; Welling 2014, App. B).
    /// Writes the per-row sums (rows of length <paramref name="d"/>) into <paramref name="rowKl"/> when it is not empty.
    /// </summary>
    public static double GaussianKlForward(ReadOnlySpan<float> mu, ReadOnlySpan<float> logVar, int d, Span<float> rowKl)
    {
        if (mu.Length != logVar.Length) throw new ArgumentException($"gaussian kl: mu has {mu.Length} values, logvar {logVar.Length}");
        if (d < 1 || mu.Length % d != 0) throw new ArgumentException($"gaussian kl: {mu.Length} values do not split into rows of {d}");
        double total = 0;
        for (int r = 0; r < mu.Length / d; r++)
        {
            double row = 0;
            for (int j = r * d; j < (r + 1) * d; j++)
                row += -0.5 * (1.0 + logVar[j] - (double)mu[j] * mu[j] - Math.Exp(logVar[j]));
            if (!rowKl.IsEmpty) rowKl[r] = (float)row;
            total += row;
        }
        return total;
    }

    /// <summary>dμ += g·μ and dlv += g·½(e^{lv} − 1), where g = <paramref name="scale"/> (or scale·rowScale[row]).</summary>
    public static void GaussianKlBackward(Span<float> dMu, Span<float> dLogVar, ReadOnlySpan<float> mu, ReadOnlySpan<float> logVar, int d, float scale, ReadOnlySpan<float> rowScale = default)
    {
        for (int j = 0; j < mu.Length; j++)
        {
            float g = rowScale.IsEmpty ? scale : scale * rowScale[j / d];
            if (!dMu.IsEmpty) dMu[j] += g * mu[j];
            if (!dLogVar.IsEmpty) dLogVar[j] += g * 0.5f * (MathF.Exp(logVar[j]) - 1f);
        }
    }

    /// <summary>z = μ + σ·ε with σ = exp(½ lv); σ is written out for the backward pass.</summary>
    public static void ReparameterizeForward(Span<float> z, Span<float> sigma, ReadOnlySpan<float> mu, ReadOnlySpan<float> logVar, ReadOnlySpan<float> eps)
    {
        TensorPrimitives.Multiply(logVar, 0.5f, sigma);
        TensorPrimitives.Exp(sigma, sigma);
        TensorPrimitives.MultiplyAdd(sigma, eps, mu, z);
    }

    /// <summary>dμ += dz and dlv += dz·½σε (∂z/∂lv = ½σε).</summary>
    public static void ReparameterizeBackward(Span<float> dMu, Span<float> dLogVar, ReadOnlySpan<float> dz, ReadOnlySpan<float> sigma, ReadOnlySpan<float> eps)
    {
        if (!dMu.IsEmpty) TensorPrimitives.Add(dMu, dz, dMu);
        if (!dLogVar.IsEmpty)
            for (int j = 0; j < dz.Length; j++) dLogVar[j] += dz[j] * 0.5f * sigma[j] * eps[j];
    }
}

/// <summary>Kernels of the fused Linear + ReLU layer (forward epilogue and backward mask).</summary>
public static class LinearReluKernels
{
    /// <summary>y[r, :] = max(y[r, :] + bias, 0) for each of the <paramref name="rows"/> rows of length <paramref name="n"/> (bias may be empty).</summary>
    public static void BiasReluForward(Span<float> y, ReadOnlySpan<float> bias, int rows, int n)
    {
        for (int r = 0; r < rows; r++)
        {
            var yr = y.Slice(r * n, n);
            if (!bias.IsEmpty) TensorPrimitives.Add(yr, bias, yr);
            TensorPrimitives.Max(yr, 0f, yr);
        }
    }

    /// <summary>
    /// dPre[i] = y[i] &gt; 0 ? dy[i] : 0, the ReLU derivative applied to the upstream gradient. Branch-free:
    /// about half the units of a trained layer are active, so a branch per element mispredicts constantly.
    /// </summary>
    public static void ReluMask(Span<float> dPre, ReadOnlySpan<float> dy, ReadOnlySpan<float> y)
    {
        int n = dPre.Length, i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int w = Vector<float>.Count;
            for (; i <= n - w; i += w)
            {
                var yv = new Vector<float>(y.Slice(i, w));
                var sel = Vector.ConditionalSelect(Vector.GreaterThan(yv, Vector<float>.Zero), new Vector<float>(dy.Slice(i, w)), Vector<float>.Zero);
                sel.CopyTo(dPre.Slice(i, w));
            }
        }
        for (; i < n; i++) dPre[i] = y[i] > 0f ? dy[i] : 0f;
    }
}

/// <summary>Scalar double-precision references for <see cref="LatentKernels"/> (tests only).</summary>
public static class LatentKernelsNaive
{
    /// <summary>Σ −x log σ(l) − (1−x) log(1−σ(l)), with log σ evaluated stably in double.</summary>
    public static double BceWithLogits(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets)
    {
        double s = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            double l = logits[i], x = targets[i];
            // log σ(l) = −log(1 + e^{−l}); log(1 − σ(l)) = −log(1 + e^{l}); each via a stable softplus.
            s += x * Softplus(-l) + (1 - x) * Softplus(l);
        }
        return s;
    }

    /// <summary>σ(l) − x per element.</summary>
    public static void BceWithLogitsGrad(Span<float> d, ReadOnlySpan<float> logits, ReadOnlySpan<float> targets)
    {
        for (int i = 0; i < d.Length; i++) d[i] = (float)(1.0 / (1.0 + Math.Exp(-(double)logits[i])) - targets[i]);
    }

    private static double Softplus(double v) => v > 0 ? v + Math.Log(1 + Math.Exp(-v)) : Math.Log(1 + Math.Exp(v));
}
