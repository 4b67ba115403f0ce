// `problab diffusion spiral`: score-based diffusion of the exam's spiral mixture (P3.2). Runs the forward
// process, reverse sampling with the exact score, the chosen learned scores, and the exam text's β1 = 0.2
// schedule; prints one line per sampler and, unless --no-report, writes the chapter as an HTML report.
//   problab diffusion spiral [--beta0 0.1] [--beta1 12] [--steps 500] [--samples 2000]
//       [--scores hyvarinen,denoising,exam] [--hyvarinen-steps 12000] [--denoising-steps 12000] [--exam-steps 8000] [--no-report]
// --json: {"schedule":{..},"reference":{..},"exact":{..},"learned":[..],"examSchedule":{..}} in the envelope.
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ProbLab.Cli.Experiments;
using ProbLab.Models.Diffusion;
using ProbLab.Reports;

namespace ProbLab.Cli.Commands;

/// <summary>The `diffusion spiral` command.</summary>
public static class DiffusionSpiralCommand
{
    /// <summary>Config of `problab diffusion spiral` (defaults: β0 = 0.1, β1 = 12, K = 500, all three learned scores).</summary>
    public sealed record DiffusionSpiralConfig
    {
        /// <summary>β(0) of the working schedule.</summary>
        public double Beta0 { get; init; } = 0.1;
        /// <summary>β(1) of the working schedule (the exam text's 0.2 is always shown for comparison).</summary>
        public double Beta1 { get; init; } = 12;
        /// <summary>Diffusion steps K (Δt = 1/K).</summary>
        public int Steps { get; init; } = 500;
        /// <summary>Samples per sampler.</summary>
        public int Samples { get; init; } = 2000;
        /// <summary>Learned scores to train: hyvarinen, denoising, exam (the exam student's raw-input Hyvärinen net).</summary>
        public string[] Scores { get; init; } = ["hyvarinen", "denoising", "exam"];
        /// <summary>Adam steps of the Hyvärinen score.</summary>
        public int HyvarinenSteps { get; init; } = 12000;
        /// <summary>Adam steps of the denoising score.</summary>
        public int DenoisingSteps { get; init; } = 12000;
        /// <summary>Adam steps of the exam-setup Hyvärinen score.</summary>
        public int ExamSteps { get; init; } = 8000;
        /// <summary>Skip the HTML report.</summary>
        public bool NoReport { get; init; }
    }

    private static readonly string[] ScoreNames = ["hyvarinen", "denoising", "exam"];

    /// <summary>Creates `spiral` (added under `diffusion`).</summary>
    public static Command Create(CliApp app)
    {
        var d = new DiffusionSpiralConfig();
        var beta0 = CliOptions.Double("--beta0", "β(0) of the linear schedule", d.Beta0, min: 0, max: 1000);
        var beta1 = CliOptions.Double("--beta1", "β(1) of the linear schedule (the exam text's 0.2 leaves ᾱ(1) ≈ 0.9)", d.Beta1, min: 0, max: 1000);
        var steps = CliOptions.Int("--steps", "diffusion steps K", d.Steps, min: 1, max: 100_000);
        var samples = CliOptions.Int("--samples", "samples per sampler", d.Samples, min: 1, max: 1_000_000);
        var scores = CliOptions.NameList("--scores", "learned scores to train: hyvarinen, denoising, exam (comma-separated; 'none' for the exact score only)");
        var hyv = CliOptions.Int("--hyvarinen-steps", "Adam steps of the Hyvärinen score", d.HyvarinenSteps, min: 1, max: 10_000_000);
        var dsm = CliOptions.Int("--denoising-steps", "Adam steps of the denoising score", d.DenoisingSteps, min: 1, max: 10_000_000);
        var exam = CliOptions.Int("--exam-steps", "Adam steps of the exam-setup Hyvärinen score", d.ExamSteps, min: 1, max: 10_000_000);
        var noReport = CliOptions.Flag("--no-report", "do not write the HTML report");
        var cmd = new Command("spiral", "Diffuse the exam's spiral mixture: forward snapshots, exact-score and learned-score reverse sampling, the β1 = 0.2 schedule.")
            { beta0, beta1, steps, samples, scores, hyv, dsm, exam, noReport };
        app.SetAction(cmd, p => Check(new DiffusionSpiralConfig
        {
            Beta0 = p.GetValue(beta0), Beta1 = p.GetValue(beta1), Steps = p.GetValue(steps), Samples = p.GetValue(samples),
            Scores = p.GetValue(scores) is { Length: > 0 } s ? s : d.Scores, HyvarinenSteps = p.GetValue(hyv), DenoisingSteps = p.GetValue(dsm),
            ExamSteps = p.GetValue(exam), NoReport = p.GetValue(noReport),
        }), Run);
        return cmd;
    }

    private static DiffusionSpiralConfig Check(DiffusionSpiralConfig c)
    {
        if (c.Scores is ["none"]) return c with { Scores = [] };
        foreach (string s in c.Scores)
            if (!ScoreNames.Contains(s)) throw new UsageException($"--scores: unknown score '{s}' (expected hyvarinen, denoising, exam or none)");
        if (c.Beta0 + c.Beta1 == 0) throw new UsageException("--beta0 and --beta1 are both 0: nothing diffuses");
        return c;
    }

    /// <summary>The study config a command config describes (snapshots at fixed fractions of K).</summary>
    public static SpiralStudyConfig Study(DiffusionSpiralConfig c) => new()
    {
        Beta0 = c.Beta0, Beta1 = c.Beta1, Steps = c.Steps, Samples = c.Samples,
        SnapshotSteps = new[] { 0.0, 0.02, 0.05, 0.1, 0.2, 1.0 }.Select(f => (int)Math.Round(f * c.Steps)).Distinct().ToArray(),
        Learned = c.Scores.Select(s => s switch
        {
            "hyvarinen" => LearnedScoreSpec.Hyvarinen(c.HyvarinenSteps),
            "denoising" => LearnedScoreSpec.Denoising(c.DenoisingSteps),
            _ => LearnedScoreSpec.ExamHyvarinen(c.ExamSteps),
        }).ToArray(),
    };

    private static int Run(CommandContext ctx, DiffusionSpiralConfig cfg)
    {
        var study = Study(cfg);
        SpiralStudyResult r;
        using (var progress = new StudyProgressAdapter(ctx.Progress)) r = SpiralStudy.Run(study, ctx.Rng, progress, ctx.Cancel);
        ctx.Out.WriteLine($"{"sampler",-48} {"dist to curve",13} {"tau-TV",8} {"J(theta)",10} {"J*",10} {"seconds",8}");
        ctx.Out.WriteLine(Row("exact draws of p0", r.ReferenceDistance, r.ReferenceTauTv, null, null, null));
        ctx.Out.WriteLine(Row($"exact score (beta1 = {cfg.Beta1.ToString(CultureInfo.InvariantCulture)})", r.Exact.MeanDistance, r.Exact.TauTv, null, null, r.Exact.Seconds));
        foreach (var l in r.Learned)
            ctx.Out.WriteLine(Row(l.Spec.Name, l.Samples.MeanDistance, l.Samples.TauTv, l.EvalLoss, l.EvalOptimum, l.TrainSeconds + l.Samples.Seconds));
        ctx.Out.WriteLine(Row($"exact score (exam beta1 = {study.ExamBeta1.ToString(CultureInfo.InvariantCulture)})", r.ExamSchedule.Exact.MeanDistance, r.ExamSchedule.Exact.TauTv, null, null, r.ExamSchedule.Exact.Seconds));
        if (!cfg.NoReport)
        {
            var report = ctx.NewReport("problab diffusion spiral", cfg);
            DiffusionSpiralExperiment.Write(report.AddSection("Score-based diffusion of a spiral (exam P3.2)"), r);
            ctx.Out.WriteLine($"wrote {report.Save(ctx.OutDir("diffusion-spiral-report"))}");
        }
        ctx.JsonResult = Json(r);
        return ErrorText.Ok;
    }

    /// <summary>The --json summary of a study.</summary>
    public static JsonObject Json(SpiralStudyResult r) => new()
    {
        ["schedule"] = new JsonObject { ["beta0"] = r.Sde.Beta0, ["beta1"] = r.Sde.Beta1, ["steps"] = r.Sde.Steps, ["alphaBarK"] = Round(r.Sde.AlphaBar(1)) },
        ["reference"] = new JsonObject { ["meanDistance"] = Round(r.ReferenceDistance), ["tauTv"] = Round(r.ReferenceTauTv) },
        ["exact"] = Samples(r.Exact),
        ["learned"] = new JsonArray(r.Learned.Select(l => (JsonNode)new JsonObject
        {
            ["name"] = l.Spec.Name,
            ["objective"] = l.Spec.Training.Objective.ToString().ToLowerInvariant(),
            ["weighting"] = l.Spec.Training.Weighting.ToString().ToLowerInvariant(),
            ["parameters"] = l.Parameters,
            ["steps"] = l.Spec.Training.Steps,
            ["finalLoss"] = Round(l.History.Loss.Skip(l.History.Loss.Length * 19 / 20).Average()),
            ["evalLoss"] = Round(l.EvalLoss),
            ["evalOptimum"] = Round(l.EvalOptimum),
            ["evalFisher"] = Round(l.EvalFisher),
            ["trainSeconds"] = Round(l.TrainSeconds),
            ["samples"] = Samples(l.Samples),
            ["fisher"] = new JsonArray(l.Fisher.Select(f => (JsonNode)new JsonObject { ["t"] = f.Time, ["fisher"] = Round(f.Fisher), ["energy"] = Round(f.Energy) }).ToArray()),
        }).ToArray()),
        ["examSchedule"] = new JsonObject
        {
            ["beta0"] = r.ExamSchedule.Sde.Beta0, ["beta1"] = r.ExamSchedule.Sde.Beta1, ["alphaBarK"] = Round(r.ExamSchedule.AlphaBarK),
            ["exact"] = Samples(r.ExamSchedule.Exact),
        },
    };

    private static JsonObject Samples(SpiralSamples s) => new() { ["meanDistance"] = Round(s.MeanDistance), ["tauTv"] = Round(s.TauTv), ["seconds"] = Round(s.Seconds) };

    private static double Round(double v) => double.IsFinite(v) ? Math.Round(v, 6) : double.NaN;

    private static string Row(string name, double dist, double tv, double? j, double? jStar, double? seconds) => string.Create(CultureInfo.InvariantCulture,
        $"{name,-48} {dist,13:F4} {tv,8:F4} {(j is { } a ? a.ToString("F4", CultureInfo.InvariantCulture) : "-"),10} {(jStar is { } b ? b.ToString("F4", CultureInfo.InvariantCulture) : "-"),10} {(seconds is { } c ? c.ToString("F1", CultureInfo.InvariantCulture) : "-"),8}");
}
