// Options and result records of the mixture estimators (scikit-learn's estimator contract in .NET clothes).
// Defaults are the IML exercise 5 skeleton's: Adam, batch 4096, 50 epochs, lr 0.01 (GMM) / 0.001 (UMM).
// Every option is validated in one place (Validate), and errors name the field and the value.
namespace ProbLab.Models.Mixtures;

/// <summary>How the component locations are initialised before SGD.</summary>
public enum MixtureInit
{
    /// <summary>The course's init: logits and locations ~ N(0, 1) (log-scales per model).</summary>
    Random,
    /// <summary>Location k = mean of the training points of class k (needs labels and Components = classes).</summary>
    ClassMeans,
}

/// <summary>Hyperparameters shared by the SGD-trained mixtures.</summary>
public record MixtureOptions
{
    /// <summary>Number of components K (≥ 1).</summary>
    public int Components { get; init; } = 33;

    /// <summary>Passes over the training set (≥ 1).</summary>
    public int Epochs { get; init; } = 50;

    /// <summary>Points per Adam step (≥ 1); the last batch of an epoch may be smaller.</summary>
    public int BatchSize { get; init; } = 4096;

    /// <summary>Adam learning rate (finite, &gt; 0).</summary>
    public float LearningRate { get; init; } = 0.01f;

    /// <summary>Initialisation of the component locations.</summary>
    public MixtureInit Init { get; init; } = MixtureInit.Random;

    /// <summary>Epochs after which to store a parameter snapshot (0 = the initial parameters), each in [0, Epochs].</summary>
    public IReadOnlyList<int> SnapshotEpochs { get; init; } = Array.Empty<int>();

    /// <summary>Whether to compute the full train (and test) mean log-likelihood after every epoch (else only after the last).</summary>
    public bool EvaluateEveryEpoch { get; init; } = true;

    /// <summary>Checks every field; the message names the first bad field and its value.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public virtual void Validate()
    {
        string type = GetType().Name;
        if (Components < 1) throw new ArgumentException($"{type}.Components must be at least 1, got {Components}");
        if (Epochs < 1) throw new ArgumentException($"{type}.Epochs must be at least 1, got {Epochs}");
        if (BatchSize < 1) throw new ArgumentException($"{type}.BatchSize must be at least 1, got {BatchSize}");
        if (!(LearningRate > 0) || float.IsInfinity(LearningRate)) throw new ArgumentException($"{type}.LearningRate must be a positive finite number, got {LearningRate}");
        if (!Enum.IsDefined(Init)) throw new ArgumentException($"{type}.Init has the undefined value {(int)Init}");
        foreach (int e in SnapshotEpochs)
            if (e < 0 || e > Epochs) throw new ArgumentException($"{type}.SnapshotEpochs contains {e}, outside [0, {Epochs}]");
    }
}

/// <summary>Options of <see cref="GaussianMixture"/> (SGD): the base defaults, lr 0.01.</summary>
public sealed record GaussianMixtureOptions : MixtureOptions;

/// <summary>
/// Options of <see cref="UniformMixture"/> (SGD): lr 0.001, and an optional edge softness τ annealed
/// geometrically from <see cref="EdgeSoftnessStart"/> to <see cref="EdgeSoftnessEnd"/> over the epochs
/// (both 0: the course's hard boxes).
/// </summary>
public sealed record UniformMixtureOptions : MixtureOptions
{
    /// <summary>Creates the options with the course's UMM learning rate, 0.001.</summary>
    public UniformMixtureOptions() => LearningRate = 0.001f;

    /// <summary>Edge softness τ in the first epoch (0 = hard boxes throughout).</summary>
    public float EdgeSoftnessStart { get; init; }

    /// <summary>Edge softness τ in the last epoch (≤ start; 0 only if start is 0).</summary>
    public float EdgeSoftnessEnd { get; init; }

    /// <summary>After a smoothed fit, grow boxes minimally so that every training point lies inside one (then refit the weights).</summary>
    public bool CoverTrainingPoints { get; init; } = true;

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        if (!(EdgeSoftnessStart >= 0) || float.IsInfinity(EdgeSoftnessStart)) throw new ArgumentException($"UniformMixtureOptions.EdgeSoftnessStart must be a finite number ≥ 0, got {EdgeSoftnessStart}");
        if (!(EdgeSoftnessEnd >= 0) || EdgeSoftnessEnd > EdgeSoftnessStart) throw new ArgumentException($"UniformMixtureOptions.EdgeSoftnessEnd must be in [0, EdgeSoftnessStart = {EdgeSoftnessStart}], got {EdgeSoftnessEnd}");
        if (EdgeSoftnessStart > 0 && EdgeSoftnessEnd == 0) throw new ArgumentException("UniformMixtureOptions.EdgeSoftnessEnd must be positive when EdgeSoftnessStart is (the schedule is geometric), got 0");
    }

    /// <summary>τ for a 1-based epoch: geometric interpolation between start and end; 0 for hard boxes.</summary>
    public float EdgeSoftness(int epoch)
    {
        if (EdgeSoftnessStart == 0) return 0f;
        if (Epochs == 1) return EdgeSoftnessEnd;
        double f = (double)(Math.Clamp(epoch, 1, Epochs) - 1) / (Epochs - 1);
        return (float)(EdgeSoftnessStart * Math.Pow(EdgeSoftnessEnd / EdgeSoftnessStart, f));
    }
}

/// <summary>Options of the EM fit of a diagonal <see cref="GaussianMixture"/> (scikit-learn's defaults).</summary>
public sealed record EmOptions
{
    /// <summary>Number of components K (≥ 1).</summary>
    public int Components { get; init; } = 33;

    /// <summary>Maximum EM iterations (≥ 1).</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Stop when the mean train log-likelihood improves by less than this (≥ 0).</summary>
    public double Tolerance { get; init; } = 1e-3;

    /// <summary>Added to every variance for stability (≥ 0), sklearn's reg_covar.</summary>
    public double VarianceFloor { get; init; } = 1e-6;

    /// <summary>Lloyd iterations of the k-means initialisation (≥ 1).</summary>
    public int KMeansIterations { get; init; } = 100;

    /// <summary>Checks every field; the message names the first bad field and its value.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public void Validate()
    {
        if (Components < 1) throw new ArgumentException($"EmOptions.Components must be at least 1, got {Components}");
        if (MaxIterations < 1) throw new ArgumentException($"EmOptions.MaxIterations must be at least 1, got {MaxIterations}");
        if (!(Tolerance >= 0)) throw new ArgumentException($"EmOptions.Tolerance must be ≥ 0, got {Tolerance}");
        if (!(VarianceFloor >= 0)) throw new ArgumentException($"EmOptions.VarianceFloor must be ≥ 0, got {VarianceFloor}");
        if (KMeansIterations < 1) throw new ArgumentException($"EmOptions.KMeansIterations must be at least 1, got {KMeansIterations}");
    }
}

/// <summary>L2 norms of the gradient of each parameter group, averaged over an epoch's steps.</summary>
public sealed record GradientNorms(double Logits, double Locations, double LogScales);

/// <summary>One epoch (or EM iteration): mean log-likelihoods (NaN when not evaluated), mean batch loss, gradient norms, elapsed seconds.</summary>
public sealed record EpochRecord(int Epoch, double TrainLogLik, double TestLogLik, double MeanBatchLoss, GradientNorms GradNorms, double Seconds);

/// <summary>Copies of the raw parameters after an epoch (0 = initial): logits (K), locations and log-scales (K × D).</summary>
public sealed record MixtureSnapshot(int Epoch, float[] Logits, float[] Locations, float[] LogScales);

/// <summary>What <c>Fit</c> recorded: per-epoch records, requested snapshots, optimizer steps and total seconds.</summary>
public sealed record FitHistory(IReadOnlyList<EpochRecord> Epochs, IReadOnlyList<MixtureSnapshot> Snapshots, int Steps, double Seconds, string Method);
