// TrueSkill on Serie A 2018/19 (course Q5-Q6 and the algorithm comparison): ADF in file order with analytic
// and with per-game Gibbs updates, the final ranking (μ, σ², μ − 3σ) and what its variances mean, skills over
// the season, re-runs on shuffled orders, one-step-ahead prediction rates for the course's hyper-parameter
// settings against random guessing and always-home, and ADF vs EP vs joint Gibbs, including EP's independence
// from the match order. Uses seriea/SerieA.csv when found, else the FootballSynthetic stand-in.
using ProbLab.Data;
using ProbLab.Probabilistic.TrueSkill;
using ProbLab.Probabilistic.TrueSkill.Experiments;
using ProbLab.Reports;

namespace ProbLab.Cli.Experiments;

/// <summary>ADF, shuffles, predictions and EP vs Gibbs on Serie A.</summary>
public sealed class TrueSkillSerieAExperiment : IExperiment
{
    /// <summary>Config of the Serie A experiment.</summary>
    public sealed record SerieAConfig
    {
        /// <summary>Prior mean μ₀.</summary>
        public double PriorMean { get; init; } = 25;
        /// <summary>Prior sd σ₀.</summary>
        public double PriorSd { get; init; } = 25.0 / 3;
        /// <summary>Performance-difference sd σt.</summary>
        public double PerfSd { get; init; } = 25.0 / 6;
        /// <summary>ADF re-runs on shuffled orders.</summary>
        public int Shuffles { get; init; } = 5;
        /// <summary>Gibbs samples per game in ADF-Gibbs (course Q5).</summary>
        public int GibbsSamplesPerGame { get; init; } = 400;
        /// <summary>Gibbs burn-in per game.</summary>
        public int GibbsBurnInPerGame { get; init; } = 20;
        /// <summary>Joint Gibbs samples over the whole season.</summary>
        public int JointGibbsSamples { get; init; } = 1000;
        /// <summary>Joint Gibbs burn-in.</summary>
        public int JointGibbsBurnIn { get; init; } = 200;
        /// <summary>Shuffled orders on which EP and ADF are compared.</summary>
        public int OrderShuffles { get; init; } = 3;

        /// <summary>The preset's config.</summary>
        public static SerieAConfig For(Preset preset) => preset == Preset.Quick ? new()
            : new() { Shuffles = 20, GibbsSamplesPerGame = 2000, GibbsBurnInPerGame = 50, JointGibbsSamples = 5000, JointGibbsBurnIn = 500, OrderShuffles = 10 };

        /// <summary>The baseline model.</summary>
        public TrueSkillModel Model() => new TrueSkillModel { Mu = PriorMean, Sigma = PriorSd, SigmaT = PerfSd }.Validate();
    }

    /// <inheritdoc/>
    public string Name => "trueskill-seriea";

    /// <inheritdoc/>
    public string Title => "TrueSkill on Serie A 2018/19: ADF, match order, predictions, EP";

    /// <inheritdoc/>
    public void Run(ExperimentContext ctx, Preset preset, Section chapter)
    {
        var cfg = SerieAConfig.For(preset);
        ctx.RecordConfig(cfg);
        var data = TrueSkillData.SerieA(ctx);
        var league = data.Matches;
        var model = cfg.Model();
        SerieAStudyResult r;
        using (var task = ctx.Progress.Start("serie A study", 1))
        {
            r = SerieAStudy.Run(league, new SerieAStudyOptions
            {
                Model = model, Shuffles = cfg.Shuffles, GibbsSamplesPerGame = cfg.GibbsSamplesPerGame, GibbsBurnInPerGame = cfg.GibbsBurnInPerGame,
                JointGibbs = new GibbsOptions { Samples = cfg.JointGibbsSamples, BurnIn = cfg.JointGibbsBurnIn, KeepSamples = false },
            }, ctx.Rng);
            task.Advance();
        }
        DataSection(chapter, r, data.Source);
        RankingSection(chapter, league, r);
        OrderSection(chapter, r, cfg);
        PredictionSection(chapter, ctx, league, r, cfg, data.Source);
        AlgorithmSection(chapter, ctx, league, model, r, cfg);
    }

    private static void DataSection(Section chapter, SerieAStudyResult r, DataSource source)
    {
        var d = r.Data;
        chapter.AddSection("Data")
            .Paragraph($"{d.Matches} matches between {d.Teams} teams in file (time) order; team1 plays at home. Following the course, draws are " +
                       $"skipped (they leave the skills unchanged) and goals are ignored, so ADF updates on the {d.Decisive} decisive matches.{TrueSkillData.StandInRemark(source)}")
            .Table(new Table("matches", "teams", "home wins", "draws", "away wins", "decisive", "goals").AddRow(d.Matches, d.Teams, d.AWins, d.Draws, d.BWins, d.Decisive, d.Goals));
    }

    private static void RankingSection(Section chapter, MatchData league, SerieAStudyResult r)
    {
        var s = chapter.AddSection("Final ranking (ADF in file order)");
        var rows = r.AdfRanking;
        s.Table(TrueSkillData.Ranking(rows, "ADF with analytic moment matching, file order, sorted by μ"));
        if (r.AdfGibbsRanking is { } g)
        {
            var t = new Table("rank", "team", "μ", "σ²", "μ − 3σ", "games") { Caption = $"ADF with Gibbs updates ({r.Options.GibbsSamplesPerGame} samples per game after {r.Options.GibbsBurnInPerGame} burn-in; {r.AdfGibbsSeconds:F2} s), sorted by μ" };
            foreach (var row in g) t.AddRow(row.Rank, row.Name, row.Mean, row.StdDev * row.StdDev, row.Conservative, row.Games);
            s.Table(t.SetFormat(2, "F3").SetFormat(3, "F3").SetFormat(4, "F3"));
        }
        // How expected each team's results were: the mean predicted probability of what actually happened in its decisive games.
        var adf = new AssumedDensityFiltering(r.Options.Model, new AdfOptions { RecordGames = true }).Run(league);
        var pSum = new double[league.PlayerCount]; var pCount = new int[league.PlayerCount];
        foreach (var game in adf.Games!)
        {
            if (game.Actual == 0) continue;
            double pA = game.PAWins / (game.PAWins + game.PBWins), pObs = game.Actual > 0 ? pA : 1 - pA;
            foreach (int team in new[] { league.PlayerA[game.Match], league.PlayerB[game.Match] }) { pSum[team] += pObs; pCount[team]++; }
        }
        var expected = rows.Select(x => pSum[x.Player] / Math.Max(1, pCount[x.Player])).ToArray();
        var vars = rows.Select(x => x.StdDev * x.StdDev).ToArray();
        var games = rows.Select(x => (double)x.Games).ToArray();
        var widest = rows.MaxBy(x => x.StdDev)!;
        var narrowest = rows.MinBy(x => x.StdDev)!;
        int iw = rows.ToList().IndexOf(widest), inr = rows.ToList().IndexOf(narrowest);
        double corrExpected = RankCorrelation.Pearson(vars, expected);
        s.Paragraph($"**Interpreting the variances.** σ² is the remaining uncertainty about a team's skill, not how erratically it plays (skills are " +
                    $"static in this model). Every decisive game shrinks it, by the factor 1 − (σ²/c²)·w(z), where z is how expected the result was: an " +
                    $"upset (z ≪ 0, w → 1) is very informative, while an expected result (z ≫ 0, w → 0) tells little. So σ² counts evidence weighted by " +
                    $"surprise. It ranges from {narrowest.StdDev * narrowest.StdDev:F2} ({narrowest.Name}: {narrowest.Games} decisive games, on average " +
                    $"P = {expected[inr]:F2} for what happened) to {widest.StdDev * widest.StdDev:F2} ({widest.Name}: {widest.Games} games, average P = {expected[iw]:F2}). " +
                    $"Across teams σ² correlates {corrExpected:+0.00;-0.00} with that average predicted probability and {RankCorrelation.Pearson(vars, games):+0.00;-0.00} " +
                    $"with the number of games." + (corrExpected > 0.5 ? " Teams at the extremes, which mostly win (or mostly lose) as expected, keep the widest " +
                    "posteriors: we learn that they are strong (weak), but their results bound the skill from one side only. " : " ") +
                    $"Draws are skipped, so teams with many draws also have fewer updates. All σ² are far below the prior's " +
                    $"{r.Options.Model.Sigma * r.Options.Model.Sigma:F1}. μ − 3σ, a skill the team exceeds with ~99.9% probability, penalises the uncertain teams.");
        s.Figure(TrueSkillCharts.Forest("Final skills: μ ± σ (ADF, file order)", rows.Select(x => x.Name).ToArray(), "skill", false,
            ForestSeries.MeanSd("ADF μ ± σ", rows.Select(x => x.Mean).ToArray(), rows.Select(x => x.StdDev).ToArray())), "Final ADF marginals in ranking order.");

        var traces = new LineChart { Title = "Skill of the top teams over the season (ADF)", Width = 760, Height = 360 };
        traces.X.Label = "match index (file order)"; traces.Y.Label = "μ ± σ";
        foreach (var (team, pts) in r.SkillTraces)
            traces.Add(team, pts.Select(p => p.Match), pts.Select(p => p.Mean)).WithBand(pts.Select(p => p.Mean - p.StdDev), pts.Select(p => p.Mean + p.StdDev));
        s.Figure(traces, "Each team's marginal after each of its decisive games, with a ±σ band; the band narrows as evidence accumulates.");
    }

    private static void OrderSection(Section chapter, SerieAStudyResult r, SerieAConfig cfg)
    {
        var spread = r.ShuffleSpread;
        var s = chapter.AddSection("Shuffled match order");
        s.Table(TrueSkillData.Ranking(r.ShuffledRanking, "ADF after one random permutation of the matches (compare with the file-order table)"));
        var t = new Table("team", "file-order rank", "mean rank", "rank sd", "best", "worst", "file-order μ", "mean μ", "sd of μ")
            { Caption = $"Spread over {cfg.Shuffles} random orders" };
        foreach (var x in spread) t.AddRow(x.Team, x.FileOrderRank, x.MeanRank, x.RankStdDev, x.BestRank, x.WorstRank, x.FileOrderMean, x.MeanOfMeans, x.StdDevOfMeans);
        t.SetFormat(2, "F1").SetFormat(3, "F2").SetFormat(6, "F3").SetFormat(7, "F3").SetFormat(8, "F3");
        s.Table(t);
        var names = spread.Select(x => x.Team).ToArray();
        var rankChart = TrueSkillCharts.Forest("Rank under shuffled orders", names, "rank (1 = best)", false,
            new ForestSeries("best–worst", null, spread.Select(x => (double)x.BestRank).ToArray(), spread.Select(x => (double)x.WorstRank).ToArray()),
            new ForestSeries("mean over shuffles", spread.Select(x => x.MeanRank).ToArray(), null, null),
            new ForestSeries("file order", spread.Select(x => (double)x.FileOrderRank).ToArray(), null, null, MarkerShape.Diamond));
        rankChart.X.TickValues = [1, 5, 10, 15, 20];
        s.Figure(rankChart, "Rank of each team over the shuffled runs: range, mean, and the file-order rank (teams in file-order ranking order).");
        double maxSd = spread.Max(x => x.StdDevOfMeans), meanSd = spread.Average(x => x.StdDevOfMeans);
        int moved = spread.Count(x => x.BestRank != x.WorstRank);
        var most = spread.MaxBy(x => x.WorstRank - x.BestRank)!;
        var shifted = spread.MaxBy(x => Math.Abs(x.FileOrderRank - x.MeanRank))!;
        bool stableEnds = spread.Take(2).Concat(spread.TakeLast(2)).All(x => x.WorstRank - x.BestRank <= 1);
        s.Paragraph($"**Yes, the result changes with the order.** ADF is an online filter: each game is absorbed once, with the skills as they stood " +
                    $"at that moment, and never revisited, so the same games in another order give other marginals. Over {cfg.Shuffles} random orders the " +
                    $"sd of a team's μ is {meanSd:F2} on average (at most {maxSd:F2}), {moved} of {spread.Count} teams change rank, and {most.Team} moves " +
                    $"between ranks {most.BestRank} and {most.WorstRank}.{(stableEnds ? " The top two and bottom two keep their ranks within one place; the crowded middle reorders." : "")} " +
                    $"The file order itself is not typical: {shifted.Team} is rank {shifted.FileOrderRank} in file order but {shifted.MeanRank:F1} on average " +
                    "over random orders: ADF judges each game with the ratings of that moment and never revisits it, so the real season's late " +
                    "results have the last word. " +
                    "Expectation propagation removes this dependence (last section).");
    }

    private static void PredictionSection(Section chapter, ExperimentContext ctx, MatchData league, SerieAStudyResult r, SerieAConfig cfg, DataSource source)
    {
        var p = r.Prediction;
        // The course's hyper-parameter settings (REFERENCE.md C): TrueSkill defaults with σt ∈ {25/6, 25/3, 1}, and the Chalmers μ = 0, σ = σt = 1,
        // with analytic updates and with Gibbs updates (the Chalmers report's 0.654 used ADF-Gibbs).
        var settings = new (string Name, TrueSkillModel Model, bool Gibbs)[]
        {
            ("μ = 25, σ = 25/3, σt = 25/6 (baseline)", cfg.Model(), false),
            ("μ = 25, σ = 25/3, σt = 25/3", cfg.Model() with { SigmaT = 25.0 / 3 }, false),
            ("μ = 25, σ = 25/3, σt = 1", cfg.Model() with { SigmaT = 1 }, false),
            ("μ = 0, σ = 1, σt = 1 (Chalmers)", new TrueSkillModel { Mu = 0, Sigma = 1, SigmaT = 1 }, false),
            ("μ = 25, σ = 25/3, σt = 25/6, ADF-Gibbs", cfg.Model(), true),
            ("μ = 0, σ = 1, σt = 1, ADF-Gibbs", new TrueSkillModel { Mu = 0, Sigma = 1, SigmaT = 1 }, true),
        };
        var t = new Table("setting", "correct", "decisive", "rate r", "log-loss") { Caption = "One-step-ahead prediction on decisive matches (predict from past matches only, compare, update)" };
        var rates = new List<(string, double)>();
        foreach (var (name, model, gibbs) in settings)
        {
            var opts = gibbs ? new AdfOptions { GibbsSamples = cfg.GibbsSamplesPerGame, GibbsBurnIn = cfg.GibbsBurnInPerGame, Rng = ctx.Rng.Split() } : new AdfOptions();
            var pr = new AssumedDensityFiltering(model, opts).Run(league).Predictions;
            t.AddRow(name, pr.Correct, pr.Decisive, pr.Rate, pr.LogLoss);
            rates.Add((name, pr.Rate));
        }
        t.AddRow("random guessing", null, p.Decisive, 0.5, Math.Log(2));
        t.AddRow("always home", p.AWinsDecisive, p.Decisive, p.AlwaysARate, null);
        t.SetFormat(3, "F4").SetFormat(4, "F4");

        var bars = new BarChart("random", "always home", "ADF baseline") { Title = "Prediction rate on decisive matches", ShowValues = true, Width = 460, Height = 320, Legend = LegendPosition.None };
        bars.Add("rate", new[] { 0.5, p.AlwaysARate, p.Rate });
        bars.Y.Min = 0; bars.Y.Max = 1;
        var run = new LineChart { Title = "Running prediction rate over the season", Width = 560, Height = 320 };
        run.X.Label = "decisive matches so far"; run.Y.Label = "fraction correct";
        run.Add("ADF baseline", Enumerable.Range(1, r.RunningAccuracy.Length), r.RunningAccuracy);
        run.AddHLine(0.5, "random");
        run.AddHLine(p.AlwaysARate, "always home");
        run.Y.Min = 0.3; run.Y.Max = 1;
        chapter.AddSection("One-step-ahead predictions")
            .Paragraph($"Each match is predicted as a win for the team with the higher P(win) = Φ((μ₁ − μ₂)/√(σ₁² + σ₂² + σt²)) from the ratings " +
                       $"of earlier matches only, then used to update them. With the baseline setting ADF gets **{TrueSkillData.Rate(p)}** right, against " +
                       $"0.5 for random guessing and {p.AlwaysARate:F4} for always predicting the home team" +
                       (p.Rate > p.AlwaysARate ? ": better than both, although the model knows nothing about home advantage (the Extensions chapter adds it). "
                           : "; a model without home advantage does not beat always-home here (the Extensions chapter adds it). ") +
                       $"The course reports 0.62–0.66 on this file; the Chalmers report's " +
                       $"0.654 (178/272, ADF-Gibbs with μ = 0, σ = σt = 1) compares with our runs of that setting: {rates[3].Item2:F4} analytically and " +
                       $"{rates[5].Item2:F4} with per-game Gibbs{(Math.Min(rates[3].Item2, rates[5].Item2) <= 0.654 && 0.654 <= Math.Max(rates[3].Item2, rates[5].Item2) ? ", which bracket it" : "")} " +
                       $"(Gibbs noise flips a few close calls). Only the ratio σ/σt matters for the predictions " +
                       $"(shifting and scaling all skills and σt together changes nothing), which is why (25, 25/3, 25/3) and (0, 1, 1) agree exactly. " +
                       $"Early in the season the ratings know little and the running rate swings widely; it stays above always-home from decisive match " +
                       $"{AboveFrom(r.RunningAccuracy, p.AlwaysARate)} on.{TrueSkillData.StandInRemark(source)}")
            .Table(t)
            .Figure(bars, "Baseline ADF against random guessing and always-home.")
            .Figure(run, "Cumulative fraction of decisive matches predicted correctly.");
    }

    // 1-based index from which the running rate stays above the threshold (Length + 1 if it never settles there).
    private static int AboveFrom(double[] running, double threshold)
    {
        int k = running.Length;
        while (k > 0 && running[k - 1] > threshold) k--;
        return k + 1;
    }

    private static void AlgorithmSection(Section chapter, ExperimentContext ctx, MatchData league, TrueSkillModel model, SerieAStudyResult r, SerieAConfig cfg)
    {
        var rows = r.Algorithms;
        var names = rows.Select(x => x.Team).ToArray();
        var t = new Table("team", "ADF μ", "ADF σ", "EP μ", "EP σ", "Gibbs μ", "Gibbs σ", "EP − Gibbs μ") { Caption = "Marginals from ADF (file order), EP, and joint Gibbs sampling over the season" };
        foreach (var x in rows) t.AddRow(x.Team, x.AdfMean, x.AdfStdDev, x.EpMean, x.EpStdDev, x.GibbsMean, x.GibbsStdDev, x.EpMean - x.GibbsMean);
        for (int c = 1; c < 8; c++) t.SetFormat(c, c == 7 ? "+0.000;-0.000" : "F3");
        var forest = TrueSkillCharts.Forest("ADF vs EP vs joint Gibbs: μ ± σ", names, "skill", true,
            ForestSeries.MeanSd("ADF", rows.Select(x => x.AdfMean).ToArray(), rows.Select(x => x.AdfStdDev).ToArray()),
            ForestSeries.MeanSd("EP", rows.Select(x => x.EpMean).ToArray(), rows.Select(x => x.EpStdDev).ToArray(), MarkerShape.Square),
            ForestSeries.MeanSd("Gibbs", rows.Select(x => x.GibbsMean).ToArray(), rows.Select(x => x.GibbsStdDev).ToArray(), MarkerShape.Diamond));
        double maxMeanDiff = rows.Max(x => Math.Abs(x.EpMean - x.GibbsMean));
        double sdRatio = rows.Average(x => x.EpStdDev / x.GibbsStdDev);

        // Order independence: EP and ADF on the same random orders, compared with their file-order answers.
        var epFile = r.Ep.Posterior;
        var adfFile = new AssumedDensityFiltering(model).Infer(league);
        double epMax = 0, adfMax = 0;
        var rng = ctx.Rng.Split();
        using (var task = ctx.Progress.Start("EP on shuffled orders", cfg.OrderShuffles))
            for (int k = 0; k < cfg.OrderShuffles; k++)
            {
                var shuffled = league.Select(rng.Permutation(league.Count));
                var ep = new ExpectationPropagation(model, new EpOptions { Tolerance = 1e-6 }).Infer(shuffled);
                var adf = new AssumedDensityFiltering(model).Infer(shuffled);
                for (int i = 0; i < league.PlayerCount; i++)
                {
                    epMax = Math.Max(epMax, Math.Abs(ep.Means[i] - epFile.Means[i]));
                    adfMax = Math.Max(adfMax, Math.Abs(adf.Means[i] - adfFile.Means[i]));
                }
                task.Advance();
            }
        var conv = new LineChart { Title = "EP convergence", Width = 460, Height = 300, Legend = LegendPosition.None };
        conv.X.Label = "sweep"; conv.Y.Label = "largest change of a mean or sd"; conv.Y.Scale = AxisScale.Log;
        conv.Add("EP", Enumerable.Range(1, r.Ep.MaxChange.Length), r.Ep.MaxChange);
        conv.AddHLine(r.Ep.MaxChange.Length > 0 ? r.Options.Ep.Tolerance : 1e-4, "tolerance");

        chapter.AddSection("ADF vs expectation propagation vs Gibbs")
            .Paragraph($"Expectation propagation keeps one message per game and revisits every game until no marginal moves by more than " +
                       $"{r.Options.Ep.Tolerance:G2}: here {r.Ep.Iterations} sweeps ({r.EpSeconds * 1000:F0} ms, {(r.Ep.Converged ? "converged" : "not converged")}). " +
                       $"The joint Gibbs sampler draws all {league.PlayerCount} skills at once ({r.Options.JointGibbs.Samples} samples after {r.Options.JointGibbs.BurnIn}, " +
                       $"{r.GibbsSeconds:F2} s) and is exact up to Monte Carlo error. EP's means agree with Gibbs to within {maxMeanDiff:F3}; its standard " +
                       $"deviations are on average {sdRatio:F2} × Gibbs's. The reason: the results only identify skill *differences*; the common level of " +
                       $"all skills is pinned by the prior alone, and the joint posterior is strongly correlated along that direction. EP's fully factorised " +
                       $"approximation cannot represent this correlation and reports only the uncertainty of each skill given the others, so its σ is too " +
                       $"small for absolute skills while its differences (what predictions use) are fine. ADF's means differ more because ADF is a single " +
                       $"forward pass (no smoothing: early games are judged with early, vague ratings).")
            .Table(t)
            .Figure(forest, "Posterior marginals of each team under the three algorithms.")
            .Paragraph($"**Order independence.** On {cfg.OrderShuffles} random permutations of the season, EP (run to tolerance 1e-6) reproduces its " +
                       $"file-order means to within {epMax:G2} — numerical tolerance — while ADF's means move by up to {adfMax:F2} on the same orders. " +
                       "EP's fixed point depends only on the set of games, not on the sequence in which they were processed.")
            .Figure(conv, "Largest change of any marginal per EP sweep (log scale): linear convergence, slowest along the common shift of all skills.");
    }
}
