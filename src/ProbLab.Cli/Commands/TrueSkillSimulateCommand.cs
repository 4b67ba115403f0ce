// `problab trueskill simulate --players N --matches M --out FILE`: a synthetic league drawn from the TrueSkill
// model (skills ~ N(μ₀, σ₀²), t = s_A − s_B + h + σt·ε, draws within ±ε, optional drift and goal margins),
// written as a match CSV that `rate` and `trueskill adf|ep` read back. --truth FILE also writes the true
// skills, for simulate-then-recover checks. Both files are written atomically (temporary file, then rename).
//   problab trueskill simulate --players 1000 --matches 10000000 --out league.csv --seed 7
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ProbLab.Data;
using ProbLab.Probabilistic.TrueSkill;

namespace ProbLab.Cli.Commands;

/// <summary>The `trueskill simulate` command.</summary>
public static class TrueSkillSimulateCommand
{
    /// <summary>Config of `problab trueskill simulate`.</summary>
    public sealed record SimulateConfig : ModelConfig
    {
        /// <summary>Number of players (≥ 2).</summary>
        public int Players { get; init; } = 100;
        /// <summary>Number of matches (random schedule).</summary>
        public int Matches { get; init; } = 10_000;
        /// <summary>random pairs, or round-robin (every ordered pair once per season).</summary>
        public Schedule Schedule { get; init; } = Schedule.Random;
        /// <summary>Seasons of the round-robin schedule.</summary>
        public int Seasons { get; init; } = 1;
        /// <summary>The match file (--out).</summary>
        public string Out { get; init; } = "";
        /// <summary>Optional file for the true skills.</summary>
        public string? Truth { get; init; }
    }

    /// <summary>Creates `trueskill simulate`.</summary>
    public static Command Create(CliApp app)
    {
        var d = new SimulateConfig();
        var players = CliOptions.Int("--players", "number of players", d.Players, min: 2, max: 100_000_000);
        var matches = CliOptions.Int("--matches", "number of matches (random schedule)", d.Matches, min: 1, max: 500_000_000);
        var schedule = CliOptions.Choice("--schedule", "random (uniform pairs) or round-robin (home and away, per season)", d.Schedule);
        var seasons = CliOptions.Int("--seasons", "seasons of the round-robin schedule", d.Seasons, min: 1, max: 10_000);
        var truth = CliOptions.Path("--truth", "also write the true skills (name,skill,final_skill) to this CSV");
        var cmd = new Command("simulate", "Simulate a league from the TrueSkill model and write it as a match CSV to --out FILE (atomically).")
            { players, matches, schedule, seasons, truth };
        var model = new TrueSkillShared.ModelOptions().AddTo(cmd);
        app.SetAction(cmd, p => model.Bind(p, new SimulateConfig
        {
            Players = p.GetValue(players), Matches = p.GetValue(matches), Schedule = p.GetValue(schedule), Seasons = p.GetValue(seasons),
            Out = app.Globals.Resolve(p).Out ?? throw new UsageException("'problab trueskill simulate' needs --out FILE (the match CSV to write)"),
            Truth = p.GetValue(truth),
        }), Run);
        return cmd;
    }

    private static int Run(CommandContext ctx, SimulateConfig cfg)
    {
        var model = cfg.ToModel();
        var league = LeagueSimulator.Simulate(new LeagueOptions
        {
            Players = cfg.Players, Schedule = cfg.Schedule, Matches = cfg.Matches, Seasons = cfg.Seasons, Model = model,
        }, ctx.Rng);
        var m = league.Matches;
        string path = Path.GetFullPath(cfg.Out);
        MatchesCsv.Write(path, m, ctx.Cancel);
        ctx.Out.WriteLine($"wrote {path}: {m.Count:N0} matches between {m.PlayerCount:N0} players ({m.AWinCount:N0} side-A wins, {m.DrawCount:N0} draws)");
        string? truthPath = null;
        if (cfg.Truth is { } t)
        {
            truthPath = Path.GetFullPath(t);
            var sb = new StringBuilder("name,skill,final_skill\n");
            for (int i = 0; i < m.PlayerCount; i++)
                sb.Append(CultureInfo.InvariantCulture, $"{m.Names[i]},{league.InitialSkills[i]:R},{league.FinalSkills[i]:R}\n");
            AtomicFile.WriteAllText(truthPath, sb.ToString());
            ctx.Out.WriteLine($"wrote {truthPath}: true skills");
        }
        ctx.JsonResult = new JsonObject
        {
            ["out"] = path, ["truth"] = truthPath, ["matches"] = m.Count, ["players"] = m.PlayerCount,
            ["aWins"] = m.AWinCount, ["draws"] = m.DrawCount, ["bytes"] = new FileInfo(path).Length,
        };
        return ErrorText.Ok;
    }
}
