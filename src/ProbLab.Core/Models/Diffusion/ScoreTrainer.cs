// Training loop for score networks (shared by the spiral, latent diffusion and guidance): each step draws
// clean data x0 (and labels), times k ~ U{1..K}, x_t ~ q(x_t | x0) in closed form (so x_t ~ p_t exactly),
// then one Adam step on the chosen objective. Conditional nets see the null class with probability
// p_uncond (classifier-free guidance training, Ho & Salimans 2022). Returns the loss per step; never prints.
using ProbLab.Nn.Optim;
using ProbLab.Tensors;

namespace ProbLab.Models.Diffusion;

/// <summary>Draws a batch of clean data x0 (n, D) and optional labels (n).</summary>
public delegate (Tensor X0, int[]? Labels) DataSampler(int n, Rng rng);

/// <summary>Options of <see cref="ScoreTrainer.Train"/>.</summary>
public sealed record ScoreTrainingOptions
{
    /// <summary>Objective (Hyvärinen or denoising).</summary>
    public ScoreObjective Objective { get; init; } = ScoreObjective.Hyvarinen;
    /// <summary>Time weighting λ(t).</summary>
    public ScoreWeighting Weighting { get; init; } = ScoreWeighting.None;
    /// <summary>Adam steps.</summary>
    public int Steps { get; init; } = 8000;
    /// <summary>Batch size.</summary>
    public int BatchSize { get; init; } = 128;
    /// <summary>Peak Adam learning rate (the exam's student: 5e-3).</summary>
    public float LearningRate { get; init; } = 5e-3f;
    /// <summary>Cosine decay of the learning rate to 5% over the run (false = constant).</summary>
    public bool CosineDecay { get; init; } = true;
    /// <summary>Gradient clipping by global norm (0 = off).</summary>
    public double ClipNorm { get; init; } = 1.0;
    /// <summary>Probability of replacing a label by the null class (conditional nets only).</summary>
    public double PUncond { get; init; } = 0.2;

    /// <summary>Throws a one-line error naming the first invalid field.</summary>
    public void Validate()
    {
        if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), $"training Steps must be at least 1, got {Steps}");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), $"training BatchSize must be at least 1, got {BatchSize}");
        if (!(LearningRate > 0) || float.IsInfinity(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), $"LearningRate must be positive and finite, got {LearningRate}");
        if (!(ClipNorm >= 0)) throw new ArgumentOutOfRangeException(nameof(ClipNorm), $"ClipNorm must be ≥ 0 (0 = off), got {ClipNorm}");
        if (!(PUncond >= 0 && PUncond <= 1)) throw new ArgumentOutOfRangeException(nameof(PUncond), $"PUncond must be in [0, 1], got {PUncond}");
    }
}

/// <summary>Per-step record of a training run.</summary>
/// <param name="Loss">Objective value per step (before the update).</param>
/// <param name="GradNorm">Global gradient norm per step (before clipping).</param>
public sealed record ScoreTrainingHistory(double[] Loss, double[] GradNorm);

/// <summary>The score-network training loop.</summary>
public static class ScoreTrainer
{
    /// <summary>Trains <paramref name="net"/> in place; <paramref name="onStep"/>(step, loss) is called after each step.</summary>
    /// <exception cref="ArgumentException">Invalid options, or data of the wrong width.</exception>
    /// <exception cref="InvalidOperationException">The loss became NaN or infinite (names the step).</exception>
    public static ScoreTrainingHistory Train(ScoreNet net, VpSde sde, DataSampler data, ScoreTrainingOptions options, Rng rng,
        Action<int, double>? onStep = null)
    {
        options.Validate();
        var opt = new Adam(net.NamedParameters(), options.LearningRate);
        var losses = new double[options.Steps];
        var norms = new double[options.Steps];
        for (int step = 0; step < options.Steps; step++)
        {
            if (options.CosineDecay)
                opt.LearningRate = LrSchedule.WarmupCosine(step, options.LearningRate, 0, options.Steps, 0.05f * options.LearningRate);
            var (x0, labels) = data(options.BatchSize, rng);
            if (x0.Rank != 2 || x0.Shape[1] != net.Config.Dim)
                throw new ArgumentException($"data batch has shape {ShapeUtil.Format(x0.Shape)}, the score net expects (N, {net.Config.Dim})");
            var cond = ConditioningLabels(net, labels, options.PUncond, rng);
            var t = ScoreMatching.SampleTimes(sde, x0.Shape[0], rng);
            var w = ScoreMatching.Weights(sde, t, options.Weighting);
            var (xt, eps) = sde.Perturb(x0, t, rng);
            opt.ZeroGrad();
            var loss = options.Objective == ScoreObjective.Hyvarinen
                ? ScoreMatching.HyvarinenLoss(net, xt, t, w, cond)
                : ScoreMatching.DenoisingLoss(net, sde, xt, eps, t, w, cond);
            losses[step] = loss.Item();
            if (!double.IsFinite(losses[step])) throw new InvalidOperationException($"score training diverged: loss is {losses[step]} at step {step}");
            loss.Backward();
            norms[step] = GradClip.ClipGradNorm(net.Parameters(), options.ClipNorm > 0 ? options.ClipNorm : double.PositiveInfinity);
            opt.Step();
            onStep?.Invoke(step, losses[step]);
        }
        return new ScoreTrainingHistory(losses, norms);
    }

    /// <summary>Random rows (with replacement) of X (N, D) and their labels, as a <see cref="DataSampler"/>.</summary>
    /// <exception cref="ArgumentException">X is empty or not 2-D, or labels do not match its rows.</exception>
    public static DataSampler Rows(Tensor x, int[]? labels = null)
    {
        if (x.Rank != 2 || x.Shape[0] < 1) throw new ArgumentException($"training data must be a non-empty (N, D) tensor, got {ShapeUtil.Format(x.Shape)}");
        int n = x.Shape[0], d = x.Shape[1];
        if (labels is not null && labels.Length != n) throw new ArgumentException($"{labels.Length} labels for {n} rows of training data");
        return (m, rng) =>
        {
            var b = Tensor.Zeros(m, d);
            var l = labels is null ? null : new int[m];
            for (int i = 0; i < m; i++)
            {
                int r = rng.NextInt(n);
                Array.Copy(x.Data, r * d, b.Data, i * d, d);
                if (l is not null) l[i] = labels![r];
            }
            return (b, l);
        };
    }

    // Unconditional nets ignore labels; conditional nets get each label replaced by ∅ with probability p.
    private static int[]? ConditioningLabels(ScoreNet net, int[]? labels, double pUncond, Rng rng)
    {
        if (net.Config.Classes == 0) return null;
        if (labels is null) throw new ArgumentException("a conditional score net needs labels in every training batch");
        var r = new int[labels.Length];
        for (int i = 0; i < r.Length; i++)
        {
            if (labels[i] < 0 || labels[i] >= net.Config.Classes)
                throw new ArgumentOutOfRangeException(nameof(labels), $"training label must be in 0..{net.Config.Classes - 1}, got {labels[i]}");
            r[i] = rng.NextDouble() < pUncond ? net.NullClass : labels[i];
        }
        return r;
    }
}
