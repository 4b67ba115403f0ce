// The HTML report of one `problab mixtures` invocation: the data note, the sample figures and table of the
// sweep, snapshots and curves of the largest K, and for uniform mixtures the shrinking-box analysis. Written
// atomically to --out (default ./mixtures-report/index.html) through the same renderer as `problab report`.
using System.Diagnostics;
using ProbLab.Cli.Commands;
using ProbLab.Data;
using ProbLab.Models.Mixtures;

namespace ProbLab.Cli.Experiments;

/// <summary>Writes the report of a `problab mixtures` run.</summary>
public static class MixtureReport
{
    /// <summary>Builds the sections for <paramref name="runs"/> and writes index.html; returns its path.</summary>
    public static string Write(CommandContext ctx, MixturesCommand.MixturesConfig cfg, MixtureDataset data, DataSource source, IReadOnlyList<MixtureRun> runs)
    {
        var clock = Stopwatch.StartNew();
        var map = new EuropeBackdrop(data);
        string model = cfg.Model.ToUpperInvariant();
        var largest = runs.MaxBy(r => r.Spec.Components)!;
        var sections = new List<ReportSection>
        {
            MixtureSections.DataNote(data, source),
            MixtureSections.Sweep($"{model} ({cfg.Method}, {cfg.Init} init) for K = {string.Join(", ", cfg.Components)}", map, runs, data),
        };
        var epochs = MixtureExperiments.CourseSnapshotEpochs(cfg.Epochs);
        var blocks = new List<ReportBlock>();
        if (largest.Snapshots.Count > 0)
        {
            blocks.Add(new SvgFigure($"K = {largest.Spec.Components}: 100 samples per component at each snapshot epoch.", MixtureFigures.Svg(MixtureFigures.Snapshots(map, largest, true, epochs))));
            blocks.Add(new SvgFigure($"K = {largest.Spec.Components}: 1000 mixture samples at each snapshot epoch.", MixtureFigures.Svg(MixtureFigures.Snapshots(map, largest, false, epochs))));
        }
        blocks.Add(new SvgFigure("Train (solid) and test (dashed) mean log-likelihood per epoch (EM: per iteration).",
            MixtureFigures.Svg(MixtureFigures.Curves($"{model}: mean log-likelihood", runs.Select(r => ($"K = {r.Spec.Components}", r)).ToList()))));
        sections.Add(new ReportSection("Training", blocks));
        if (cfg.Model == "umm" && largest.Snapshots.Any(s => s.Epoch == 0))
            sections.Add(MixtureSections.UniformAnalysis([MixtureExperiments.AnalyzeUniform(largest, data)], largest));
        var result = new ExperimentResult("mixtures", $"problab mixtures --model {cfg.Model} --method {cfg.Method} --init {cfg.Init}",
            runs.Sum(r => r.History.Seconds) + clock.Elapsed.TotalSeconds, cfg, [source], sections);
        var doc = new ReportDocument(Preset.Full, ctx.Globals.Seed, ctx.Globals.Threads, result.Seconds, [result]);
        string index = Path.Combine(ctx.OutDir("mixtures-report"), "index.html");
        AtomicFile.WriteAllText(index, HtmlReport.Render(doc));
        return index;
    }
}
