// `problab trueskill adf`: one assumed-density-filtering pass over a match file (course Q5/Q6): every match
// is first predicted from the ratings of earlier matches, then used to update them. Prints the one-step-ahead
// prediction rate on decisive matches and the ranking:
//   problab trueskill adf --data SerieA.csv --prior-mean 25 --prior-sd 8.333 --perf-sd 4.167 [--shuffle] --json
//   → {"correct":179,"decisive":272,"predictionRate":0.658,"ratings":[{"name":..,"mu":..,"sigma":..}, ...], ...}
// --gibbs-samples N replaces the analytic update of each game by the moments of N Gibbs samples (course Q5).
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ProbLab.Probabilistic.TrueSkill;

namespace ProbLab.Cli.Commands;

/// <summary>The `trueskill adf` command.</summary>
public static class TrueSkillAdfCommand
{
    /// <summary>Config of `problab trueskill adf`.</summary>
    public sealed record AdfConfig : MatchRunConfig
    {
        /// <summary>0: analytic moment matching; N ≥ 2: each game's posterior moments from N Gibbs samples.</summary>
        public int GibbsSamples { get; init; }
        /// <summary>Gibbs sweeps discarded per game.</summary>
        public int GibbsBurnIn { get; init; } = 50;
    }

    /// <summary>Creates `trueskill adf`.</summary>
    public static Command Create(CliApp app)
    {
        var gibbs = CliOptions.Int("--gibbs-samples", "per-game Gibbs samples instead of the analytic update (0 = analytic)", 0, min: 0, max: 100_000_000);
        var burnIn = CliOptions.Int("--gibbs-burn-in", "per-game Gibbs burn-in sweeps", 50, min: 0, max: 1_000_000);
        var cmd = new Command("adf", "Assumed density filtering over a match file: one-step-ahead predictions and final ratings.") { gibbs, burnIn };
        var files = new TrueSkillShared.MatchFileOptions("--data").AddTo(cmd);
        app.SetAction(cmd, p =>
        {
            var cfg = files.Bind(p, new AdfConfig { GibbsSamples = p.GetValue(gibbs), GibbsBurnIn = p.GetValue(burnIn) });
            if (cfg.GibbsSamples == 1) throw new UsageException("invalid value '1' for --gibbs-samples: use 0 (analytic) or at least 2");
            return cfg;
        }, Run);
        return cmd;
    }

    private static int Run(CommandContext ctx, AdfConfig cfg)
    {
        var model = cfg.ToModel();
        var matches = TrueSkillShared.Load(ctx, cfg);
        var adf = new AssumedDensityFiltering(model, new AdfOptions { GibbsSamples = cfg.GibbsSamples, GibbsBurnIn = cfg.GibbsBurnIn, Rng = ctx.Rng.Split() });
        var result = adf.Run(matches);
        Report(ctx, result.Posterior, result.Predictions, cfg.Top, cfg.RankBy);
        ctx.JsonResult = Json(result.Posterior, result.Predictions, cfg.RankBy);
        return ErrorText.Ok;
    }

    /// <summary>Prints the prediction summary and the ranking (shared with `rate`).</summary>
    public static void Report(CommandContext ctx, RatingPosterior post, PredictionSummary pred, int top, RankBy by)
    {
        var inv = CultureInfo.InvariantCulture;
        ctx.Out.WriteLine(string.Create(inv, $"one-step-ahead prediction: {pred.Correct}/{pred.Decisive} decisive matches = {pred.Rate:F4} " +
                                             $"(random 0.5, always side A {pred.AlwaysARate:F4}); {pred.Matches - pred.Decisive} draws"));
        if (!post.Home.IsPointMass) ctx.Out.WriteLine(string.Create(inv, $"learned home advantage h: {post.Home.Mean:F3} ± {post.Home.StdDev:F3}"));
        TrueSkillShared.PrintRanking(ctx.Out, post, top, by);
    }

    /// <summary>The JSON fields of an ADF run: prediction counts and rates, home advantage, ratings.</summary>
    public static JsonObject Json(RatingPosterior post, PredictionSummary pred, RankBy by) => new()
    {
        ["correct"] = pred.Correct,
        ["decisive"] = pred.Decisive,
        ["predictionRate"] = TrueSkillShared.Num(pred.Rate),
        ["matches"] = pred.Matches,
        ["alwaysARate"] = TrueSkillShared.Num(pred.AlwaysARate),
        ["logLoss"] = TrueSkillShared.Num(pred.LogLoss),
        ["brier"] = TrueSkillShared.Num(pred.Brier),
        ["home"] = TrueSkillShared.Home(post),
        ["ratings"] = TrueSkillShared.Ratings(post, by),
    };
}
