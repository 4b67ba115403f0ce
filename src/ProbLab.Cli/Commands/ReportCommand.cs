// `problab report --quick|--full [--out DIR] [--only NAME,...]`: runs the registered experiments with the
// chosen preset and writes ONE self-contained HTML file, DIR/index.html (default DIR: ./report). The file
// is written atomically at the end: a failure or Ctrl-C in any experiment leaves no report behind.
using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using ProbLab.Cli.Experiments;
using ProbLab.Data;

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
        var results = new List<ExperimentResult>();
        var total = Stopwatch.StartNew();
        for (int i = 0; i < selected.Count; i++)
        {
            var exp = selected[i];
            ctx.Err.WriteLine($"[{i + 1}/{selected.Count}] {exp.Name}: {exp.Title}");
            var ectx = new ExperimentContext(ctx.Globals.Seed, ctx.Data, outDir, ctx.Progress, ctx.Cancel, ctx.Announce, ShowConfig);
            var clock = Stopwatch.StartNew();
            var sections = exp.Run(ectx, cfg.Preset);
            results.Add(new ExperimentResult(exp.Name, exp.Title, clock.Elapsed.TotalSeconds, ectx.Config, ectx.DataSources, sections));
            ctx.Err.WriteLine($"[{i + 1}/{selected.Count}] {exp.Name}: done in {clock.Elapsed.TotalSeconds:F1}s");
        }
        void ShowConfig(object config)
        {
            if (ctx.Json) return;
            foreach (var line in ConfigText.ToLines(config)) ctx.Err.WriteLine(line);
        }
        var doc = new ReportDocument(cfg.Preset, ctx.Globals.Seed, ctx.Globals.Threads, total.Elapsed.TotalSeconds, results);
        string index = Path.Combine(outDir, "index.html");
        AtomicFile.WriteAllText(index, HtmlReport.Render(doc));
        ctx.Out.WriteLine($"wrote {index}");
        ctx.JsonResult = new JsonObject
        {
            ["index"] = index,
            ["preset"] = cfg.Preset.ToString().ToLowerInvariant(),
            ["seconds"] = Math.Round(doc.Seconds, 3),
            ["experiments"] = new JsonArray(results.Select(r => (JsonNode)new JsonObject
            {
                ["name"] = r.Name, ["title"] = r.Title, ["seconds"] = Math.Round(r.Seconds, 3),
                ["config"] = r.Config is null ? null : ConfigText.ToJson(r.Config),
                ["data"] = new JsonArray(r.Data.Select(s => (JsonNode)JsonValue.Create(s.ToString())!).ToArray()),
            }).ToArray()),
        };
        return ErrorText.Ok;
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
