// Layer normalisation for narrow rows (C of a few dozen to a few hundred, as in small transformers), with
// the same contract as LayerNormKernels but written as explicit Vector512 passes over each row: at C = 48
// a row is three vectors, and the per-call overhead of the seven TensorPrimitives calls per row in the
// generic kernel costs more than the arithmetic. LayerNormKernels serves as the reference twin in tests.
// Shapes: inp/out (rows, C), weight/bias (C) (bias may be empty), mean/rstd (rows).
//   forward:  μ = mean(x), σ² = mean((x − μ)²), rstd = 1/√(σ² + ε), y = (x − μ)·rstd·w + b
//   backward: x̂ = (x − μ)·rstd, g = dy·w, dx += rstd·(g − mean(g) − x̂·mean(g·x̂)), dw += dy·x̂, db += dy
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ProbLab.Kernels;

/// <summary>Vectorised LayerNorm forward/backward over rows of C floats (same contract as <see cref="LayerNormKernels"/>; weight required).</summary>
public static class LayerNormFastKernels
{
    /// <summary>Normalises each row; writes mean and 1/std per row for the backward pass.</summary>
    /// <exception cref="ArgumentException">A span is too short, or the weight is missing.</exception>
    public static void Forward(Span<float> output, Span<float> mean, Span<float> rstd, ReadOnlySpan<float> inp,
        ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int rows, int c, float eps = 1e-5f)
    {
        Check(output.Length, inp.Length, mean.Length, rstd.Length, weight.Length, bias.Length, rows, c);
        bool hasBias = !bias.IsEmpty;
        ref float w0 = ref MemoryMarshal.GetReference(weight);
        ref float b0 = ref MemoryMarshal.GetReference(bias);
        for (int r = 0; r < rows; r++)
        {
            ref float x = ref Unsafe.Add(ref MemoryMarshal.GetReference(inp), r * c);
            ref float y = ref Unsafe.Add(ref MemoryMarshal.GetReference(output), r * c);
            float m = Sum(ref x, c) / c;
            float v = SumSquaredDeviation(ref x, m, c) / c;
            float s = 1f / MathF.Sqrt(v + eps);
            int i = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                var vm = Vector512.Create(m);
                var vs = Vector512.Create(s);
                for (; i <= c - 16; i += 16)
                {
                    var yv = (Vector512.LoadUnsafe(ref x, (nuint)i) - vm) * vs * Vector512.LoadUnsafe(ref w0, (nuint)i);
                    if (hasBias) yv += Vector512.LoadUnsafe(ref b0, (nuint)i);
                    yv.StoreUnsafe(ref y, (nuint)i);
                }
            }
            for (; i < c; i++)
                Unsafe.Add(ref y, i) = (Unsafe.Add(ref x, i) - m) * s * Unsafe.Add(ref w0, i) + (hasBias ? Unsafe.Add(ref b0, i) : 0f);
            mean[r] = m;
            rstd[r] = s;
        }
    }

    /// <summary>
    /// Accumulates dInp, dWeight and dBias (each may be empty to skip it) from dOut. A non-empty
    /// <paramref name="dResidual"/> (rows, C) is added into dInp in the same pass: the gradient of a residual
    /// branch x + f(LN(x)) without a separate sweep over dInp.
    /// </summary>
    /// <exception cref="ArgumentException">A span is too short.</exception>
    public static void Backward(Span<float> dInp, Span<float> dWeight, Span<float> dBias, ReadOnlySpan<float> dOut,
        ReadOnlySpan<float> inp, ReadOnlySpan<float> weight, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, int rows, int c,
        ReadOnlySpan<float> dResidual = default)
    {
        Check(dOut.Length, inp.Length, mean.Length, rstd.Length, weight.Length, 0, rows, c);
        if (!dResidual.IsEmpty && dResidual.Length < rows * c) throw new ArgumentException($"layer norm backward: residual gradient of length {dResidual.Length} is too short for ({rows}, {c})");
        bool doR = !dResidual.IsEmpty;
        if ((!dInp.IsEmpty && dInp.Length < rows * c) || (!dWeight.IsEmpty && dWeight.Length < c) || (!dBias.IsEmpty && dBias.Length < c))
            throw new ArgumentException($"layer norm backward: a gradient span is too short for ({rows}, {c})");
        bool doX = !dInp.IsEmpty, doW = !dWeight.IsEmpty, doB = !dBias.IsEmpty;
        ref float w0 = ref MemoryMarshal.GetReference(weight);
        ref float dw0 = ref MemoryMarshal.GetReference(dWeight);
        ref float db0 = ref MemoryMarshal.GetReference(dBias);
        for (int r = 0; r < rows; r++)
        {
            ref float x = ref Unsafe.Add(ref MemoryMarshal.GetReference(inp), r * c);
            ref float dy = ref Unsafe.Add(ref MemoryMarshal.GetReference(dOut), r * c);
            float m = mean[r], s = rstd[r];
            // Pass 1: parameter gradients and the two row means the input gradient needs.
            float sumG = 0f, sumGx = 0f;
            int i = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                var vm = Vector512.Create(m);
                var vs = Vector512.Create(s);
                var accG = Vector512<float>.Zero;
                var accGx = Vector512<float>.Zero;
                for (; i <= c - 16; i += 16)
                {
                    var xh = (Vector512.LoadUnsafe(ref x, (nuint)i) - vm) * vs;
                    var d = Vector512.LoadUnsafe(ref dy, (nuint)i);
                    var g = d * Vector512.LoadUnsafe(ref w0, (nuint)i);
                    accG += g;
                    accGx = Vector512.FusedMultiplyAdd(g, xh, accGx);
                    if (doW) Vector512.FusedMultiplyAdd(d, xh, Vector512.LoadUnsafe(ref dw0, (nuint)i)).StoreUnsafe(ref dw0, (nuint)i);
                    if (doB) (Vector512.LoadUnsafe(ref db0, (nuint)i) + d).StoreUnsafe(ref db0, (nuint)i);
                }
                sumG = Vector512.Sum(accG);
                sumGx = Vector512.Sum(accGx);
            }
            for (; i < c; i++)
            {
                float xh = (Unsafe.Add(ref x, i) - m) * s, d = Unsafe.Add(ref dy, i), g = d * Unsafe.Add(ref w0, i);
                sumG += g;
                sumGx += g * xh;
                if (doW) Unsafe.Add(ref dw0, i) += d * xh;
                if (doB) Unsafe.Add(ref db0, i) += d;
            }
            if (!doX) continue;
            // Pass 2: dx += rstd·(g − mean(g) − x̂·mean(g·x̂)).
            float mg = sumG / c, mgx = sumGx / c;
            ref float dx = ref Unsafe.Add(ref MemoryMarshal.GetReference(dInp), r * c);
            ref float dres = ref Unsafe.Add(ref MemoryMarshal.GetReference(dResidual), doR ? r * c : 0);
            i = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                var vm = Vector512.Create(m);
                var vs = Vector512.Create(s);
                var vmg = Vector512.Create(mg);
                var vmgx = Vector512.Create(mgx);
                for (; i <= c - 16; i += 16)
                {
                    var xh = (Vector512.LoadUnsafe(ref x, (nuint)i) - vm) * vs;
                    var g = Vector512.LoadUnsafe(ref dy, (nuint)i) * Vector512.LoadUnsafe(ref w0, (nuint)i);
                    var t = g - vmg - xh * vmgx;
                    var acc = Vector512.LoadUnsafe(ref dx, (nuint)i);
                    if (doR) acc += Vector512.LoadUnsafe(ref dres, (nuint)i);
                    Vector512.FusedMultiplyAdd(vs, t, acc).StoreUnsafe(ref dx, (nuint)i);
                }
            }
            for (; i < c; i++)
            {
                float xh = (Unsafe.Add(ref x, i) - m) * s, g = Unsafe.Add(ref dy, i) * Unsafe.Add(ref w0, i);
                Unsafe.Add(ref dx, i) += s * (g - mg - xh * mgx) + (doR ? Unsafe.Add(ref dres, i) : 0f);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Sum(ref float x, int n)
    {
        int i = 0;
        float s = 0f;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; i <= n - 16; i += 16) acc += Vector512.LoadUnsafe(ref x, (nuint)i);
            s = Vector512.Sum(acc);
        }
        for (; i < n; i++) s += Unsafe.Add(ref x, i);
        return s;
    }

    // Σ (x − m)², the second pass of the two-pass variance (no cancellation as in E[x²] − E[x]²).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float SumSquaredDeviation(ref float x, float m, int n)
    {
        int i = 0;
        float s = 0f;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var vm = Vector512.Create(m);
            var acc = Vector512<float>.Zero;
            for (; i <= n - 16; i += 16)
            {
                var d = Vector512.LoadUnsafe(ref x, (nuint)i) - vm;
                acc = Vector512.FusedMultiplyAdd(d, d, acc);
            }
            s = Vector512.Sum(acc);
        }
        for (; i < n; i++) { float d = Unsafe.Add(ref x, i) - m; s += d * d; }
        return s;
    }

    private static void Check(int outLen, int inLen, int meanLen, int rstdLen, int wLen, int bLen, int rows, int c)
    {
        if (rows < 0 || c < 1) throw new ArgumentException($"layer norm: bad sizes rows={rows}, C={c}");
        if (inLen < rows * c || outLen < rows * c) throw new ArgumentException($"layer norm: row buffers ({inLen}, {outLen}) are too short for ({rows}, {c})");
        if (meanLen < rows || rstdLen < rows) throw new ArgumentException($"layer norm: mean/rstd buffers ({meanLen}, {rstdLen}) are shorter than {rows} rows");
        if (wLen < c) throw new ArgumentException($"layer norm: weight of length {wLen}, expected {c}");
        if (bLen != 0 && bLen < c) throw new ArgumentException($"layer norm: bias of length {bLen}, expected {c}");
    }
}
