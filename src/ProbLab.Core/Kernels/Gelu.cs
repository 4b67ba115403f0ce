// GELU, tanh approximation (Hendrycks & Gimpel 2016; GPT-2's "NewGELU"), as a vectorised kernel pair.
//   gelu(x) = ½x(1 + tanh(u)),  u = √(2/π)(x + 0.044715x³)
// Since ½(1 + tanh(u)) = σ(2u), this is x·σ(2u) = x / (1 + e^(−2u)): one exp and one division per element,
// no tanh. For x → −∞, e^(−2u) → +∞ and the result → −0; for x → +∞ it → x (no NaN for finite x).
//   gelu'(x) = s + x·s(1 − s)·2u',  s = σ(2u),  u' = √(2/π)(1 + 3·0.044715x²)
// Buffers are flat spans of n elements (n = rows·C for activations).
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ProbLab.Kernels;

/// <summary>GELU (tanh approximation) forward/backward kernels.</summary>
public static class GeluKernels
{
    private const float K0 = 0.7978845608028654f; // √(2/π)
    private const float K1 = 0.044715f;

    /// <summary>y[i] = gelu(x[i]); y may alias x.</summary>
    /// <exception cref="ArgumentException">y is shorter than x.</exception>
    public static void Forward(Span<float> y, ReadOnlySpan<float> x)
    {
        if (y.Length < x.Length) throw new ArgumentException($"gelu: output of length {y.Length} is shorter than the input ({x.Length})");
        int n = x.Length, i = 0;
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float y0 = ref MemoryMarshal.GetReference(y);
        if (Vector512.IsHardwareAccelerated)
        {
            var m2k0 = Vector512.Create(-2f * K0);
            var k1 = Vector512.Create(K1);
            var one = Vector512<float>.One;
            for (; i <= n - 16; i += 16)
            {
                var v = Vector512.LoadUnsafe(ref x0, (nuint)i);
                var inner = Vector512.FusedMultiplyAdd(k1 * v, v * v, v);   // x + 0.044715x³
                var e = VectorMath.Exp(m2k0 * inner);                         // e^(−2u)
                (v * VectorMath.Reciprocal(one + e)).StoreUnsafe(ref y0, (nuint)i);
            }
        }
        for (; i < n; i++) Unsafe.Add(ref y0, i) = Scalar(Unsafe.Add(ref x0, i));
    }

    /// <summary>
    /// y[i] = gelu(x[i]) and dydx[i] = gelu'(x[i]) in one pass (one exp for both). dydx may alias x, so a
    /// fused layer can keep the derivative in place of the pre-activation and its backward pass becomes
    /// dx = dydx·dy, a plain multiply.
    /// </summary>
    /// <exception cref="ArgumentException">y or dydx is shorter than x.</exception>
    public static void ForwardWithDerivative(Span<float> y, Span<float> dydx, ReadOnlySpan<float> x)
    {
        if (y.Length < x.Length || dydx.Length < x.Length) throw new ArgumentException($"gelu: outputs ({y.Length}, {dydx.Length}) are shorter than the input ({x.Length})");
        int n = x.Length, i = 0;
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float y0 = ref MemoryMarshal.GetReference(y);
        ref float d0 = ref MemoryMarshal.GetReference(dydx);
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - 16; i += 16)
            {
                var v = Vector512.LoadUnsafe(ref x0, (nuint)i);
                var (d, s) = Derivative(v);
                (v * s).StoreUnsafe(ref y0, (nuint)i);
                d.StoreUnsafe(ref d0, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float v = Unsafe.Add(ref x0, i);
            Unsafe.Add(ref y0, i) = Scalar(v);
            Unsafe.Add(ref d0, i) = Derivative(v);
        }
    }

    /// <summary>
    /// dx[i] (+)= gelu'(x[i])·dy[i]; with <paramref name="accumulate"/> false dx is overwritten, and then dx may
    /// alias dy (in-place backward).
    /// </summary>
    /// <exception cref="ArgumentException">dx or dy is shorter than x.</exception>
    public static void Backward(Span<float> dx, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, bool accumulate = true)
    {
        if (dx.Length < x.Length || dy.Length < x.Length) throw new ArgumentException($"gelu backward: gradient spans ({dx.Length}, {dy.Length}) are shorter than the input ({x.Length})");
        int n = x.Length, i = 0;
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float dy0 = ref MemoryMarshal.GetReference(dy);
        ref float dx0 = ref MemoryMarshal.GetReference(dx);
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - 16; i += 16)
            {
                var g = Derivative(Vector512.LoadUnsafe(ref x0, (nuint)i)).D * Vector512.LoadUnsafe(ref dy0, (nuint)i);
                if (accumulate) g += Vector512.LoadUnsafe(ref dx0, (nuint)i);
                g.StoreUnsafe(ref dx0, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float g = Derivative(Unsafe.Add(ref x0, i)) * Unsafe.Add(ref dy0, i);
            Unsafe.Add(ref dx0, i) = accumulate ? Unsafe.Add(ref dx0, i) + g : g;
        }
    }

    // gelu'(v) = s + v·s(1 − s)·2u' for 16 lanes, and s = σ(2u) (so gelu(v) = v·s): the shared core of the two gradient kernels.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float> D, Vector512<float> S) Derivative(Vector512<float> v)
    {
        var one = Vector512<float>.One;
        var v2 = v * v;
        var s = VectorMath.Reciprocal(one + VectorMath.Exp(Vector512.Create(-2f * K0) * Vector512.FusedMultiplyAdd(Vector512.Create(K1) * v, v2, v)));   // σ(2u)
        var du2 = Vector512.Create(2f * K0) * Vector512.FusedMultiplyAdd(Vector512.Create(3f * K1), v2, one);                                   // 2u'
        return (Vector512.FusedMultiplyAdd(v * s * (one - s), du2, s), s);
    }

    /// <summary>gelu(x) for one value (the scalar tail of the vector loop).</summary>
    public static float Scalar(float x) => x / (1f + MathF.Exp(-2f * K0 * (x + K1 * x * x * x)));

    /// <summary>gelu'(x) for one value.</summary>
    public static float Derivative(float x)
    {
        float s = 1f / (1f + MathF.Exp(-2f * K0 * (x + K1 * x * x * x)));
        return s + x * s * (1f - s) * 2f * K0 * (1f + 3f * K1 * x * x);
    }
}

/// <summary>Reference GELU straight from the tanh formula, in double precision, for tests.</summary>
public static class GeluNaive
{
    /// <summary>y[i] = ½x(1 + tanh(√(2/π)(x + 0.044715x³))).</summary>
    public static void Forward(Span<float> y, ReadOnlySpan<float> x)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i];
            y[i] = (float)(0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))));
        }
    }

    /// <summary>dx[i] += gelu'(x[i])·dy[i] from the tanh form: ½(1+t) + ½x(1−t²)·√(2/π)(1 + 3·0.044715x²).</summary>
    public static void Backward(Span<float> dx, ReadOnlySpan<float> x, ReadOnlySpan<float> dy)
    {
        double k = Math.Sqrt(2 / Math.PI);
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i], t = Math.Tanh(k * (v + 0.044715 * v * v * v));
            double d = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * k * (1 + 3 * 0.044715 * v * v);
            dx[i] += (float)(d * dy[i]);
        }
    }
}
