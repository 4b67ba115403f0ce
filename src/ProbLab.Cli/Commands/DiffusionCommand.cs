// `problab diffusion`: the group of score-based diffusion commands (exam P3.2-P3.4). Each subcommand lives
// in its own file: DiffusionSpiralCommand (spiral mixture) and DiffusionLatentCommand (VAE latents, guidance).
using System.CommandLine;

namespace ProbLab.Cli.Commands;

/// <summary>The `diffusion` command group.</summary>
public static class DiffusionCommand
{
    /// <summary>Creates `diffusion` with its subcommands.</summary>
    public static Command Create(CliApp app) => new("diffusion", "Score-based diffusion: the exam's spiral (exact and learned scores) and latent diffusion with guidance.")
    {
        DiffusionSpiralCommand.Create(app),
        DiffusionLatentCommand.Create(app),
    };
}
