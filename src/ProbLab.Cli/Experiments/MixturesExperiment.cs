// The mixture-model chapter (IML ex5 §4; every figure of the report seed's sections 1-2): Gaussian and
// uniform mixtures fitted by minibatch Adam on the standardised Europe data for K = 1, 5, 10, 33; K = 33
// snapshots over epochs and log-likelihood curves, with random and per-country-mean initialisation; EM as
// the quality baseline; the uniform-mixture analysis; and a uniform fit that works (smoothed box edges).
// Quick: 5 epochs (seconds); Full: the course's 50 epochs.
using ProbLab.Data;
using ProbLab.Models.Mixtures;
using ProbLab.Reports;
using ProbLab.Tensors;

namespace ProbLab.Cli.Experiments;

/// <summary>GMM/UMM by SGD on the Europe data, with EM and smoothed-box baselines.</summary>
public sealed class MixturesExperiment : IExperiment
{
    /// <summary>Config of the mixture chapter.</summary>
    public sealed record MixturesReportConfig
    {
        /// <summary>Numbers of components of the sweep (the largest gets the dynamics figures).</summary>
        public int[] Components { get; init; } = [1, 5, 10, 33];

        /// <summary>Epochs of minibatch Adam.</summary>
        public int Epochs { get; init; } = 50;

        /// <summary>Points per Adam step.</summary>
        public int BatchSize { get; init; } = 4096;

        /// <summary>Maximum EM iterations of the baseline.</summary>
        public int EmMaxIterations { get; init; } = 100;

        /// <summary>Edge softness τ of the smoothed uniform fit, first and last epoch (standardised units).</summary>
        public double[] EdgeSoftness { get; init; } = [0.1, 0.01];

        /// <summary>Extra K-max GMM fits with consecutive seeds (plus the course's 42) for the seed-sensitivity table; 0 = none.</summary>
        public int SeedRuns { get; init; } = 5;

        /// <summary>The preset's config.</summary>
        public static MixturesReportConfig For(Preset preset) => preset == Preset.Quick ? new() { Epochs = 5, EmMaxIterations = 10, SeedRuns = 0 } : new();
    }

    /// <inheritdoc/>
    public string Name => "mixtures";

    /// <inheritdoc/>
    public string Title => "Mixture models by SGD on the Europe countries (IML ex. 5 §4)";

    /// <inheritdoc/>
    public void Run(ExperimentContext ctx, Preset preset, Section chapter)
    {
        var cfg = MixturesReportConfig.For(preset);
        ctx.RecordConfig(cfg);
        var europe = EuropeData.Load(ctx.Data, ctx.Cancel);
        ctx.RecordData(europe.Source);
        var data = MixtureDataset.FromEurope(europe);
        int kMax = cfg.Components.Max();
        var course = MixtureExperiments.CourseSnapshotEpochs(cfg.Epochs);
        var everyEpoch = Enumerable.Range(0, cfg.Epochs + 1).ToArray();
        bool canClassMeans = kMax == data.Classes;

        MixtureRun Fit(MixtureRunSpec spec)
        {
            using var task = ctx.Progress.Start(spec.Label, spec.Method == MixtureMethod.Em ? cfg.EmMaxIterations : spec.Epochs);
            return MixtureExperiments.Run(spec, data, new Rng(ctx.Seed), new ProgressAdapter(task));
        }

        MixtureRunSpec Spec(MixtureKind kind, int k, MixtureInit init = MixtureInit.Random, MixtureMethod method = MixtureMethod.Sgd) =>
            new(kind, k, init, method, cfg.Epochs, cfg.BatchSize, SnapshotEpochs: kind == MixtureKind.Uniform && k == kMax ? everyEpoch : course,
                EdgeSoftnessStart: (float)cfg.EdgeSoftness[0], EdgeSoftnessEnd: (float)cfg.EdgeSoftness[^1]);

        var gmm = cfg.Components.Select(k => Fit(Spec(MixtureKind.Gaussian, k))).ToList();
        var gmmMeans = canClassMeans ? Fit(Spec(MixtureKind.Gaussian, kMax, MixtureInit.ClassMeans)) : null;
        var em = Fit(Spec(MixtureKind.Gaussian, kMax, method: MixtureMethod.Em) with { Epochs = cfg.EmMaxIterations, SnapshotEpochs = null });
        var umm = cfg.Components.Select(k => Fit(Spec(MixtureKind.Uniform, k))).ToList();
        var ummMeans = canClassMeans ? Fit(Spec(MixtureKind.Uniform, kMax, MixtureInit.ClassMeans)) : null;
        var smooth = Fit(Spec(MixtureKind.Uniform, kMax, method: MixtureMethod.SmoothedSgd));

        var map = new EuropeBackdrop(data);
        MixtureSections.DataNote(chapter, data, europe.Source);
        MixtureSections.Sweep(chapter, "Gaussian mixtures for K = " + string.Join(", ", cfg.Components), map, gmm, data);
        MixtureSections.Dynamics(chapter, map, gmm[^1], gmmMeans, course, em);
        MixtureSections.EmBaseline(chapter, map, em, gmm[^1], gmmMeans);
        if (cfg.SeedRuns > 0) MixtureSections.SeedSensitivity(chapter, kMax, cfg.Epochs, SeedScores(cfg, data, ctx, kMax), em.TestLogLik);
        MixtureSections.Sweep(chapter, "Uniform mixtures for K = " + string.Join(", ", cfg.Components), map, umm, data);
        MixtureSections.Dynamics(chapter, map, umm[^1], ummMeans, course, null);
        var analyses = new[] { umm[^1], ummMeans }.Where(r => r is not null).Select(r => MixtureExperiments.AnalyzeUniform(r!, data)).ToList();
        MixtureSections.UniformAnalysis(chapter, analyses, umm[^1]);
        MixtureSections.Smoothed(chapter, map, smooth, umm[^1], data);
    }

    // Final test log-likelihood of the K-max GMM recipe for seeds ctx.Seed, ctx.Seed + 1, ... and 42 (the course's).
    private static IReadOnlyList<(long Seed, double Test)> SeedScores(MixturesReportConfig cfg, MixtureDataset data, ExperimentContext ctx, int k)
    {
        var seeds = Enumerable.Range(0, cfg.SeedRuns).Select(i => ctx.Seed + i).Append(42L).Distinct().ToList();
        var opts = new GaussianMixtureOptions { Components = k, Epochs = cfg.Epochs, BatchSize = cfg.BatchSize, EvaluateEveryEpoch = false };
        var scores = new List<(long, double)>();
        using var task = ctx.Progress.Start($"gmm K={k} seeds", seeds.Count);
        foreach (long seed in seeds)
        {
            scores.Add((seed, new GaussianMixture(opts).Fit(data.TrainX, new Rng(seed)).Score(data.TestX)));
            task.Advance();
        }
        return scores;
    }

    // One progress step per epoch (EM: per iteration).
    private sealed class ProgressAdapter(IProgressTask task) : IProgress<EpochRecord>
    {
        public void Report(EpochRecord value) => task.Advance(1, value.MeanBatchLoss);
    }
}
