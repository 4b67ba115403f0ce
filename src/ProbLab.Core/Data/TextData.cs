// Character-level text data: strict UTF-8 file reading, a character vocabulary (sorted set of the TRAIN
// text's characters, as the course's DataHandler builds it), and the tiny-Shakespeare split of HUJI IML
// ex5 (REFERENCE.md §A): with n characters, test = [⌊0.9n⌋, ⌊0.95n⌋) and train = everything else (the first
// 90% plus the last 5%). For the real 1,115,394-character file that is test = [1,003,854, 1,059,624).
// Characters are UTF-16 code units (.NET chars); every course text is ASCII, where chars = bytes.
using System.Text;
using ProbLab.Data.Synthetic;

namespace ProbLab.Data;

/// <summary>A train/test pair of texts.</summary>
public sealed record TextSplit(string Train, string Test);

/// <summary>Characters ↔ integer ids; ids follow ordinal character order (Python's sorted(set(text))).</summary>
public sealed class CharVocab
{
    private readonly char[] _chars;
    private readonly Dictionary<char, int> _ids;

    private CharVocab(char[] chars)
    {
        _chars = chars;
        _ids = new Dictionary<char, int>(chars.Length);
        for (int i = 0; i < chars.Length; i++) _ids[chars[i]] = i;
    }

    /// <summary>The sorted set of characters of <paramref name="text"/>.</summary>
    /// <exception cref="ArgumentException">The text is empty.</exception>
    public static CharVocab FromText(string text)
    {
        if (text.Length == 0) throw new ArgumentException("cannot build a vocabulary from empty text");
        var set = new SortedSet<char>(text, Comparer<char>.Default);
        return new CharVocab(set.ToArray());
    }

    /// <summary>Number of distinct characters V.</summary>
    public int Size => _chars.Length;

    /// <summary>The characters in id order.</summary>
    public IReadOnlyList<char> Chars => _chars;

    /// <summary>True when <paramref name="c"/> has an id.</summary>
    public bool Contains(char c) => _ids.ContainsKey(c);

    /// <summary>Ids of the characters of <paramref name="text"/>.</summary>
    /// <exception cref="ArgumentException">A character is not in the vocabulary (message gives it and its position).</exception>
    public int[] Encode(string text)
    {
        var ids = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
            ids[i] = _ids.TryGetValue(text[i], out int id) ? id
                : throw new ArgumentException($"character {Describe(text[i])} at position {i} is not in the vocabulary of {Size} characters");
        return ids;
    }

    /// <summary>The text of <paramref name="ids"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside [0, V).</exception>
    public string Decode(ReadOnlySpan<int> ids)
    {
        var sb = new StringBuilder(ids.Length);
        foreach (int id in ids)
        {
            if ((uint)id >= (uint)_chars.Length) throw new ArgumentOutOfRangeException(nameof(ids), id, $"token id outside [0, {Size})");
            sb.Append(_chars[id]);
        }
        return sb.ToString();
    }

    private static string Describe(char c) => char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : $"'{c}' (U+{(int)c:X4})";
}

/// <summary>Text file reading.</summary>
public static class TextData
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads a whole UTF-8 file (a leading BOM is dropped); invalid UTF-8 and empty files are rejected.</summary>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    /// <exception cref="DataFormatException">The file is empty or not valid UTF-8 (message names the line).</exception>
    public static string ReadUtf8(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0) throw new DataFormatException(path, "file is empty");
        int start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        try
        {
            return StrictUtf8.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException e)
        {
            int offset = start + Math.Max(0, e.Index);
            int line = 1 + bytes.AsSpan(0, Math.Min(offset, bytes.Length)).Count((byte)'\n');
            throw new DataFormatException(path, line, null, $"invalid UTF-8 at byte offset {offset}", e);
        }
    }
}

/// <summary>Tiny Shakespeare with the course's train/test split and train vocabulary, plus provenance.</summary>
public sealed record ShakespeareDataset(TextSplit Split, CharVocab Vocab, DataSource Source);

/// <summary>Loader for tiny Shakespeare (karpathy/char-rnn input.txt).</summary>
public static class ShakespeareData
{
    /// <summary>Length of the real file in characters.</summary>
    public const int CanonicalLength = 1_115_394;

    /// <summary>First test character of the real file (⌊0.9n⌋).</summary>
    public const int TestStart = 1_003_854;

    /// <summary>End (exclusive) of the test range of the real file (⌊0.95n⌋).</summary>
    public const int TestEnd = 1_059_624;

    /// <summary>The course split: test = [⌊0.9n⌋, ⌊0.95n⌋), train = the rest, for any text length n ≥ 20.</summary>
    /// <exception cref="ArgumentException">The text is too short for both parts to be non-empty.</exception>
    public static TextSplit Split(string text)
    {
        long n = text.Length;
        int start = (int)(9 * n / 10), end = (int)(19 * n / 20); // integer floor = Python int(0.9*n), int(0.95*n)
        if (end <= start) throw new ArgumentException($"text of {n} characters is too short to split (need at least 20)");
        return new TextSplit(string.Concat(text.AsSpan(0, start), text.AsSpan(end)), text[start..end]);
    }

    /// <summary>Real tiny Shakespeare from the "shakespeare" folder, else the synthetic play-like stand-in.</summary>
    /// <exception cref="FileNotFoundException">The folder exists but input.txt is missing.</exception>
    /// <exception cref="DataFormatException">input.txt is empty or not UTF-8.</exception>
    public static ShakespeareDataset Load(DataDirs dirs, int syntheticChars = 200_000, CancellationToken cancel = default)
    {
        string? dir = dirs.Locate(Datasets.Shakespeare, cancel);
        string text;
        DataSource source;
        if (dir is null)
        {
            text = TextSynthetic.Generate(new Tensors.Rng(TextSynthetic.DefaultSeed), syntheticChars);
            source = DataSource.Synthetic("shakespeare", $"{text.Length:N0} characters of generated play-like verse", dirs.MissingReason(Datasets.Shakespeare));
        }
        else
        {
            string path = Path.Combine(dir, "input.txt");
            text = TextData.ReadUtf8(path);
            source = DataSource.Real("shakespeare", dir, $"{text.Length:N0} characters");
        }
        var split = Split(text);
        return new ShakespeareDataset(split, CharVocab.FromText(split.Train), source);
    }
}
