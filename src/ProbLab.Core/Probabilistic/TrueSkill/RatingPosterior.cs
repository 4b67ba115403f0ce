// The result every TrueSkill inference returns: a Gaussian (mean, variance) per player, the games each
// player contributed, and the home/first-move advantage; plus ranking tables and the inference interface.
// Plain data for the report layer: nothing here prints or draws.
using ProbLab.Data;
using ProbLab.Probabilistic.Distributions;

namespace ProbLab.Probabilistic.TrueSkill;

/// <summary>An inference algorithm for the TrueSkill model: ADF, EP or Gibbs.</summary>
public interface IRatingInference
{
    /// <summary>Approximate posterior skill marginals after observing <paramref name="matches"/> in order.</summary>
    RatingPosterior Infer(MatchData matches);
}

/// <summary>What ranks a table: the posterior mean μ, or the conservative estimate μ − kσ.</summary>
public enum RankBy
{
    /// <summary>Rank by μ.</summary>
    Mean,
    /// <summary>Rank by μ − kσ (TrueSkill's leaderboard; k = 3 by default).</summary>
    Conservative,
}

/// <summary>One row of a ranking table.</summary>
public sealed record RankingRow(int Rank, int Player, string Name, double Mean, double StdDev, double Conservative, int Games);

/// <summary>Per-player Gaussian skill marginals (plus the home advantage) from one inference run.</summary>
public sealed class RatingPosterior
{
    private readonly string[] _names;
    private readonly double[] _mean, _variance;
    private readonly int[] _games;

    /// <summary>Wraps per-player arrays (taking ownership).</summary>
    /// <exception cref="ArgumentException">Array lengths differ from the number of names.</exception>
    public RatingPosterior(string algorithm, IReadOnlyList<string> names, double[] mean, double[] variance, int[] games, Gaussian home)
    {
        if (mean.Length != names.Count || variance.Length != names.Count || games.Length != names.Count)
            throw new ArgumentException($"{algorithm}: posterior arrays ({mean.Length}, {variance.Length}, {games.Length}) do not match {names.Count} players");
        Algorithm = algorithm;
        _names = names.ToArray();
        _mean = mean; _variance = variance; _games = games;
        Home = home;
    }

    /// <summary>Which algorithm produced this ("ADF", "EP", "Gibbs", ...).</summary>
    public string Algorithm { get; }
    /// <summary>Player names by index.</summary>
    public IReadOnlyList<string> Names => _names;
    /// <summary>Number of players.</summary>
    public int PlayerCount => _names.Length;
    /// <summary>Posterior means μ_i.</summary>
    public ReadOnlySpan<double> Means => _mean;
    /// <summary>Posterior variances σ_i².</summary>
    public ReadOnlySpan<double> Variances => _variance;
    /// <summary>Number of (non-skipped) games each player took part in.</summary>
    public ReadOnlySpan<int> Games => _games;
    /// <summary>Posterior of the home / first-move advantage (a point mass when it was fixed).</summary>
    public Gaussian Home { get; }

    /// <summary>The skill marginal of player <paramref name="i"/>.</summary>
    public Gaussian Skill(int i) => Gaussian.FromMeanAndVariance(_mean[i], _variance[i]);

    /// <summary>The skill marginal of the player called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such player.</exception>
    public Gaussian Skill(string name)
    {
        int i = Array.IndexOf(_names, name);
        if (i < 0) throw new KeyNotFoundException($"{Algorithm} posterior has no player named '{name}'");
        return Skill(i);
    }

    /// <summary>Players sorted by μ or by μ − kσ (descending; ties by name), keeping those with at least <paramref name="minGames"/> games.</summary>
    public IReadOnlyList<RankingRow> Ranking(RankBy by = RankBy.Mean, double k = 3, int minGames = 0, int top = int.MaxValue)
    {
        var rows = new List<RankingRow>();
        for (int i = 0; i < _names.Length; i++)
        {
            if (_games[i] < minGames) continue;
            double sd = Math.Sqrt(_variance[i]);
            rows.Add(new RankingRow(0, i, _names[i], _mean[i], sd, _mean[i] - k * sd, _games[i]));
        }
        Comparison<RankingRow> cmp = by == RankBy.Mean
            ? (x, y) => y.Mean.CompareTo(x.Mean) is var c && c != 0 ? c : string.CompareOrdinal(x.Name, y.Name)
            : (x, y) => y.Conservative.CompareTo(x.Conservative) is var c && c != 0 ? c : string.CompareOrdinal(x.Name, y.Name);
        rows.Sort(cmp);
        int n = Math.Min(top, rows.Count);
        var result = new RankingRow[n];
        for (int r = 0; r < n; r++) result[r] = rows[r] with { Rank = r + 1 };
        return result;
    }

    /// <summary>P(A beats B) in a decisive game under <paramref name="model"/>: P(t &gt; ε)/(P(t &gt; ε) + P(t &lt; −ε)).</summary>
    public double WinProbability(int a, int b, TrueSkillModel model, bool withHome = true)
    {
        var (pa, _, pb) = model.Predict(Skill(a), Skill(b), withHome ? Home : Gaussian.PointMass(0));
        return pa / (pa + pb);
    }
}
