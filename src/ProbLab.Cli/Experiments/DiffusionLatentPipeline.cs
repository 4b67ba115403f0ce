// The exam's P3.3-P3.4 wired to MNIST: load the images, train the exam's VAE (or load a checkpoint), take the
// encoder means as latents, train a pixel classifier that later judges the generated digits, then run the
// LatentStudy (unconditional latent diffusion vs the VAE prior; classifier-free guidance grid and sweep).
// With CompareLatent > 0 a second VAE with that latent size is trained and the guidance part runs again in its
// latent (same data, classifier and score-net settings): the exam's d_z = 2 overlaps 4 with 9, a wider latent does not.
// Shared by `problab diffusion latent` and the `diffusion-latent` report experiment.
using ProbLab.Data;
using ProbLab.Models;
using ProbLab.Models.Diffusion;
using ProbLab.Nn;
using ProbLab.Ops;
using ProbLab.Tensors;
using Tensor = ProbLab.Tensors.Tensor;

namespace ProbLab.Cli.Experiments;

/// <summary>Settings of the latent-diffusion pipeline (defaults: the exam's VAE and the P3.4 student's schedule).</summary>
public sealed record DiffusionLatentConfig
{
    /// <summary>VAE checkpoint folder to load instead of training (its sizes must match Latent and Hidden).</summary>
    public string? Vae { get; init; }
    /// <summary>VAE training epochs (the exam: 15).</summary>
    public int VaeEpochs { get; init; } = 15;
    /// <summary>Latent dimension d_z of the VAE.</summary>
    public int Latent { get; init; } = 2;
    /// <summary>Latent size of a second VAE in which the guidance part runs again, for comparison (0: none; the full report uses 16).</summary>
    public int CompareLatent { get; init; }
    /// <summary>Hidden units of the VAE's encoder and decoder.</summary>
    public int Hidden { get; init; } = 400;
    /// <summary>Training images used (0: all 60 000).</summary>
    public int TrainLimit { get; init; }
    /// <summary>Test images used (0: all 10 000).</summary>
    public int TestLimit { get; init; }
    /// <summary>Epochs of the pixel classifier that judges generated digits.</summary>
    public int ClassifierEpochs { get; init; } = 3;
    /// <summary>β(0) of the latent VP-SDE.</summary>
    public double Beta0 { get; init; } = 0.1;
    /// <summary>β(1) of the latent VP-SDE.</summary>
    public double Beta1 { get; init; } = 12;
    /// <summary>Diffusion steps K.</summary>
    public int Steps { get; init; } = 500;
    /// <summary>Adam steps of each latent score net (unconditional and conditional).</summary>
    public int ScoreSteps { get; init; } = 8000;
    /// <summary>Guidance weight w of the digit grid (s̃ = (1 + w)s_c − w s_∅).</summary>
    public double Guidance { get; init; } = ClassifierFreeGuidance.DefaultWeight;
    /// <summary>Guidance applies for t ≥ this (0: every step).</summary>
    public double GuidanceFrom { get; init; }
    /// <summary>Weights of the guidance sweep.</summary>
    public double[] Sweep { get; init; } = [0, 1, 3, 7.5, 15];
    /// <summary>Guided samples per digit (all are scored; the report's grids show the first 10 of each).</summary>
    public int PerClass { get; init; } = 100;
    /// <summary>Generated latents for the scatter and the nearest-data metric.</summary>
    public int LatentSamples { get; init; } = 2000;
    /// <summary>`problab diffusion latent` only: skip the HTML report.</summary>
    public bool NoReport { get; init; }

    /// <summary>The full preset: the defaults (the exam's settings) plus the guidance comparison in a 16-D latent.</summary>
    public static DiffusionLatentConfig Full => new() { CompareLatent = 16 };

    /// <summary>The quick preset: 6000 images, 3 VAE epochs, short score training, 2-D latent only.</summary>
    public static DiffusionLatentConfig Quick => new()
    {
        VaeEpochs = 3, TrainLimit = 6000, TestLimit = 1000, ClassifierEpochs = 2, Steps = 250, ScoreSteps = 2500, Sweep = [0, 3, 7.5], PerClass = 10,
        LatentSamples = 1000,
    };

    /// <summary>Throws a one-line error naming the first invalid field.</summary>
    public void Validate()
    {
        Study().Validate();
        if (Latent < 1) throw new ArgumentOutOfRangeException(nameof(Latent), $"Latent must be at least 1, got {Latent}");
        if (CompareLatent < 0) throw new ArgumentOutOfRangeException(nameof(CompareLatent), $"CompareLatent must be 0 (none) or a latent size ≥ 1, got {CompareLatent}");
        if (VaeEpochs < 1) throw new ArgumentOutOfRangeException(nameof(VaeEpochs), $"VaeEpochs must be at least 1, got {VaeEpochs}");
    }

    /// <summary>The LatentStudy settings this config describes.</summary>
    public LatentStudyConfig Study()
    {
        var baseline = new LatentStudyConfig();
        return baseline with
        {
            Beta0 = Beta0, Beta1 = Beta1, Steps = Steps, Guidance = Guidance, GuidanceMinTime = GuidanceFrom, GuidanceSweep = Sweep,
            PerClass = PerClass, LatentSamples = LatentSamples,
            Training = baseline.Training with { Steps = ScoreSteps }, ConditionalTraining = baseline.ConditionalTraining with { Steps = ScoreSteps },
        };
    }
}

/// <summary>A VAE with its provenance, test ELBO and the encoder means of the training and test images.</summary>
public sealed record LatentEncoder(Vae Vae, string Origin, ElboStats Test, Tensor TrainLatents, Tensor TestLatents)
{
    /// <summary>Latent size d_z.</summary>
    public int Latent => Vae.Config.Latent;
}

/// <summary>
/// The guidance part run again in a second VAE's latent, with per-digit diagnostics of both latents: the k-NN separability of
/// test encodings, and how often the classifier reads the VAE's reconstruction decode(μ(x)) of a real test digit as that digit
/// (the ceiling for anything sampled in that latent and decoded by that decoder).
/// </summary>
public sealed record LatentComparison(LatentEncoder Encoder, GuidanceStudyResult Guidance, double[] NeighbourAccuracy, double[] MainNeighbourAccuracy,
    double[] ReconstructionAccuracy, double[] MainReconstructionAccuracy);

/// <summary>What the pipeline produced besides the study: the data, the VAE and its latents, and the optional comparison run.</summary>
public sealed record DiffusionLatentRun(DiffusionLatentConfig Config, MnistInputs Data, LatentEncoder Encoder, double ClassifierTestAccuracy,
    LatentStudyResult Study, LatentComparison? Comparison)
{
    /// <summary>The main VAE.</summary>
    public Vae Vae => Encoder.Vae;
    /// <summary>Where the main VAE came from.</summary>
    public string VaeOrigin => Encoder.Origin;
    /// <summary>The main VAE's test −ELBO terms.</summary>
    public ElboStats VaeTest => Encoder.Test;
    /// <summary>Encoder means of the training images (N, d_z).</summary>
    public Tensor TrainLatents => Encoder.TrainLatents;

    /// <summary>The paragraph that introduces the encoder in the report.</summary>
    public string EncoderNote =>
        DiffusionFigures.Inv($"Latents: encoder means μφ(x) of the {Data.Train.Count} training images under the exam's VAE ({Vae.Config.InputSize}-{Vae.Config.Hidden}-{Vae.Config.Latent}, Bernoulli decoder; {VaeOrigin}; ") +
        DiffusionFigures.Inv($"test −ELBO {VaeTest.NegElbo:F1} nats/image). The digit classifier that judges decoded samples (784-256-10 MLP) reaches {ClassifierTestAccuracy:P1} on {Data.Test.Count} real test images.");
}

/// <summary>Runs the latent-diffusion pipeline on MNIST.</summary>
public static class DiffusionLatentPipeline
{
    /// <summary>Test encodings scored by the k-nearest-neighbour separability check, and k.</summary>
    public const int SeparabilityTestPoints = 2000, SeparabilityReference = 10_000, SeparabilityK = 10;

    /// <summary>Loads data, obtains the VAE(s), trains the classifier and runs the study (and the comparison when CompareLatent &gt; 0).</summary>
    /// <exception cref="InvalidDataException">The --vae checkpoint is not a VAE or its sizes differ (one line).</exception>
    public static DiffusionLatentRun Run(DiffusionLatentConfig cfg, DataDirs dirs, Rng rng, IProgressSink progressSink, Action<DataSource> announce, CancellationToken cancel)
    {
        cfg.Validate();
        var data = MnistInputs.Load(dirs, cfg.TrainLimit, cfg.TestLimit, validation: 0, cancel);
        announce(data.Source);
        var rVae = rng.Split(); var rClf = rng.Split(); var rStudy = rng.Split(); var rCompare = rng.Split();

        var encoder = Encoder(cfg, cfg.Latent, cfg.Vae, data, rVae, progressSink, "vae");
        var clf = new SampleClassifier([MnistInputs.Dim, 256, 10], rClf.Split());
        using (var task = progressSink.Start("digit classifier", cfg.ClassifierEpochs))
            clf.Fit(data.Train.X, data.Train.Labels, cfg.ClassifierEpochs, rClf.Split(), cancel: cancel, onEpoch: (_, loss) => task.Advance(1, loss));
        double clfAcc = clf.Accuracy(data.Test.X, data.Test.Labels);

        LatentStudyResult study;
        using (var progress = new StudyProgressAdapter(progressSink))
            study = LatentStudy.Run(cfg.Study(), encoder.TrainLatents, data.Train.Labels, encoder.TestLatents, encoder.Vae.DecodeProbs, clf.Predict, rStudy, progress, cancel);

        LatentComparison? comparison = null;
        if (cfg.CompareLatent > 0)
        {
            string tag = $"d_z = {cfg.CompareLatent}";
            var wide = Encoder(cfg, cfg.CompareLatent, null, data, rCompare.Split(), progressSink, $"vae ({tag})");
            GuidanceStudyResult guidance;
            using (var progress = new StudyProgressAdapter(progressSink, tag + ": "))
                guidance = LatentStudy.RunGuidance(cfg.Study(), wide.TrainLatents, data.Train.Labels, wide.Vae.DecodeProbs, clf.Predict, rCompare.Split(), progress, cancel);
            comparison = new LatentComparison(wide, guidance, Separability(wide, data), Separability(encoder, data),
                Reconstruction(wide, data, clf), Reconstruction(encoder, data, clf));
        }
        return new DiffusionLatentRun(cfg, data, encoder, clfAcc, study, comparison);
    }

    // Trains a VAE with the given latent size (or loads the checkpoint) and encodes both splits.
    private static LatentEncoder Encoder(DiffusionLatentConfig cfg, int latent, string? checkpoint, MnistInputs data, Rng rng, IProgressSink progressSink, string stage)
    {
        var vae = new Vae(new VaeConfig(MnistInputs.Dim, cfg.Hidden, latent), rng.Split());
        string origin;
        if (checkpoint is not null)
        {
            vae.LoadWeights(checkpoint);                                 // a different latent size is a one-line error
            origin = $"loaded from {checkpoint}";
        }
        else
        {
            var options = new VaeTrainOptions { Epochs = cfg.VaeEpochs };
            int stepsPerEpoch = (data.Train.Count + options.BatchSize - 1) / options.BatchSize;
            using var task = progressSink.Start(stage, (long)stepsPerEpoch * cfg.VaeEpochs);
            VaeTrainer.Fit(vae, data.Train.X, null, options, rng.Split(), onStep: s => task.Advance(1, s.NegElbo));
            origin = $"trained here for {cfg.VaeEpochs} epoch{(cfg.VaeEpochs == 1 ? "" : "s")}";
        }
        var test = VaeTrainer.Evaluate(vae, data.Test.X, rng.Split());
        return new LatentEncoder(vae, origin, test, vae.EncodeMeans(data.Train.X), vae.EncodeMeans(data.Test.X));   // (N, d_z), (M, d_z)
    }

    // Per-digit k-NN accuracy of (up to 2000) test encodings against (up to 10 000) training encodings.
    private static double[] Separability(LatentEncoder e, MnistInputs data)
    {
        int nRef = Math.Min(SeparabilityReference, data.Train.Count), nTest = Math.Min(SeparabilityTestPoints, data.Test.Count);
        return LatentStudy.NeighbourAccuracyPerClass(e.TrainLatents.Slice(0, 0, nRef), data.Train.Labels[..nRef],
            e.TestLatents.Slice(0, 0, nTest), data.Test.Labels[..nTest], SeparabilityK, 10);
    }

    // Per-digit fraction of real test images whose reconstruction decode(μ(x)) the classifier reads as the true digit.
    private static double[] Reconstruction(LatentEncoder e, MnistInputs data, SampleClassifier clf) =>
        LatentStudy.AccuracyPerClass(clf.Predict(e.Vae.DecodeProbs(e.TestLatents)), data.Test.Labels, 10);

    /// <summary>Writes the chapter for a finished run.</summary>
    public static void Write(ProbLab.Reports.Section chapter, DiffusionLatentRun run, string? note = null)
    {
        if (note is not null) chapter.Note(note);
        if (run.Data.Source.IsSynthetic) chapter.Note($"MNIST was not found: {run.Data.Source}. Digits are the rendered stand-in.");
        DiffusionLatentSections.Write(chapter, run.Study, run.TrainLatents, run.Data.Train.Labels, 28, run.EncoderNote);
        if (run.Comparison is { } c)
            DiffusionLatentComparison.Write(chapter.AddSection(DiffusionFigures.Inv($"Guidance in a wider latent: d_z = {run.Vae.Config.Latent} vs d_z = {c.Encoder.Latent}")),
                new LatentSide(run.Study.Guidance, run.VaeTest.NegElbo, c.MainNeighbourAccuracy, c.MainReconstructionAccuracy),
                new LatentSide(c.Guidance, c.Encoder.Test.NegElbo, c.NeighbourAccuracy, c.ReconstructionAccuracy), SeparabilityK, 28);
    }
}
