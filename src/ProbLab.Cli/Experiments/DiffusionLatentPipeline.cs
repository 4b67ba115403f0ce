// The exam's P3.3-P3.4 wired to MNIST: load the images, train the exam's VAE (or load a checkpoint), take the
// encoder means as latents, train a pixel classifier that later judges the generated digits, then run the
// LatentStudy (unconditional latent diffusion vs the VAE prior; classifier-free guidance grid and sweep).
// Shared by `problab diffusion latent` and the `diffusion-latent` report experiment.
using ProbLab.Data;
using ProbLab.Models;
using ProbLab.Models.Diffusion;
using ProbLab.Nn;
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
    /// <summary>Guided samples per digit.</summary>
    public int PerClass { get; init; } = 10;
    /// <summary>Generated latents for the scatter and the nearest-data metric.</summary>
    public int LatentSamples { get; init; } = 2000;
    /// <summary>`problab diffusion latent` only: skip the HTML report.</summary>
    public bool NoReport { get; init; }

    /// <summary>The quick preset: 6000 images, 3 VAE epochs, short score training.</summary>
    public static DiffusionLatentConfig Quick => new()
    {
        VaeEpochs = 3, TrainLimit = 6000, TestLimit = 1000, ClassifierEpochs = 2, Steps = 250, ScoreSteps = 2500, Sweep = [0, 3, 7.5], LatentSamples = 1000,
    };

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

/// <summary>What the pipeline produced besides the study: the data, the VAE and its latents.</summary>
public sealed record DiffusionLatentRun(DiffusionLatentConfig Config, MnistInputs Data, Vae Vae, string VaeOrigin, ElboStats VaeTest,
    Tensor TrainLatents, double ClassifierTestAccuracy, LatentStudyResult Study)
{
    /// <summary>The paragraph that introduces the encoder in the report.</summary>
    public string EncoderNote =>
        DiffusionFigures.Inv($"Latents: encoder means μφ(x) of the {Data.Train.Count} training images under the exam's VAE ({Vae.Config.InputSize}-{Vae.Config.Hidden}-{Vae.Config.Latent}, Bernoulli decoder; {VaeOrigin}; ") +
        DiffusionFigures.Inv($"test −ELBO {VaeTest.NegElbo:F1} nats/image). The digit classifier that judges decoded samples (784-256-10 MLP) reaches {ClassifierTestAccuracy:P1} on {Data.Test.Count} real test images.");
}

/// <summary>Runs the latent-diffusion pipeline on MNIST.</summary>
public static class DiffusionLatentPipeline
{
    /// <summary>Loads data, obtains the VAE, trains the classifier and runs the study.</summary>
    /// <exception cref="InvalidDataException">The --vae checkpoint is not a VAE or its sizes differ (one line).</exception>
    public static DiffusionLatentRun Run(DiffusionLatentConfig cfg, DataDirs dirs, Rng rng, IProgressSink progressSink, Action<DataSource> announce, CancellationToken cancel)
    {
        cfg.Study().Validate();
        var data = MnistInputs.Load(dirs, cfg.TrainLimit, cfg.TestLimit, validation: 0, cancel);
        announce(data.Source);
        var rVae = rng.Split(); var rClf = rng.Split(); var rStudy = rng.Split();

        var vae = new Vae(new VaeConfig(MnistInputs.Dim, cfg.Hidden, cfg.Latent), rVae.Split());
        string origin;
        if (cfg.Vae is not null)
        {
            vae.LoadWeights(cfg.Vae);                                    // a different latent size is a one-line error
            origin = $"loaded from {cfg.Vae}";
        }
        else
        {
            var options = new VaeTrainOptions { Epochs = cfg.VaeEpochs };
            int stepsPerEpoch = (data.Train.Count + options.BatchSize - 1) / options.BatchSize;
            using var task = progressSink.Start("vae", (long)stepsPerEpoch * cfg.VaeEpochs);
            VaeTrainer.Fit(vae, data.Train.X, null, options, rVae.Split(), onStep: s => task.Advance(1, s.NegElbo));
            origin = $"trained here for {cfg.VaeEpochs} epoch{(cfg.VaeEpochs == 1 ? "" : "s")}";
        }
        var vaeTest = VaeTrainer.Evaluate(vae, data.Test.X, rVae.Split());
        var latents = vae.EncodeMeans(data.Train.X);                     // (N, d_z)
        var heldOut = vae.EncodeMeans(data.Test.X);

        var clf = new SampleClassifier([MnistInputs.Dim, 256, 10], rClf.Split());
        using (var task = progressSink.Start("digit classifier", cfg.ClassifierEpochs))
            clf.Fit(data.Train.X, data.Train.Labels, cfg.ClassifierEpochs, rClf.Split(), cancel: cancel, onEpoch: (_, loss) => task.Advance(1, loss));
        double clfAcc = clf.Accuracy(data.Test.X, data.Test.Labels);

        LatentStudyResult study;
        using (var progress = new StudyProgressAdapter(progressSink))
            study = LatentStudy.Run(cfg.Study(), latents, data.Train.Labels, heldOut, vae.DecodeProbs, clf.Predict, rStudy, progress, cancel);
        return new DiffusionLatentRun(cfg, data, vae, origin, vaeTest, latents, clfAcc, study);
    }

    /// <summary>Writes the chapter for a finished run.</summary>
    public static void Write(ProbLab.Reports.Section chapter, DiffusionLatentRun run, string? note = null)
    {
        if (note is not null) chapter.Note(note);
        if (run.Data.Source.IsSynthetic) chapter.Note($"MNIST was not found: {run.Data.Source}. Digits are the rendered stand-in.");
        DiffusionLatentSections.Write(chapter, run.Study, run.TrainLatents, run.Data.Train.Labels, 28, run.EncoderNote);
    }
}
