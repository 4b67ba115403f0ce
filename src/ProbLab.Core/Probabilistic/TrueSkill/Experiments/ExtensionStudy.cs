// Course Q10: extensions of the baseline evaluated by one-step-ahead prediction on both datasets. Every
// variant's hyper-parameters are fixed before looking at prediction results (no tuning on the evaluation):
//   draws       ε from the dataset's overall draw rate p: ε = Φ⁻¹((1 + p)/2)·σt (one fitted scalar, stated);
//   home        h learned online from the prior N(0, (σ₀/2)²), shared by all games (white's first move in chess);
//   drift       τ = σ₀/100, TrueSkill's default dynamics;
//   margin      a win by k goals observes t > (k − 1)·σt/2 (Serie A only: chess has no score);
//   combined    draws + home + drift;
//   ratings     chess only: a player's first prior mean is μ₀ + (rating − 1500)·σt·ln10·√(2π)/1600, matching the slope
//               of Elo's logistic to Φ at 0; this uses the Lichess rating columns, i.e. information outside the results.
// "Best" is the variant with the highest rate on each dataset (a selection over few variants; the table shows all).
using ProbLab.Data;
using ProbLab.Probabilistic.Distributions;

namespace ProbLab.Probabilistic.TrueSkill.Experiments;

/// <summary>Settings of the extension study.</summary>
public sealed record ExtensionStudyOptions
{
    /// <summary>The baseline model every variant starts from.</summary>
    public TrueSkillModel Baseline { get; init; } = TrueSkillModel.Default;
}

/// <summary>One variant on one dataset.</summary>
public sealed record ExtensionRow(string Dataset, string Variant, string Description, TrueSkillModel Model, bool UsesRatings,
    PredictionSummary Prediction, double Gain, Gaussian Home);

/// <summary>All rows, with the baseline and best variants per dataset.</summary>
public sealed record ExtensionStudyResult(IReadOnlyList<ExtensionRow> Rows, IReadOnlyDictionary<string, ExtensionRow> Baseline,
    IReadOnlyDictionary<string, ExtensionRow> Best, IReadOnlyDictionary<string, ExtensionRow> BestFromResultsOnly);

/// <summary>Runs the extension study.</summary>
public static class ExtensionStudy
{
    /// <summary>Dataset names used in the rows.</summary>
    public const string SerieA = "Serie A", Chess = "Chess";

    /// <summary>Evaluates every variant on Serie A and on the (chronological, cleaned) chess games.</summary>
    public static ExtensionStudyResult Run(MatchData serieA, ChessData chess, ExtensionStudyOptions options)
    {
        var rows = new List<ExtensionRow>();
        rows.AddRange(Evaluate(SerieA, serieA, null, options.Baseline.Validate()));
        rows.AddRange(Evaluate(Chess, chess.Matches, chess, options.Baseline.Validate()));
        var baseline = rows.Where(r => r.Variant == "baseline").ToDictionary(r => r.Dataset);
        var best = rows.Where(r => r.Variant != "baseline").GroupBy(r => r.Dataset)
            .ToDictionary(g => g.Key, g => g.MaxBy(r => r.Prediction.Rate)!);
        var bestResults = rows.Where(r => r.Variant != "baseline" && !r.UsesRatings).GroupBy(r => r.Dataset)
            .ToDictionary(g => g.Key, g => g.MaxBy(r => r.Prediction.Rate)!);
        return new ExtensionStudyResult(rows, baseline, best, bestResults);
    }

    /// <summary>The variants applicable to a dataset (margin of victory needs scores; the rating prior needs chess ratings).</summary>
    public static IReadOnlyList<(string Name, string Description, TrueSkillModel Model)> Variants(MatchData data, TrueSkillModel m0)
    {
        double pDraw = (double)data.DrawCount / data.Count;
        double eps = TrueSkillModel.DrawMarginFromProbability(pDraw, m0.SigmaT);
        var draws = m0 with { Draws = DrawHandling.Margin, DrawMargin = eps };
        var list = new List<(string, string, TrueSkillModel)>
        {
            ("baseline", "draws skipped, no home advantage, static skills", m0),
            ("draws", $"draw margin ε = {eps:F3} from the draw rate {pDraw:P1}", draws),
            ("home", $"home/white advantage learned, prior N(0, {m0.Sigma / 2:F2}²)", m0 with { HomeSigma = m0.Sigma / 2 }),
            ("drift", $"skill drift τ = {m0.Sigma / 100:F4} per game", m0 with { Tau = m0.Sigma / 100 }),
        };
        if (data.HasScores) list.Add(("margin", $"win by k goals ⇒ t > (k − 1)·{m0.SigmaT / 2:F3}", m0 with { MarginStep = m0.SigmaT / 2 }));
        list.Add(("combined", "draws + home + drift", draws with { HomeSigma = m0.Sigma / 2, Tau = m0.Sigma / 100 }));
        return list;
    }

    private static IEnumerable<ExtensionRow> Evaluate(string dataset, MatchData data, ChessData? chess, TrueSkillModel m0)
    {
        double baseRate = double.NaN;
        foreach (var (name, description, model) in Variants(data, m0))
        {
            var run = new AssumedDensityFiltering(model).Run(data);
            if (name == "baseline") baseRate = run.Predictions.Rate;
            yield return new ExtensionRow(dataset, name, description, model, false, run.Predictions, run.Predictions.Rate - baseRate, run.Posterior.Home);
        }
        if (chess is null) yield break;
        // Elo's expected score 1/(1 + 10^(−D/400)) has slope ln10/1600 at 0; Φ(Δμ/σt) has slope 1/(σt√(2π)); equal slopes ⇒ Δμ = D·σt·ln10·√(2π)/1600.
        double k = m0.SigmaT * Math.Log(10) * SpecialFunctions.Sqrt2Pi / 1600;
        var options = new AdfOptions
        {
            FirstPriorMeanA = chess.WhiteRating.Select(r => m0.Mu + (r - 1500) * k).ToArray(),
            FirstPriorMeanB = chess.BlackRating.Select(r => m0.Mu + (r - 1500) * k).ToArray(),
        };
        var rated = new AssumedDensityFiltering(m0, options).Run(data);
        yield return new ExtensionRow(dataset, "ratings", $"first prior mean from the Lichess rating (1 Elo point = {k:F4} skill)", m0, true,
            rated.Predictions, rated.Predictions.Rate - baseRate, rated.Posterior.Home);
    }
}
