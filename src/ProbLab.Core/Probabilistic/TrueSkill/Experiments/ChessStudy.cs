// Course Q9 on the Lichess games: how the file was cleaned, the one-step-ahead prediction rate in
// chronological order (and, for contrast, in raw file order and on rated games only), the top players by
// the conservative estimate μ − 3σ, how many games players have, and the rate of simply trusting Lichess's
// own ratings (the higher-rated player wins), which TrueSkill from results alone cannot know.
using System.Diagnostics;
using ProbLab.Data;

namespace ProbLab.Probabilistic.TrueSkill.Experiments;

/// <summary>Settings of the chess study.</summary>
public sealed record ChessStudyOptions
{
    /// <summary>The model (default: the course baseline).</summary>
    public TrueSkillModel Model { get; init; } = TrueSkillModel.Default;
    /// <summary>Minimum games for the top table.</summary>
    public int MinGames { get; init; } = 20;
    /// <summary>Rows of the top table.</summary>
    public int Top { get; init; } = 10;
}

/// <summary>Number of players with a number of games in [Min, Max].</summary>
public sealed record GamesBucket(int Min, int Max, int Players);

/// <summary>Everything the report shows for the chess study.</summary>
public sealed record ChessStudyResult(ChessStudyOptions Options, ChessCleaning Cleaning, int Players, PredictionSummary Chronological,
    PredictionSummary FileOrder, PredictionSummary RatedOnly, double HigherRatedRate, IReadOnlyList<RankingRow> Top,
    IReadOnlyList<GamesBucket> GamesPerPlayer, double AdfMilliseconds);

/// <summary>Runs the chess study.</summary>
public static class ChessStudy
{
    /// <summary>Runs ADF three ways (chronological, file order, rated only) and builds the tables; <paramref name="path"/> is games.csv.</summary>
    public static ChessStudyResult Run(string path, ChessStudyOptions options)
    {
        var chrono = ChessGames.Load(path);
        var fileOrder = ChessGames.Load(path, new ChessLoadOptions { Chronological = false });
        var rated = ChessGames.Load(path, new ChessLoadOptions { RatedOnly = true });
        return Run(chrono, fileOrder, rated, options);
    }

    /// <summary>The study from already loaded data (chronological, file-order and rated-only loads of the same file).</summary>
    public static ChessStudyResult Run(ChessData chronological, ChessData fileOrder, ChessData ratedOnly, ChessStudyOptions options)
    {
        var model = options.Model.Validate();
        var sw = Stopwatch.StartNew();
        var run = new AssumedDensityFiltering(model).Run(chronological.Matches);
        double ms = sw.Elapsed.TotalMilliseconds;
        var fileRun = new AssumedDensityFiltering(model).Run(fileOrder.Matches);
        var ratedRun = new AssumedDensityFiltering(model).Run(ratedOnly.Matches);
        var top = run.Posterior.Ranking(RankBy.Conservative, 3, options.MinGames, options.Top);
        return new ChessStudyResult(options, chronological.Cleaning, chronological.Matches.PlayerCount, run.Predictions, fileRun.Predictions,
            ratedRun.Predictions, HigherRatedRate(chronological), top, Buckets(run.Posterior.Games), ms);
    }

    /// <summary>Fraction of decisive games won by the higher-rated player (ties count for white), using Lichess's ratings.</summary>
    public static double HigherRatedRate(ChessData d)
    {
        int decisive = 0, correct = 0;
        for (int i = 0; i < d.Matches.Count; i++)
        {
            var o = d.Matches[i].Outcome;
            if (o == MatchOutcome.Draw) continue;
            decisive++;
            var predicted = d.WhiteRating[i] >= d.BlackRating[i] ? MatchOutcome.AWins : MatchOutcome.BWins;
            if (predicted == o) correct++;
        }
        return decisive == 0 ? double.NaN : (double)correct / decisive;
    }

    private static IReadOnlyList<GamesBucket> Buckets(ReadOnlySpan<int> games)
    {
        (int Min, int Max)[] edges = [(0, 0), (1, 1), (2, 2), (3, 5), (6, 10), (11, 20), (21, 50), (51, int.MaxValue)];
        var counts = new int[edges.Length];
        foreach (int g in games)
            for (int k = 0; k < edges.Length; k++)
                if (g >= edges[k].Min && g <= edges[k].Max) { counts[k]++; break; }
        return edges.Select((e, k) => new GamesBucket(e.Min, e.Max, counts[k])).Where(b => b.Players > 0 || b.Min > 0).ToArray();
    }
}
