// Fused Linear + ReLU, the hidden layer of the VAE and VIB MLPs: y = max(x·Wᵀ + b, 0) with x (..., In),
// W (Out, In), b (Out). One GEMM and one bias+clamp pass forward; backward masks the upstream gradient once
// (branch-free, into a pooled buffer) and feeds it to the two GEMMs and the bias column sum, instead of
// separate linear and relu nodes with their own buffers and a branchy relu backward.
using System.Buffers;
using System.Numerics.Tensors;
using ProbLab.Kernels;
using ProbLab.Tensors;

namespace ProbLab.Ops;

public static partial class TensorOps
{
    /// <summary>max(x·Wᵀ + b, 0): x (..., In), weight (Out, In), bias (Out) or null → (..., Out).</summary>
    /// <exception cref="ArgumentException">The feature sizes or the bias shape do not match.</exception>
    public static Tensor LinearRelu(this Tensor x, Tensor weight, Tensor? bias = null)
    {
        int inF = weight.Shape[1], outF = weight.Shape[0];
        if (x.Shape[^1] != inF) throw new ArgumentException($"linear_relu: input features {x.Shape[^1]} differ from weight {ShapeUtil.Format(weight.Shape)}");
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != outF)) throw new ArgumentException($"linear_relu: bias shape {ShapeUtil.Format(bias.Shape)} does not match {outF} outputs");
        int rows = x.Size / inF;
        var shape = (int[])x.Shape.Clone();
        shape[^1] = outF;
        var y = new Tensor(new float[rows * outF], shape);
        Gemm.Sgemm(false, true, rows, outF, inF, x.Data, inF, weight.Data, inF, y.Data, outF);   // (rows, Out)
        LinearReluKernels.BiasReluForward(y.Data, bias is null ? default : bias.Data, rows, outF);
        var parents = bias is null ? new[] { x, weight } : new[] { x, weight, bias };
        return y.Record("linear_relu", parents, () =>
        {
            var g = ArrayPool<float>.Shared.Rent(rows * outF);
            try
            {
                var gs = g.AsSpan(0, rows * outF);
                LinearReluKernels.ReluMask(gs, y.Grad, y.Data);                                     // dPre (rows, Out)
                if (x.RequiresGrad) Gemm.Sgemm(false, false, rows, inF, outF, gs, outF, weight.Data, inF, x.Grad, inF, beta: 1f);      // dx = dPre·W
                if (weight.RequiresGrad) Gemm.Sgemm(true, false, outF, inF, rows, gs, outF, x.Data, inF, weight.Grad, inF, beta: 1f); // dW = dPreᵀ·x
                if (bias is { RequiresGrad: true })
                    for (int r = 0; r < rows; r++) TensorPrimitives.Add(bias.Grad, gs.Slice(r * outF, outF), bias.Grad); // db = Σ_rows dPre
            }
            finally { ArrayPool<float>.Shared.Return(g); }
        });
    }
}
