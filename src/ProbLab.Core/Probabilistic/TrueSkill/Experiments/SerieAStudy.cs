// Course Q5, Q6 and the algorithm comparison on a league file (Serie A 2018/19 by default): ADF in file
// order (analytic, and with per-game Gibbs moments as the course asks), the ranking and its variances,
// re-runs on shuffled orders (how much ADF's answer depends on the order), the one-step-ahead prediction
// rate against random guessing and "always home", and ADF vs EP vs joint Gibbs on the whole season.
using System.Diagnostics;
using ProbLab.Data;
using ProbLab.Tensors;

namespace ProbLab.Probabilistic.TrueSkill.Experiments;

/// <summary>Settings of the league study.</summary>
public sealed record SerieAStudyOptions
{
    /// <summary>The model (default: the course baseline, draws skipped, no home advantage).</summary>
    public TrueSkillModel Model { get; init; } = TrueSkillModel.Default;
    /// <summary>Number of shuffled re-runs.</summary>
    public int Shuffles { get; init; } = 20;
    /// <summary>Gibbs samples per game for the ADF-Gibbs run (0 skips it).</summary>
    public int GibbsSamplesPerGame { get; init; } = 2000;
    /// <summary>Gibbs burn-in per game for the ADF-Gibbs run.</summary>
    public int GibbsBurnInPerGame { get; init; } = 50;
    /// <summary>Joint Gibbs sampler settings for the comparison (Samples = 0 skips it).</summary>
    public GibbsOptions JointGibbs { get; init; } = new() { Samples = 5000, BurnIn = 500, KeepSamples = false };
    /// <summary>EP settings for the comparison.</summary>
    public EpOptions Ep { get; init; } = new();
    /// <summary>Teams whose skill is traced over the season (the top of the final ADF ranking).</summary>
    public int TracedTeams { get; init; } = 5;
}

/// <summary>Counts describing a league file.</summary>
public sealed record LeagueSummary(string Source, int Matches, int Teams, int AWins, int Draws, int BWins, int Goals)
{
    /// <summary>Matches with a winner.</summary>
    public int Decisive => AWins + BWins;

    /// <summary>Counts from match data.</summary>
    public static LeagueSummary Of(MatchData m)
    {
        int goals = 0;
        for (int i = 0; i < m.Count; i++) if (m.HasScores) goals += m[i].ScoreA + m[i].ScoreB;
        return new LeagueSummary(m.Source, m.Count, m.PlayerCount, m.AWinCount, m.DrawCount, m.Count - m.AWinCount - m.DrawCount, goals);
    }
}

/// <summary>How a team's rank and mean vary over shuffled ADF orders.</summary>
public sealed record ShuffleSpread(string Team, double FileOrderMean, int FileOrderRank, double MeanRank, double RankStdDev, int BestRank, int WorstRank, double MeanOfMeans, double StdDevOfMeans);

/// <summary>One team's posterior under the three algorithms.</summary>
public sealed record AlgorithmRow(string Team, double AdfMean, double AdfStdDev, double EpMean, double EpStdDev, double GibbsMean, double GibbsStdDev);

/// <summary>Everything the report shows for the league study.</summary>
public sealed record SerieAStudyResult(
    SerieAStudyOptions Options,
    LeagueSummary Data,
    IReadOnlyList<RankingRow> AdfRanking,
    IReadOnlyList<RankingRow>? AdfGibbsRanking,
    double AdfGibbsSeconds,
    IReadOnlyList<RankingRow> ShuffledRanking,
    IReadOnlyList<ShuffleSpread> ShuffleSpread,
    PredictionSummary Prediction,
    double[] RunningAccuracy,
    IReadOnlyDictionary<string, SkillTracePoint[]> SkillTraces,
    IReadOnlyList<AlgorithmRow> Algorithms,
    EpResult Ep,
    double EpSeconds,
    double GibbsSeconds,
    double AdfMicroseconds);

/// <summary>Runs the league study (Q5, Q6, algorithm comparison).</summary>
public static class SerieAStudy
{
    /// <summary>Runs every part on <paramref name="league"/> with randomness from <paramref name="rng"/>.</summary>
    /// <exception cref="ArgumentException">Invalid options (Shuffles &lt; 1).</exception>
    public static SerieAStudyResult Run(MatchData league, SerieAStudyOptions options, Rng rng)
    {
        if (options.Shuffles < 1) throw new ArgumentException($"SerieA study Shuffles = {options.Shuffles} must be >= 1");
        var model = options.Model.Validate();
        var sw = Stopwatch.StartNew();
        var adf = new AssumedDensityFiltering(model, new AdfOptions { RecordGames = true }).Run(league);
        double adfUs = sw.Elapsed.TotalMilliseconds * 1000;
        var ranking = adf.Posterior.Ranking();
        var traced = ranking.Take(options.TracedTeams).Select(r => r.Player).ToArray();
        var traces = new AssumedDensityFiltering(model, new AdfOptions { TracePlayers = traced }).Run(league).Traces
            .ToDictionary(kv => league.Names[kv.Key], kv => kv.Value);

        IReadOnlyList<RankingRow>? gibbsRanking = null;
        double adfGibbsSeconds = 0;
        if (options.GibbsSamplesPerGame > 0 && !model.LearnsHome)
        {
            sw.Restart();
            var g = new AssumedDensityFiltering(model, new AdfOptions { GibbsSamples = options.GibbsSamplesPerGame, GibbsBurnIn = options.GibbsBurnInPerGame, Rng = rng.Split() });
            gibbsRanking = g.Infer(league).Ranking();
            adfGibbsSeconds = sw.Elapsed.TotalSeconds;
        }

        var (shuffled, spread) = Shuffles(league, model, ranking, options.Shuffles, rng.Split());
        var running = RunningAccuracy(adf.Games!);

        sw.Restart();
        var ep = model.Tau > 0 ? null : new ExpectationPropagation(model, options.Ep).Run(league);
        double epSeconds = sw.Elapsed.TotalSeconds;
        sw.Restart();
        RatingPosterior? joint = model.Tau > 0 || options.JointGibbs.Samples == 0 ? null
            : new GibbsSampler(model, rng.Split(), options.JointGibbs).Infer(league);
        double gibbsSeconds = sw.Elapsed.TotalSeconds;
        var rows = ranking.Select(r => new AlgorithmRow(r.Name, r.Mean, r.StdDev,
            ep?.Posterior.Means[r.Player] ?? double.NaN, Math.Sqrt(ep?.Posterior.Variances[r.Player] ?? double.NaN),
            joint?.Means[r.Player] ?? double.NaN, Math.Sqrt(joint?.Variances[r.Player] ?? double.NaN))).ToArray();

        return new SerieAStudyResult(options, LeagueSummary.Of(league), ranking, gibbsRanking, adfGibbsSeconds, shuffled, spread,
            adf.Predictions, running, traces, rows, ep ?? new EpResult(adf.Posterior, 0, false, [], 0), epSeconds, gibbsSeconds, adfUs);
    }

    // ADF on `count` random orders: one full ranking (the first shuffle) and, per team, rank and mean spread.
    private static (IReadOnlyList<RankingRow>, IReadOnlyList<ShuffleSpread>) Shuffles(MatchData league, TrueSkillModel model, IReadOnlyList<RankingRow> fileOrder, int count, Rng rng)
    {
        int p = league.PlayerCount;
        var ranks = new double[p, count]; var means = new double[p, count];
        IReadOnlyList<RankingRow>? first = null;
        for (int s = 0; s < count; s++)
        {
            var post = new AssumedDensityFiltering(model).Infer(league.Select(rng.Permutation(league.Count), league.Source + " (shuffled)"));
            var r = post.Ranking();
            first ??= r;
            foreach (var row in r) { ranks[row.Player, s] = row.Rank; means[row.Player, s] = row.Mean; }
        }
        var spread = fileOrder.Select(row =>
        {
            var rk = Enumerable.Range(0, count).Select(s => ranks[row.Player, s]).ToArray();
            var mu = Enumerable.Range(0, count).Select(s => means[row.Player, s]).ToArray();
            return new ShuffleSpread(row.Name, row.Mean, row.Rank, rk.Average(), StdDev(rk), (int)rk.Min(), (int)rk.Max(), mu.Average(), StdDev(mu));
        }).ToArray();
        return (first!, spread);
    }

    private static double StdDev(double[] x)
    {
        if (x.Length < 2) return 0;
        double m = x.Average();
        return Math.Sqrt(x.Sum(v => (v - m) * (v - m)) / (x.Length - 1));
    }

    /// <summary>Cumulative fraction of decisive matches predicted correctly, one value per decisive match in order.</summary>
    public static double[] RunningAccuracy(IReadOnlyList<GamePrediction> games)
    {
        var result = new List<double>();
        int correct = 0;
        foreach (var g in games)
        {
            if (g.Actual == 0) continue;
            if (g.Predicted == g.Actual) correct++;
            result.Add((double)correct / (result.Count + 1));
        }
        return result.ToArray();
    }
}
