// Synthetic leagues drawn from the TrueSkill generative model, for simulate-then-recover tests and the
// `trueskill simulate` command: skills s_i ~ N(Mu, Sigma²), each match t = sA − sB + h + σt·ε, outcome by
// the draw margin, optional drift s ← s + τ·ε before each game. Schedules are either a league (every
// pair meets twice per season, home and away, in circle-method rounds) or uniformly random pairs.
// Deterministic given the Rng: the same seed gives the same league.
using ProbLab.Data;
using ProbLab.Probabilistic.Distributions;
using ProbLab.Tensors;

namespace ProbLab.Probabilistic.TrueSkill;

/// <summary>How simulated matches are paired.</summary>
public enum Schedule
{
    /// <summary>Double round robin per season: every pair meets once at each home, in rounds (circle method).</summary>
    RoundRobin,
    /// <summary>Each match pairs two distinct players chosen uniformly at random.</summary>
    Random,
}

/// <summary>Settings of a simulated league; the generative hyper-parameters come from <see cref="Model"/>.</summary>
public sealed record LeagueOptions
{
    /// <summary>Number of players / teams (≥ 2).</summary>
    public int Players { get; init; } = 20;
    /// <summary>Pairing scheme.</summary>
    public Schedule Schedule { get; init; } = Schedule.RoundRobin;
    /// <summary>Seasons of double round robin (RoundRobin).</summary>
    public int Seasons { get; init; } = 1;
    /// <summary>Number of matches (Random).</summary>
    public int Matches { get; init; } = 1000;
    /// <summary>Generative model: Mu, Sigma, SigmaT, home advantage HomeMean, draws (Margin + DrawMargin), Tau, MarginStep.</summary>
    public TrueSkillModel Model { get; init; } = TrueSkillModel.Default;
    /// <summary>Prefix of player names ("P" gives P001, P002, ...).</summary>
    public string NamePrefix { get; init; } = "P";
}

/// <summary>A simulated league: the matches plus the true skills they were drawn from.</summary>
/// <param name="Matches">The matches in time order.</param>
/// <param name="InitialSkills">Skills at the start.</param>
/// <param name="FinalSkills">Skills after the last match (differ from the initial ones only with drift).</param>
/// <param name="Home">The home advantage used (the model's HomeMean).</param>
public sealed record SimulatedLeague(MatchData Matches, double[] InitialSkills, double[] FinalSkills, double Home);

/// <summary>Draws leagues from the TrueSkill generative model.</summary>
public static class LeagueSimulator
{
    /// <summary>Simulates a league; with MarginStep &gt; 0 scores are (k, 0) for a win by k = 1 + ⌊(|t| − ε)/MarginStep⌋ goals and (0, 0) for a draw.</summary>
    /// <exception cref="ArgumentException">Fewer than 2 players, a non-positive season/match count, or an invalid model.</exception>
    public static SimulatedLeague Simulate(LeagueOptions options, Rng rng)
    {
        var model = options.Model.Validate();
        if (options.Players < 2) throw new ArgumentException($"league Players = {options.Players} must be >= 2");
        if (options.Schedule == Schedule.RoundRobin && options.Seasons < 1) throw new ArgumentException($"league Seasons = {options.Seasons} must be >= 1");
        if (options.Schedule == Schedule.Random && options.Matches < 1) throw new ArgumentException($"league Matches = {options.Matches} must be >= 1");
        int p = options.Players;
        var skills = new double[p];
        for (int i = 0; i < p; i++) skills[i] = model.Mu + model.Sigma * Ziggurat.Normal(rng);
        var initial = (double[])skills.Clone();
        var (a, b) = options.Schedule == Schedule.RoundRobin ? RoundRobin(p, options.Seasons) : RandomPairs(p, options.Matches, rng);
        int n = a.Length;
        var outcome = new sbyte[n];
        bool scores = model.MarginStep > 0;
        int[]? sa = scores ? new int[n] : null, sb = scores ? new int[n] : null;
        double eps = model.EffectiveMargin;
        for (int g = 0; g < n; g++)
        {
            if (model.Tau > 0) { skills[a[g]] += model.Tau * Ziggurat.Normal(rng); skills[b[g]] += model.Tau * Ziggurat.Normal(rng); }
            double t = skills[a[g]] - skills[b[g]] + model.HomeMean + model.SigmaT * Ziggurat.Normal(rng);
            outcome[g] = t > eps ? (sbyte)1 : t < -eps ? (sbyte)-1 : (sbyte)0;
            if (!scores) continue;
            int k = outcome[g] == 0 ? 0 : 1 + (int)Math.Min(20, Math.Floor((Math.Abs(t) - eps) / model.MarginStep));
            if (outcome[g] >= 0) { sa![g] = k; sb![g] = 0; } else { sa![g] = 0; sb![g] = k; }
        }
        int width = (p - 1).ToString().Length;
        var names = Enumerable.Range(1, p).Select(i => options.NamePrefix + i.ToString().PadLeft(width, '0')).ToArray();
        var data = new MatchData($"simulated {options.Schedule} league ({p} players, {n} matches)", names, a, b, outcome, sa, sb);
        return new SimulatedLeague(data, initial, skills, model.HomeMean);
    }

    // Circle method: fix player 0, rotate the rest; with an odd count a dummy "bye" player is added and its games dropped.
    // The first half-season uses the computed home sides; the second half swaps them, so each pair meets once at each home.
    private static (int[] A, int[] B) RoundRobin(int players, int seasons)
    {
        int m = players % 2 == 0 ? players : players + 1;
        var ring = Enumerable.Range(0, m).ToArray();
        var half = new List<(int, int)>();
        for (int round = 0; round < m - 1; round++)
        {
            for (int k = 0; k < m / 2; k++)
            {
                int x = ring[k], y = ring[m - 1 - k];
                if (x >= players || y >= players) continue;
                half.Add(round % 2 == 0 ? (x, y) : (y, x));   // alternate sides round by round
            }
            int last = ring[m - 1];
            Array.Copy(ring, 1, ring, 2, m - 2);
            ring[1] = last;
        }
        var a = new List<int>(); var b = new List<int>();
        for (int s = 0; s < seasons; s++)
        {
            foreach (var (x, y) in half) { a.Add(x); b.Add(y); }
            foreach (var (x, y) in half) { a.Add(y); b.Add(x); }
        }
        return (a.ToArray(), b.ToArray());
    }

    private static (int[] A, int[] B) RandomPairs(int players, int matches, Rng rng)
    {
        var a = new int[matches]; var b = new int[matches];
        for (int g = 0; g < matches; g++)
        {
            int x = rng.NextInt(players), y = rng.NextInt(players - 1);
            if (y >= x) y++;   // uniform over the other players
            a[g] = x; b[g] = y;
        }
        return (a, b);
    }
}
