// The latent-diffusion chapter (exam P3.3-P3.4) of the report: the exam's MNIST VAE, latent diffusion on its
// encoder means compared with sampling its prior, and class-conditional generation with classifier-free
// guidance (a 10-per-digit grid at w = 7.5 and a sweep over w). Quick: 6000 images, 3 VAE epochs, short score
// training (seconds to a minute), d_z = 2 only; Full: all 60 000 images, 15 VAE epochs, 8000 steps per score net,
// 100 scored samples per digit, and the guidance run again in a 16-D VAE latent where 4 and 9 separate.
using ProbLab.Reports;

namespace ProbLab.Cli.Experiments;

/// <summary>Latent diffusion and classifier-free guidance on MNIST VAE latents.</summary>
public sealed class DiffusionLatentExperiment : IExperiment
{
    /// <summary>The preset's config.</summary>
    public static DiffusionLatentConfig For(Preset preset) => preset == Preset.Full ? DiffusionLatentConfig.Full : DiffusionLatentConfig.Quick;

    /// <inheritdoc/>
    public string Name => "diffusion-latent";

    /// <inheritdoc/>
    public string Title => "Latent diffusion and classifier-free guidance on MNIST (exam P3.3-P3.4)";

    /// <inheritdoc/>
    public void Run(ExperimentContext ctx, Preset preset, Section chapter)
    {
        var cfg = For(preset);
        ctx.RecordConfig(cfg);
        var run = DiffusionLatentPipeline.Run(cfg, ctx.Data, ctx.Rng, ctx.Progress, ctx.RecordData, ctx.Cancel);
        DiffusionLatentPipeline.Write(chapter, run, preset == Preset.Quick
            ? "Quick preset: 6000 training images, a 3-epoch VAE and 2500 steps per score net; the full preset uses all 60 000 images, the exam's 15 epochs and 8000 steps, and also runs the guidance in a 16-D VAE latent."
            : null);
    }
}
