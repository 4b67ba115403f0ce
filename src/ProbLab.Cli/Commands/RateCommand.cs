// `problab rate --matches FILE`: rate the players of any match log. Columns are found by their usual names
// (team1/home/HomeTeam/white_id, score1/FTHG, result/FTR/winner, ...) or given with --team1-col, --team2-col,
// --score1-col, --score2-col, --result-col; Lichess games.csv files are recognised and cleaned. --method adf
// (default: one pass, also scores one-step-ahead predictions) or ep (order-independent). --out FILE also
// writes the full ranking as CSV, atomically. Bad input stops with one line naming the file, line and field.
//   problab rate --matches league.csv --team1-col Home --team2-col Away --result-col Res --out ratings.csv
using System.CommandLine;
using ProbLab.Probabilistic.TrueSkill;

namespace ProbLab.Cli.Commands;

/// <summary>Rating method of `problab rate`.</summary>
public enum RateMethod
{
    /// <summary>Assumed density filtering (online, order-dependent, with prediction scores).</summary>
    Adf,
    /// <summary>Expectation propagation (static skills, order-independent).</summary>
    Ep,
}

/// <summary>The `rate` command.</summary>
public static class RateCommand
{
    /// <summary>Config of `problab rate`.</summary>
    public sealed record RateConfig : MatchRunConfig
    {
        /// <summary>adf or ep.</summary>
        public RateMethod Method { get; init; } = RateMethod.Adf;
        /// <summary>EP: maximum sweeps.</summary>
        public int MaxIterations { get; init; } = 1000;
        /// <summary>EP: convergence tolerance.</summary>
        public double Tolerance { get; init; } = 1e-4;
        /// <summary>EP: damping.</summary>
        public double Damping { get; init; } = 1;
        /// <summary>Ratings CSV written atomically (--out), or null.</summary>
        public string? Out { get; init; }
    }

    /// <summary>Creates `rate`.</summary>
    public static Command Create(CliApp app)
    {
        var method = CliOptions.Choice("--method", "adf (online, with one-step-ahead predictions) or ep (order-independent)", RateMethod.Adf);
        var cmd = new Command("rate", "Rate the players of a match log (any CSV with a column mapping, or Lichess games.csv); --out FILE writes the ranking as CSV.") { method };
        var files = new TrueSkillShared.MatchFileOptions("--matches").AddTo(cmd);
        var ep = new TrueSkillEpCommand.EpOptionSet().AddTo(cmd);
        app.SetAction(cmd, p =>
        {
            var o = ep.Read(p);
            return files.Bind(p, new RateConfig
            {
                Method = p.GetValue(method), MaxIterations = o.MaxIterations, Tolerance = o.Tolerance, Damping = o.Damping,
                Out = app.Globals.Resolve(p).Out,
            });
        }, Run);
        return cmd;
    }

    private static int Run(CommandContext ctx, RateConfig cfg)
    {
        var model = cfg.ToModel();
        if (cfg.Method == RateMethod.Ep && model.Tau > 0) throw new UsageException("--method ep infers static skills: --drift applies to adf only");
        var matches = TrueSkillShared.Load(ctx, cfg);
        RatingPosterior post;
        if (cfg.Method == RateMethod.Adf)
        {
            var r = new AssumedDensityFiltering(model).Run(matches);
            TrueSkillAdfCommand.Report(ctx, r.Posterior, r.Predictions, cfg.Top, cfg.RankBy);
            ctx.JsonResult = TrueSkillAdfCommand.Json(r.Posterior, r.Predictions, cfg.RankBy);
            post = r.Posterior;
        }
        else
        {
            var r = TrueSkillEpCommand.Infer(model, matches, new EpOptions { MaxIterations = cfg.MaxIterations, Tolerance = cfg.Tolerance, Damping = cfg.Damping });
            TrueSkillEpCommand.Report(ctx, r, cfg.Top, cfg.RankBy);
            ctx.JsonResult = TrueSkillEpCommand.Json(r, cfg.RankBy);
            post = r.Posterior;
        }
        ctx.JsonResult["method"] = cfg.Method.ToString().ToLowerInvariant();
        if (cfg.Out is { } path)
        {
            TrueSkillShared.WriteRatings(path, post, cfg.RankBy);
            ctx.Out.WriteLine($"wrote {Path.GetFullPath(path)}");
            ctx.JsonResult["out"] = Path.GetFullPath(path);
        }
        return ErrorText.Ok;
    }
}
