// Small-GEMM path (AVX-512): no packing of A and, for B stored K×N, none of B either. The GPT's attention
// runs many products like 10×16×10 or 10×10×16 where packing and the blocked loop nest would cost more
// than the multiply. Here op(A) is read in place through its strides (a broadcast scalar per row and
// step, so both layouts are equally cheap) and op(B) rows are loaded straight from B with lane masks for
// the column tail; Bᵀ (N×K) is transposed once into a small row-major scratch first.
// Tiles: 4 rows × 32 columns, or 8 rows × 16 columns when N ≤ 16: 8 zmm accumulators either way, enough
// independent FMA chains to hide the FMA latency.
// C = alpha·acc (+ beta·C, as fma(C, beta, alpha·acc)). The path is chosen by shape only, never by
// thread count, so determinism across thread counts is unaffected.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ProbLab.Kernels;

internal static unsafe class GemmSmall
{
    /// <summary>Largest M·N·K taken by this path when N ≤ 16 (the 8×16 tile beats packing up to here).</summary>
    internal const long MaxWork = 1L << 18;
    /// <summary>Largest M·N·K for 16 &lt; N ≤ 32 with B stored K×N (measured crossover with the packed path).</summary>
    internal const long MaxWorkWide = 1L << 13;

    [ThreadStatic] private static float[]? t_scratch;

    /// <summary>Whether the small path is faster than packing for this shape (measured on a Sapphire-Rapids-class core).</summary>
    public static bool Applies(GemmIsa isa, bool transB, int m, int n, int k)
    {
        if (isa != GemmIsa.Avx512) return false;
        long work = (long)m * n * k;
        return n <= 16 ? work <= MaxWork : n <= 32 && !transB && work <= MaxWorkWide;
    }

    /// <summary>C = alpha·op(A)·op(B) + beta·C for validated arguments with m, n, k ≥ 1.</summary>
    public static void Run(bool transA, bool transB, int m, int n, int k, float* a, int lda, float* b, int ldb,
        float* c, int ldc, float alpha, float beta)
    {
        int rsA = transA ? 1 : lda, csA = transA ? lda : 1;
        if (transB)
        {
            // (K, Npad) row-major copy of op(B), 16 columns per transpose group.
            int npad = (n + 15) & ~15;
            if (t_scratch is null || t_scratch.Length < k * npad + 16)
                t_scratch = GC.AllocateUninitializedArray<float>(k * npad + 16, pinned: true);
            float* s = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(t_scratch));
            for (int g = 0; g < n; g += 16)
                GemmTranspose.RowsToSteps(b + (nint)g * ldb, ldb, Math.Min(16, n - g), k, 1f, s + g, npad, 16);
            b = s;
            ldb = npad;
        }
        if (n <= 16)
        {
            var mask = Mask(n);
            for (int i = 0; i < m; i += 8)
                Rows8x16(k, a + (nint)i * rsA, Offsets(rsA, Math.Min(8, m - i)), csA, b, ldb, c + (nint)i * ldc, ldc, Math.Min(8, m - i), alpha, beta, mask);
            return;
        }
        for (int j0 = 0; j0 < n; j0 += 32)
        {
            var m0 = Mask(n - j0);
            var m1 = Mask(n - j0 - 16);
            for (int i = 0; i < m; i += 4)
                Rows4x32(k, a + (nint)i * rsA, Offsets(rsA, Math.Min(4, m - i)), csA, b + j0, ldb, c + (nint)i * ldc + j0, ldc, Math.Min(4, m - i), alpha, beta, m0, m1);
        }
    }

    // Row offsets r·rsA for the rows of a tile; rows past the end of A re-read row 0 (in bounds) and are
    // never stored, so a partial tile needs neither a scalar tail nor a scratch copy of A.
    private struct RowOffsets { public nint O1, O2, O3, O4, O5, O6, O7; }

    private static RowOffsets Offsets(nint rsA, int rows) => new()
    {
        O1 = rows > 1 ? rsA : 0, O2 = rows > 2 ? 2 * rsA : 0, O3 = rows > 3 ? 3 * rsA : 0, O4 = rows > 4 ? 4 * rsA : 0,
        O5 = rows > 5 ? 5 * rsA : 0, O6 = rows > 6 ? 6 * rsA : 0, O7 = rows > 7 ? 7 * rsA : 0,
    };

    private static void Rows4x32(int k, float* a, RowOffsets o, nint csA, float* b, nint ldb, float* c, nint ldc, int rows,
        float alpha, float beta, Vector512<float> m0, Vector512<float> m1)
    {
        Vector512<float> r0a = default, r0b = default, r1a = default, r1b = default;
        Vector512<float> r2a = default, r2b = default, r3a = default, r3b = default;
        nint o1 = o.O1, o2 = o.O2, o3 = o.O3;
        for (int p = 0; p < k; p++, a += csA, b += ldb)
        {
            var b0 = Avx512F.MaskLoad(b, m0, Vector512<float>.Zero);
            var b1 = Avx512F.MaskLoad(b + 16, m1, Vector512<float>.Zero);
            var a0 = Vector512.Create(a[0]); r0a = Avx512F.FusedMultiplyAdd(a0, b0, r0a); r0b = Avx512F.FusedMultiplyAdd(a0, b1, r0b);
            var a1 = Vector512.Create(a[o1]); r1a = Avx512F.FusedMultiplyAdd(a1, b0, r1a); r1b = Avx512F.FusedMultiplyAdd(a1, b1, r1b);
            var a2 = Vector512.Create(a[o2]); r2a = Avx512F.FusedMultiplyAdd(a2, b0, r2a); r2b = Avx512F.FusedMultiplyAdd(a2, b1, r2b);
            var a3 = Vector512.Create(a[o3]); r3a = Avx512F.FusedMultiplyAdd(a3, b0, r3a); r3b = Avx512F.FusedMultiplyAdd(a3, b1, r3b);
        }
        Put(c, r0a, alpha, beta, m0); Put(c + 16, r0b, alpha, beta, m1); if (rows == 1) return;
        Put(c + ldc, r1a, alpha, beta, m0); Put(c + ldc + 16, r1b, alpha, beta, m1); if (rows == 2) return;
        Put(c + 2 * ldc, r2a, alpha, beta, m0); Put(c + 2 * ldc + 16, r2b, alpha, beta, m1); if (rows == 3) return;
        Put(c + 3 * ldc, r3a, alpha, beta, m0); Put(c + 3 * ldc + 16, r3b, alpha, beta, m1);
    }

    private static void Rows8x16(int k, float* a, RowOffsets o, nint csA, float* b, nint ldb, float* c, nint ldc, int rows,
        float alpha, float beta, Vector512<float> m0)
    {
        Vector512<float> r0 = default, r1 = default, r2 = default, r3 = default, r4 = default, r5 = default, r6 = default, r7 = default;
        for (int p = 0; p < k; p++, a += csA, b += ldb)
        {
            var b0 = Avx512F.MaskLoad(b, m0, Vector512<float>.Zero);
            r0 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[0]), b0, r0);
            r1 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[o.O1]), b0, r1);
            r2 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[o.O2]), b0, r2);
            r3 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[o.O3]), b0, r3);
            r4 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[o.O4]), b0, r4);
            r5 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[o.O5]), b0, r5);
            r6 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[o.O6]), b0, r6);
            r7 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[o.O7]), b0, r7);
        }
        Put(c, r0, alpha, beta, m0); if (rows == 1) return;
        Put(c + ldc, r1, alpha, beta, m0); if (rows == 2) return;
        Put(c + 2 * ldc, r2, alpha, beta, m0); if (rows == 3) return;
        Put(c + 3 * ldc, r3, alpha, beta, m0); if (rows == 4) return;
        Put(c + 4 * ldc, r4, alpha, beta, m0); if (rows == 5) return;
        Put(c + 5 * ldc, r5, alpha, beta, m0); if (rows == 6) return;
        Put(c + 6 * ldc, r6, alpha, beta, m0); if (rows == 7) return;
        Put(c + 7 * ldc, r7, alpha, beta, m0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(float* r, Vector512<float> x, float alpha, float beta, Vector512<float> m)
    {
        x *= Vector512.Create(alpha);
        if (beta != 0f) x = Avx512F.FusedMultiplyAdd(Avx512F.MaskLoad(r, m, Vector512<float>.Zero), Vector512.Create(beta), x);
        Avx512F.MaskStore(r, m, x);
    }

    private static Vector512<float> Mask(int count) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();
}
