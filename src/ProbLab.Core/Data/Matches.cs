// Match results in a compact structure-of-arrays form: players are dense integer indices into Names,
// and match i is (A[i], B[i], Outcome[i]) with optional scores. Side A is the home team / white / team1,
// which carries the home or first-move advantage when a model has one. Rating code reads the arrays
// directly (no per-match objects), which is what lets ADF run millions of updates per second.
namespace ProbLab.Data;

/// <summary>Result of one match from side A's point of view (the sign of the performance difference t).</summary>
public enum MatchOutcome : sbyte
{
    /// <summary>B (away / black / team2) won.</summary>
    BWins = -1,
    /// <summary>A draw.</summary>
    Draw = 0,
    /// <summary>A (home / white / team1) won.</summary>
    AWins = 1,
}

/// <summary>One match: player indices, outcome, and goals/points (−1 when unknown).</summary>
public readonly record struct Match(int A, int B, MatchOutcome Outcome, int ScoreA = -1, int ScoreB = -1)
{
    /// <summary>True unless the match was drawn.</summary>
    public bool IsDecisive => Outcome != MatchOutcome.Draw;
}

/// <summary>An ordered list of matches between named players, stored as parallel arrays (no per-match objects).</summary>
public sealed class MatchData
{
    internal readonly int[] A;
    internal readonly int[] B;
    internal readonly sbyte[] Outcomes;
    internal readonly int[]? ScoresA;
    internal readonly int[]? ScoresB;
    private readonly string[] _names;

    /// <summary>Wraps arrays of equal length (taking ownership); validates indices and outcomes.</summary>
    /// <exception cref="ArgumentException">Lengths differ, an index is out of range, A equals B, an outcome is not −1/0/1,
    /// or scores disagree with outcomes.</exception>
    public MatchData(string source, string[] names, int[] a, int[] b, sbyte[] outcomes, int[]? scoresA = null, int[]? scoresB = null)
    {
        Source = source;
        _names = names;
        A = a; B = b; Outcomes = outcomes; ScoresA = scoresA; ScoresB = scoresB;
        Validate();
    }

    /// <summary>Where the matches came from (a file name or a description), used in messages and reports.</summary>
    public string Source { get; }
    /// <summary>Player (or team) names; index i is player i.</summary>
    public IReadOnlyList<string> Names => _names;
    /// <summary>Number of distinct players.</summary>
    public int PlayerCount => _names.Length;
    /// <summary>Number of matches.</summary>
    public int Count => A.Length;
    /// <summary>True when goals/points are known for every match.</summary>
    public bool HasScores => ScoresA is not null;
    /// <summary>Side-A player index of every match.</summary>
    public ReadOnlySpan<int> PlayerA => A;
    /// <summary>Side-B player index of every match.</summary>
    public ReadOnlySpan<int> PlayerB => B;

    /// <summary>Outcome of every match as the sign of t: 1 (A won), 0 (draw), −1 (B won).</summary>
    public ReadOnlySpan<sbyte> OutcomeSigns => Outcomes;
    /// <summary>Side-A scores (empty when the matches have no scores).</summary>
    public ReadOnlySpan<int> ScoreA => ScoresA;
    /// <summary>Side-B scores (empty when the matches have no scores).</summary>
    public ReadOnlySpan<int> ScoreB => ScoresB;

    /// <summary>Match i.</summary>
    public Match this[int i] => new(A[i], B[i], (MatchOutcome)Outcomes[i], ScoresA?[i] ?? -1, ScoresB?[i] ?? -1);

    /// <summary>Number of drawn matches.</summary>
    public int DrawCount
    {
        get
        {
            int n = 0;
            foreach (sbyte o in Outcomes) if (o == 0) n++;
            return n;
        }
    }

    /// <summary>Number of matches won by side A.</summary>
    public int AWinCount
    {
        get
        {
            int n = 0;
            foreach (sbyte o in Outcomes) if (o > 0) n++;
            return n;
        }
    }

    /// <summary>Builds match data from match records and the player names they index.</summary>
    public static MatchData FromMatches(string source, IReadOnlyList<string> names, IReadOnlyList<Match> matches)
    {
        int n = matches.Count;
        var a = new int[n]; var b = new int[n]; var o = new sbyte[n];
        bool scores = n > 0 && matches.All(m => m.ScoreA >= 0 && m.ScoreB >= 0);
        int[]? sa = scores ? new int[n] : null, sb = scores ? new int[n] : null;
        for (int i = 0; i < n; i++)
        {
            var m = matches[i];
            a[i] = m.A; b[i] = m.B; o[i] = (sbyte)m.Outcome;
            if (scores) { sa![i] = m.ScoreA; sb![i] = m.ScoreB; }
        }
        return new MatchData(source, names.ToArray(), a, b, o, sa, sb);
    }

    /// <summary>The matches reordered (or subset) by <paramref name="order"/>, same players; used for shuffled re-runs.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, Count).</exception>
    public MatchData Select(ReadOnlySpan<int> order, string? source = null)
    {
        int n = order.Length;
        var a = new int[n]; var b = new int[n]; var o = new sbyte[n];
        int[]? sa = ScoresA is null ? null : new int[n], sb = ScoresB is null ? null : new int[n];
        for (int i = 0; i < n; i++)
        {
            int j = order[i];
            if ((uint)j >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(order), j, $"match index outside [0, {Count})");
            a[i] = A[j]; b[i] = B[j]; o[i] = Outcomes[j];
            if (sa is not null) { sa[i] = ScoresA![j]; sb![i] = ScoresB![j]; }
        }
        return new MatchData(source ?? Source, _names, a, b, o, sa, sb);
    }

    /// <summary>Index of the player called <paramref name="name"/> (ordinal comparison).</summary>
    /// <exception cref="KeyNotFoundException">No such player.</exception>
    public int IndexOf(string name)
    {
        int i = Array.IndexOf(_names, name);
        if (i < 0) throw new KeyNotFoundException($"{Source}: no player or team named '{name}'");
        return i;
    }

    private void Validate()
    {
        int n = A.Length, p = _names.Length;
        if (B.Length != n || Outcomes.Length != n) throw new ArgumentException($"{Source}: match arrays differ in length ({n}, {B.Length}, {Outcomes.Length})");
        if ((ScoresA is null) != (ScoresB is null)) throw new ArgumentException($"{Source}: scores must be given for both sides or neither");
        if (ScoresA is not null && (ScoresA.Length != n || ScoresB!.Length != n)) throw new ArgumentException($"{Source}: score arrays differ in length from the matches");
        for (int i = 0; i < n; i++)
        {
            if ((uint)A[i] >= (uint)p || (uint)B[i] >= (uint)p) throw new ArgumentException($"{Source}: match {i} has a player index outside [0, {p})");
            if (A[i] == B[i]) throw new ArgumentException($"{Source}: match {i} has '{_names[A[i]]}' playing itself");
            if (Outcomes[i] is < -1 or > 1) throw new ArgumentException($"{Source}: match {i} has outcome {Outcomes[i]} (expected -1, 0 or 1)");
            if (ScoresA is not null && Math.Sign(ScoresA[i] - ScoresB![i]) != Outcomes[i])
                throw new ArgumentException($"{Source}: match {i} has score {ScoresA[i]}-{ScoresB[i]} but outcome {Outcomes[i]}");
        }
    }
}
