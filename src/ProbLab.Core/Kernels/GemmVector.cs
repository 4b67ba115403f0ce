// Matrix-vector special cases of GEMM (M = 1 or N = 1: a single row or column of C), e.g. a Linear layer
// applied to one token while sampling with a KV cache. The register-blocked micro-kernel would compute
// 12 rows (or 32 columns) of which one is real, and pack all of op(B) for a single use; here each operand
// element is read exactly once, with TensorPrimitives doing the SIMD (the product is memory-bound anyway):
//   M = 1:  c = Σ_p a_p·op(B)[p, :]  (rows of B)      or  c_j = ⟨a, B_j⟩ (Bᵀ: contiguous rows of length K)
//   N = 1:  c_i = ⟨op(A)[i, :], b⟩   (rows of A)      or  c = Σ_p b_p·Aᵀ[p, :] (Aᵀ stored K×M)
// Strided vectors (a row of Aᵀ, a column of B) are gathered into a contiguous scratch first.
using System.Buffers;
using System.Numerics.Tensors;

namespace ProbLab.Kernels;

internal static class GemmVector
{
    /// <summary>C = alpha·op(A)·op(B) + beta·C for m = 1 or n = 1 (validated arguments, k ≥ 1).</summary>
    public static void Run(bool transA, bool transB, int m, int n, int k, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, float alpha, float beta)
    {
        int len = m == 1 ? n : m;
        float[] acc = ArrayPool<float>.Shared.Rent(len);
        float[] vec = ArrayPool<float>.Shared.Rent(k);
        try
        {
            var sum = acc.AsSpan(0, len);
            if (m == 1)
            {
                // The row a of op(A) is contiguous for A (row 0), strided by lda for Aᵀ (column 0).
                var row = transA ? Gather(a, lda, k, vec) : a[..k];
                if (transB) for (int j = 0; j < n; j++) sum[j] = TensorPrimitives.Dot(row, b.Slice(j * ldb, k));
                else Combine(row, b, ldb, n, sum);
            }
            else
            {
                // The column b of op(B) is contiguous for Bᵀ (row 0), strided by ldb for B (column 0).
                var col = transB ? b[..k] : Gather(b, ldb, k, vec);
                if (transA) Combine(col, a, lda, m, sum);
                else for (int i = 0; i < m; i++) sum[i] = TensorPrimitives.Dot(a.Slice(i * lda, k), col);
            }
            int step = m == 1 ? 1 : ldc; // C's row (contiguous) or column (stride ldc)
            for (int t = 0; t < len; t++)
            {
                ref float ct = ref c[t * step];
                ct = beta == 0f ? alpha * sum[t] : MathF.FusedMultiplyAdd(ct, beta, alpha * sum[t]);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(acc);
            ArrayPool<float>.Shared.Return(vec);
        }
    }

    // sum[0..len) = Σ_p w_p · rows[p·ld .. p·ld + len)
    private static void Combine(ReadOnlySpan<float> w, ReadOnlySpan<float> rows, int ld, int len, Span<float> sum)
    {
        sum.Clear();
        for (int p = 0; p < w.Length; p++)
            TensorPrimitives.MultiplyAdd(rows.Slice(p * ld, len), w[p], sum, sum);
    }

    private static ReadOnlySpan<float> Gather(ReadOnlySpan<float> src, int stride, int count, float[] dst)
    {
        for (int p = 0; p < count; p++) dst[p] = src[p * stride];
        return dst.AsSpan(0, count);
    }
}
