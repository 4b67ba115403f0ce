// Synthetic stand-in for the Lichess games: players with hidden Elo-scale skills s ~ N(1500, 250²), random
// pairings, and outcomes from the Elo model with a first-move edge of 35 points:
//   P(white wins | decisive) = 1 / (1 + 10^(−(s_white − s_black + 35)/400)),
// with a draw probability 0.04 + 0.08·exp(−|Δ|/200) that is highest for evenly matched players (the real
// file has 4.7% draws). Shown ratings are the skills plus N(0, 60²) noise, as ratings lag true strength.
using ProbLab.Tensors;

namespace ProbLab.Data.Synthetic;

/// <summary>One game in the Kaggle layout's terms: winner is "white", "black" or "draw".</summary>
public sealed record SyntheticChessGame(string Id, string White, string Black, int WhiteRating, int BlackRating,
    string Winner, string VictoryStatus, int Turns);

/// <summary>Simulated games with the hidden skills that generated them.</summary>
public sealed record SyntheticChessSet(IReadOnlyList<string> Players, double[] Skill, IReadOnlyList<SyntheticChessGame> Games);

/// <summary>Deterministic chess-like game records.</summary>
public static class ChessSynthetic
{
    /// <summary>Seed of the default stand-in.</summary>
    public const ulong DefaultSeed = 0x43_48_45_53; // "CHES"

    /// <summary>The default stand-in: 300 players, 4000 games.</summary>
    public static SyntheticChessSet Generate() => Generate(new Rng(DefaultSeed), 300, 4000);

    /// <summary><paramref name="games"/> games among <paramref name="players"/> players.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 2 players or 1 game.</exception>
    public static SyntheticChessSet Generate(Rng rng, int players, int games)
    {
        if (players < 2) throw new ArgumentOutOfRangeException(nameof(players), players, "need at least 2 players");
        if (games < 1) throw new ArgumentOutOfRangeException(nameof(games), games, "need at least 1 game");
        var names = new string[players];
        var skill = new double[players];
        for (int i = 0; i < players; i++) { names[i] = $"player{i + 1:D4}"; skill[i] = rng.Normal(1500, 250); }
        var list = new List<SyntheticChessGame>(games);
        for (int g = 0; g < games; g++)
        {
            int w = rng.NextInt(players), b = rng.NextInt(players - 1);
            if (b >= w) b++; // a player never meets themself
            double delta = skill[w] - skill[b];
            double pDraw = 0.04 + 0.08 * Math.Exp(-Math.Abs(delta) / 200);
            double pWhite = 1 / (1 + Math.Pow(10, -(delta + 35) / 400));
            double u = rng.NextDouble();
            string winner = u < pDraw ? "draw" : rng.NextDouble() < pWhite ? "white" : "black";
            string status = winner == "draw" ? "draw" : Pick(rng, ("resign", 0.56), ("mate", 0.33), ("outoftime", 0.11));
            int turns = 12 + (int)Math.Round(-45 * Math.Log(1 - rng.NextDouble())); // 12 + exponential, mean ≈ 57
            list.Add(new SyntheticChessGame($"g{g + 1:D6}", names[w], names[b], Rating(rng, skill[w]), Rating(rng, skill[b]), winner, status, turns));
        }
        return new SyntheticChessSet(names, skill, list);
    }

    private static int Rating(Rng rng, double skill) => (int)Math.Clamp(Math.Round(skill + rng.Normal(0, 60)), 700, 2800);

    private static string Pick(Rng rng, params (string Name, double P)[] choices)
    {
        double u = rng.NextDouble(), acc = 0;
        foreach (var (name, p) in choices) { acc += p; if (u < acc) return name; }
        return choices[^1].Name;
    }
}
