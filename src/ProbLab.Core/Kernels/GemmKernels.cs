// GEMM micro-kernels: C[MR×NR] = Ã·B̃ (+ beta·C) for one packed MR×kc panel of A (p-major, MR values per
// step, alpha already folded in) and one packed kc×NR panel of B (NR values per step). The C tile lives in
// registers for the whole kc loop (GotoBLAS/BLIS register blocking): AVX-512 keeps 12 rows × 32 columns in
// 24 zmm accumulators (+2 B vectors, 1 broadcast of the 32 registers), one FMA per accumulator per step.
// Every kernel computes each element as the same FMA chain over p, so results do not depend on the tile
// or thread that computed them. The epilogue is C = acc (beta = 0, old C ignored) or C = fma(C, beta, acc).
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ProbLab.Kernels;

internal static unsafe class GemmKernels
{
    // ---- AVX-512 ----------------------------------------------------------------------------------
    // Edge tiles (mr < MR or nr < NR) are stored with lane masks, so the driver never needs a scratch tile.

    /// <summary>AVX-512 micro-kernel: C[12×32] = Ã·B̃ (+ beta·C) over kc steps; rows ≥ mr and columns ≥ nr are left untouched.</summary>
    internal static void Avx512_12x32(int kc, float* a, float* b, float* c, int ldc, float beta, int mr, int nr)
    {
        PrefetchTile(c, ldc, mr, 2);
        Vector512<float> r0a = default, r0b = default;
        Vector512<float> r1a = default, r1b = default;
        Vector512<float> r2a = default, r2b = default;
        Vector512<float> r3a = default, r3b = default;
        Vector512<float> r4a = default, r4b = default;
        Vector512<float> r5a = default, r5b = default;
        Vector512<float> r6a = default, r6b = default;
        Vector512<float> r7a = default, r7b = default;
        Vector512<float> r8a = default, r8b = default;
        Vector512<float> r9a = default, r9b = default;
        Vector512<float> r10a = default, r10b = default;
        Vector512<float> r11a = default, r11b = default;
        for (int p = 0; p < kc; p++, a += 12, b += 32)
        {
            var b0 = Vector512.Load(b); var b1 = Vector512.Load(b + 16);
            var a0 = Vector512.Create(a[0]); r0a = Avx512F.FusedMultiplyAdd(a0, b0, r0a); r0b = Avx512F.FusedMultiplyAdd(a0, b1, r0b);
            var a1 = Vector512.Create(a[1]); r1a = Avx512F.FusedMultiplyAdd(a1, b0, r1a); r1b = Avx512F.FusedMultiplyAdd(a1, b1, r1b);
            var a2 = Vector512.Create(a[2]); r2a = Avx512F.FusedMultiplyAdd(a2, b0, r2a); r2b = Avx512F.FusedMultiplyAdd(a2, b1, r2b);
            var a3 = Vector512.Create(a[3]); r3a = Avx512F.FusedMultiplyAdd(a3, b0, r3a); r3b = Avx512F.FusedMultiplyAdd(a3, b1, r3b);
            var a4 = Vector512.Create(a[4]); r4a = Avx512F.FusedMultiplyAdd(a4, b0, r4a); r4b = Avx512F.FusedMultiplyAdd(a4, b1, r4b);
            var a5 = Vector512.Create(a[5]); r5a = Avx512F.FusedMultiplyAdd(a5, b0, r5a); r5b = Avx512F.FusedMultiplyAdd(a5, b1, r5b);
            var a6 = Vector512.Create(a[6]); r6a = Avx512F.FusedMultiplyAdd(a6, b0, r6a); r6b = Avx512F.FusedMultiplyAdd(a6, b1, r6b);
            var a7 = Vector512.Create(a[7]); r7a = Avx512F.FusedMultiplyAdd(a7, b0, r7a); r7b = Avx512F.FusedMultiplyAdd(a7, b1, r7b);
            var a8 = Vector512.Create(a[8]); r8a = Avx512F.FusedMultiplyAdd(a8, b0, r8a); r8b = Avx512F.FusedMultiplyAdd(a8, b1, r8b);
            var a9 = Vector512.Create(a[9]); r9a = Avx512F.FusedMultiplyAdd(a9, b0, r9a); r9b = Avx512F.FusedMultiplyAdd(a9, b1, r9b);
            var a10 = Vector512.Create(a[10]); r10a = Avx512F.FusedMultiplyAdd(a10, b0, r10a); r10b = Avx512F.FusedMultiplyAdd(a10, b1, r10b);
            var a11 = Vector512.Create(a[11]); r11a = Avx512F.FusedMultiplyAdd(a11, b0, r11a); r11b = Avx512F.FusedMultiplyAdd(a11, b1, r11b);
        }
        if (mr == 12 && nr == 32)
        {
            Put(c + 0 * ldc, r0a, r0b, beta);
            Put(c + 1 * ldc, r1a, r1b, beta);
            Put(c + 2 * ldc, r2a, r2b, beta);
            Put(c + 3 * ldc, r3a, r3b, beta);
            Put(c + 4 * ldc, r4a, r4b, beta);
            Put(c + 5 * ldc, r5a, r5b, beta);
            Put(c + 6 * ldc, r6a, r6b, beta);
            Put(c + 7 * ldc, r7a, r7b, beta);
            Put(c + 8 * ldc, r8a, r8b, beta);
            Put(c + 9 * ldc, r9a, r9b, beta);
            Put(c + 10 * ldc, r10a, r10b, beta);
            Put(c + 11 * ldc, r11a, r11b, beta);
            return;
        }
        var m0 = ColumnMask(nr); var m1 = ColumnMask(nr - 16);
        PutMasked(c + 0 * ldc, r0a, r0b, beta, m0, m1); if (mr == 1) return;
        PutMasked(c + 1 * ldc, r1a, r1b, beta, m0, m1); if (mr == 2) return;
        PutMasked(c + 2 * ldc, r2a, r2b, beta, m0, m1); if (mr == 3) return;
        PutMasked(c + 3 * ldc, r3a, r3b, beta, m0, m1); if (mr == 4) return;
        PutMasked(c + 4 * ldc, r4a, r4b, beta, m0, m1); if (mr == 5) return;
        PutMasked(c + 5 * ldc, r5a, r5b, beta, m0, m1); if (mr == 6) return;
        PutMasked(c + 6 * ldc, r6a, r6b, beta, m0, m1); if (mr == 7) return;
        PutMasked(c + 7 * ldc, r7a, r7b, beta, m0, m1); if (mr == 8) return;
        PutMasked(c + 8 * ldc, r8a, r8b, beta, m0, m1); if (mr == 9) return;
        PutMasked(c + 9 * ldc, r9a, r9b, beta, m0, m1); if (mr == 10) return;
        PutMasked(c + 10 * ldc, r10a, r10b, beta, m0, m1); if (mr == 11) return;
        PutMasked(c + 11 * ldc, r11a, r11b, beta, m0, m1);
    }

    /// <summary>AVX-512 micro-kernel: C[12×16] = Ã·B̃ (+ beta·C) over kc steps; rows ≥ mr and columns ≥ nr are left untouched.</summary>
    internal static void Avx512_12x16(int kc, float* a, float* b, float* c, int ldc, float beta, int mr, int nr)
    {
        PrefetchTile(c, ldc, mr, 1);
        Vector512<float> r0a = default;
        Vector512<float> r1a = default;
        Vector512<float> r2a = default;
        Vector512<float> r3a = default;
        Vector512<float> r4a = default;
        Vector512<float> r5a = default;
        Vector512<float> r6a = default;
        Vector512<float> r7a = default;
        Vector512<float> r8a = default;
        Vector512<float> r9a = default;
        Vector512<float> r10a = default;
        Vector512<float> r11a = default;
        for (int p = 0; p < kc; p++, a += 12, b += 16)
        {
            var b0 = Vector512.Load(b);
            r0a = Avx512F.FusedMultiplyAdd(Vector512.Create(a[0]), b0, r0a);
            r1a = Avx512F.FusedMultiplyAdd(Vector512.Create(a[1]), b0, r1a);
            r2a = Avx512F.FusedMultiplyAdd(Vector512.Create(a[2]), b0, r2a);
            r3a = Avx512F.FusedMultiplyAdd(Vector512.Create(a[3]), b0, r3a);
            r4a = Avx512F.FusedMultiplyAdd(Vector512.Create(a[4]), b0, r4a);
            r5a = Avx512F.FusedMultiplyAdd(Vector512.Create(a[5]), b0, r5a);
            r6a = Avx512F.FusedMultiplyAdd(Vector512.Create(a[6]), b0, r6a);
            r7a = Avx512F.FusedMultiplyAdd(Vector512.Create(a[7]), b0, r7a);
            r8a = Avx512F.FusedMultiplyAdd(Vector512.Create(a[8]), b0, r8a);
            r9a = Avx512F.FusedMultiplyAdd(Vector512.Create(a[9]), b0, r9a);
            r10a = Avx512F.FusedMultiplyAdd(Vector512.Create(a[10]), b0, r10a);
            r11a = Avx512F.FusedMultiplyAdd(Vector512.Create(a[11]), b0, r11a);
        }
        if (mr == 12 && nr == 16)
        {
            Put(c + 0 * ldc, r0a, beta);
            Put(c + 1 * ldc, r1a, beta);
            Put(c + 2 * ldc, r2a, beta);
            Put(c + 3 * ldc, r3a, beta);
            Put(c + 4 * ldc, r4a, beta);
            Put(c + 5 * ldc, r5a, beta);
            Put(c + 6 * ldc, r6a, beta);
            Put(c + 7 * ldc, r7a, beta);
            Put(c + 8 * ldc, r8a, beta);
            Put(c + 9 * ldc, r9a, beta);
            Put(c + 10 * ldc, r10a, beta);
            Put(c + 11 * ldc, r11a, beta);
            return;
        }
        var m0 = ColumnMask(nr);
        PutMasked(c + 0 * ldc, r0a, beta, m0); if (mr == 1) return;
        PutMasked(c + 1 * ldc, r1a, beta, m0); if (mr == 2) return;
        PutMasked(c + 2 * ldc, r2a, beta, m0); if (mr == 3) return;
        PutMasked(c + 3 * ldc, r3a, beta, m0); if (mr == 4) return;
        PutMasked(c + 4 * ldc, r4a, beta, m0); if (mr == 5) return;
        PutMasked(c + 5 * ldc, r5a, beta, m0); if (mr == 6) return;
        PutMasked(c + 6 * ldc, r6a, beta, m0); if (mr == 7) return;
        PutMasked(c + 7 * ldc, r7a, beta, m0); if (mr == 8) return;
        PutMasked(c + 8 * ldc, r8a, beta, m0); if (mr == 9) return;
        PutMasked(c + 9 * ldc, r9a, beta, m0); if (mr == 10) return;
        PutMasked(c + 10 * ldc, r10a, beta, m0); if (mr == 11) return;
        PutMasked(c + 11 * ldc, r11a, beta, m0);
    }

    // Start pulling the C tile's cache lines in while the kc loop runs, so the epilogue's loads/stores
    // (C is usually far larger than L2) do not stall on 12 × 2 misses at once (BLIS kernels do the same).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchTile(float* c, int ldc, int mr, int lines)
    {
        for (int i = 0; i < mr; i++)
        {
            Sse.Prefetch0(c + (nint)i * ldc);
            if (lines > 1) Sse.Prefetch0(c + (nint)i * ldc + 16);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(float* r, Vector512<float> x0, Vector512<float> x1, float beta)
    {
        if (beta == 0f) { x0.Store(r); x1.Store(r + 16); return; }
        var bv = Vector512.Create(beta);
        Avx512F.FusedMultiplyAdd(Vector512.Load(r), bv, x0).Store(r);
        Avx512F.FusedMultiplyAdd(Vector512.Load(r + 16), bv, x1).Store(r + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(float* r, Vector512<float> x0, float beta)
    {
        if (beta == 0f) x0.Store(r);
        else Avx512F.FusedMultiplyAdd(Vector512.Load(r), Vector512.Create(beta), x0).Store(r);
    }

    // Masked loads/stores touch only the lanes < nr (no fault past the end of C's row or span).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PutMasked(float* r, Vector512<float> x0, Vector512<float> x1, float beta, Vector512<float> m0, Vector512<float> m1)
    {
        PutMasked(r, x0, beta, m0);
        PutMasked(r + 16, x1, beta, m1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PutMasked(float* r, Vector512<float> x, float beta, Vector512<float> m)
    {
        if (beta != 0f) x = Avx512F.FusedMultiplyAdd(Avx512F.MaskLoad(r, m, Vector512<float>.Zero), Vector512.Create(beta), x);
        Avx512F.MaskStore(r, m, x);
    }

    /// <summary>All-ones lanes for lane index &lt; count (count may be ≤ 0 or ≥ 16).</summary>
    private static Vector512<float> ColumnMask(int count) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    // ---- AVX2 / portable Vector256 ------------------------------------------------------------------
    // 6×16 tile: 12 ymm accumulators + 2 B vectors + 1 broadcast fit the 16 registers of AVX2.
    // Full tiles only; the driver routes edge tiles through a scratch tile (see GemmDriver).

    /// <summary>Vector256 micro-kernel: C[6×16] = Ã·B̃ (+ beta·C) over kc steps (full tiles only).</summary>
    internal static void V256_6x16(int kc, float* a, float* b, float* c, int ldc, float beta, int mr, int nr)
    {
        Vector256<float> r0a = default, r0b = default, r1a = default, r1b = default, r2a = default, r2b = default;
        Vector256<float> r3a = default, r3b = default, r4a = default, r4b = default, r5a = default, r5b = default;
        for (int p = 0; p < kc; p++, a += 6, b += 16)
        {
            var b0 = Vector256.Load(b); var b1 = Vector256.Load(b + 8);
            var a0 = Vector256.Create(a[0]); r0a = Vector256.FusedMultiplyAdd(a0, b0, r0a); r0b = Vector256.FusedMultiplyAdd(a0, b1, r0b);
            var a1 = Vector256.Create(a[1]); r1a = Vector256.FusedMultiplyAdd(a1, b0, r1a); r1b = Vector256.FusedMultiplyAdd(a1, b1, r1b);
            var a2 = Vector256.Create(a[2]); r2a = Vector256.FusedMultiplyAdd(a2, b0, r2a); r2b = Vector256.FusedMultiplyAdd(a2, b1, r2b);
            var a3 = Vector256.Create(a[3]); r3a = Vector256.FusedMultiplyAdd(a3, b0, r3a); r3b = Vector256.FusedMultiplyAdd(a3, b1, r3b);
            var a4 = Vector256.Create(a[4]); r4a = Vector256.FusedMultiplyAdd(a4, b0, r4a); r4b = Vector256.FusedMultiplyAdd(a4, b1, r4b);
            var a5 = Vector256.Create(a[5]); r5a = Vector256.FusedMultiplyAdd(a5, b0, r5a); r5b = Vector256.FusedMultiplyAdd(a5, b1, r5b);
        }
        Put256(c, r0a, r0b, beta);
        Put256(c + ldc, r1a, r1b, beta);
        Put256(c + 2 * ldc, r2a, r2b, beta);
        Put256(c + 3 * ldc, r3a, r3b, beta);
        Put256(c + 4 * ldc, r4a, r4b, beta);
        Put256(c + 5 * ldc, r5a, r5b, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put256(float* r, Vector256<float> x0, Vector256<float> x1, float beta)
    {
        if (beta == 0f) { x0.Store(r); x1.Store(r + 8); return; }
        var bv = Vector256.Create(beta);
        Vector256.FusedMultiplyAdd(Vector256.Load(r), bv, x0).Store(r);
        Vector256.FusedMultiplyAdd(Vector256.Load(r + 8), bv, x1).Store(r + 8);
    }

    // ---- scalar ---------------------------------------------------------------------------------------

    /// <summary>Scalar micro-kernel on the 6×16 layout, for hardware without 256-bit SIMD (full tiles only).</summary>
    [SkipLocalsInit]
    internal static void Scalar_6x16(int kc, float* a, float* b, float* c, int ldc, float beta, int mr, int nr)
    {
        float* acc = stackalloc float[6 * 16];
        new Span<float>(acc, 6 * 16).Clear();
        for (int p = 0; p < kc; p++, a += 6, b += 16)
            for (int i = 0; i < 6; i++)
            {
                float ai = a[i];
                float* ri = acc + i * 16;
                for (int j = 0; j < 16; j++) ri[j] = MathF.FusedMultiplyAdd(ai, b[j], ri[j]);
            }
        for (int i = 0; i < 6; i++)
            for (int j = 0; j < 16; j++)
                c[i * ldc + j] = beta == 0f ? acc[i * 16 + j] : MathF.FusedMultiplyAdd(c[i * ldc + j], beta, acc[i * 16 + j]);
    }
}
