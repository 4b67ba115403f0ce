// GEMM: C = alpha * op(A) * op(B) + beta * C on row-major float32 matrices, op(X) = X or X^T.
// Shape letters: M rows of C, N columns of C, K the contracted dimension.
// A is M×K (lda >= K) or, transposed, stored K×M (lda >= M); B is K×N (ldb >= N) or stored N×K (ldb >= K).
// This is the reference entry point every op calls; GemmNaive is its scalar twin used by the tests.
using System.Numerics.Tensors;

namespace ProbLab.Kernels;

/// <summary>Single-precision general matrix multiply on row-major spans.</summary>
public static class Gemm
{
    /// <summary>C[M×N] = alpha·op(A)·op(B) + beta·C. beta = 0 overwrites C (NaNs in C are ignored).</summary>
    /// <exception cref="ArgumentException">A span is too short for the given dimensions and leading dimensions.</exception>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc,
        float alpha = 1f, float beta = 0f)
    {
        CheckArgs(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        // Simple, correct row-oriented kernel: for each row of C accumulate rows of op(B).
        Span<float> row = n <= 4096 ? stackalloc float[n] : new float[n];
        for (int i = 0; i < m; i++)
        {
            row.Clear();
            for (int p = 0; p < k; p++)
            {
                float aip = transA ? a[p * lda + i] : a[i * lda + p];
                if (aip == 0f) continue;
                if (!transB) TensorPrimitives.MultiplyAdd(b.Slice(p * ldb, n), aip, row, row);
                else for (int j = 0; j < n; j++) row[j] += aip * b[j * ldb + p];
            }
            var cRow = c.Slice(i * ldc, n);
            if (beta == 0f) TensorPrimitives.Multiply(row, alpha, cRow);
            else
            {
                TensorPrimitives.Multiply(cRow, beta, cRow);
                TensorPrimitives.MultiplyAdd(row, alpha, cRow, cRow);
            }
        }
    }

    /// <summary>Validates dimensions and span lengths for <see cref="Sgemm"/>.</summary>
    public static void CheckArgs(bool transA, bool transB, int m, int n, int k, int aLen, int lda, int bLen, int ldb, int cLen, int ldc)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentException($"negative GEMM dimension (M={m}, N={n}, K={k})");
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        if (lda < Math.Max(1, aCols)) throw new ArgumentException($"lda={lda} is smaller than A's row length {aCols}");
        if (ldb < Math.Max(1, bCols)) throw new ArgumentException($"ldb={ldb} is smaller than B's row length {bCols}");
        if (ldc < Math.Max(1, n)) throw new ArgumentException($"ldc={ldc} is smaller than C's row length {n}");
        if (aRows > 0 && aCols > 0 && aLen < (long)(aRows - 1) * lda + aCols) throw new ArgumentException($"A span of length {aLen} is too short for {aRows}×{aCols} with lda={lda}");
        if (bRows > 0 && bCols > 0 && bLen < (long)(bRows - 1) * ldb + bCols) throw new ArgumentException($"B span of length {bLen} is too short for {bRows}×{bCols} with ldb={ldb}");
        if (m > 0 && n > 0 && cLen < (long)(m - 1) * ldc + n) throw new ArgumentException($"C span of length {cLen} is too short for {m}×{n} with ldc={ldc}");
    }
}

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
