// Fully connected layer kernels (llm.c's matmul_forward/backward) on top of Gemm.Sgemm, with the bias add
// and an optional residual add fused into the GEMM's beta = 1 accumulation.
// Shapes: inp (rows, IN), weight (OUT, IN) as PyTorch stores it, bias (OUT) or empty, out (rows, OUT);
// rows = B·T. Forward: out = residual + inp·Wᵀ + b. Backward: dInp (+)= dOut·W, dWeight += dOutᵀ·inp,
// dBias += Σ_rows dOut.
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ProbLab.Kernels;

/// <summary>Linear layer forward/backward on row-major buffers.</summary>
public static class LinearKernels
{
    /// <summary>
    /// out = inp·Wᵀ + bias (+ residual when <paramref name="residual"/> is not empty). out must not alias inp;
    /// it may alias residual.
    /// </summary>
    /// <exception cref="ArgumentException">A span is too short for the given sizes.</exception>
    public static void Forward(Span<float> output, ReadOnlySpan<float> inp, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        int rows, int inF, int outF, ReadOnlySpan<float> residual = default)
    {
        bool preset = Preset(output, bias, residual, rows, outF);
        Gemm.Sgemm(false, true, rows, outF, inF, inp, inF, weight, inF, output, outF, beta: preset ? 1f : 0f);
    }

    // Seeds out (rows, OUT) with residual + bias so the GEMM can accumulate onto it (beta = 1); false when
    // there is neither.
    private static bool Preset(Span<float> output, ReadOnlySpan<float> bias, ReadOnlySpan<float> residual, int rows, int outF)
    {
        if (!bias.IsEmpty && bias.Length < outF) throw new ArgumentException($"linear: bias of length {bias.Length}, expected {outF}");
        if (!residual.IsEmpty && residual.Length < rows * outF) throw new ArgumentException($"linear: residual of length {residual.Length} is too short for ({rows}, {outF})");
        if (output.Length < rows * outF) throw new ArgumentException($"linear: output of length {output.Length} is too short for ({rows}, {outF})");
        if (bias.IsEmpty && residual.IsEmpty) return false;
        var b = bias.IsEmpty ? bias : bias.Slice(0, outF);
        for (int r = 0; r < rows; r++)
        {
            var o = output.Slice(r * outF, outF);
            if (residual.IsEmpty) b.CopyTo(o);
            else if (b.IsEmpty) residual.Slice(r * outF, outF).CopyTo(o);
            else TensorPrimitives.Add(residual.Slice(r * outF, outF), b, o);
        }
        return true;
    }

    /// <summary>
    /// Gradients of <see cref="Forward"/>: dInp = dOut·W (added when <paramref name="accumulateInput"/>, else
    /// overwritten), dWeight += dOutᵀ·inp, dBias += column sums of dOut. Empty destinations are skipped.
    /// </summary>
    public static void Backward(Span<float> dInp, Span<float> dWeight, Span<float> dBias, ReadOnlySpan<float> dOut,
        ReadOnlySpan<float> inp, ReadOnlySpan<float> weight, int rows, int inF, int outF, bool accumulateInput = true)
    {
        if (!dInp.IsEmpty)
            Gemm.Sgemm(false, false, rows, inF, outF, dOut, outF, weight, inF, dInp, inF, beta: accumulateInput ? 1f : 0f);
        if (!dWeight.IsEmpty)
            Gemm.Sgemm(true, false, outF, inF, rows, dOut, outF, inp, inF, dWeight, inF, beta: 1f);
        if (!dBias.IsEmpty) AddColumnSums(dBias.Slice(0, outF), dOut, rows, outF);
    }

    /// <summary>outT (OUT, rows) = W·inpᵀ + bias[:, None]: the layer's output stored feature-major (transposed).</summary>
    /// <exception cref="ArgumentException">A span is too short for the given sizes.</exception>
    public static void ForwardTransposedOutput(Span<float> outT, ReadOnlySpan<float> inp, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        int rows, int inF, int outF)
    {
        if (!bias.IsEmpty && bias.Length < outF) throw new ArgumentException($"linear: bias of length {bias.Length}, expected {outF}");
        if (outT.Length < rows * outF) throw new ArgumentException($"linear: output of length {outT.Length} is too short for ({outF}, {rows})");
        if (!bias.IsEmpty)
            for (int o = 0; o < outF; o++) outT.Slice(o * rows, rows).Fill(bias[o]);
        Gemm.Sgemm(false, true, outF, rows, inF, weight, inF, inp, inF, outT, rows, beta: bias.IsEmpty ? 0f : 1f);
    }

    /// <summary>Gradients of <see cref="ForwardTransposedOutput"/>: dInp (+)= dOutTᵀ·W, dWeight += dOutT·inp, dBias += row sums of dOutT.</summary>
    public static void BackwardTransposedOutput(Span<float> dInp, Span<float> dWeight, Span<float> dBias, ReadOnlySpan<float> dOutT,
        ReadOnlySpan<float> inp, ReadOnlySpan<float> weight, int rows, int inF, int outF, bool accumulateInput = true)
    {
        if (!dInp.IsEmpty)
            Gemm.Sgemm(true, false, rows, inF, outF, dOutT, rows, weight, inF, dInp, inF, beta: accumulateInput ? 1f : 0f);
        if (!dWeight.IsEmpty)
            Gemm.Sgemm(false, false, outF, inF, rows, dOutT, rows, inp, inF, dWeight, inF, beta: 1f);
        if (!dBias.IsEmpty)
            for (int o = 0; o < outF; o++) dBias[o] += TensorPrimitives.Sum(dOutT.Slice(o * rows, rows));
    }

    /// <summary>out (rows, OUT) = inpTᵀ·Wᵀ + bias (+ residual) for an input stored feature-major, inpT (IN, rows).</summary>
    /// <exception cref="ArgumentException">A span is too short for the given sizes.</exception>
    public static void ForwardTransposedInput(Span<float> output, ReadOnlySpan<float> inpT, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        int rows, int inF, int outF, ReadOnlySpan<float> residual = default)
    {
        bool preset = Preset(output, bias, residual, rows, outF);
        Gemm.Sgemm(true, true, rows, outF, inF, inpT, rows, weight, inF, output, outF, beta: preset ? 1f : 0f);
    }

    /// <summary>Gradients of <see cref="ForwardTransposedInput"/>: dInpT (+)= Wᵀ·dOutᵀ, dWeight += dOutᵀ·inpTᵀ, dBias += column sums of dOut.</summary>
    public static void BackwardTransposedInput(Span<float> dInpT, Span<float> dWeight, Span<float> dBias, ReadOnlySpan<float> dOut,
        ReadOnlySpan<float> inpT, ReadOnlySpan<float> weight, int rows, int inF, int outF, bool accumulateInput = true)
    {
        if (!dInpT.IsEmpty)
            Gemm.Sgemm(true, true, inF, rows, outF, weight, inF, dOut, outF, dInpT, rows, beta: accumulateInput ? 1f : 0f);
        if (!dWeight.IsEmpty)
            Gemm.Sgemm(true, true, outF, inF, rows, dOut, outF, inpT, rows, dWeight, inF, beta: 1f);
        if (!dBias.IsEmpty) AddColumnSums(dBias.Slice(0, outF), dOut, rows, outF);
    }

    /// <summary>dst[j] += Σ_r x[r, j] over a (rows, N) buffer: 64 columns at a time in registers, one pass over the rows.</summary>
    public static void AddColumnSums(Span<float> dst, ReadOnlySpan<float> x, int rows, int n)
    {
        if (dst.Length < n || x.Length < rows * n) throw new ArgumentException($"column sums: buffers ({dst.Length}, {x.Length}) are too short for ({rows}, {n})");
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float d0 = ref MemoryMarshal.GetReference(dst);
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; j <= n - 64; j += 64)
            {
                Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
                for (int r = 0; r < rows; r++)
                {
                    ref float row = ref Unsafe.Add(ref x0, r * n + j);
                    a0 += Vector512.LoadUnsafe(ref row);
                    a1 += Vector512.LoadUnsafe(ref row, 16);
                    a2 += Vector512.LoadUnsafe(ref row, 32);
                    a3 += Vector512.LoadUnsafe(ref row, 48);
                }
                (Vector512.LoadUnsafe(ref d0, (nuint)j) + a0).StoreUnsafe(ref d0, (nuint)j);
                (Vector512.LoadUnsafe(ref d0, (nuint)j + 16) + a1).StoreUnsafe(ref d0, (nuint)j + 16);
                (Vector512.LoadUnsafe(ref d0, (nuint)j + 32) + a2).StoreUnsafe(ref d0, (nuint)j + 32);
                (Vector512.LoadUnsafe(ref d0, (nuint)j + 48) + a3).StoreUnsafe(ref d0, (nuint)j + 48);
            }
            for (; j <= n - 16; j += 16)
            {
                Vector512<float> a = default;
                for (int r = 0; r < rows; r++) a += Vector512.LoadUnsafe(ref x0, (nuint)(r * n + j));
                (Vector512.LoadUnsafe(ref d0, (nuint)j) + a).StoreUnsafe(ref d0, (nuint)j);
            }
        }
        for (; j < n; j++)
        {
            float a = 0f;
            for (int r = 0; r < rows; r++) a += Unsafe.Add(ref x0, r * n + j);
            Unsafe.Add(ref d0, j) += a;
        }
    }
}
