// Rng: the one explicit, seeded random number generator passed to everything random in ProbLab
// (initialisation, dropout, batching, sampling, MCMC). Never Random.Shared, never a clock seed.
//
// Generator: xoshiro256** (Blackman & Vigna, 2018), 256 bits of state, period 2^256 - 1, seeded by
// expanding the 64-bit seed with SplitMix64 as the authors recommend. Split() derives an independent
// stream (as jax.random.split does) by seeding a new generator from this one's output through SplitMix64,
// so parallel workers can each own a stream and results stay deterministic.
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ProbLab.Tensors;

/// <summary>A seeded, splittable xoshiro256** pseudo-random generator with the distributions ProbLab needs.</summary>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareNormal;
    private bool _hasSpare;

    /// <summary>Creates a generator whose whole stream is determined by <paramref name="seed"/>.</summary>
    public Rng(ulong seed)
    {
        ulong sm = seed;
        _s0 = SplitMix64(ref sm);
        _s1 = SplitMix64(ref sm);
        _s2 = SplitMix64(ref sm);
        _s3 = SplitMix64(ref sm);
    }

    /// <summary>Creates a generator from a signed seed (the CLI's <c>--seed</c>).</summary>
    public Rng(long seed) : this(unchecked((ulong)seed)) { }

    /// <summary>Creates a generator from an int seed.</summary>
    public Rng(int seed) : this(unchecked((ulong)(long)seed)) { }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Next 64 uniformly random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>The full generator state (for checkpoints): four state words, the cached normal and its flag.</summary>
    public RngState GetState() => new(_s0, _s1, _s2, _s3, _spareNormal, _hasSpare);

    /// <summary>Restores a state captured by <see cref="GetState"/>; the stream continues exactly where it was.</summary>
    /// <exception cref="ArgumentException">The state is all zeros (invalid for xoshiro).</exception>
    public void SetState(RngState state)
    {
        if ((state.S0 | state.S1 | state.S2 | state.S3) == 0) throw new ArgumentException("all-zero xoshiro state is invalid");
        (_s0, _s1, _s2, _s3, _spareNormal, _hasSpare) = (state.S0, state.S1, state.S2, state.S3, state.SpareNormal, state.HasSpare);
    }

    /// <summary>An independent generator derived from this one (advances this stream by one draw).</summary>
    public Rng Split() => new Rng(NextUInt64() ^ 0xD1B54A32D192ED03UL);

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform float in [0, 1) with 24 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float NextFloat() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>Uniform double in [lo, hi).</summary>
    public double Uniform(double lo, double hi) => lo + (hi - lo) * NextDouble();

    /// <summary>Uniform integer in [0, n); unbiased (Lemire's multiply-and-reject). Throws if n &lt;= 0.</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "upper bound must be positive");
        ulong range = (ulong)n;
        ulong x = NextUInt64() >> 32;
        ulong m = x * range;
        uint low = (uint)m;
        if (low < range)
        {
            uint threshold = (uint)((0x1_0000_0000UL - range) % range);
            while (low < threshold)
            {
                x = NextUInt64() >> 32;
                m = x * range;
                low = (uint)m;
            }
        }
        return (int)(m >> 32);
    }

    /// <summary>Uniform integer in [lo, hi).</summary>
    public int NextInt(int lo, int hi) => lo + NextInt(hi - lo);

    /// <summary>Standard normal draw (Box–Muller in double precision; the second value is cached).</summary>
    public double Normal()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareNormal;
        }
        // u1 in (0, 1] so the log is finite.
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        double theta = 2.0 * Math.PI * u2;
        _spareNormal = r * Math.Sin(theta);
        _hasSpare = true;
        return r * Math.Cos(theta);
    }

    /// <summary>Normal draw with the given mean and standard deviation.</summary>
    public double Normal(double mean, double std) => mean + std * Normal();

    /// <summary>Fills <paramref name="dst"/> with N(mean, std²) draws.</summary>
    public void FillNormal(Span<float> dst, float mean = 0f, float std = 1f)
    {
        for (int i = 0; i < dst.Length; i++) dst[i] = (float)(mean + std * Normal());
    }

    /// <summary>Fills <paramref name="dst"/> with U[lo, hi) draws.</summary>
    public void FillUniform(Span<float> dst, float lo = 0f, float hi = 1f)
    {
        float w = hi - lo;
        for (int i = 0; i < dst.Length; i++) dst[i] = lo + w * NextFloat();
    }

    /// <summary>Draws an index with probability proportional to the non-negative <paramref name="weights"/>.</summary>
    /// <exception cref="ArgumentException">All weights are zero, or one is negative or not finite.</exception>
    public int Categorical(ReadOnlySpan<float> weights) => CategoricalCore(weights);

    /// <summary>Draws an index with probability proportional to the non-negative double <paramref name="weights"/>.</summary>
    /// <exception cref="ArgumentException">All weights are zero, or one is negative or not finite.</exception>
    public int Categorical(ReadOnlySpan<double> weights) => CategoricalCore(weights);

    // Inverse-CDF draw accumulated in double; zero weights are never returned, even when u lands on a boundary.
    private int CategoricalCore<T>(ReadOnlySpan<T> weights) where T : unmanaged, INumberBase<T>
    {
        double total = 0;
        foreach (T t in weights)
        {
            double w = double.CreateChecked(t);
            if (!(w >= 0) || double.IsInfinity(w)) throw new ArgumentException($"categorical weight {w} is not a finite non-negative number");
            total += w;
        }
        if (total <= 0) throw new ArgumentException("categorical weights sum to zero");
        double u = NextDouble() * total, acc = 0;
        int last = -1;
        for (int i = 0; i < weights.Length; i++)
        {
            double w = double.CreateChecked(weights[i]);
            if (w <= 0) continue;
            acc += w;
            last = i;
            if (u < acc) return i;
        }
        return last; // rounding: u landed at the very top of the range
    }

    /// <summary><paramref name="count"/> independent categorical draws with replacement (torch.multinomial, replacement=True).</summary>
    public int[] Multinomial(ReadOnlySpan<float> weights, int count)
    {
        var result = new int[count];
        for (int i = 0; i < count; i++) result[i] = Categorical(weights);
        return result;
    }

    /// <summary>A uniformly random permutation of 0..n-1 (Fisher–Yates).</summary>
    public int[] Permutation(int n)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        Shuffle<int>(p);
        return p;
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}

/// <summary>Serializable snapshot of an <see cref="Rng"/>.</summary>
public readonly record struct RngState(ulong S0, ulong S1, ulong S2, ulong S3, double SpareNormal, bool HasSpare);
