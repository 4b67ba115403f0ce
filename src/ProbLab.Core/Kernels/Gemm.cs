// GEMM: C = alpha * op(A) * op(B) + beta * C on row-major float32 matrices, op(X) = X or X^T.
// Shape letters: M rows of C, N columns of C, K the contracted dimension.
// A is M×K (lda >= K) or, transposed, stored K×M (lda >= M); B is K×N (ldb >= N) or stored N×K (ldb >= K).
// This is the entry point every op calls: argument checks and trivial cases here; then by shape the
// matrix-vector path (GemmVector), the unpacked small-matrix path (GemmSmall) or the packed, cache-blocked
// SIMD implementation (GemmDriver/GemmPack/GemmKernels). GemmNaive is its scalar twin used by the tests.
using System.Numerics.Tensors;

namespace ProbLab.Kernels;

/// <summary>Single-precision general matrix multiply on row-major spans.</summary>
public static class Gemm
{
    /// <summary>C[M×N] = alpha·op(A)·op(B) + beta·C. beta = 0 overwrites C (NaNs in C are ignored); C must not overlap A or B.</summary>
    /// <remarks>Uses up to <see cref="Parallelism.MaxThreads"/> threads on large products; results are bitwise identical for any thread count.</remarks>
    /// <exception cref="ArgumentException">A dimension is negative, a leading dimension is too small, or a span is too short.</exception>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc,
        float alpha = 1f, float beta = 0f) =>
        SgemmWith(GemmDriver.BestIsa, Parallelism.MaxThreads, transA, transB, m, n, k, a, lda, b, ldb, c, ldc, alpha, beta);

    /// <summary><see cref="Sgemm"/> with an explicit kernel family and thread cap (tests, benchmarks).</summary>
    internal static unsafe void SgemmWith(GemmIsa isa, int threads, bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc,
        float alpha = 1f, float beta = 0f)
    {
        CheckArgs(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f)
        {
            // op(A)·op(B) contributes nothing (BLAS: A and B are not read when alpha = 0).
            for (int i = 0; i < m; i++)
            {
                var row = c.Slice(i * ldc, n);
                if (beta == 0f) row.Clear();
                else if (beta != 1f) TensorPrimitives.Multiply(row, beta, row);
            }
            return;
        }
        if (m == 1 || n == 1)
        {
            GemmVector.Run(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, alpha, beta);
            return;
        }
        fixed (float* pa = a, pb = b, pc = c)
        {
            if (GemmSmall.Applies(isa, transB, m, n, k)) GemmSmall.Run(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, alpha, beta);
            else GemmDriver.Run(isa, threads, transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, alpha, beta);
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

