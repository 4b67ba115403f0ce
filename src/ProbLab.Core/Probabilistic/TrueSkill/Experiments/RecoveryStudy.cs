// Simulate-then-recover (Infer.NET's ChessAnalysis habit): draw a league from the TrueSkill model with known
// skills, infer with ADF, EP and the joint Gibbs sampler from growing numbers of matches, and score the
// recovery: rank correlations with the true skills, RMSE of the centred means (skills are identified only up
// to a common shift), and how often the truth lies inside μ ± 1.96σ (calibration of the variances), both raw and
// after removing the common shift: factorised ADF/EP marginals leave out the uncertainty of that shift, Gibbs does not.
using System.Diagnostics;
using ProbLab.Data;
using ProbLab.Tensors;

namespace ProbLab.Probabilistic.TrueSkill.Experiments;

/// <summary>Settings of the recovery study.</summary>
public sealed record RecoveryStudyOptions
{
    /// <summary>Generative model (also used for inference).</summary>
    public TrueSkillModel Model { get; init; } = TrueSkillModel.Default;
    /// <summary>Number of players.</summary>
    public int Players { get; init; } = 100;
    /// <summary>Prefix lengths of one simulated match sequence to infer from.</summary>
    public int[] MatchCounts { get; init; } = [250, 500, 1000, 2000, 5000, 10_000, 20_000];
    /// <summary>Joint Gibbs settings (Samples = 0 leaves Gibbs out).</summary>
    public GibbsOptions Gibbs { get; init; } = new() { Samples = 1000, BurnIn = 200, KeepSamples = false };
}

/// <summary>Recovery scores of one algorithm from the first <c>Matches</c> matches.</summary>
public sealed record RecoveryRow(int Matches, string Algorithm, double Spearman, double Kendall, double CentredRmse, double Coverage95, double CentredCoverage95, double Seconds);

/// <summary>The true skills and the recovery table.</summary>
public sealed record RecoveryStudyResult(RecoveryStudyOptions Options, double[] TrueSkills, IReadOnlyList<RecoveryRow> Rows);

/// <summary>Runs the recovery study.</summary>
public static class RecoveryStudy
{
    /// <summary>Simulates one random-pairing league long enough for the largest count and scores each algorithm on each prefix.</summary>
    /// <exception cref="ArgumentException">No match counts, or a count below 1.</exception>
    public static RecoveryStudyResult Run(RecoveryStudyOptions options, Rng rng)
    {
        if (options.MatchCounts.Length == 0 || options.MatchCounts.Any(c => c < 1)) throw new ArgumentException("recovery study needs positive match counts");
        var model = options.Model.Validate();
        var league = LeagueSimulator.Simulate(new LeagueOptions
        {
            Players = options.Players, Schedule = Schedule.Random, Matches = options.MatchCounts.Max(), Model = model with { Tau = 0 },
        }, rng.Split());
        var rows = new List<RecoveryRow>();
        foreach (int n in options.MatchCounts.Order())
        {
            var prefix = league.Matches.Select(Enumerable.Range(0, n).ToArray());
            rows.Add(Score(n, "ADF", () => new AssumedDensityFiltering(model).Infer(prefix), league.InitialSkills));
            rows.Add(Score(n, "EP", () => new ExpectationPropagation(model).Infer(prefix), league.InitialSkills));
            if (options.Gibbs.Samples > 0)
                rows.Add(Score(n, "Gibbs", () => new GibbsSampler(model, rng.Split(), options.Gibbs).Infer(prefix), league.InitialSkills));
        }
        return new RecoveryStudyResult(options, league.InitialSkills, rows);
    }

    private static RecoveryRow Score(int n, string name, Func<RatingPosterior> infer, double[] truth)
    {
        var sw = Stopwatch.StartNew();
        var post = infer();
        double seconds = sw.Elapsed.TotalSeconds;
        var means = post.Means;
        double shift = means.ToArray().Average() - truth.Average(), se = 0;
        int covered = 0, coveredCentred = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            double d = means[i] - shift - truth[i], halfWidth = 1.96 * Math.Sqrt(post.Variances[i]);
            se += d * d;
            if (Math.Abs(means[i] - truth[i]) <= halfWidth) covered++;
            if (Math.Abs(d) <= halfWidth) coveredCentred++;
        }
        return new RecoveryRow(n, name, RankCorrelation.Spearman(means, truth), RankCorrelation.Kendall(means, truth),
            Math.Sqrt(se / truth.Length), (double)covered / truth.Length, (double)coveredCentred / truth.Length, seconds);
    }
}
