// The exam's P3.2 as one reproducible study (used by `problab diffusion spiral` and the report): forward
// snapshots of the spiral under the VP-SDE, reverse Euler–Maruyama sampling with the exact score, learned
// scores (Hyvärinen with the exact divergence; denoising score matching) sampled side by side, and the exam
// text's β1 = 0.2 schedule for comparison. Returns plain records; never prints or draws.
// Metrics: mean distance of samples to the spiral curve (exact p0 draws: ≈ 0.048) and the total variation of
// their τ-histogram from uniform (catches collapse onto part of the curve); per-time Fisher divergences of
// each learned score from the exact one.
using System.Diagnostics;
using ProbLab.Nn;
using ProbLab.Tensors;

namespace ProbLab.Models.Diffusion;

/// <summary>Progress of a multi-stage study: stage name, units done out of total, latest loss if any.</summary>
public readonly record struct StudyProgress(string Stage, int Done, int Total, double? Loss = null);

/// <summary>One learned score to train: a name, the net, whether its output is scaled by 1/σ(t), and the training options.</summary>
public sealed record LearnedScoreSpec(string Name, ScoreNetConfig Net, bool NoiseScaledOutput, ScoreTrainingOptions Training)
{
    /// <summary>Hyvärinen with the exact divergence, unweighted (λ = 1, the exam's objective), on sinusoidal space features.</summary>
    public static LearnedScoreSpec Hyvarinen(int steps) => new("Hyvärinen (exact divergence)",
        new ScoreNetConfig { Activation = Activation.Silu, SpaceFeatures = 16, MaxFrequency = 32 }, false,
        new ScoreTrainingOptions { Objective = ScoreObjective.Hyvarinen, Weighting = ScoreWeighting.None, Steps = steps, LearningRate = 2e-3f });

    /// <summary>Denoising score matching in the ε-parameterisation (λ = σ², output scaled by 1/σ), on sinusoidal space features.</summary>
    public static LearnedScoreSpec Denoising(int steps) => new("denoising score matching",
        new ScoreNetConfig { Activation = Activation.Silu, SpaceFeatures = 16, MaxFrequency = 64 }, true,
        new ScoreTrainingOptions { Objective = ScoreObjective.Denoising, Weighting = ScoreWeighting.NoiseVariance, Steps = steps, LearningRate = 5e-3f });

    /// <summary>The exam student's setup: tanh MLP 3×128 on raw [x1, x2, t], unweighted Hyvärinen, lr 5e-3.</summary>
    public static LearnedScoreSpec ExamHyvarinen(int steps) => new("Hyvärinen, exam setup (raw [x1, x2, t], tanh)",
        new ScoreNetConfig(), false,
        new ScoreTrainingOptions { Objective = ScoreObjective.Hyvarinen, Weighting = ScoreWeighting.None, Steps = steps, LearningRate = 5e-3f });
}

/// <summary>Settings of the spiral study.</summary>
public sealed record SpiralStudyConfig
{
    /// <summary>β(0) of the working schedule.</summary>
    public double Beta0 { get; init; } = 0.1;
    /// <summary>β(1) of the working schedule (the exam text's 0.2 leaves ᾱ(1) ≈ 0.9).</summary>
    public double Beta1 { get; init; } = 12;
    /// <summary>Diffusion steps K.</summary>
    public int Steps { get; init; } = 500;
    /// <summary>β0 of the exam text's schedule, shown for comparison.</summary>
    public double ExamBeta0 { get; init; } = 0.001;
    /// <summary>β1 of the exam text's schedule.</summary>
    public double ExamBeta1 { get; init; } = 0.2;
    /// <summary>Samples per sampler (and data points for the forward snapshots).</summary>
    public int Samples { get; init; } = 2000;
    /// <summary>Steps k at which forward and reverse snapshots are taken.</summary>
    public int[] SnapshotSteps { get; init; } = [0, 10, 25, 50, 100, 500];
    /// <summary>Particles whose full paths are recorded.</summary>
    public int TrackedPaths { get; init; } = 12;
    /// <summary>Points per time for the Fisher-divergence table, and in total (spread evenly over k = 1..K) for J(θ) and J*.</summary>
    public int EvalPoints { get; init; } = 4000;
    /// <summary>Times of the Fisher-divergence table.</summary>
    public double[] EvalTimes { get; init; } = [0.01, 0.03, 0.1, 0.3, 1.0];
    /// <summary>The learned scores to train and sample.</summary>
    public LearnedScoreSpec[] Learned { get; init; } = [LearnedScoreSpec.Hyvarinen(12000), LearnedScoreSpec.Denoising(12000), LearnedScoreSpec.ExamHyvarinen(8000)];

    /// <summary>Throws a one-line error naming the first invalid field.</summary>
    public void Validate()
    {
        _ = new VpSde(Beta0, Beta1, Steps);
        _ = new VpSde(ExamBeta0, ExamBeta1, Steps);
        if (Samples < 1) throw new ArgumentOutOfRangeException(nameof(Samples), $"Samples must be at least 1, got {Samples}");
        foreach (int k in SnapshotSteps)
            if (k < 0 || k > Steps) throw new ArgumentOutOfRangeException(nameof(SnapshotSteps), $"snapshot step must be in 0..{Steps}, got {k}");
        if (EvalPoints < 1) throw new ArgumentOutOfRangeException(nameof(EvalPoints), $"EvalPoints must be at least 1, got {EvalPoints}");
        foreach (double t in EvalTimes)
            if (!(t > 0 && t <= 1)) throw new ArgumentOutOfRangeException(nameof(EvalTimes), $"evaluation times must be in (0, 1], got {t}");
        foreach (var l in Learned)
        {
            l.Net.Validate();
            l.Training.Validate();
            if (l.Net.Dim != 2 || l.Net.Classes != 0) throw new ArgumentException($"learned score '{l.Name}' must be an unconditional 2-D net");
        }
    }
}

/// <summary>Fisher divergence ½E‖s − ∇log p_t‖² of a learned score at one time, next to the score energy ½E‖∇log p_t‖².</summary>
public readonly record struct FisherAtTime(double Time, double Fisher, double Energy);

/// <summary>Samples and their spiral metrics.</summary>
public sealed record SpiralSamples(DiffusionTrajectory Trajectory, double MeanDistance, double TauTv, double Seconds);

/// <summary>
/// One learned score: training history, parameter count, samples, per-time Fisher divergences, and its training
/// objective on a fresh batch stratified over k = 1..K: J(θ), the optimum J* (exact score) and the Fisher divergence
/// F = ½E λ‖s_θ − ∇log p‖² computed directly; J − J* = F in expectation (the divergence term makes J noisier).
/// </summary>
public sealed record LearnedScoreResult(LearnedScoreSpec Spec, long Parameters, ScoreTrainingHistory History, double TrainSeconds,
    SpiralSamples Samples, IReadOnlyList<FisherAtTime> Fisher, double EvalLoss, double EvalOptimum, double EvalFisher);

/// <summary>The exam text's schedule: its terminal signal fraction, forward snapshots and exact-score samples.</summary>
public sealed record ScheduleComparison(VpSde Sde, double AlphaBarK, DiffusionTrajectory Forward, SpiralSamples Exact);

/// <summary>Everything the spiral study produced.</summary>
public sealed record SpiralStudyResult(SpiralStudyConfig Config, SpiralMixture Data, VpSde Sde, Tensor DataSamples,
    double ReferenceDistance, double ReferenceTauTv, DiffusionTrajectory Forward, SpiralSamples Exact,
    IReadOnlyList<LearnedScoreResult> Learned, ScheduleComparison ExamSchedule);

/// <summary>Runs the spiral study.</summary>
public static class SpiralStudy
{
    /// <summary>Runs every stage with generators split from <paramref name="rng"/> (so adding a learned score does not change the others).</summary>
    /// <exception cref="ArgumentException">An invalid config field.</exception>
    public static SpiralStudyResult Run(SpiralStudyConfig cfg, Rng rng, IProgress<StudyProgress>? progress = null, CancellationToken cancel = default)
    {
        cfg.Validate();
        var data = new SpiralMixture();
        var sde = new VpSde(cfg.Beta0, cfg.Beta1, cfg.Steps);
        var rData = rng.Split(); var rForward = rng.Split(); var rExact = rng.Split(); var rExam = rng.Split();
        var learnedRngs = cfg.Learned.Select(_ => rng.Split()).ToArray();

        var (x0, _) = data.Sample(cfg.Samples, rData);
        var forward = sde.ForwardSimulate(x0, rForward, cfg.SnapshotSteps, cfg.TrackedPaths);
        var exact = Sample(data, sde, sde.ExactScore(data), cfg, rExact, "exact score", progress, cancel);

        var learned = new List<LearnedScoreResult>();
        for (int i = 0; i < cfg.Learned.Length; i++)
            learned.Add(TrainAndSample(cfg.Learned[i], data, sde, cfg, learnedRngs[i], progress, cancel));

        var examSde = new VpSde(cfg.ExamBeta0, cfg.ExamBeta1, cfg.Steps);
        var examForward = examSde.ForwardSimulate(x0, rExam.Split(), cfg.SnapshotSteps, cfg.TrackedPaths);
        var examExact = Sample(data, examSde, examSde.ExactScore(data), cfg, rExam, $"exact score, β1 = {cfg.ExamBeta1}", progress, cancel);
        var exam = new ScheduleComparison(examSde, examSde.AlphaBar(1), examForward, examExact);

        return new SpiralStudyResult(cfg, data, sde, x0, data.MeanDistanceToCurve(x0), data.TauTotalVariation(x0), forward, exact, learned, exam);
    }

    /// <summary>Trains one learned score, samples with it, and measures it against the exact score.</summary>
    public static LearnedScoreResult TrainAndSample(LearnedScoreSpec spec, SpiralMixture data, VpSde sde, SpiralStudyConfig cfg, Rng rng,
        IProgress<StudyProgress>? progress = null, CancellationToken cancel = default)
    {
        var rInit = rng.Split(); var rTrain = rng.Split(); var rSample = rng.Split(); var rEval = rng.Split();
        var net = new ScoreNet(spec.Net, rInit, spec.NoiseScaledOutput ? sde.InverseSigma : null);
        var clock = Stopwatch.StartNew();
        var history = ScoreTrainer.Train(net, sde, (n, r) => (data.Sample(n, r).X, null), spec.Training, rTrain, (step, loss) =>
        {
            cancel.ThrowIfCancellationRequested();
            progress?.Report(new StudyProgress($"train: {spec.Name}", step + 1, spec.Training.Steps, loss));
        });
        double trainSeconds = clock.Elapsed.TotalSeconds;
        var samples = Sample(data, sde, net.AsScoreFunction(), cfg, rSample, $"sample: {spec.Name}", progress, cancel);
        var fisher = cfg.EvalTimes.Select(t => FisherAt(net, data, sde, t, cfg.EvalPoints, rEval)).ToList();
        var (evalLoss, optimum, evalFisher) = EvalObjective(net, data, sde, spec.Training, cfg.EvalPoints, rEval);
        return new LearnedScoreResult(spec, net.ParameterCount(), history, trainSeconds, samples, fisher, evalLoss, optimum, evalFisher);
    }

    private static SpiralSamples Sample(SpiralMixture data, VpSde sde, ScoreFunction score, SpiralStudyConfig cfg, Rng rng, string stage,
        IProgress<StudyProgress>? progress, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var reverseAt = cfg.SnapshotSteps.Where(k => k <= sde.Steps).ToArray();
        var traj = sde.Sample(score, cfg.Samples, 2, rng, reverseAt, cfg.TrackedPaths, done =>
        {
            cancel.ThrowIfCancellationRequested();
            progress?.Report(new StudyProgress(stage, done, sde.Steps));
        });
        return new SpiralSamples(traj, data.MeanDistanceToCurve(traj.Final), data.TauTotalVariation(traj.Final), clock.Elapsed.TotalSeconds);
    }

    // ½E‖s_θ − ∇log p_t‖² and ½E‖∇log p_t‖² over x ~ p_t at one time.
    private static FisherAtTime FisherAt(ScoreNet net, SpiralMixture data, VpSde sde, double t, int n, Rng rng)
    {
        var times = Enumerable.Repeat(t, n).ToArray();
        var (xt, _) = sde.Perturb(data.Sample(n, rng).X, times, rng);
        var truth = sde.Marginal(data, t).Score(xt);
        var ones = Enumerable.Repeat(1.0, n).ToArray();
        using var _ = NoGrad.Scope();
        return new FisherAtTime(t, ScoreMatching.FisherDivergence(net.Forward(xt, times), truth, ones), -ScoreMatching.HyvarinenOptimum(truth, ones));
    }

    // The Hyvärinen objective with the run's weighting on a fresh batch with the same number of points at every
    // k = 1..K (stratified: the energy ½‖∇log p_t‖² grows like 1/v_t at small t, so uniform-k sampling would make
    // J* noisy), with its optimum J* and the directly computed Fisher divergence on the same points.
    private static (double Loss, double Optimum, double Fisher) EvalObjective(ScoreNet net, SpiralMixture data, VpSde sde, ScoreTrainingOptions o, int points, Rng rng)
    {
        int per = Math.Max(1, points / sde.Steps), n = per * sde.Steps;
        var t = new double[n];
        for (int i = 0; i < n; i++) t[i] = sde.Time(1 + i / per);
        var (xt, _) = sde.Perturb(data.Sample(n, rng).X, t, rng);
        var w = ScoreMatching.Weights(sde, t, o.Weighting);
        var truth = Tensor.Zeros(n, 2);
        for (int k = 1; k <= sde.Steps; k++)
        {
            var rows = new Tensor(xt.Data.AsSpan((k - 1) * per * 2, per * 2).ToArray(), per, 2);
            sde.Marginal(data, sde.Time(k)).Score(rows).Data.CopyTo(truth.Data, (k - 1) * per * 2);
        }
        using var _ = NoGrad.Scope();
        double loss = ScoreMatching.HyvarinenLoss(net, xt, t, w).Item();
        return (loss, ScoreMatching.HyvarinenOptimum(truth, w), ScoreMatching.FisherDivergence(net.Forward(xt, t), truth, w));
    }
}
