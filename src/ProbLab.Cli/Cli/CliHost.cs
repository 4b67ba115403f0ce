// CliHost: everything the CLI takes from its surroundings, in one record, so tests can run `problab`
// in-process with captured writers, a fake environment, no network and their own experiments.
using ProbLab.Cli.Experiments;
using ProbLab.Data;

namespace ProbLab.Cli;

/// <summary>The process environment seen by the CLI (environment variables, terminal, network, experiments, Ctrl-C).</summary>
public sealed record CliHost
{
    /// <summary>Environment variable lookup ($PROBLAB_DATA, $XDG_CACHE_HOME, $PROBLAB_DEBUG).</summary>
    public Func<string, string?> GetEnv { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>True when stderr is an interactive terminal (enables live progress bars).</summary>
    public bool StderrIsTerminal { get; init; }

    /// <summary>Creates the downloader used when --download is given; null makes --download an error.</summary>
    public Func<IDownloader>? Downloader { get; init; } = () => new HttpDownloader();

    /// <summary>The experiments `problab report` runs, in report order.</summary>
    public IReadOnlyList<IExperiment> Experiments { get; init; } = ExperimentRegistry.All;

    /// <summary>Signalled on Ctrl-C; commands stop and the CLI exits with code 130.</summary>
    public CancellationToken Cancel { get; init; }

    /// <summary>The real process: environment, terminal detection, HTTP downloads, the registered experiments.</summary>
    public static CliHost ForProcess(CancellationToken cancel) => new()
    {
        StderrIsTerminal = !Console.IsErrorRedirected,
        Cancel = cancel,
    };

    /// <summary>A host for tests: no terminal, no downloads, the given environment and experiments.</summary>
    public static CliHost ForTests(IReadOnlyDictionary<string, string>? env = null, IReadOnlyList<IExperiment>? experiments = null) => new()
    {
        GetEnv = name => env is not null && env.TryGetValue(name, out var v) ? v : null,
        StderrIsTerminal = false,
        Downloader = null,
        Experiments = experiments ?? ExperimentRegistry.All,
    };
}
