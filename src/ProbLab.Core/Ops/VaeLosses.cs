// Autograd ops for latent-variable models: Bernoulli NLL from logits (fused, stable), KL of a diagonal
// Gaussian to the standard normal prior (closed form), and the reparameterised sample. Each op wraps a
// LatentKernels pair; the formulas and their derivatives are derived in Kernels/LatentKernels.cs.
using ProbLab.Kernels;
using ProbLab.Tensors;

namespace ProbLab.Ops;

public static partial class TensorOps
{
    /// <summary>
    /// Σ BCE(σ(logits), targets) over all elements (PyTorch's binary_cross_entropy_with_logits with
    /// reduction="sum"), stable for any logit. Gradients flow to the logits and, if needed, to the targets (−l).
    /// </summary>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Tensor BceWithLogits(this Tensor logits, Tensor targets)
    {
        if (!ShapeUtil.Same(logits.Shape, targets.Shape))
            throw new ArgumentException($"bce with logits: logits {ShapeUtil.Format(logits.Shape)} and targets {ShapeUtil.Format(targets.Shape)} differ");
        var expNegAbs = new float[logits.Size];
        double sum = LatentKernels.BceWithLogitsForward(logits.Data, targets.Data, expNegAbs);
        var y = Tensor.Scalar((float)sum);
        return y.Record("bce_with_logits", logits, targets, () =>
        {
            float g = y.Grad![0];
            if (logits.RequiresGrad) LatentKernels.BceWithLogitsBackward(logits.Grad, logits.Data, targets.Data, expNegAbs, g);
            if (targets.RequiresGrad) System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(logits.Data, -g, targets.Grad!, targets.Grad!); // ∂ℓ/∂x = −l
        });
    }

    /// <summary>
    /// KL(N(μ, diag e^{logVar}) ‖ N(0, I)) summed over all rows: −½ Σ (1 + logVar − μ² − e^{logVar}).
    /// </summary>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Tensor GaussianKl(this Tensor mu, Tensor logVar)
    {
        if (!ShapeUtil.Same(mu.Shape, logVar.Shape))
            throw new ArgumentException($"gaussian kl: mu {ShapeUtil.Format(mu.Shape)} and logvar {ShapeUtil.Format(logVar.Shape)} differ");
        int d = mu.Rank == 0 ? 1 : mu.Shape[^1];
        double kl = LatentKernels.GaussianKlForward(mu.Data, logVar.Data, Math.Max(1, d), Span<float>.Empty);
        var y = Tensor.Scalar((float)kl);
        return y.Record("gaussian_kl", mu, logVar, () =>
            LatentKernels.GaussianKlBackward(
                mu.RequiresGrad ? mu.Grad : Span<float>.Empty,
                logVar.RequiresGrad ? logVar.Grad : Span<float>.Empty,
                mu.Data, logVar.Data, Math.Max(1, d), y.Grad![0]));
    }

    /// <summary>The per-row KL of <see cref="GaussianKl"/> for mu, logVar of shape (B, D), without gradient.</summary>
    public static float[] GaussianKlPerRow(Tensor mu, Tensor logVar)
    {
        if (!ShapeUtil.Same(mu.Shape, logVar.Shape) || mu.Rank != 2)
            throw new ArgumentException($"gaussian kl per row needs two (B, D) tensors, got {ShapeUtil.Format(mu.Shape)} and {ShapeUtil.Format(logVar.Shape)}");
        var rows = new float[mu.Shape[0]];
        LatentKernels.GaussianKlForward(mu.Data, logVar.Data, mu.Shape[1], rows);
        return rows;
    }

    /// <summary>
    /// Reparameterised sample z = μ + exp(½ logVar)·ε for fixed noise ε (Kingma &amp; Welling 2014, eq. 10):
    /// gradients reach μ and logVar, not ε.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Tensor Reparameterize(this Tensor mu, Tensor logVar, Tensor eps)
    {
        if (!ShapeUtil.Same(mu.Shape, logVar.Shape) || !ShapeUtil.Same(mu.Shape, eps.Shape))
            throw new ArgumentException($"reparameterize: mu {ShapeUtil.Format(mu.Shape)}, logvar {ShapeUtil.Format(logVar.Shape)} and eps {ShapeUtil.Format(eps.Shape)} must have one shape");
        var z = Tensor.ZerosLike(mu);
        var sigma = new float[mu.Size];
        LatentKernels.ReparameterizeForward(z.Data, sigma, mu.Data, logVar.Data, eps.Data);
        return z.Record("reparameterize", mu, logVar, () =>
            LatentKernels.ReparameterizeBackward(
                mu.RequiresGrad ? mu.Grad : Span<float>.Empty,
                logVar.RequiresGrad ? logVar.Grad : Span<float>.Empty,
                z.Grad, sigma, eps.Data));
    }
}
