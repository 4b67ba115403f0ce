// GEMM packing (GotoBLAS/BLIS): copies a block of op(A) or op(B) into the contiguous, zero-padded panel
// layout the micro-kernels stream through. Transposition is only a matter of strides: element (i, p) of
// op(A) is a[i·rs + p·cs] with (rs, cs) = (lda, 1) for A and (1, lda) for Aᵀ, and likewise for op(B), so
// all four transpose cases share these routines and the micro-kernel never changes.
//   Ã block (mc × kc): panels of MR rows; panel q stores kc steps of MR values, element (i, p) at p·MR + i.
//   B̃ block (kc × nc): panels of NR columns (the last may be the narrow width 16); element (p, j) at p·w + j.
// Runs that are contiguous in the source are copied with vectors; runs that are not (row-major A, Bᵀ) go
// through the 16×16 register transpose on AVX-512 and a scalar gather elsewhere.
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ProbLab.Kernels;

internal static unsafe class GemmPack
{
    /// <summary>Width of the B̃ panel starting at a column with <paramref name="remaining"/> columns left.</summary>
    /// <remarks>With 32-wide kernels a remainder of ≤ 16 columns gets a 16-wide panel (half the wasted FMAs).</remarks>
    public static int PanelWidth(int remaining, int nr, bool hasNarrow) =>
        remaining >= nr ? nr : hasNarrow && remaining <= 16 ? 16 : nr;

    /// <summary>Packs alpha·op(A)[0..mc, 0..kc] (element (i, p) at a[i·rs + p·cs]) into MR-row panels at dst.</summary>
    public static void PackA(float* a, int rs, int cs, int mc, int kc, int mr, float alpha, float* dst, bool avx512)
    {
        for (int i0 = 0; i0 < mc; i0 += mr, dst += (nint)mr * kc)
        {
            int rows = Math.Min(mr, mc - i0);
            float* src = a + (nint)i0 * rs;
            if (rs == 1) StepsContiguous(src, cs, rows, kc, alpha, dst, mr, avx512);
            else if (cs == 1 && avx512 && mr <= 16) GemmTranspose.RowsToSteps(src, rs, rows, kc, alpha, dst, mr, mr);
            else RowsScalar(src, rs, cs, rows, kc, alpha, dst, mr, mr);
        }
    }

    /// <summary>Packs op(B)[0..kc, 0..nc] (element (p, j) at b[p·rs + j·cs]) into column panels at dst.</summary>
    public static void PackB(float* b, int rs, int cs, int kc, int nc, int nr, bool hasNarrow, float* dst, bool avx512)
    {
        if (cs == 1)
        {
            // B stored K×N: take 8 source rows at a time and deal their runs into the panels. Reading one
            // panel down all kc rows is a 4 KB-strided walk when ldb is a multiple of 1024 (prefetchers and
            // 4K aliasing suffer); sweeping all panels per row scatters writes over nc/NR pages (TLB misses).
            for (int p0 = 0; p0 < kc; p0 += 8)
            {
                int rows = Math.Min(8, kc - p0);
                for (int j0 = 0; j0 < nc;)
                {
                    int w = PanelWidth(nc - j0, nr, hasNarrow), cols = Math.Min(w, nc - j0);
                    float* d = dst + (nint)j0 * kc + (nint)p0 * w;
                    for (int p = 0; p < rows; p++) CopyRun(b + (nint)(p0 + p) * rs + j0, cols, d + (nint)p * w, w, avx512);
                    j0 += w;
                }
            }
            return;
        }
        for (int j0 = 0; j0 < nc;)
        {
            // Bᵀ stored N×K: each column of op(B) is a contiguous source row; transpose 16 of them at a time.
            int w = PanelWidth(nc - j0, nr, hasNarrow), cols = Math.Min(w, nc - j0);
            float* src = b + (nint)j0 * cs, d = dst + (nint)j0 * kc;
            if (rs == 1 && avx512)
                for (int g = 0; g < w; g += 16)
                    GemmTranspose.RowsToSteps(src + (nint)g * cs, cs, cols - g, kc, 1f, d + g, w, 16);
            else RowsScalar(src, cs, rs, cols, kc, 1f, d, w, w);
            j0 += w;
        }
    }

    // Source rows r < rows (stride rowStride, elements p at p·colStride) become dst[p·stride + r]; rows up to width are zero.
    private static void RowsScalar(float* src, int rowStride, int colStride, int rows, int kc, float scale, float* dst, int stride, int width)
    {
        for (int r = 0; r < rows; r++)
        {
            float* s = src + (nint)r * rowStride;
            for (int p = 0; p < kc; p++) dst[(nint)p * stride + r] = scale * s[(nint)p * colStride];
        }
        for (int r = rows; r < width; r++)
            for (int p = 0; p < kc; p++) dst[(nint)p * stride + r] = 0f;
    }

    // Aᵀ stored K×M: the `rows` values of step p are contiguous at src + p·cs; pad each step to `width`.
    private static void StepsContiguous(float* src, int cs, int rows, int kc, float scale, float* dst, int width, bool avx512)
    {
        if (avx512 && width <= 16)
        {
            var load = ColumnMask(rows);
            var store = ColumnMask(width);
            var s = Vector512.Create(scale);
            for (int p = 0; p < kc; p++)
                Avx512F.MaskStore(dst + (nint)p * width, store, Avx512F.MaskLoad(src + (nint)p * cs, load, Vector512<float>.Zero) * s);
            return;
        }
        for (int p = 0; p < kc; p++)
        {
            float* s = src + (nint)p * cs, d = dst + (nint)p * width;
            for (int i = 0; i < rows; i++) d[i] = scale * s[i];
            for (int i = rows; i < width; i++) d[i] = 0f;
        }
    }

    // dst[0..width) = src[0..count) followed by zeros.
    private static void CopyRun(float* src, int count, float* dst, int width, bool avx512)
    {
        if (avx512)
        {
            for (int j = 0; j < width; j += 16)
            {
                var m = ColumnMask(count - j);
                Vector512<float> v = count - j >= 16 ? Vector512.Load(src + j) : Avx512F.MaskLoad(src + j, m, Vector512<float>.Zero);
                v.Store(dst + j);
            }
            return;
        }
        new ReadOnlySpan<float>(src, count).CopyTo(new Span<float>(dst, width));
        if (count < width) new Span<float>(dst + count, width - count).Clear();
    }

    private static Vector512<float> ColumnMask(int count) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();
}
