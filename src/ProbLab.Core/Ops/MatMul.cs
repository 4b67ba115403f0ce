// Matrix products through the GEMM kernel. Shapes: a (..., M, K), b (..., K, N) -> (..., M, N), with
// optional transposition of either operand's last two dims (so A·Bᵀ never materialises Bᵀ). Batch dims
// must match, or b may be 2-D and shared by every batch (x (B, T, C) @ W (C, N)). Backward uses the
// transposed GEMM variants with beta = 1, accumulating straight into the gradient buffers:
//   dA = dC · op(B)ᵀ,  dB = op(A)ᵀ · dC   (then transposed back if the operand was transposed).
using ProbLab.Kernels;
using ProbLab.Tensors;

namespace ProbLab.Ops;

public static partial class TensorOps
{
    /// <summary>Batched matrix product op(a)·op(b) over the last two dimensions.</summary>
    /// <exception cref="ArgumentException">Inner dimensions or batch dimensions do not match.</exception>
    public static Tensor MatMul(this Tensor a, Tensor b, bool transA = false, bool transB = false)
    {
        if (a.Rank < 2 || b.Rank < 2) throw new ArgumentException($"matmul needs rank ≥ 2 operands, got {ShapeUtil.Format(a.Shape)} and {ShapeUtil.Format(b.Shape)}");
        int aR = a.Shape[^2], aC = a.Shape[^1], bR = b.Shape[^2], bC = b.Shape[^1];
        int m = transA ? aC : aR, k = transA ? aR : aC;
        int kb = transB ? bC : bR, n = transB ? bR : bC;
        if (k != kb) throw new ArgumentException($"matmul inner dimensions differ: {ShapeUtil.Format(a.Shape)}{(transA ? "ᵀ" : "")} @ {ShapeUtil.Format(b.Shape)}{(transB ? "ᵀ" : "")}");
        int batch = a.Size / Math.Max(1, aR * aC);
        bool shareB = b.Rank == 2;
        if (!shareB)
        {
            if (b.Rank != a.Rank) throw new ArgumentException($"matmul batch ranks differ: {ShapeUtil.Format(a.Shape)} @ {ShapeUtil.Format(b.Shape)}");
            for (int d = 0; d < a.Rank - 2; d++)
                if (a.Shape[d] != b.Shape[d]) throw new ArgumentException($"matmul batch dims differ: {ShapeUtil.Format(a.Shape)} @ {ShapeUtil.Format(b.Shape)}");
        }
        var shape = (int[])a.Shape.Clone();
        shape[^2] = m;
        shape[^1] = n;
        var y = new Tensor(new float[batch * m * n], shape);
        int aStride = aR * aC, bStride = shareB ? 0 : bR * bC, cStride = m * n;

        if (shareB && !transA && a.Rank > 2)
        {
            // (batch·M, K) @ B as one big GEMM: better blocking than many small ones.
            Gemm.Sgemm(false, transB, batch * m, n, k, a.Data, aC, b.Data, bC, y.Data, n);
        }
        else
        {
            for (int i = 0; i < batch; i++)
                Gemm.Sgemm(transA, transB, m, n, k,
                    a.Data.AsSpan(i * aStride, aStride), aC, b.Data.AsSpan(i * bStride, bR * bC), bC,
                    y.Data.AsSpan(i * cStride, cStride), n);
        }

        return y.Record("matmul", a, b, () =>
        {
            var g = y.Grad!;
            if (a.RequiresGrad)
            {
                if (shareB && !transA && a.Rank > 2)
                    // dA (batch·M, K) += dC (batch·M, N) · op(B)ᵀ
                    Gemm.Sgemm(false, !transB, batch * m, k, n, g, n, b.Data, bC, a.Grad!, aC, beta: 1f);
                else
                    for (int i = 0; i < batch; i++)
                    {
                        var gi = g.AsSpan(i * cStride, cStride);
                        var bi = b.Data.AsSpan(i * bStride, bR * bC);
                        var dai = a.Grad.AsSpan(i * aStride, aStride);
                        if (!transA) Gemm.Sgemm(false, !transB, m, k, n, gi, n, bi, bC, dai, aC, beta: 1f);     // (M,K) = dC·op(B)ᵀ
                        else Gemm.Sgemm(transB, true, k, m, n, bi, bC, gi, n, dai, aC, beta: 1f);                 // (K,M) = op(B)·dCᵀ
                    }
            }
            if (b.RequiresGrad)
            {
                if (shareB && !transA && a.Rank > 2)
                {
                    if (!transB) Gemm.Sgemm(true, false, k, n, batch * m, a.Data, aC, g, n, b.Grad!, bC, beta: 1f); // (K,N) = Aᵀ·dC
                    else Gemm.Sgemm(true, false, n, k, batch * m, g, n, a.Data, aC, b.Grad!, bC, beta: 1f);         // (N,K) = dCᵀ·A
                }
                else
                    for (int i = 0; i < batch; i++)
                    {
                        var gi = g.AsSpan(i * cStride, cStride);
                        var ai = a.Data.AsSpan(i * aStride, aStride);
                        var dbi = b.Grad.AsSpan(i * bStride, bR * bC);
                        if (!transB) Gemm.Sgemm(!transA, false, k, n, m, ai, aC, gi, n, dbi, bC, beta: 1f);      // (K,N) = op(A)ᵀ·dC
                        else Gemm.Sgemm(true, transA, n, k, m, gi, n, ai, aC, dbi, bC, beta: 1f);                // (N,K) = dCᵀ·op(A)
                    }
            }
        });
    }

    /// <summary>
    /// Affine map y = x·Wᵀ + b (PyTorch's F.linear): x (..., In), weight (Out, In), bias (Out) or null.
    /// One GEMM forward, two GEMMs and a row sum backward.
    /// </summary>
    public static Tensor Linear(this Tensor x, Tensor weight, Tensor? bias = null)
    {
        int inF = weight.Shape[1], outF = weight.Shape[0];
        if (x.Shape[^1] != inF) throw new ArgumentException($"linear: input features {x.Shape[^1]} differ from weight {ShapeUtil.Format(weight.Shape)}");
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != outF)) throw new ArgumentException($"linear: bias shape {ShapeUtil.Format(bias.Shape)} does not match {outF} outputs");
        int rows = x.Size / inF;
        var shape = (int[])x.Shape.Clone();
        shape[^1] = outF;
        var y = new Tensor(new float[rows * outF], shape);
        Gemm.Sgemm(false, true, rows, outF, inF, x.Data, inF, weight.Data, inF, y.Data, outF);
        if (bias is not null)
            for (int r = 0; r < rows; r++)
            {
                var yr = y.Data.AsSpan(r * outF, outF);
                System.Numerics.Tensors.TensorPrimitives.Add(yr, bias.Data, yr);
            }
        var parents = bias is null ? new[] { x, weight } : new[] { x, weight, bias };
        return y.Record("linear", parents, () =>
        {
            var g = y.Grad!;
            if (x.RequiresGrad) Gemm.Sgemm(false, false, rows, inF, outF, g, outF, weight.Data, inF, x.Grad!, inF, beta: 1f);      // dx = dy·W
            if (weight.RequiresGrad) Gemm.Sgemm(true, false, outF, inF, rows, g, outF, x.Data, inF, weight.Grad!, inF, beta: 1f); // dW = dyᵀ·x
            if (bias is not null && bias.RequiresGrad)
            {
                var db = bias.Grad!;
                for (int r = 0; r < rows; r++)
                {
                    var gr = g.AsSpan(r * outF, outF);
                    System.Numerics.Tensors.TensorPrimitives.Add(db, gr, db);
                }
            }
        });
    }
}
