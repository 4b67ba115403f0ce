// `problab report --quick|--full [--out DIR] [--only NAME,...]`: runs the registered experiments with the
// chosen preset and writes ONE self-contained HTML file, DIR/index.html (default DIR: ./report). The file
// is written atomically at the end: a failure or Ctrl-C in any experiment leaves no report behind.
using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using ProbLab.Cli.Experiments;
using ProbLab.Data;
using ProbLab.Reports;

namespace ProbLab.Cli.Commands;

/// <summary>The `report` command.</summary>
public static class ReportCommand
{
    /// <summary>Config of `problab report`.</summary>
    public sealed record ReportConfig
    {
        /// <summary>Quick (seconds per experiment) or Full (the course settings).</summary>
        public Preset Preset { get; init; } = Preset.Quick;

        /// <summary>Experiment names to run, in registry order (empty = all).</summary>
        public string[] Only { get; init; } = [];
    }

    /// <summary>Creates `report`.</summary>
    public static Command Create(CliApp app)
    {
        var quick = CliOptions.Flag("--quick", "tiny configs, seconds per experiment (default)");
        var full = CliOptions.Flag("--full", "the course settings (minutes)");
        var only = CliOptions.NameList("--only", "comma-separated experiment names (default: all)");
        var cmd = new Command("report", "Run the experiments and write one self-contained HTML report to --out (default ./report).") { quick, full, only };
        cmd.Validators.Add(r =>
        {
            if (r.GetValue(quick) && r.GetValue(full)) r.AddError("--quick and --full cannot be used together");
        });
        app.SetAction(cmd, p => new ReportConfig
        {
            Preset = p.GetValue(full) ? Preset.Full : Preset.Quick,
            Only = CheckNames(app.Host.Experiments, p.GetValue(only)!),
        }, Run);
        return cmd;
    }

    private static int Run(CommandContext ctx, ReportConfig cfg)
    {
        var selected = cfg.Only.Length == 0 ? ctx.Experiments.ToList() : ctx.Experiments.Where(e => cfg.Only.Contains(e.Name)).ToList();
        if (selected.Count == 0) throw new UsageException("no experiments are registered");
        string outDir = ctx.OutDir("report");
        string preset = cfg.Preset.ToString().ToLowerInvariant();
        var report = new Report("ProbLab report") { Subtitle = $"{selected.Count} experiment(s), {preset} preset" };
        report.Meta("preset", preset).Meta("seed", ctx.Globals.Seed).Meta("threads", ctx.Globals.Threads);
        // The summary is the first chapter; its table is filled as experiments finish (rendering happens at Save).
        var summary = new Table("experiment", "name", "time (s)", "data") { Caption = "Experiments in this report" };
        summary.SetFormat(2, "F1");
        report.AddSection("Summary").Table(summary);
        var results = new List<ExperimentResult>();
        var total = Stopwatch.StartNew();
        for (int i = 0; i < selected.Count; i++)
        {
            var exp = selected[i];
            ctx.Err.WriteLine($"[{i + 1}/{selected.Count}] {exp.Name}: {exp.Title}");
            var ectx = new ExperimentContext(ctx.Globals.Seed, ctx.Data, outDir, ctx.Progress, ctx.Cancel, ctx.Announce, ShowConfig);
            var chapter = report.AddSection(exp.Title);
            var clock = Stopwatch.StartNew();
            exp.Run(ectx, cfg.Preset, chapter);
            double seconds = clock.Elapsed.TotalSeconds;
            results.Add(new ExperimentResult(exp.Name, exp.Title, seconds, ectx.Config, ectx.DataSources));
            AddRunDetails(report, chapter, exp, ectx, seconds, summary);
            ctx.Err.WriteLine($"[{i + 1}/{selected.Count}] {exp.Name}: done in {seconds:F1}s");
        }
        void ShowConfig(object config)
        {
            if (ctx.Json) return;
            foreach (var line in ConfigText.ToLines(config)) ctx.Err.WriteLine(line);
        }
        double totalSeconds = total.Elapsed.TotalSeconds;
        report.Meta("total time", $"{totalSeconds:F1} s").AddMachineInfo();
        string index = report.Save(outDir);
        ctx.Out.WriteLine($"wrote {index}");
        ctx.JsonResult = new JsonObject
        {
            ["index"] = index,
            ["preset"] = preset,
            ["seconds"] = Math.Round(totalSeconds, 3),
            ["experiments"] = new JsonArray(results.Select(r => (JsonNode)new JsonObject
            {
                ["name"] = r.Name, ["title"] = r.Title, ["seconds"] = Math.Round(r.Seconds, 3),
                ["config"] = r.Config is null ? null : ConfigText.ToJson(r.Config),
                ["data"] = new JsonArray(r.Data.Select(s => (JsonNode)JsonValue.Create(s.ToString())!).ToArray()),
            }).ToArray()),
        };
        return ErrorText.Ok;
    }

    // Appends the "Run details" subsection (config, seed, time, data provenance) to an experiment's chapter,
    // adds its row to the summary, and lifts synthetic-data warnings into the report header.
    private static void AddRunDetails(Report report, Section chapter, IExperiment exp, ExperimentContext ectx, double seconds, Table summary)
    {
        var details = chapter.AddSection("Run details");
        details.KeyValues(null, ("experiment", exp.Name), ("seed", ectx.Seed), ("time", $"{seconds:F2} s"));
        if (ectx.Config is { } config)
            details.KeyValues("Resolved config", ConfigText.ToPairs(config).Select(p => (p.Key, (object?)p.Value)).ToArray());
        foreach (var source in ectx.DataSources)
        {
            details.Note("Data: " + source, source.IsSynthetic ? NoteKind.Warning : NoteKind.Info);
            if (source.IsSynthetic) report.Note($"{exp.Name}: {source}");
        }
        string data = ectx.DataSources.Count == 0 ? "generated in-process" : string.Join("; ", ectx.DataSources.Select(d => d.ToString()));
        summary.AddRow(exp.Title, exp.Name, seconds, data);
    }

    // Checked while binding, so a typo fails before anything runs or prints.
    private static string[] CheckNames(IReadOnlyList<IExperiment> all, string[] only)
    {
        foreach (var name in only)
            if (!all.Any(e => e.Name == name))
                throw new UsageException($"unknown experiment '{name}' in --only (known: {string.Join(", ", all.Select(e => e.Name))})");
        return only;
    }
}

/// <summary>One finished experiment, as reported in the command's JSON.</summary>
public sealed record ExperimentResult(string Name, string Title, double Seconds, object? Config, IReadOnlyList<DataSource> Data);
