// `problab trueskill ep`: expectation propagation over a whole match file (static skills): sweeps over all
// games until no marginal moves by more than --tolerance. Unlike ADF the answer does not depend on the order
// of the matches (try --shuffle with different --seed values):
//   problab trueskill ep --data SerieA.csv [--max-iterations 1000] [--tolerance 1e-4] [--damping 1] --json
//   → {"iterations":..,"converged":true,"finalChange":..,"ratings":[{"name":..,"mu":..,"sigma":..}, ...], ...}
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ProbLab.Data;
using ProbLab.Probabilistic.TrueSkill;

namespace ProbLab.Cli.Commands;

/// <summary>The `trueskill ep` command.</summary>
public static class TrueSkillEpCommand
{
    /// <summary>Config of `problab trueskill ep` (and of `rate --method ep`).</summary>
    public sealed record EpConfig : MatchRunConfig
    {
        /// <summary>Maximum sweeps over all games.</summary>
        public int MaxIterations { get; init; } = 1000;
        /// <summary>Stop when no marginal mean or sd moves more than this in a sweep.</summary>
        public double Tolerance { get; init; } = 1e-4;
        /// <summary>Message damping in (0, 1] (1 = none).</summary>
        public double Damping { get; init; } = 1;
    }

    /// <summary>The EP options (shared with `rate`).</summary>
    public sealed class EpOptionSet
    {
        private readonly Option<int> _iter = CliOptions.Int("--max-iterations", "EP: maximum sweeps over all games", 1000, min: 1, max: 1_000_000);
        private readonly Option<double> _tol = CliOptions.Double("--tolerance", "EP: stop when no mean or sd moves more than this in a sweep", 1e-4, min: 0);
        private readonly Option<double> _damp = CliOptions.Double("--damping", "EP: message damping in (0, 1] (1 = none)", 1, min: 0, max: 1);

        /// <summary>Adds the options.</summary>
        public EpOptionSet AddTo(Command cmd)
        {
            foreach (var o in new Option[] { _iter, _tol, _damp }) cmd.Options.Add(o);
            return this;
        }

        /// <summary>The parsed EP settings.</summary>
        public EpOptions Read(ParseResult p)
        {
            double damping = p.GetValue(_damp);
            TrueSkillShared.Positive(damping, "--damping");
            return new EpOptions { MaxIterations = p.GetValue(_iter), Tolerance = p.GetValue(_tol), Damping = damping };
        }
    }

    /// <summary>Creates `trueskill ep`.</summary>
    public static Command Create(CliApp app)
    {
        var cmd = new Command("ep", "Expectation propagation over a match file: order-independent ratings of static skills.");
        var files = new TrueSkillShared.MatchFileOptions("--data").AddTo(cmd, drift: false);
        var ep = new EpOptionSet().AddTo(cmd);
        app.SetAction(cmd, p =>
        {
            var o = ep.Read(p);
            return files.Bind(p, new EpConfig { MaxIterations = o.MaxIterations, Tolerance = o.Tolerance, Damping = o.Damping });
        }, Run);
        return cmd;
    }

    private static int Run(CommandContext ctx, EpConfig cfg)
    {
        var model = cfg.ToModel();
        var matches = TrueSkillShared.Load(ctx, cfg);
        var result = Infer(model, matches, new EpOptions { MaxIterations = cfg.MaxIterations, Tolerance = cfg.Tolerance, Damping = cfg.Damping });
        Report(ctx, result, cfg.Top, cfg.RankBy);
        ctx.JsonResult = Json(result, cfg.RankBy);
        return ErrorText.Ok;
    }

    /// <summary>Runs EP; the model must have no drift.</summary>
    /// <exception cref="UsageException">The model has drift (EP here infers static skills).</exception>
    public static EpResult Infer(TrueSkillModel model, MatchData matches, EpOptions options)
    {
        if (model.Tau > 0) throw new UsageException("EP infers static skills: --drift applies to ADF only");
        return new ExpectationPropagation(model, options).Run(matches);
    }

    /// <summary>Prints convergence and the ranking.</summary>
    public static void Report(CommandContext ctx, EpResult r, int top, RankBy by)
    {
        var inv = CultureInfo.InvariantCulture;
        double last = r.MaxChange.Length > 0 ? r.MaxChange[^1] : 0;
        ctx.Out.WriteLine(string.Create(inv, $"EP: {(r.Converged ? "converged" : "NOT converged")} after {r.Iterations} sweeps (last change {last:G3}); {r.SkippedUpdates} skipped updates"));
        if (!r.Posterior.Home.IsPointMass) ctx.Out.WriteLine(string.Create(inv, $"learned home advantage h: {r.Posterior.Home.Mean:F3} ± {r.Posterior.Home.StdDev:F3}"));
        TrueSkillShared.PrintRanking(ctx.Out, r.Posterior, top, by);
    }

    /// <summary>The JSON fields of an EP run.</summary>
    public static JsonObject Json(EpResult r, RankBy by) => new()
    {
        ["iterations"] = r.Iterations,
        ["converged"] = r.Converged,
        ["finalChange"] = TrueSkillShared.Num(r.MaxChange.Length > 0 ? r.MaxChange[^1] : 0),
        ["skippedUpdates"] = r.SkippedUpdates,
        ["home"] = TrueSkillShared.Home(r.Posterior),
        ["ratings"] = TrueSkillShared.Ratings(r.Posterior, by),
    };
}
