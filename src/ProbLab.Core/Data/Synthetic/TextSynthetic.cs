// Synthetic stand-in for tiny Shakespeare: a play-like text in the same layout (a speaker name in capitals
// followed by ':' on its own line, one to four lines of verse, a blank line between speeches). Words come
// from a small Early-Modern-English word list with Zipf-like frequencies and a few fixed phrases, so a
// character model has real structure to learn (spelling, names, line layout), but nothing like Shakespeare's.
using System.Text;
using ProbLab.Tensors;

namespace ProbLab.Data.Synthetic;

/// <summary>Deterministic Shakespeare-like play text.</summary>
public static class TextSynthetic
{
    /// <summary>Seed of the default stand-in.</summary>
    public const ulong DefaultSeed = 0x42_41_52_44; // "BARD"

    private static readonly string[] Speakers =
    [
        "FIRST CITIZEN", "SECOND CITIZEN", "MENENIUS", "VOLUMNIA", "LUCIO", "ISABELLA", "DUKE VINCENTIO",
        "KING HENRY", "QUEEN MARGARET", "GLOUCESTER", "ROMEO", "JULIET", "NURSE", "PROSPERO", "MIRANDA",
    ];

    private static readonly string[] Words =
    (
        "the and I to of a my you that in is not with me it for be his your this but he have as thou so him will " +
        "what thy all by do no shall if are we thee our on now lord good come more they then here sir let well " +
        "love would hath man there one yet was how should or upon must make may know too say heart noble night " +
        "speak death king father blood honour tongue crown fair sweet heaven grace daughter brother gentle soul " +
        "hand eyes world true word mine life time nay ay o tell give stay go hence farewell pray prithee whence"
    ).Split(' ');

    private static readonly string[] Phrases =
    [
        "my good lord", "i pray you", "what say you", "by my troth", "god save the king", "good night",
        "upon my life", "o heaven", "mark me", "hear me speak",
    ];

    /// <summary>At least <paramref name="minChars"/> characters of play text, ending after a complete speech.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minChars"/> is not positive.</exception>
    public static string Generate(Rng rng, int minChars)
    {
        if (minChars < 1) throw new ArgumentOutOfRangeException(nameof(minChars), minChars, "need a positive length");
        // Zipf weights 1/(rank+1) make "the", "and", "I" common and the tail rare, as in real text.
        var weights = new double[Words.Length];
        for (int i = 0; i < weights.Length; i++) weights[i] = 1.0 / (i + 1);
        var sb = new StringBuilder(minChars + 512);
        while (sb.Length < minChars)
        {
            if (sb.Length > 0) sb.Append('\n');
            sb.Append(Speakers[rng.NextInt(Speakers.Length)]).Append(":\n");
            int lines = 1 + rng.NextInt(4);
            for (int l = 0; l < lines; l++) sb.Append(Line(rng, weights, last: l == lines - 1)).Append('\n');
        }
        return sb.ToString();
    }

    private static string Line(Rng rng, double[] weights, bool last)
    {
        var words = new List<string>();
        int n = 5 + rng.NextInt(5);
        while (words.Count < n)
        {
            if (rng.NextDouble() < 0.08) words.AddRange(Phrases[rng.NextInt(Phrases.Length)].Split(' '));
            else words.Add(Words[rng.Categorical(weights)]);
        }
        for (int i = 0; i < words.Count; i++) if (words[i] == "i" || words[i] == "o") words[i] = words[i].ToUpperInvariant();
        words[0] = char.ToUpperInvariant(words[0][0]) + words[0][1..];
        string end = last ? (rng.NextDouble() < 0.25 ? "?" : rng.NextDouble() < 0.2 ? "!" : ".") : (rng.NextDouble() < 0.5 ? "," : rng.NextDouble() < 0.3 ? ";" : "");
        if (rng.NextDouble() < 0.3) words[rng.NextInt(words.Count - 1)] += ","; // a caesura mid-line
        return string.Join(' ', words) + end;
    }
}
