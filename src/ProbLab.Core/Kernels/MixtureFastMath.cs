// Fast SIMD exp for the mixture kernels. The runtime's Vector.Exp(float) widens to double for
// correct rounding and cost ~4x more than everything else in the Gaussian mixture forward pass together;
// responsibilities need only float accuracy, so we use the classical reduction
//   exp(x) = 2^n · exp(r),  n = round(x / ln 2),  r = x − n ln 2 ∈ [−ln2/2, ln2/2]
// (Cody–Waite: ln 2 split into a short "hi" part, exact in n·hi, and a "lo" correction), exp(r) by its
// degree-7 Taylor polynomial (truncation ≤ (ln2/2)^8/8! ≈ 5e-9, below float's 6e-8 half-ulp), and 2^n
// by adding n to the exponent bits. Inputs below −69 return exactly 0: e^{−69} ≈ 1e-30 is negligible next to
// the largest term of any log-sum-exp we take (≥ 1e-20 by construction, see MixtureLogSumExp), and cutting
// there keeps responsibilities, and their products with gradients in the backward, out of the subnormal
// range, where every SIMD multiply takes a ~100-cycle microcode assist (measured: backward 25× slower).
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ProbLab.Kernels;

/// <summary>Vectorised float exp accurate to a few ulp, for the mixture kernels.</summary>
internal static class MixtureFastMath
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2Hi = 0.693359375f;        // 0.10110001 in binary: n·Ln2Hi is exact for |n| ≤ 2^15
    private const float Ln2Lo = -2.12194440e-4f;     // ln 2 − Ln2Hi
    private const float MinArg = -69f;                // e^{−69} ≈ 1e-30: flushed to 0 (see the header)
    private const float MaxArg = 88f;                 // e^{88} ≈ 1.7e38, below float.MaxValue

    /// <summary>e^x per lane; 0 for x &lt; −69, clamped at x = 88 (callers pass x ≤ 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Exp(Vector<float> x)
    {
        var tooSmall = Vector.LessThan(x, new Vector<float>(MinArg));
        var xc = Vector.Min(Vector.Max(x, new Vector<float>(MinArg)), new Vector<float>(MaxArg));
        var n = Vector.Floor(Vector.FusedMultiplyAdd(xc, new Vector<float>(Log2E), new Vector<float>(0.5f)));
        var r = Vector.FusedMultiplyAdd(n, new Vector<float>(-Ln2Hi), xc);
        r = Vector.FusedMultiplyAdd(n, new Vector<float>(-Ln2Lo), r);
        // Horner: 1 + r(1 + r(1/2 + r(1/6 + r(1/24 + r(1/120 + r(1/720 + r/5040))))))
        var p = new Vector<float>(1f / 5040f);
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(1f / 720f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(1f / 120f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(1f / 24f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(1f / 6f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(0.5f));
        p = Vector.FusedMultiplyAdd(p, r, Vector<float>.One);
        p = Vector.FusedMultiplyAdd(p, r, Vector<float>.One);
        var scaled = (p.As<float, int>() + (Vector.ConvertToInt32(n) << 23)).As<int, float>();
        return Vector.ConditionalSelect(tooSmall, Vector<float>.Zero, scaled);
    }

    /// <summary>16-lane twin of <see cref="Exp(Vector{float})"/>, used where AVX-512 is available.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        var tooSmall = Vector512.LessThan(x, Vector512.Create(MinArg));
        var xc = Vector512.Min(Vector512.Max(x, Vector512.Create(MinArg)), Vector512.Create(MaxArg));
        var n = Vector512.Floor(Vector512.FusedMultiplyAdd(xc, Vector512.Create(Log2E), Vector512.Create(0.5f)));
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Hi), xc);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Lo), r);
        var p = Vector512.Create(1f / 5040f);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 720f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 120f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 24f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 6f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(0.5f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        var scaled = (p.AsInt32() + Vector512.ShiftLeft(Vector512.ConvertToInt32(n), 23)).AsSingle();
        return Vector512.ConditionalSelect(tooSmall, Vector512<float>.Zero, scaled);
    }

    /// <summary>
    /// log(1 + t) per lane for t ∈ [0, 1] (the softplus tail log(1 + e^{−|a|})): with s = t/(2 + t) ∈ [0, 1/3],
    /// log(1 + t) = 2 atanh(s) = 2(s + s³/3 + ... + s¹³/13), truncation ≤ 2(1/3)^15/15 ≈ 1e-8; no cancellation for small t.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Log1pUnit(Vector<float> t)
    {
        var s = t / (new Vector<float>(2f) + t);
        var z = s * s;
        var p = new Vector<float>(1f / 13f);
        p = Vector.FusedMultiplyAdd(p, z, new Vector<float>(1f / 11f));
        p = Vector.FusedMultiplyAdd(p, z, new Vector<float>(1f / 9f));
        p = Vector.FusedMultiplyAdd(p, z, new Vector<float>(1f / 7f));
        p = Vector.FusedMultiplyAdd(p, z, new Vector<float>(1f / 5f));
        p = Vector.FusedMultiplyAdd(p, z, new Vector<float>(1f / 3f));
        p = Vector.FusedMultiplyAdd(p, z, Vector<float>.One);
        return new Vector<float>(2f) * s * p;
    }

    /// <summary>Scalar twin of <see cref="Exp(Vector{float})"/> for loop tails (same result as MathF.Exp within a few ulp).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Exp(float x) => x < MinArg ? 0f : MathF.Exp(MathF.Min(x, MaxArg));
}
