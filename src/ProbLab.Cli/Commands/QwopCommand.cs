// `problab qwop ...`: the QWOP walker of the SSY316 exam (exercise 2).
//   problab qwop simulate --plan "v1,...,v40" | --plan-file FILE [--trace FILE.csv|.json] [--out DIR] [--json]
//       → {"distance":..,"subSteps":..,"fell":..}; --out writes gait.svg (animated) and trajectory.csv.
//   problab qwop search [--method mcmc|anneal|evolve|cmaes] [--evaluations N] [--restarts R] [--seed S] [--out DIR] [--json]
//       → {"bestDistance":..,"bestPlan":[40],"evaluations":..,"seconds":..,...}; --out writes best-plan.txt, gait.svg,
//       trajectory.csv. Defaults: CMA-ES (the best method at seed 0), 1,000,000 simulations.
// A malformed plan is one line naming the value's position: exit 2 for --plan, exit 1 for a --plan-file.
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ProbLab.Cli.Experiments;
using ProbLab.Data;
using ProbLab.Search;

namespace ProbLab.Cli.Commands;

/// <summary>The `qwop` command group.</summary>
public static class QwopCommand
{
    /// <summary>Config of `problab qwop simulate`.</summary>
    public sealed record SimulateConfig
    {
        /// <summary>The plan as text: 40 numbers separated by commas or spaces (or null when --plan-file is used).</summary>
        public string? Plan { get; init; }

        /// <summary>A file holding the plan (commas, spaces or newlines; a JSON array works too).</summary>
        public string? PlanFile { get; init; }

        /// <summary>Where to write the trajectory (every body point after every sub-step): JSON if it ends in .json, else CSV.</summary>
        public string? Trace { get; init; }
    }

    /// <summary>Config of `problab qwop search`.</summary>
    public sealed record SearchConfig
    {
        /// <summary>Optimiser: mcmc, anneal, evolve or cmaes.</summary>
        public string Method { get; init; } = QwopSearch.Name(SearchMethod.CmaEs);

        /// <summary>Simulator evaluations (the budget shared by all restarts).</summary>
        public int Evaluations { get; init; } = (int)QwopSearch.DefaultEvaluations;

        /// <summary>Independent restarts sharing the budget, run in parallel up to --threads.</summary>
        public int Restarts { get; init; } = 1;
    }

    private static readonly string[] Methods = Enum.GetValues<SearchMethod>().Select(QwopSearch.Name).ToArray();

    /// <summary>Creates `qwop` and its subcommands.</summary>
    public static Command Create(CliApp app)
    {
        var qwop = new Command("qwop", "The QWOP stick-figure walker: simulate a 40-value plan, or search for one that walks far.");
        qwop.Subcommands.Add(CreateSimulate(app));
        qwop.Subcommands.Add(CreateSearch(app));
        return qwop;
    }

    private static Command CreateSimulate(CliApp app)
    {
        var plan = new Option<string?>("--plan") { Description = "40 comma-separated values in [-1, 1]: thigh, knee of segment 1, then segment 2, ... (outside values are clipped)" };
        var planFile = CliOptions.Path("--plan-file", "file holding the 40 plan values (commas, spaces or newlines; a JSON array works)");
        var trace = CliOptions.Path("--trace", "write the trajectory of the 6 body points to this file (.json: JSON, otherwise CSV)");
        var cmd = new Command("simulate", "Run the walker with one plan and print the head's final x (the distance).") { plan, planFile, trace };
        app.SetAction(cmd, p => CheckPlanSource(new SimulateConfig { Plan = p.GetValue(plan), PlanFile = p.GetValue(planFile), Trace = p.GetValue(trace) }), RunSimulate);
        return cmd;
    }

    private static Command CreateSearch(CliApp app)
    {
        var d = new SearchConfig();
        var method = CliOptions.Choice("--method", $"optimiser: {string.Join(", ", Methods)}", Methods, d.Method);
        var evaluations = CliOptions.Int("--evaluations", "simulator evaluations in all (the budget)", d.Evaluations, min: 1);
        var restarts = CliOptions.Int("--restarts", "independent restarts sharing the budget (parallel up to --threads)", d.Restarts, min: 1, max: 1024);
        var cmd = new Command("search", "Maximise the walked distance with a black-box optimiser; print the best plan.") { method, evaluations, restarts };
        app.SetAction(cmd, p => CheckRestarts(new SearchConfig { Method = p.GetValue(method)!, Evaluations = p.GetValue(evaluations), Restarts = p.GetValue(restarts) }), RunSearch);
        return cmd;
    }

    // Exactly one plan source; an inline plan is parsed here so a typo fails before anything runs.
    private static SimulateConfig CheckPlanSource(SimulateConfig c)
    {
        if ((c.Plan is null) == (c.PlanFile is null)) throw new UsageException("give the plan with exactly one of --plan or --plan-file");
        if (c.Plan is not null) ParseInline(c.Plan);
        return c;
    }

    private static SearchConfig CheckRestarts(SearchConfig c) => c.Restarts <= c.Evaluations ? c
        : throw new UsageException($"--restarts {c.Restarts} is more than --evaluations {c.Evaluations} (each restart needs at least one)");

    private static double[] ParseInline(string text)
    {
        try { return QwopPlan.Parse(text, "--plan"); }
        catch (FormatException e) { throw new UsageException(e.Message); }
    }

    /// <summary>Reads a plan file; malformed content is bad data (exit 1), with QwopPlan's one-line message naming the file and position.</summary>
    private static double[] ReadPlanFile(string path)
    {
        try { return QwopPlan.ParseFile(path); }
        catch (FormatException e)
        {
            // QwopPlan names the file first ("path: value 3 ..." or "path has 39 values ..."); DataFormatException adds it back.
            string detail = e.Message.StartsWith(path, StringComparison.Ordinal) ? e.Message[path.Length..].TrimStart(':', ' ') : e.Message;
            throw new DataFormatException(path, detail, e);
        }
    }

    private static int RunSimulate(CommandContext ctx, SimulateConfig cfg)
    {
        double[] plan = cfg.Plan is not null ? ParseInline(cfg.Plan) : ReadPlanFile(cfg.PlanFile!);
        double distance = QwopSimulator.Simulate(plan);
        var trajectory = QwopSimulator.Trace(plan);
        var files = new List<string>();
        if (cfg.Trace is not null) files.Add(WriteTrace(cfg.Trace, trajectory));
        if (ctx.Globals.Out is not null) files.AddRange(WriteGait(ctx.OutDir("."), trajectory, $"distance {Fmt(distance)}"));
        ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"distance {distance:F6} ({trajectory.SubSteps} sub-steps{(trajectory.Fell ? ", stopped early: hip or head touched the ground" : "")})"));
        foreach (string f in files) ctx.Out.WriteLine($"wrote {f}");
        ctx.JsonResult = new JsonObject
        {
            ["distance"] = distance, ["subSteps"] = trajectory.SubSteps, ["fell"] = trajectory.Fell, ["files"] = Strings(files),
        };
        return ErrorText.Ok;
    }

    private static int RunSearch(CommandContext ctx, SearchConfig cfg)
    {
        var method = QwopSearch.ParseMethod(cfg.Method);
        SearchResult result;
        using (var task = ctx.Progress.Start($"qwop {cfg.Method}", cfg.Evaluations))
        {
            // Parallel restarts report from several threads; the progress sinks are single-threaded.
            var gate = new object();
            result = QwopSearch.Run(new QwopSearchOptions
            {
                Method = method, Evaluations = cfg.Evaluations, Seed = ctx.Globals.Seed, Restarts = cfg.Restarts,
                Progress = n => { lock (gate) task.Advance(n); }, Cancel = ctx.Cancel,
            });
        }
        var trajectory = QwopSimulator.Trace(result.BestPoint);
        var files = new List<string>();
        if (ctx.Globals.Out is not null)
        {
            string dir = ctx.OutDir(".");
            string planPath = Path.Combine(dir, "best-plan.txt");
            AtomicFile.WriteAllText(planPath, QwopPlan.Format(result.BestPoint) + "\n");
            files.Add(planPath);
            files.AddRange(WriteGait(dir, trajectory, $"{cfg.Method}, seed {ctx.Globals.Seed}: distance {Fmt(result.BestValue)}"));
        }
        double rate = result.Evaluations / Math.Max(result.Seconds, 1e-9);
        ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{cfg.Method}: best distance {result.BestValue:F4} after {result.Evaluations:N0} evaluations in {result.Seconds:F1} s ({rate:N0} simulations/s)"));
        ctx.Out.WriteLine($"best plan: {QwopPlan.Format(result.BestPoint)}");
        foreach (string f in files) ctx.Out.WriteLine($"wrote {f}");
        ctx.JsonResult = new JsonObject
        {
            ["method"] = cfg.Method,
            ["bestDistance"] = result.BestValue,
            ["bestPlan"] = new JsonArray(result.BestPoint.Select(v => (JsonNode?)v).ToArray()),
            ["evaluations"] = result.Evaluations,
            ["seconds"] = Math.Round(result.Seconds, 3),
            ["restarts"] = cfg.Restarts,
            ["subSteps"] = trajectory.SubSteps,
            ["fell"] = trajectory.Fell,
            ["trace"] = new JsonArray(result.Trace.Select(r => (JsonNode)new JsonObject
            {
                ["evaluations"] = r.Evaluations, ["best"] = r.Best, ["current"] = Finite(r.Current),
            }).ToArray()),
            ["files"] = Strings(files),
        };
        return ErrorText.Ok;
    }

    // The animated gait and the trajectory CSV in dir; returns the paths written.
    private static IEnumerable<string> WriteGait(string dir, QwopTrajectory t, string title)
    {
        string svg = Path.Combine(dir, "gait.svg"), csv = Path.Combine(dir, "trajectory.csv");
        AtomicFile.WriteAllText(svg, QwopFigures.Animation(t, title: title));
        AtomicFile.WriteAllText(csv, QwopFigures.TrajectoryCsv(t));
        return [svg, csv];
    }

    private static string WriteTrace(string path, QwopTrajectory t)
    {
        string full = Path.GetFullPath(path);
        if (!full.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            AtomicFile.WriteAllText(full, QwopFigures.TrajectoryCsv(t));
            return full;
        }
        var frames = new JsonArray();
        for (int f = 0; f < t.FrameCount; f++)
            frames.Add(new JsonArray(Enumerable.Range(0, 2 * QwopSimulator.PointCount)
                .Select(i => (JsonNode?)t.Positions[f * 2 * QwopSimulator.PointCount + i]).ToArray()));
        var json = new JsonObject
        {
            ["distance"] = t.Distance,
            ["subSteps"] = t.SubSteps,
            ["fell"] = t.Fell,
            ["dt"] = QwopSimulator.TimeStep,
            ["points"] = Strings(QwopSimulator.PointNames),
            ["edges"] = new JsonArray(QwopSimulator.Edges.Select(e => (JsonNode)new JsonArray(e.Tail, e.Head)).ToArray()),
            ["frames"] = frames, // [frame][x0, y0, x1, y1, ..., x5, y5]
        };
        AtomicFile.WriteAllText(full, json.ToJsonString(ConfigText.Json) + "\n");
        return full;
    }

    private static JsonArray Strings(IEnumerable<string> items) => new(items.Select(s => (JsonNode?)s).ToArray());

    private static JsonNode? Finite(double v) => double.IsFinite(v) ? v : null;

    private static string Fmt(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
}
