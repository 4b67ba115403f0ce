// The HTML report of one `problab mixtures` invocation: the data note, the sample figures and table of the
// sweep, snapshots and curves of the largest K, and for uniform mixtures the shrinking-box analysis. Written
// atomically to --out (default ./mixtures-report/index.html) with the same section builders as `problab report`.
using ProbLab.Cli.Commands;
using ProbLab.Data;
using ProbLab.Models.Mixtures;
using ProbLab.Reports;

namespace ProbLab.Cli.Experiments;

/// <summary>Writes the report of a `problab mixtures` run.</summary>
public static class MixtureReport
{
    /// <summary>Builds the sections for <paramref name="runs"/> and writes index.html; returns its path.</summary>
    public static string Write(CommandContext ctx, MixturesCommand.MixturesConfig cfg, MixtureDataset data, DataSource source, IReadOnlyList<MixtureRun> runs)
    {
        var map = new EuropeBackdrop(data);
        string model = cfg.Model.ToUpperInvariant();
        var largest = runs.MaxBy(r => r.Spec.Components)!;
        var report = ctx.NewReport($"problab mixtures --model {cfg.Model} --method {cfg.Method} --init {cfg.Init}", cfg)
            .Meta("fit time", $"{runs.Sum(r => r.History.Seconds):F1} s");
        if (source.IsSynthetic) report.Note(source.ToString());
        var chapter = report.AddSection($"{model} on the Europe countries");
        MixtureSections.DataNote(chapter, data, source);
        MixtureSections.Sweep(chapter, $"{model} ({cfg.Method}, {cfg.Init} init) for K = {string.Join(", ", cfg.Components)}", map, runs, data);
        var epochs = MixtureExperiments.CourseSnapshotEpochs(cfg.Epochs);
        var training = chapter.AddSection("Training");
        if (largest.Snapshots.Count > 0)
        {
            training.Figure(MixtureFigures.Snapshots(map, largest, true, epochs), $"K = {largest.Spec.Components}: 100 samples per component at each snapshot epoch.");
            training.Figure(MixtureFigures.Snapshots(map, largest, false, epochs), $"K = {largest.Spec.Components}: 1000 mixture samples at each snapshot epoch.");
        }
        training.Figure(MixtureFigures.Curves($"{model}: mean log-likelihood", runs.Select(r => ($"K = {r.Spec.Components}", r)).ToList()),
            "Train (solid) and test (dashed) mean log-likelihood per epoch (EM: per iteration).");
        if (cfg.Model == "umm" && largest.Snapshots.Any(s => s.Epoch == 0))
            MixtureSections.UniformAnalysis(chapter, [MixtureExperiments.AnalyzeUniform(largest, data)], largest);
        return report.Save(ctx.OutDir("mixtures-report"));
    }
}
