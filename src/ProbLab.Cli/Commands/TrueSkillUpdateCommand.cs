// `problab trueskill update`: the closed-form TrueSkill update after one game (course Q7/Q8, message passing
// with moment matching of the performance difference t, then the regression step to each skill):
//   problab trueskill update --mu1 25 --sigma1 8.333 --mu2 25 --sigma2 8.333 --perf-sd 4.1667 --outcome win --json
//   → {"player1":{"mu":..,"sigma":..},"player2":{"mu":..,"sigma":..},"prediction":{...}, ...}
// A draw is informative only with a draw margin ε > 0 (|t| ≤ ε); without one it is a usage error.
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ProbLab.Data;
using ProbLab.Probabilistic.Distributions;
using ProbLab.Probabilistic.TrueSkill;

namespace ProbLab.Cli.Commands;

/// <summary>The observed result of one game from player 1's side.</summary>
public enum GameResult
{
    /// <summary>Player 1 won.</summary>
    Win,
    /// <summary>Player 1 lost.</summary>
    Loss,
    /// <summary>A draw (needs a draw margin).</summary>
    Draw,
}

/// <summary>The `trueskill update` command.</summary>
public static class TrueSkillUpdateCommand
{
    /// <summary>Config of `problab trueskill update` (also the game of `trueskill gibbs`).</summary>
    public record GameConfig
    {
        /// <summary>Player 1's prior mean.</summary>
        public double Mu1 { get; init; } = 25;
        /// <summary>Player 1's prior sd.</summary>
        public double Sigma1 { get; init; } = 25.0 / 3;
        /// <summary>Player 2's prior mean.</summary>
        public double Mu2 { get; init; } = 25;
        /// <summary>Player 2's prior sd.</summary>
        public double Sigma2 { get; init; } = 25.0 / 3;
        /// <summary>Sd σt of the performance difference.</summary>
        public double PerfSd { get; init; } = 25.0 / 6;
        /// <summary>What happened, from player 1's side.</summary>
        public GameResult Outcome { get; init; } = GameResult.Win;
        /// <summary>Draw margin ε (0: no draws).</summary>
        public double DrawMargin { get; init; }
        /// <summary>Fixed advantage h of player 1 (home / white).</summary>
        public double Advantage { get; init; }

        /// <summary>The one-game model (player priors are separate).</summary>
        public TrueSkillModel ToModel() => new TrueSkillModel
        {
            Mu = Mu1, Sigma = Sigma1, SigmaT = PerfSd, HomeMean = Advantage,
            Draws = DrawMargin > 0 ? DrawHandling.Margin : DrawHandling.Skip, DrawMargin = DrawMargin,
        }.Validate();

        /// <summary>The observed interval lo ≤ t ≤ hi.</summary>
        public (double Lo, double Hi) Interval()
        {
            var outcome = Outcome switch { GameResult.Win => MatchOutcome.AWins, GameResult.Loss => MatchOutcome.BWins, _ => MatchOutcome.Draw };
            if (!ToModel().TryOutcomeInterval(new Match(0, 1, outcome), out double lo, out double hi))
                throw new UsageException("--outcome draw needs --draw-margin > 0 (without a margin a draw has probability 0 and carries no information)");
            return (lo, hi);
        }

        /// <summary>Player 1's prior.</summary>
        public Gaussian Prior1() => Gaussian.FromMeanAndVariance(Mu1, Sigma1 * Sigma1);
        /// <summary>Player 2's prior.</summary>
        public Gaussian Prior2() => Gaussian.FromMeanAndVariance(Mu2, Sigma2 * Sigma2);
    }

    /// <summary>The options of one game, shared with `trueskill gibbs`.</summary>
    public sealed class GameOptions
    {
        private static readonly GameConfig D = new();
        private readonly Option<double> _mu1 = CliOptions.Double("--mu1", "player 1's prior mean", D.Mu1);
        private readonly Option<double> _s1 = CliOptions.Double("--sigma1", "player 1's prior sd (> 0)", D.Sigma1, min: 0);
        private readonly Option<double> _mu2 = CliOptions.Double("--mu2", "player 2's prior mean", D.Mu2);
        private readonly Option<double> _s2 = CliOptions.Double("--sigma2", "player 2's prior sd (> 0)", D.Sigma2, min: 0);
        private readonly Option<double> _perf = CliOptions.Double("--perf-sd", "sd σt of the performance difference (> 0)", D.PerfSd, min: 0);
        private readonly Option<GameResult> _outcome = CliOptions.Choice("--outcome", "win, loss or draw, from player 1's side", GameResult.Win);
        private readonly Option<double> _draw = CliOptions.Double("--draw-margin", "draw margin ε (needed for --outcome draw)", 0, min: 0);
        private readonly Option<double> _adv = CliOptions.Double("--advantage", "fixed advantage h of player 1 (home / white)", 0);

        /// <summary>Adds the options; --outcome is required.</summary>
        public GameOptions AddTo(Command cmd)
        {
            _outcome.Required = true;
            _outcome.DefaultValueFactory = null;   // a default would satisfy Required
            foreach (var o in new Option[] { _mu1, _s1, _mu2, _s2, _perf, _outcome, _draw, _adv }) cmd.Options.Add(o);
            return this;
        }

        /// <summary><paramref name="cfg"/> with the parsed game.</summary>
        public T Bind<T>(ParseResult p, T cfg) where T : GameConfig
        {
            var r = (T)(cfg with
            {
                Mu1 = p.GetValue(_mu1), Sigma1 = p.GetValue(_s1), Mu2 = p.GetValue(_mu2), Sigma2 = p.GetValue(_s2), PerfSd = p.GetValue(_perf),
                Outcome = p.GetValue(_outcome), DrawMargin = p.GetValue(_draw), Advantage = p.GetValue(_adv),
            });
            TrueSkillShared.Positive(r.Sigma1, "--sigma1");
            TrueSkillShared.Positive(r.Sigma2, "--sigma2");
            TrueSkillShared.Positive(r.PerfSd, "--perf-sd");
            r.Interval();   // a draw without a margin fails here, before anything runs
            return r;
        }
    }

    /// <summary>Creates `trueskill update`.</summary>
    public static Command Create(CliApp app)
    {
        var cmd = new Command("update", "Posterior skills of two players after one game (moment matching; exact mean and variance of each skill).");
        var game = new GameOptions().AddTo(cmd);
        app.SetAction(cmd, p => game.Bind(p, new GameConfig()), Run);
        return cmd;
    }

    private static int Run(CommandContext ctx, GameConfig cfg)
    {
        var (lo, hi) = cfg.Interval();
        var model = cfg.ToModel();
        double m1 = cfg.Mu1, v1 = cfg.Sigma1 * cfg.Sigma1, m2 = cfg.Mu2, v2 = cfg.Sigma2 * cfg.Sigma2, mh = cfg.Advantage, vh = 0;
        GameUpdate.Apply(ref m1, ref v1, ref m2, ref v2, ref mh, ref vh, model.NoiseVariance, lo, hi);
        var (p1, pd, p2) = model.Predict(cfg.Prior1(), cfg.Prior2(), Gaussian.PointMass(cfg.Advantage));
        var inv = CultureInfo.InvariantCulture;
        ctx.Out.WriteLine(string.Create(inv, $"before: P(player 1 wins) = {p1:F4}, P(draw) = {pd:F4}, P(player 2 wins) = {p2:F4}"));
        ctx.Out.WriteLine(string.Create(inv, $"player 1: μ {cfg.Mu1,9:F4} → {m1,9:F4}   σ {cfg.Sigma1,8:F4} → {Math.Sqrt(v1),8:F4}"));
        ctx.Out.WriteLine(string.Create(inv, $"player 2: μ {cfg.Mu2,9:F4} → {m2,9:F4}   σ {cfg.Sigma2,8:F4} → {Math.Sqrt(v2),8:F4}"));
        ctx.JsonResult = new JsonObject
        {
            ["player1"] = TrueSkillShared.Skill(m1, v1),
            ["player2"] = TrueSkillShared.Skill(m2, v2),
            ["prediction"] = new JsonObject { ["player1Wins"] = TrueSkillShared.Num(p1), ["draw"] = TrueSkillShared.Num(pd), ["player2Wins"] = TrueSkillShared.Num(p2) },
        };
        return ErrorText.Ok;
    }
}
