// Shared log-sum-exp step of the mixture kernels. Instead of a max pass per point, the exps are shifted by
// one bound for the whole batch, shift = max_k (largest possible joint of component k): for a Gaussian that
// is log π_k − ½ log|2πΣ_k| (the quadratic term is ≤ 0), for a box log π_k − log area_k. Then
// exp(joint − shift) ≤ 1 never overflows and the kernels need one fused compute+exp pass instead of three.
// A point far from every component can underflow (Σ_k exp(joint − shift) tiny or 0); such points, rare
// outside degenerate fits, are redone exactly in double with their own max (the classic stable form).
using System.Runtime.CompilerServices;

namespace ProbLab.Kernels;

/// <summary>Exact joint log-probability log π_k + log p(x_b | k) of component k at point b, in double.</summary>
internal interface IMixtureJoint
{
    double Joint(int k, int b);
}

internal static class MixtureLogSumExp
{
    /// <summary>Below this Σ exp(joint − shift) a point is recomputed exactly (keeps ≥ 1e-18 relative precision).</summary>
    public const float Underflow = 1e-20f;

    /// <summary>
    /// Given e_kb = exp(joint_kb − shift) in resp (K × B, tile [b0, b0+n)) and their sums per point, writes
    /// ℓ_b = shift + log Σ_k e_kb and normalises resp to responsibilities; underflowing points use <paramref name="exact"/>.
    /// </summary>
    /// <remarks>
    /// <paramref name="emptyResp"/> (K), when not empty, is the exact answer for a point with Σ = 0 exactly:
    /// a point outside every hard box has all joints log π_k − 1e6, so ℓ = <paramref name="emptyLogLik"/> =
    /// logsumexp(log π) − 1e6 and r = π, with no need for the per-component exact path.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // SIMD hot loop: full JIT at first call, no tier-0 phase
    public static void Finish<TJoint>(Span<float> logLik, Span<float> resp, Span<float> sum, int B, int b0, int n, int K, float shift, in TJoint exact,
        float emptyLogLik = float.NaN, ReadOnlySpan<float> emptyResp = default)
        where TJoint : IMixtureJoint, allows ref struct
    {
        for (int i = 0; i < n; i++)
        {
            float s = sum[i];
            if (s >= Underflow)
            {
                logLik[b0 + i] = shift + MathF.Log(s);
                sum[i] = 1f / s;
            }
            else if (s == 0 && !emptyResp.IsEmpty)
            {
                logLik[b0 + i] = emptyLogLik;
                for (int k = 0; k < K; k++) resp[k * B + b0 + i] = emptyResp[k];
                sum[i] = 1f;
            }
            else
            {
                ExactPoint(logLik, resp, B, b0 + i, K, in exact);
                sum[i] = 1f; // resp column is already normalised
            }
        }
        for (int k = 0; k < K; k++)
        {
            var row = resp.Slice(k * B + b0, n);
            System.Numerics.Tensors.TensorPrimitives.Multiply(row, sum.Slice(0, n), row);
        }
    }

    private static void ExactPoint<TJoint>(Span<float> logLik, Span<float> resp, int B, int b, int K, in TJoint exact)
        where TJoint : IMixtureJoint, allows ref struct
    {
        double max = double.NegativeInfinity;
        Span<double> joint = K <= 256 ? stackalloc double[K] : new double[K];
        for (int k = 0; k < K; k++)
        {
            joint[k] = exact.Joint(k, b);
            max = Math.Max(max, joint[k]);
        }
        double s = 0;
        for (int k = 0; k < K; k++) s += Math.Exp(joint[k] - max);
        double lse = max + Math.Log(s);
        logLik[b] = (float)lse;
        for (int k = 0; k < K; k++)
        {
            double r = Math.Exp(joint[k] - lse);
            resp[k * B + b] = r < 1e-30 ? 0f : (float)r; // no subnormals (see MixtureFastMath)
        }
    }
}
