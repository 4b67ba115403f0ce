// TrueSkill on Lichess games (course Q9: a dataset of our own): how games.csv is cleaned, ADF's one-step-ahead
// prediction rate in chronological order (and in raw file order and on rated games only, for contrast), the
// top-10 players by the conservative estimate μ − 3σ, how many games players have, and why our baseline is not
// the seed report's 0.532 (prediction rules and denominators, computed here rather than guessed). Uses
// chess/games.csv when found, else the ChessSynthetic stand-in.
using ProbLab.Data;
using ProbLab.Probabilistic.TrueSkill;
using ProbLab.Probabilistic.TrueSkill.Experiments;
using ProbLab.Reports;

namespace ProbLab.Cli.Experiments;

/// <summary>ADF on the Lichess games: cleaning, predictions, top-10.</summary>
public sealed class TrueSkillChessExperiment : IExperiment
{
    /// <summary>Config of the chess experiment (the data are small, so both presets run everything).</summary>
    public sealed record ChessConfig
    {
        /// <summary>Prior mean μ₀.</summary>
        public double PriorMean { get; init; } = 25;
        /// <summary>Prior sd σ₀.</summary>
        public double PriorSd { get; init; } = 25.0 / 3;
        /// <summary>Performance-difference sd σt.</summary>
        public double PerfSd { get; init; } = 25.0 / 6;
        /// <summary>Rows of the top table.</summary>
        public int Top { get; init; } = 10;
        /// <summary>Minimum games to enter the top table (0: rank everyone by μ − 3σ, which already penalises few games).</summary>
        public int MinGames { get; init; }

        /// <summary>The preset's config.</summary>
        public static ChessConfig For(Preset preset) => new();

        /// <summary>The baseline model.</summary>
        public TrueSkillModel Model() => new TrueSkillModel { Mu = PriorMean, Sigma = PriorSd, SigmaT = PerfSd }.Validate();
    }

    /// <inheritdoc/>
    public string Name => "trueskill-chess";

    /// <inheritdoc/>
    public string Title => "TrueSkill on Lichess chess games";

    /// <inheritdoc/>
    public void Run(ExperimentContext ctx, Preset preset, Section chapter)
    {
        var cfg = ChessConfig.For(preset);
        ctx.RecordConfig(cfg);
        var (chrono, fileOrder, rated, source) = TrueSkillData.Chess(ctx);
        var model = cfg.Model();
        ChessStudyResult r;
        using (var task = ctx.Progress.Start("chess study", 1))
        {
            r = ChessStudy.Run(chrono, fileOrder, rated, new ChessStudyOptions { Model = model, MinGames = cfg.MinGames, Top = cfg.Top });
            task.Advance();
        }
        CleaningSection(chapter, r, source);
        PredictionSection(chapter, chrono, model, r, source);
        TopSection(chapter, r, cfg, source);
    }

    private static void CleaningSection(Section chapter, ChessStudyResult r, DataSource source)
    {
        var c = r.Cleaning;
        var t = new Table("step", "count").AddRow("rows in the file", c.Rows).AddRow("rows repeating an earlier game id", c.DuplicateRows)
            .AddRow("… of which byte-identical rows", c.ExactDuplicateRows).AddRow("distinct games", c.DistinctGames)
            .AddRow("games with only a rounded timestamp", c.ImpreciseTimeOnly).AddRow("self-play games dropped", c.SelfPlay)
            .AddRow("casual (unrated) games kept", c.Unrated).AddRow("games used", c.Kept).AddRow("white wins", c.WhiteWins)
            .AddRow("black wins", c.BlackWins).AddRow("draws (skipped by the baseline)", c.Draws).AddRow("players", r.Players);
        t.Caption = "Cleaning of games.csv";
        chapter.AddSection("Data and cleaning")
            .Paragraph("The Kaggle/Lichess file (columns id, rated, created_at, winner, white_id, white_rating, black_id, black_rating, ...) has " +
                       "quirks that matter for an online method. Every repeated id is the same game scraped twice (copies differ only in the spelling of " +
                       "`rated` and the precision of the timestamps), so one game per id is kept, with the most precise created_at. Two games have the " +
                       "same account on both sides and are dropped. Rated and casual games are both kept. Most importantly the file is **not** in time " +
                       "order: it lists each scraped player's games newest first, so the games are sorted by created_at (ties, common among the rounded " +
                       "timestamps, by descending file position). White is side A, so \"home advantage\" becomes white's first-move advantage." +
                       TrueSkillData.StandInRemark(source))
            .Table(t);
    }

    private static void PredictionSection(Section chapter, ChessData chrono, TrueSkillModel model, ChessStudyResult r, DataSource source)
    {
        var m = chrono.Matches;
        var run = new AssumedDensityFiltering(model, new AdfOptions { RecordGames = true }).Run(m);
        var p = run.Predictions;
        // How the choice of prediction rule and denominator moves the number (the seed's 0.532 is not reproducible from its text).
        int ties = 0, tiesAWon = 0, firstTimers = 0;
        var seen = new bool[m.PlayerCount];
        for (int i = 0; i < m.Count; i++)
        {
            var g = run.Games![i];
            int a = m.PlayerA[i], b = m.PlayerB[i];
            if (g.Actual != 0)
            {
                if (!seen[a] || !seen[b]) firstTimers++;
                if (Math.Abs(g.PAWins - g.PBWins) < 1e-12) { ties++; if (g.Actual > 0) tiesAWon++; }
            }
            if (g.Actual != 0) { seen[a] = true; seen[b] = true; }   // skipped draws do not inform the ratings
        }
        double newcomers = (double)firstTimers / p.Decisive;
        double tiesToBlack = (double)(p.Correct - tiesAWon + (ties - tiesAWon)) / p.Decisive;
        double tiesHalf = (p.Correct - tiesAWon + 0.5 * ties) / p.Decisive;
        double overAll = (double)p.Correct / p.Matches;
        var chalmers = new AssumedDensityFiltering(new TrueSkillModel { Mu = 0, Sigma = 1, SigmaT = 1 }).Run(m).Predictions;

        var t = new Table("variant", "correct", "decisive", "rate") { Caption = "One-step-ahead prediction on decisive chess games (μ = 25, σ = 25/3, σt = 25/6 unless stated)" };
        t.AddRow("ADF, chronological order (baseline)", p.Correct, p.Decisive, p.Rate);
        t.AddRow("ADF, raw file order (future before past)", r.FileOrder.Correct, r.FileOrder.Decisive, r.FileOrder.Rate);
        t.AddRow("ADF, rated games only", r.RatedOnly.Correct, r.RatedOnly.Decisive, r.RatedOnly.Rate);
        t.AddRow("ADF, μ = 0, σ = 1, σt = 1", chalmers.Correct, chalmers.Decisive, chalmers.Rate);
        t.AddRow("ADF, equal-rating ties predicted for black", null, p.Decisive, tiesToBlack);
        t.AddRow("ADF, equal-rating ties as coin flips (expected)", null, p.Decisive, tiesHalf);
        t.AddRow("ADF, correct / all games incl. draws", p.Correct, p.Matches, overAll);
        t.AddRow("always white", p.AWinsDecisive, p.Decisive, p.AlwaysARate);
        t.AddRow("higher Lichess rating (uses the rating columns)", null, p.Decisive, r.HigherRatedRate);
        t.AddRow("random guessing", null, p.Decisive, 0.5);
        t.SetFormat(3, "F4");

        var bars = new BarChart("random", "always white", "ADF chrono", "ADF file order", "Lichess rating") { Title = "Prediction rate on decisive games", ShowValues = true, Width = 600, Height = 320, Legend = LegendPosition.None };
        bars.Add("rate", new[] { 0.5, p.AlwaysARate, p.Rate, r.FileOrder.Rate, r.HigherRatedRate });
        bars.Y.Min = 0; bars.Y.Max = 1;
        chapter.AddSection("One-step-ahead predictions")
            .Paragraph($"ADF in chronological order predicts **{TrueSkillData.Rate(p)}** of the decisive games, against {p.AlwaysARate:F4} for always " +
                       $"white and 0.5 for guessing ({r.AdfMilliseconds:F1} ms for {m.Count:N0} games). {r.Players:N0} players share {m.Count:N0} games, and " +
                       $"{firstTimers:N0} of the {p.Decisive:N0} decisive games ({newcomers:P0}) involve a player with no earlier decisive game, whose rating " +
                       $"is still the prior{(newcomers > 0.3 ? ", which makes these data hard for any rating method that sees only the results" : "")}. In {ties:N0} games both ratings are equal (typically two " +
                       $"newcomers); the prediction then goes to white, which wins {(ties == 0 ? 0 : (double)tiesAWon / ties):P0} of them. Lichess's own ratings, " +
                       $"built from each account's full history on the site, predict {r.HigherRatedRate:F4}: TrueSkill sees only these games.")
            .Paragraph($"**Why not the seed's 0.532?** The seed report gives 0.532 for its chess baseline without its cleaning, ordering or prediction " +
                       $"rule. None of the natural choices reproduces it: raw file order gives {r.FileOrder.Rate:F4}, rated games only {r.RatedOnly.Rate:F4}, " +
                       $"its own hyper-parameters (μ = 0, σ = σt = 1) {chalmers.Rate:F4}, and counting draws as misses {overAll:F4}; changing the rule for " +
                       $"equal ratings gives {tiesToBlack:F4} (ties to black) or {tiesHalf:F4} (coin flips). A rate near 0.53 is barely above always-white " +
                       $"({p.AlwaysARate:F4}), i.e. a predictor that hardly departs from the white side; we could not reproduce it with any documented choice, " +
                       $"and report ours with the rule stated (higher P(win), ties to white).{TrueSkillData.StandInRemark(source)}")
            .Table(t)
            .Figure(bars, "Prediction rates on decisive games.");
    }

    private static void TopSection(Section chapter, ChessStudyResult r, ChessConfig cfg, DataSource source)
    {
        var t = new Table("rank", "player", "games", "μ", "σ", "μ − 3σ") { Caption = $"Top {cfg.Top} players by μ − 3σ (ADF, chronological, draws skipped{(cfg.MinGames > 0 ? $", ≥ {cfg.MinGames} games" : "")})" };
        foreach (var x in r.Top) t.AddRow(x.Rank, x.Name, x.Games, x.Mean, x.StdDev, x.Conservative);
        t.SetFormat(3, "F3").SetFormat(4, "F3").SetFormat(5, "F3");
        var buckets = r.GamesPerPlayer;
        var labels = buckets.Select(b => b.Max == int.MaxValue ? $"> {b.Min - 1}" : b.Min == b.Max ? $"{b.Min}" : $"{b.Min}–{b.Max}").ToArray();
        var bars = new BarChart(labels) { Title = "Players by number of decisive games", ShowValues = true, Width = 560, Height = 300, Legend = LegendPosition.None };
        bars.X.Label = "decisive games"; bars.Y.Label = "players";
        bars.Add("players", buckets.Select(b => (double)b.Players));
        int few = buckets.Where(b => b.Max <= 2).Sum(b => b.Players);
        // The seed report's top 10 (ADF, decisive games, μ − 3σ on its μ = 0, σ = 1 scale), to compare names.
        string[] seedTop = ["chesscarl", "siindbad", "smilsydov", "doraemon61", "christina-a-11", "laode_syahril", "elvis1997", "traced", "fabian1104", "gmanderson"];
        var common = r.Top.Select(x => x.Name).Intersect(seedTop).ToArray();
        bool sameOrder = common.SequenceEqual(seedTop.Intersect(common));
        string seedRemark = source.IsSynthetic ? "" : common.Length == 0 ? " None of the seed report's top-10 players is in ours."
            : $" {common.Length} of the seed report's top 10 are also in ours ({string.Join(", ", common)}){(sameOrder ? ", in the same relative order" : "")}, although its " +
              "ordering, hyper-parameters and predictions differ: the conservative ranking is robust to those choices.";
        chapter.AddSection("Top players")
            .Paragraph($"Ranking by μ − 3σ (TrueSkill's leaderboard) rewards players who are both strong and well measured: the players in the table " +
                       $"have {r.Top.Min(x => x.Games)}–{r.Top.Max(x => x.Games)} decisive games, although the ranking itself has no minimum. {few:N0} of " +
                       $"{r.Players:N0} players have at most two decisive games; their σ stays close to the prior and μ − 3σ keeps them far down the list." + seedRemark)
            .Table(t)
            .Figure(bars, "How many decisive games each player has.");
    }
}
