// The contract between `problab report` and the experiments it runs. An experiment is one class: a name
// (used by --only), a title, and Run(ctx, preset, section), which trains/infers with the context's Rng and
// data dirs and fills its report chapter (a ProbLab.Reports.Section: paragraphs, figures, tables,
// subsections). It records its resolved config and data provenance on the context, reports progress through
// ctx.Progress, and never prints or writes the report itself; the report command adds the run details.
using ProbLab.Data;
using ProbLab.Reports;
using ProbLab.Tensors;

namespace ProbLab.Cli.Experiments;

/// <summary>How much compute an experiment may use: Quick runs in seconds (CI, smoke tests), Full reproduces the course numbers.</summary>
public enum Preset
{
    /// <summary>Seconds: tiny configs, enough to see the method work.</summary>
    Quick,

    /// <summary>Minutes: the course's settings.</summary>
    Full,
}

/// <summary>One experiment of the report.</summary>
public interface IExperiment
{
    /// <summary>Short kebab-case name for --only (e.g. "spiral").</summary>
    string Name { get; }

    /// <summary>Human title of its report chapter.</summary>
    string Title { get; }

    /// <summary>Runs the experiment with the preset's config and writes its results into <paramref name="chapter"/>.</summary>
    void Run(ExperimentContext ctx, Preset preset, Section chapter);
}

/// <summary>What an experiment gets from the report command, and where it records what it used.</summary>
public sealed class ExperimentContext
{
    private readonly List<DataSource> _data = [];
    private readonly Action<DataSource> _announce;
    private readonly Action<object> _showConfig;

    /// <summary>Creates a context; <paramref name="announce"/> and <paramref name="showConfig"/> let the CLI print provenance and configs as they are recorded.</summary>
    public ExperimentContext(long seed, DataDirs data, string outputDir, IProgressSink progress, CancellationToken cancel,
        Action<DataSource>? announce = null, Action<object>? showConfig = null)
    {
        Seed = seed;
        Rng = new Rng(seed);
        Data = data;
        OutputDir = outputDir;
        Progress = progress;
        Cancel = cancel;
        _announce = announce ?? (_ => { });
        _showConfig = showConfig ?? (_ => { });
    }

    /// <summary>The run's seed (the report prints it).</summary>
    public long Seed { get; }

    /// <summary>This experiment's generator, seeded from <see cref="Seed"/>: each experiment starts from the same state, so results do not depend on which others ran.</summary>
    public Rng Rng { get; }

    /// <summary>Dataset folders (--data-dir, $PROBLAB_DATA, cache).</summary>
    public DataDirs Data { get; }

    /// <summary>The report's output folder; created on demand; write extra files with <see cref="AtomicFile"/>.</summary>
    public string OutputDir { get; }

    /// <summary>Progress bars / lines for long loops; Advance() also checks for Ctrl-C.</summary>
    public IProgressSink Progress { get; }

    /// <summary>Signalled on Ctrl-C.</summary>
    public CancellationToken Cancel { get; }

    /// <summary>The experiment's resolved config record (shown in the report), set with <see cref="RecordConfig"/>.</summary>
    public object? Config { get; private set; }

    /// <summary>Data provenance lines recorded so far.</summary>
    public IReadOnlyList<DataSource> DataSources => _data;

    /// <summary>Records the resolved config (a record with one property per setting); the CLI prints it (not in --json mode).</summary>
    public void RecordConfig(object config)
    {
        Config = config;
        _showConfig(config);
    }

    /// <summary>Records where a dataset came from; the CLI also prints the line to stderr right away.</summary>
    public void RecordData(DataSource source)
    {
        _data.Add(source);
        _announce(source);
    }
}
