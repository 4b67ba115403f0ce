// Fixed-length training windows over a token sequence (the course's ShakespeareDataset): window i is
// x = tokens[i, i+T) with next-token targets y = tokens[i+1, i+T+1), for i in [0, n − T). An "epoch" is a
// number of windows drawn with replacement (torch RandomSampler(replacement=True, num_samples=…)); the
// evaluation set is drawn without replacement (randperm(n)[:num_samples]).
using ProbLab.Tensors;

namespace ProbLab.Data;

/// <summary>All length-T windows of a token sequence with their shifted targets.</summary>
public sealed class TextWindows
{
    private readonly int[] _tokens;

    /// <summary>Window length T.</summary>
    public int BlockSize { get; }

    /// <summary>Number of windows, n − T.</summary>
    public int Count => _tokens.Length - BlockSize;

    /// <summary>Wraps <paramref name="tokens"/> (not copied).</summary>
    /// <exception cref="ArgumentException">The block size is below 1 or the sequence has no complete window (n ≤ T).</exception>
    public TextWindows(int[] tokens, int blockSize)
    {
        if (blockSize < 1) throw new ArgumentException($"window length must be at least 1, got {blockSize}");
        if (tokens.Length <= blockSize) throw new ArgumentException($"a sequence of {tokens.Length} tokens has no window of {blockSize} tokens plus a target");
        _tokens = tokens;
        BlockSize = blockSize;
    }

    /// <summary>Copies windows starting at <paramref name="starts"/> into x and y, each (starts.Length, T) row-major.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A start is outside [0, Count).</exception>
    public void Fill(ReadOnlySpan<int> starts, Span<int> x, Span<int> y)
    {
        int t = BlockSize;
        if (x.Length < starts.Length * t || y.Length < starts.Length * t) throw new ArgumentException($"window buffers hold {Math.Min(x.Length, y.Length)} ids, need {starts.Length * t}");
        for (int r = 0; r < starts.Length; r++)
        {
            int s = starts[r];
            if ((uint)s >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(starts), s, $"window start outside [0, {Count})");
            _tokens.AsSpan(s, t).CopyTo(x.Slice(r * t, t));
            _tokens.AsSpan(s + 1, t).CopyTo(y.Slice(r * t, t));
        }
    }

    /// <summary><paramref name="n"/> window starts drawn uniformly with replacement.</summary>
    public int[] SampleWithReplacement(Rng rng, int n)
    {
        var s = new int[n];
        for (int i = 0; i < n; i++) s[i] = rng.NextInt(Count);
        return s;
    }

    /// <summary>The first <paramref name="n"/> entries of a random permutation of the window starts (all of them if n ≥ Count).</summary>
    public int[] SampleWithoutReplacement(Rng rng, int n)
    {
        var p = rng.Permutation(Count);
        return n >= p.Length ? p : p[..n];
    }
}
