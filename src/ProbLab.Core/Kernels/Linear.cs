// Fully connected layer kernels (llm.c's matmul_forward/backward) on top of Gemm.Sgemm, with the bias add
// and an optional residual add fused into the GEMM's beta = 1 accumulation.
// Shapes: inp (rows, IN), weight (OUT, IN) as PyTorch stores it, bias (OUT) or empty, out (rows, OUT);
// rows = B·T. Forward: out = residual + inp·Wᵀ + b. Backward: dInp (+)= dOut·W, dWeight += dOutᵀ·inp,
// dBias += Σ_rows dOut.
using System.Numerics.Tensors;

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
        if (!bias.IsEmpty && bias.Length < outF) throw new ArgumentException($"linear: bias of length {bias.Length}, expected {outF}");
        if (!residual.IsEmpty && residual.Length < rows * outF) throw new ArgumentException($"linear: residual of length {residual.Length} is too short for ({rows}, {outF})");
        if (output.Length < rows * outF) throw new ArgumentException($"linear: output of length {output.Length} is too short for ({rows}, {outF})");
        bool preset = !bias.IsEmpty || !residual.IsEmpty;
        if (preset)
        {
            // Seed out with residual + bias, then let the GEMM accumulate onto it (beta = 1).
            var b = bias.IsEmpty ? bias : bias.Slice(0, outF);
            for (int r = 0; r < rows; r++)
            {
                var o = output.Slice(r * outF, outF);
                if (residual.IsEmpty) b.CopyTo(o);
                else if (b.IsEmpty) residual.Slice(r * outF, outF).CopyTo(o);
                else TensorPrimitives.Add(residual.Slice(r * outF, outF), b, o);
            }
        }
        Gemm.Sgemm(false, true, rows, outF, inF, inp, inF, weight, inF, output, outF, beta: preset ? 1f : 0f);
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
        if (!dBias.IsEmpty)
        {
            var db = dBias.Slice(0, outF);
            for (int r = 0; r < rows; r++) TensorPrimitives.Add(db, dOut.Slice(r * outF, outF), db);
        }
    }
}
