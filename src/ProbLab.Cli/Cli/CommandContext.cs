// CommandContext: what a command's Run method gets: resolved globals and config, writers that respect
// --json (in JSON mode "Out" is stderr, so stdout carries exactly one JSON object), the seeded Rng, the
// data dirs, a progress sink, the Ctrl-C token, and a place for the JSON result and data provenance.
using System.Text.Json.Nodes;
using ProbLab.Data;
using ProbLab.Reports;
using ProbLab.Tensors;

namespace ProbLab.Cli;

/// <summary>Per-invocation state handed to a command.</summary>
public sealed class CommandContext
{
    private readonly List<DataSource> _data = [];

    internal CommandContext(string commandPath, GlobalSettings globals, object config, TextWriter stdout, TextWriter stderr,
        DataDirs data, IProgressSink progress, CancellationToken cancel, IReadOnlyList<Experiments.IExperiment> experiments)
    {
        CommandPath = commandPath;
        Globals = globals;
        Config = config;
        Out = globals.Json ? stderr : stdout;
        Err = stderr;
        Rng = new Rng(globals.Seed);
        Data = data;
        Progress = progress;
        Cancel = cancel;
        Experiments = experiments;
    }

    /// <summary>"problab bench gemm".</summary>
    public string CommandPath { get; }

    /// <summary>Resolved global options.</summary>
    public GlobalSettings Globals { get; }

    /// <summary>The command's resolved config record.</summary>
    public object Config { get; }

    /// <summary>Human-readable results: stdout normally, stderr in --json mode.</summary>
    public TextWriter Out { get; }

    /// <summary>Diagnostics (stderr).</summary>
    public TextWriter Err { get; }

    /// <summary>True in --json mode.</summary>
    public bool Json => Globals.Json;

    /// <summary>The command's generator, seeded with --seed.</summary>
    public Rng Rng { get; }

    /// <summary>Dataset folders.</summary>
    public DataDirs Data { get; }

    /// <summary>Progress display for long loops.</summary>
    public IProgressSink Progress { get; }

    /// <summary>Signalled on Ctrl-C.</summary>
    public CancellationToken Cancel { get; }

    /// <summary>The experiments registered with the host (used by `report`).</summary>
    public IReadOnlyList<Experiments.IExperiment> Experiments { get; }

    /// <summary>The command's JSON result; in --json mode the framework prints it (plus command, seed, config, data) once.</summary>
    public JsonObject? JsonResult { get; set; }

    /// <summary>Provenance of the data used so far.</summary>
    public IReadOnlyList<DataSource> DataSources => _data;

    /// <summary>The output directory: --out if given, else <paramref name="defaultDir"/>.</summary>
    public string OutDir(string defaultDir) => Path.GetFullPath(Globals.Out ?? defaultDir);

    /// <summary>A command's own HTML report, headed by the seed, threads, machine and the resolved <paramref name="config"/>.</summary>
    public Report NewReport(string title, object config)
    {
        var report = new Report(title);
        report.Meta("seed", Globals.Seed).Meta("threads", Globals.Threads).AddMachineInfo();
        report.Config(ConfigText.ToPairs(config).Select(p => (p.Key, (object?)p.Value)).ToArray());
        return report;
    }

    /// <summary>Prints the one-line provenance of a dataset to stderr (in every mode) and records it.</summary>
    public void Announce(DataSource source)
    {
        _data.Add(source);
        Err.WriteLine($"data: {source}");
    }
}
