// Scalar reference GEMM: one double-precision dot product per output element, straight from the
// definition C = alpha·op(A)·op(B) + beta·C. The twin every fast GEMM path is tested against.
namespace ProbLab.Kernels;

/// <summary>Scalar reference GEMM (one dot product per output element, double accumulation) for tests.</summary>
public static class GemmNaive
{
    /// <summary>Same contract as <see cref="Gemm.Sgemm"/>.</summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc,
        float alpha = 1f, float beta = 0f)
    {
        Gemm.CheckArgs(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double acc = 0;
                for (int p = 0; p < k; p++)
                {
                    float av = transA ? a[p * lda + i] : a[i * lda + p];
                    float bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                    acc += (double)av * bv;
                }
                float prev = beta == 0f ? 0f : beta * c[i * ldc + j];
                c[i * ldc + j] = (float)(alpha * acc) + prev;
            }
    }
}
