// Fused mixture log-likelihood ops: per-point log p(x) of a diagonal Gaussian mixture or a box (uniform)
// mixture, each one kernel call + one backward closure (Kernels/MixtureGaussian.cs, MixtureUniform.cs).
// Shapes: x (B, D), logWeights (K), component parameters (K, D) -> (B). The composition
// logsumexp(log_softmax(logits) + log N(x | k)) through elementwise ops would allocate five (B, K, D)
// tensors per step; the fused op keeps only the (K, B) responsibilities its backward needs.
using System.Buffers;
using ProbLab.Kernels;
using ProbLab.Tensors;

namespace ProbLab.Ops;

public static partial class TensorOps
{
    // Points per chunk when no backward is recorded (evaluation): bounds the scratch to K × 4096 floats.
    private const int MixtureEvalChunk = 4096;

    /// <summary>
    /// ℓ_b = log Σ_k exp(logWeights_k) N(x_b | means_k, diag exp(logVars_k)) for x (B, D), logWeights (K),
    /// means and logVars (K, D); returns (B). logWeights are used as given (pass log_softmax(logits)).
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    public static Tensor GaussianMixtureLogLikelihood(this Tensor x, Tensor logWeights, Tensor means, Tensor logVars)
    {
        var (b, k, d) = MixtureShapes("gaussian mixture", x, logWeights, means, logVars, "means", "logVars");
        return MixtureOp("gaussian_mixture_loglik", x, logWeights, means, logVars, b, k, d,
            (ll, resp, xT, n) => GaussianMixtureKernels.Forward(ll, resp, xT, logWeights.Data, means.Data, logVars.Data, n, k, d),
            (dxT, dw, da, db, dy, resp, xT) => GaussianMixtureKernels.Backward(dxT, dw, da, db, dy, resp, xT, means.Data, logVars.Data, b, k, d));
    }

    /// <summary>
    /// ℓ_b = log Σ_k exp(logWeights_k) U(x_b | box centers_k ± exp(logSizes_k)/2) for x (B, D); hard boxes
    /// (log-density −1e6 outside, never −∞) when <paramref name="softness"/> is 0, sigmoid-smoothed edges of
    /// width τ otherwise (a proper density for every τ). Returns (B).
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not match, or τ is negative or not finite.</exception>
    public static Tensor UniformMixtureLogLikelihood(this Tensor x, Tensor logWeights, Tensor centers, Tensor logSizes, float softness = 0f)
    {
        var (b, k, d) = MixtureShapes("uniform mixture", x, logWeights, centers, logSizes, "centers", "logSizes");
        return MixtureOp("uniform_mixture_loglik", x, logWeights, centers, logSizes, b, k, d,
            (ll, resp, xT, n) => UniformMixtureKernels.Forward(ll, resp, xT, logWeights.Data, centers.Data, logSizes.Data, softness, n, k, d),
            (dxT, dw, da, db, dy, resp, xT) => UniformMixtureKernels.Backward(dxT, dw, da, db, dy, resp, xT, centers.Data, logSizes.Data, softness, b, k, d));
    }

    private delegate void MixtureForward(Span<float> logLik, Span<float> resp, ReadOnlySpan<float> xT, int n);

    private delegate void MixtureBackward(Span<float> dxT, Span<float> dLogWeights, Span<float> dA, Span<float> dB,
        ReadOnlySpan<float> dLogLik, ReadOnlySpan<float> resp, ReadOnlySpan<float> xT);

    private static Tensor MixtureOp(string name, Tensor x, Tensor logWeights, Tensor pa, Tensor pb, int B, int K, int D,
        MixtureForward forward, MixtureBackward backward)
    {
        var y = Tensor.Zeros(B);
        bool record = !NoGrad.IsActive && (x.RequiresGrad || logWeights.RequiresGrad || pa.RequiresGrad || pb.RequiresGrad);
        if (!record)
        {
            EvaluateInChunks(y.Data, x.Data, B, K, D, forward);
            return y;
        }
        var xT = Transpose(x.Data, B, D); // (D, B)
        // (K, B) responsibilities for the backward, rented: a fresh 0.5 MB array per training step lands on
        // the large-object heap and cost more in gen-2 collections than the kernels themselves. The closure
        // returns it; should it run again (Backward with retainGraph), it recomputes them.
        float[]? resp = ArrayPool<float>.Shared.Rent(K * B);
        forward(y.Data, resp, xT, B);
        return y.Record(name, new[] { x, logWeights, pa, pb }, () =>
        {
            if (resp is null)
            {
                resp = ArrayPool<float>.Shared.Rent(K * B);
                forward(new float[B], resp, xT, B);
            }
            var dxT = x.RequiresGrad ? new float[D * B] : Array.Empty<float>();
            // Parents that need no gradient get scratch buffers: the kernel always writes all three.
            var dw = logWeights.RequiresGrad ? logWeights.Grad! : new float[K];
            var da = pa.RequiresGrad ? pa.Grad! : new float[K * D];
            var db = pb.RequiresGrad ? pb.Grad! : new float[K * D];
            backward(dxT, dw, da, db, y.Grad!, resp.AsSpan(0, K * B), xT);
            ArrayPool<float>.Shared.Return(resp);
            resp = null;
            if (x.RequiresGrad)
            {
                var gx = x.Grad!;
                for (int d = 0; d < D; d++)
                    for (int b = 0; b < B; b++) gx[b * D + d] += dxT[d * B + b];
            }
        });
    }

    // Forward only, in chunks of points so the responsibilities scratch stays small and pooled.
    private static void EvaluateInChunks(float[] y, float[] x, int B, int K, int D, MixtureForward forward)
    {
        int chunk = Math.Min(B, MixtureEvalChunk);
        if (chunk == 0) return;
        var resp = ArrayPool<float>.Shared.Rent(K * chunk);
        var xT = ArrayPool<float>.Shared.Rent(D * chunk);
        for (int b0 = 0; b0 < B; b0 += chunk)
        {
            int n = Math.Min(chunk, B - b0);
            for (int d = 0; d < D; d++)
                for (int b = 0; b < n; b++) xT[d * n + b] = x[(b0 + b) * D + d];
            forward(y.AsSpan(b0, n), resp.AsSpan(0, K * n), xT.AsSpan(0, D * n), n);
        }
        ArrayPool<float>.Shared.Return(resp);
        ArrayPool<float>.Shared.Return(xT);
    }

    private static float[] Transpose(float[] x, int B, int D)
    {
        var xT = GC.AllocateUninitializedArray<float>(D * B);
        for (int b = 0; b < B; b++)
            for (int d = 0; d < D; d++) xT[d * B + b] = x[b * D + d];
        return xT;
    }

    private static (int B, int K, int D) MixtureShapes(string what, Tensor x, Tensor logWeights, Tensor a, Tensor b, string aName, string bName)
    {
        if (x.Rank != 2) throw new ArgumentException($"{what}: x must have shape (B, D), got {ShapeUtil.Format(x.Shape)}");
        int B = x.Shape[0], D = x.Shape[1], K = logWeights.Size;
        if (logWeights.Rank != 1 || K < 1) throw new ArgumentException($"{what}: logWeights must have shape (K) with K ≥ 1, got {ShapeUtil.Format(logWeights.Shape)}");
        if (D < 1) throw new ArgumentException($"{what}: x has no features (shape {ShapeUtil.Format(x.Shape)})");
        if (a.Rank != 2 || a.Shape[0] != K || a.Shape[1] != D) throw new ArgumentException($"{what}: {aName} must have shape ({K}, {D}), got {ShapeUtil.Format(a.Shape)}");
        if (b.Rank != 2 || b.Shape[0] != K || b.Shape[1] != D) throw new ArgumentException($"{what}: {bName} must have shape ({K}, {D}), got {ShapeUtil.Format(b.Shape)}");
        return (B, K, D);
    }
}
