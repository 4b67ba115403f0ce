// The options every `problab` command accepts (recursive: `problab --seed 3 bench gemm` and
// `problab bench gemm --seed 3` are the same), and the settings record they resolve to.
using System.CommandLine;

namespace ProbLab.Cli;

/// <summary>Resolved global options.</summary>
/// <param name="Seed">Seed of the command's one Rng.</param>
/// <param name="Out">Output directory (--out), or null for the command's default.</param>
/// <param name="DataDir">Data root (--data-dir), or null to use $PROBLAB_DATA / the cache.</param>
/// <param name="Json">Emit exactly one JSON object on stdout and nothing else there.</param>
/// <param name="Threads">Kernel thread cap (ProbLab.Kernels.Parallelism.MaxThreads).</param>
/// <param name="Download">Allow downloading missing datasets that have a canonical URL into the cache.</param>
public sealed record GlobalSettings(long Seed, string? Out, string? DataDir, bool Json, int Threads, bool Download);

/// <summary>The recursive options attached to the root command.</summary>
public sealed class GlobalOptions
{
    /// <summary>Default seed.</summary>
    public const long DefaultSeed = 0;

    /// <summary>--seed N.</summary>
    public Option<long> Seed { get; } = CliOptions.Long("--seed", "seed of the run's random number generator", DefaultSeed);

    /// <summary>--out DIR.</summary>
    public Option<string?> Out { get; } = CliOptions.Path("--out", "output directory (command-specific default)");

    /// <summary>--data-dir DIR.</summary>
    public Option<string?> DataDir { get; } = CliOptions.Path("--data-dir", "folder holding europe/, mnist/, shakespeare/... (default: $PROBLAB_DATA, then the user cache)");

    /// <summary>--json.</summary>
    public Option<bool> Json { get; } = CliOptions.Flag("--json", "print one JSON object on stdout and nothing else (diagnostics go to stderr)");

    /// <summary>--threads N.</summary>
    public Option<int> Threads { get; } = CliOptions.Int("--threads", "threads for kernels", 1, min: 1, max: 1024);

    /// <summary>--download.</summary>
    public Option<bool> Download { get; } = CliOptions.Flag("--download", "download missing datasets that have a public URL (MNIST, tiny Shakespeare) into the cache");

    /// <summary>Attaches the options to <paramref name="root"/> as recursive options.</summary>
    public void AddTo(RootCommand root)
    {
        foreach (Option o in new Option[] { Seed, Out, DataDir, Json, Threads, Download })
        {
            o.Recursive = true;
            root.Options.Add(o);
        }
    }

    /// <summary>The resolved settings of a parse; <paramref name="commandSeed"/> is the command's own default seed, used when --seed is absent.</summary>
    public GlobalSettings Resolve(ParseResult p, long? commandSeed = null)
    {
        bool explicitSeed = p.GetResult(Seed) is { Implicit: false };
        long seed = explicitSeed || commandSeed is null ? p.GetValue(Seed) : commandSeed.Value;
        return new(seed, p.GetValue(Out), p.GetValue(DataDir), p.GetValue(Json), p.GetValue(Threads), p.GetValue(Download));
    }
}
