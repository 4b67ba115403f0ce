// CliApp: builds the `problab` command tree and runs one command invocation. A command file calls
// app.SetAction(command, bind, run): `bind` turns the parse into the command's config record, `run` does the
// work with a CommandContext. Everything around `run` lives here: global options, --threads, the header
// with the resolved config, the progress display, the JSON envelope, and the error contract (ErrorText).
using System.CommandLine;
using System.Text.Json.Nodes;
using ProbLab.Cli.Commands;
using ProbLab.Data;
using ProbLab.Kernels;

namespace ProbLab.Cli;

/// <summary>The `problab` command line: command registry and the invocation wrapper.</summary>
public sealed class CliApp
{
    private readonly TextWriter _stdout, _stderr;

    /// <summary>Creates the app for one process (or one in-process test run).</summary>
    public CliApp(CliHost host, TextWriter stdout, TextWriter stderr)
    {
        Host = host;
        _stdout = stdout;
        _stderr = stderr;
    }

    /// <summary>The environment.</summary>
    public CliHost Host { get; }

    /// <summary>The recursive global options.</summary>
    public GlobalOptions Globals { get; } = new();

    /// <summary>The root command with every subcommand. Add one line per command file here.</summary>
    public RootCommand BuildRoot()
    {
        var root = new RootCommand("problab: probabilistic and generative ML laboratory (own tensor engine, reports).");
        Globals.AddTo(root);
        root.Subcommands.Add(ReportCommand.Create(this));
        root.Subcommands.Add(BenchCommand.Create(this));
        root.Subcommands.Add(DataCommand.Create(this));
        root.Subcommands.Add(MixturesCommand.Create(this));
        root.Subcommands.Add(TrueSkillCommand.Create(this));
        root.Subcommands.Add(RateCommand.Create(this));
        root.Subcommands.Add(VaeCommand.Create(this));
        root.Subcommands.Add(KlCommand.Create(this));
        root.Subcommands.Add(VibCommand.Create(this));
        root.Subcommands.Add(QwopCommand.Create(this));
        root.Subcommands.Add(GptCommand.Create(this));
        root.Subcommands.Add(DiffusionCommand.Create(this));
        return root;
    }

    /// <summary>
    /// Makes <paramref name="command"/> run <paramref name="run"/> with the config that <paramref name="bind"/> reads from the parse.
    /// <paramref name="defaultSeed"/> replaces the global default seed when --seed is not given (e.g. a course's own seed).
    /// </summary>
    public void SetAction<TConfig>(Command command, Func<ParseResult, TConfig> bind, Func<CommandContext, TConfig, int> run, long? defaultSeed = null) where TConfig : notnull =>
        command.SetAction(parse => Invoke(parse, bind, run, defaultSeed));

    private int Invoke<TConfig>(ParseResult parse, Func<ParseResult, TConfig> bind, Func<CommandContext, TConfig, int> run, long? defaultSeed) where TConfig : notnull
    {
        int previousThreads = Parallelism.MaxThreads;
        try
        {
            var settings = Globals.Resolve(parse, defaultSeed);
            var config = bind(parse);
            var ctx = CreateContext(ErrorText.CommandPath(parse.CommandResult), settings, config);
            Parallelism.MaxThreads = settings.Threads;
            if (!settings.Json) WriteHeader(ctx);
            int code = run(ctx, config);
            if (settings.Json && code == ErrorText.Ok) WriteJson(ctx);
            return code;
        }
        catch (OperationCanceledException) when (Host.Cancel.IsCancellationRequested)
        {
            _stderr.WriteLine("problab: interrupted");
            return ErrorText.Interrupted;
        }
        catch (UsageException e)
        {
            _stderr.WriteLine($"problab: {e.Message}");
            return ErrorText.Usage;
        }
        catch (Exception e)
        {
            _stderr.WriteLine($"problab: {ErrorText.ForException(e)}");
            if (Host.GetEnv("PROBLAB_DEBUG") is "1") _stderr.WriteLine(e);
            return ErrorText.Failure;
        }
        finally
        {
            Parallelism.MaxThreads = previousThreads;
        }
    }

    private CommandContext CreateContext(string path, GlobalSettings settings, object config)
    {
        if (settings.DataDir is { } dir && !Directory.Exists(dir))
            throw new UsageException($"--data-dir '{dir}' is not a directory");
        IDownloader? downloader = null;
        if (settings.Download)
            downloader = Host.Downloader?.Invoke() ?? throw new UsageException("--download is not available in this environment");
        var data = DataDirs.FromEnvironment(settings.DataDir, downloader, Host.GetEnv, requireReal: settings.RequireData);
        IProgressSink progress = settings.Json ? new SilentProgress(Host.Cancel)
            : Host.StderrIsTerminal ? SpectreProgress.ForStderr(Host.Cancel)
            : new PlainProgress(_stderr, TimeSpan.FromSeconds(10), Host.Cancel);
        return new CommandContext(path, settings, config, _stdout, _stderr, data, progress, Host.Cancel, Host.Experiments);
    }

    // The resolved run settings and config, so every log starts with what produced it.
    private void WriteHeader(CommandContext ctx)
    {
        var d = ctx.Data;
        string data = d.Root is null ? $"data: cache {d.CacheDir}" : $"data: {d.Root} ({d.RootOrigin}), then cache {d.CacheDir}";
        _stderr.WriteLine($"{ctx.CommandPath} | seed {ctx.Globals.Seed} | threads {ctx.Globals.Threads} | {data}{(d.DownloadsEnabled ? " | downloads on" : "")}");
        foreach (var line in ConfigText.ToLines(ctx.Config)) _stderr.WriteLine(line);
    }

    // Exactly one JSON object on stdout: who/what produced it, then the command's own fields.
    private void WriteJson(CommandContext ctx)
    {
        var json = new JsonObject
        {
            ["command"] = ctx.CommandPath,
            ["seed"] = ctx.Globals.Seed,
            ["threads"] = ctx.Globals.Threads,
            ["config"] = ConfigText.ToJson(ctx.Config),
            ["data"] = new JsonArray(ctx.DataSources.Select(s => (JsonNode)new JsonObject
            {
                ["dataset"] = s.Dataset, ["synthetic"] = s.IsSynthetic, ["description"] = s.Description, ["path"] = s.Path,
            }).ToArray()),
        };
        if (ctx.JsonResult is { } result)
            foreach (var (key, value) in result.ToList())
            {
                result.Remove(key);
                json[key] = value;
            }
        _stdout.WriteLine(json.ToJsonString(ConfigText.Json));
    }
}
