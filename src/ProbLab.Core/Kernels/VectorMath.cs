// Fast vector exp for kernels whose cost is dominated by it (GELU, attention softmax, cross-entropy).
// Cephes expf (S. Moshier): clamp x to the finite float range, n = round(x·log2 e), r = x − n·ln2 with ln2
// split in two parts (Cody–Waite) so r is exact, e^r by a degree-6 minimax polynomial on |r| ≤ ½ln2, then
// scale by 2^n built directly in the exponent bits. Max relative error ≈ 1.2e-7 (1–2 ulp) on the clamped
// range; results below e^−87.3 are flushed to that tiny value instead of 0, which no caller relies on.
// Measured about 2× faster than Vector512.Exp here (the runtime's version works in double precision).
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ProbLab.Kernels;

/// <summary>Vectorised elementary functions for float kernels.</summary>
public static class VectorMath
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2Hi = 0.693359375f, Ln2Lo = -2.12194440e-4f;
    private const float MaxX = 88.37626f, MinX = -87.33654f; // keeps n in [−126, 127]: 2^n stays a normal float

    /// <summary>e^x per lane (relative error ≈ 1e-7; x clamped to [−87.3, 88.4]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        // The native min/max are single instructions (the IEEE ones add NaN fix-ups); with the constant as the
        // first operand x86 returns the second one when either is NaN, so NaN still propagates.
        x = Vector512.MinNative(Vector512.Create(MaxX), Vector512.MaxNative(Vector512.Create(MinX), x));
        var n = Vector512.Round(x * Vector512.Create(Log2E));
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Hi), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Lo), r);
        var p = Vector512.Create(1.9875691500e-4f);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.3981999507e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(8.3334519073e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(4.1665795894e-2f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.6666665459e-1f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(5.0000001201e-1f));
        var y = Vector512.FusedMultiplyAdd(p, r * r, r + Vector512<float>.One);   // e^r
        var scale = (Vector512.ConvertToInt32Native(n) + Vector512.Create(127)) << 23; // 2^n as float bits (n is integral, in range)
        return y * scale.AsSingle();
    }

    /// <summary>1/x per lane to ≈ 1 ulp: the 14-bit hardware estimate refined by one Newton step r·(2 − x·r)
    /// (a zmm division costs about 16 cycles of throughput; this about 3 instructions).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Reciprocal(Vector512<float> x)
    {
        if (!Avx512F.IsSupported) return Vector512<float>.One / x;
        var r = Avx512F.Reciprocal14(x);
        return r * Vector512.FusedMultiplyAdd(-x, r, Vector512.Create(2f));
    }

    /// <summary>Scalar twin of <see cref="Exp(Vector512{float})"/> (same clamping), for loop tails.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Exp(float x) => MathF.Exp(Math.Clamp(x, MinX, MaxX));
}
