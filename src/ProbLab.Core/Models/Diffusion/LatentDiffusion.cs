// Latent diffusion (Rombach et al. 2022, in miniature; the exam's P3.3-P3.4): latents z (N, d) from an
// encoder (the VAE's means μφ(x)) are standardised per dimension, a score net learns the standardised
// law with the same VP-SDE code as the spiral, reverse sampling runs from N(0, I), and samples are
// de-standardised and handed to a decoder. Standardising matters: the VP-SDE's prior N(0, I) only matches
// x_K if the data has unit scale. With labels and Classes > 0 the net is class-conditional and sampling
// uses classifier-free guidance. Inputs are plain tensors and a decode function, so any encoder fits.
using ProbLab.Tensors;

namespace ProbLab.Models.Diffusion;

/// <summary>Per-dimension standardisation z ↦ (z − mean)/std and back.</summary>
public sealed class LatentStandardizer
{
    /// <summary>Creates the map from explicit means and standard deviations.</summary>
    /// <exception cref="ArgumentException">Lengths differ, or a std is not positive and finite.</exception>
    public LatentStandardizer(double[] mean, double[] std)
    {
        if (mean.Length != std.Length || mean.Length == 0) throw new ArgumentException($"standardizer needs equal, non-zero lengths, got {mean.Length} means and {std.Length} stds");
        for (int j = 0; j < std.Length; j++)
            if (!(std[j] > 0) || !double.IsFinite(std[j]) || !double.IsFinite(mean[j]))
                throw new ArgumentException($"latent dimension {j} has mean {mean[j]} and std {std[j]}; a constant or non-finite dimension cannot be standardised");
        Mean = (double[])mean.Clone();
        Std = (double[])std.Clone();
    }

    /// <summary>Per-dimension mean.</summary>
    public double[] Mean { get; }
    /// <summary>Per-dimension standard deviation (population).</summary>
    public double[] Std { get; }

    /// <summary>Fits mean and std of Z (N, d).</summary>
    /// <exception cref="ArgumentException">Z is not (N ≥ 2, d), contains NaN/∞, or has a constant column.</exception>
    public static LatentStandardizer Fit(Tensor z)
    {
        if (z.Rank != 2 || z.Shape[0] < 2) throw new ArgumentException($"latents must be an (N ≥ 2, d) tensor, got {ShapeUtil.Format(z.Shape)}");
        int n = z.Shape[0], d = z.Shape[1];
        var mean = new double[d];
        var std = new double[d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
            {
                float v = z.Data[i * d + j];
                if (!float.IsFinite(v)) throw new ArgumentException($"latent row {i}, dimension {j} is {v}");
                mean[j] += v;
            }
        for (int j = 0; j < d; j++) mean[j] /= n;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
            {
                double e = z.Data[i * d + j] - mean[j];
                std[j] += e * e;
            }
        for (int j = 0; j < d; j++) std[j] = Math.Sqrt(std[j] / n);
        return new LatentStandardizer(mean, std);
    }

    /// <summary>(z − mean)/std, row-wise (N, d).</summary>
    public Tensor Transform(Tensor z) => Map(z, (v, j) => (v - Mean[j]) / Std[j]);

    /// <summary>mean + std·u, row-wise (N, d).</summary>
    public Tensor Inverse(Tensor u) => Map(u, (v, j) => Mean[j] + Std[j] * v);

    private Tensor Map(Tensor z, Func<double, int, double> f)
    {
        int d = Mean.Length;
        if (z.Rank != 2 || z.Shape[1] != d) throw new ArgumentException($"expected latents of shape (N, {d}), got {ShapeUtil.Format(z.Shape)}");
        var r = Tensor.Zeros(z.Shape[0], d);
        for (int i = 0; i < r.Size; i++) r.Data[i] = (float)f(z.Data[i], i % d);
        return r;
    }
}

/// <summary>Score-based diffusion on (standardised) latents, optionally class-conditional with classifier-free guidance.</summary>
public sealed class LatentDiffusion
{
    /// <summary>Creates an untrained model; <paramref name="net"/> must have Dim = latent size (and Classes &gt; 0 for guidance).</summary>
    public LatentDiffusion(VpSde sde, ScoreNet net)
    {
        Sde = sde;
        Net = net;
    }

    /// <summary>The diffusion.</summary>
    public VpSde Sde { get; }
    /// <summary>The score network (on standardised latents).</summary>
    public ScoreNet Net { get; }
    /// <summary>The latent standardisation, set by <see cref="Fit"/>.</summary>
    public LatentStandardizer? Standardizer { get; private set; }

    /// <summary>Standardises Z (N, d), then trains the score net on it (with labels when the net is conditional).</summary>
    /// <exception cref="ArgumentException">Z's width differs from the net's Dim, labels are missing for a conditional net, or the data is degenerate.</exception>
    public ScoreTrainingHistory Fit(Tensor latents, int[]? labels, ScoreTrainingOptions options, Rng rng, Action<int, double>? onStep = null)
    {
        if (latents.Rank != 2 || latents.Shape[1] != Net.Config.Dim)
            throw new ArgumentException($"latents have shape {ShapeUtil.Format(latents.Shape)}, the score net expects (N, {Net.Config.Dim})");
        if (Net.Config.Classes > 0 && labels is null) throw new ArgumentException("a conditional latent diffusion needs class labels");
        Standardizer = LatentStandardizer.Fit(latents);
        var u = Standardizer.Transform(latents);
        return ScoreTrainer.Train(Net, Sde, ScoreTrainer.Rows(u, Net.Config.Classes > 0 ? labels : null), options, rng, onStep);
    }

    /// <summary>
    /// n latents by reverse sampling, de-standardised (n, d). With <paramref name="labels"/> (n) the guided score
    /// (1 + w)s(·, c) − w s(·, ∅) is used (the conditional one below <paramref name="guidanceMinTime"/>); without, the unconditional (∅) score.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not fitted.</exception>
    /// <exception cref="ArgumentException">w &lt; 0, or labels given to an unconditional model.</exception>
    public Tensor SampleLatents(int n, Rng rng, int[]? labels = null, double guidance = ClassifierFreeGuidance.DefaultWeight, Action<int>? onStep = null,
        double guidanceMinTime = 0) =>
        SampleTrajectory(n, rng, labels, guidance, null, 0, onStep, guidanceMinTime).Latents;

    /// <summary>Like <see cref="SampleLatents"/>, also returning the standardised reverse trajectory.</summary>
    public (Tensor Latents, DiffusionTrajectory Trajectory) SampleTrajectory(int n, Rng rng, int[]? labels, double guidance,
        int[]? recordAt, int track, Action<int>? onStep = null, double guidanceMinTime = 0)
    {
        var std = Standardizer ?? throw new InvalidOperationException("latent diffusion is not fitted; call Fit first");
        ClassifierFreeGuidance.CheckWeight(guidance);
        if (labels is not null && labels.Length != n) throw new ArgumentException($"{labels.Length} labels for {n} samples");
        ScoreFunction score = labels is null
            ? Net.AsScoreFunction()
            : ClassifierFreeGuidance.Score(Net, labels, guidance, guidanceMinTime);
        var traj = Sde.Sample(score, n, Net.Config.Dim, rng, recordAt, track, onStep);
        return (std.Inverse(traj.Final), traj);
    }

    /// <summary>Samples n latents and decodes them: decode maps (n, d) latents to outputs (e.g. (n, 784) images).</summary>
    public Tensor Generate(int n, Func<Tensor, Tensor> decode, Rng rng, int[]? labels = null, double guidance = ClassifierFreeGuidance.DefaultWeight)
    {
        var z = SampleLatents(n, rng, labels, guidance);
        using var _ = NoGrad.Scope();
        return decode(z);
    }
}
