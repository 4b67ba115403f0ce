// Learning-rate schedules as pure functions of the step (nanoGPT's get_lr), and gradient clipping.
using ProbLab.Tensors;

namespace ProbLab.Nn.Optim;

/// <summary>Learning-rate schedules (pure functions of the 0-based step).</summary>
public static class LrSchedule
{
    /// <summary>
    /// Linear warmup from lr·1/warmup to lr over <paramref name="warmupSteps"/> steps (multiplier (step+1)/warmup,
    /// as the deepul staff code), then cosine decay to <paramref name="minLr"/> at <paramref name="totalSteps"/>; minLr after.
    /// </summary>
    public static float WarmupCosine(long step, float lr, long warmupSteps, long totalSteps, float minLr = 0f)
    {
        if (step < warmupSteps) return lr * (step + 1) / warmupSteps;
        if (step >= totalSteps) return minLr;
        double progress = (double)(step - warmupSteps) / Math.Max(1, totalSteps - warmupSteps);
        double coeff = 0.5 * (1 + Math.Cos(Math.PI * progress));
        return (float)(minLr + coeff * (lr - minLr));
    }

    /// <summary>Constant rate.</summary>
    public static float Constant(long step, float lr) => lr;
}

/// <summary>Gradient clipping by global L2 norm (torch.nn.utils.clip_grad_norm_).</summary>
public static class GradClip
{
    /// <summary>Scales all gradients so their joint L2 norm is at most <paramref name="maxNorm"/>; returns the norm before clipping.</summary>
    public static double ClipGradNorm(IEnumerable<Tensor> parameters, double maxNorm)
    {
        var ps = parameters.Where(p => p.Grad is not null).ToArray();
        double sq = 0;
        foreach (var p in ps)
            foreach (float g in p.Grad!) sq += (double)g * g;
        double norm = Math.Sqrt(sq);
        if (norm > maxNorm)
        {
            float scale = (float)(maxNorm / (norm + 1e-6));
            foreach (var p in ps) System.Numerics.Tensors.TensorPrimitives.Multiply(p.Grad!, scale, p.Grad!);
        }
        return norm;
    }
}
