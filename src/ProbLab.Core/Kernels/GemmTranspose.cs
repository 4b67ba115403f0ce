// AVX-512 16×16 in-register transpose used by GEMM packing when the source runs the "wrong" way (row-major A
// into p-major Ã panels, or Bᵀ into B̃ panels). A scalar gather-scatter costs ~2 cycles per element, which for
// narrow products (N ≈ 48, as in the GPT's linear layers) costs as much as the multiply itself; the shuffle
// network below moves 256 elements with 64 shuffles. Stages (x_r = source row r, lanes = 16 columns):
//   1. unpacklo/hi pairs rows (r, r+1) within 128-bit lanes;   2. shufps gathers 4 rows × 1 column per lane;
//   3./4. shuff32x4 transposes the 4×4 grid of 128-bit blocks, giving out_q = column q across all 16 rows.
// Missing rows (rows < 16) are zero vectors, so the padding of a partial panel comes for free.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ProbLab.Kernels;

internal static unsafe class GemmTranspose
{
    /// <summary>
    /// For p in [0, kc): dst[p·stride + r] = scale·src[r·ld + p] for r &lt; rows, 0 for rows ≤ r &lt; width
    /// (width ≤ 16 lanes written per step; AVX-512 only). Never reads past src[(rows−1)·ld + kc − 1].
    /// </summary>
    public static void RowsToSteps(float* src, nint ld, int rows, int kc, float scale, float* dst, int stride, int width)
    {
        var mask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(width)).AsSingle();
        for (int p = 0; p < kc; p += 16) Block16(src + p, ld, rows, Math.Min(16, kc - p), scale, dst + (nint)p * stride, stride, mask);
    }

    // Row r of the tile: `steps` columns (masked load for a partial tile), zero for missing rows.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Row(float* src, nint ld, int r, int rows, int steps, Vector512<float> scale)
    {
        if (r >= rows) return Vector512<float>.Zero;
        if (steps == 16) return Vector512.Load(src + r * ld) * scale;
        var m = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(steps)).AsSingle();
        return Avx512F.MaskLoad(src + r * ld, m, Vector512<float>.Zero) * scale;
    }

    // One 16×16 tile: rows of src (`steps` ≤ 16 columns each) → `steps` steps of dst, `mask` lanes per step.
    private static void Block16(float* src, nint ld, int rows, int steps, float scale, float* dst, int stride, Vector512<float> mask)
    {
        var s = Vector512.Create(scale);
        Vector512<float> x0 = Row(src, ld, 0, rows, steps, s), x1 = Row(src, ld, 1, rows, steps, s), x2 = Row(src, ld, 2, rows, steps, s), x3 = Row(src, ld, 3, rows, steps, s);
        Vector512<float> x4 = Row(src, ld, 4, rows, steps, s), x5 = Row(src, ld, 5, rows, steps, s), x6 = Row(src, ld, 6, rows, steps, s), x7 = Row(src, ld, 7, rows, steps, s);
        Vector512<float> x8 = Row(src, ld, 8, rows, steps, s), x9 = Row(src, ld, 9, rows, steps, s), x10 = Row(src, ld, 10, rows, steps, s), x11 = Row(src, ld, 11, rows, steps, s);
        Vector512<float> x12 = Row(src, ld, 12, rows, steps, s), x13 = Row(src, ld, 13, rows, steps, s), x14 = Row(src, ld, 14, rows, steps, s), x15 = Row(src, ld, 15, rows, steps, s);
        // Stages 1-2 per group g of 4 rows: u[g][c] lane L = column 4L + c of rows 4g..4g+3.
        Quad(x0, x1, x2, x3, out var u00, out var u01, out var u02, out var u03);
        Quad(x4, x5, x6, x7, out var u10, out var u11, out var u12, out var u13);
        Quad(x8, x9, x10, x11, out var u20, out var u21, out var u22, out var u23);
        Quad(x12, x13, x14, x15, out var u30, out var u31, out var u32, out var u33);
        // Stages 3-4 per c: out for column 4L + c = [u0c.L, u1c.L, u2c.L, u3c.L].
        Blocks(u00, u10, u20, u30, dst, stride, 0, steps, mask);
        Blocks(u01, u11, u21, u31, dst, stride, 1, steps, mask);
        Blocks(u02, u12, u22, u32, dst, stride, 2, steps, mask);
        Blocks(u03, u13, u23, u33, dst, stride, 3, steps, mask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Quad(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d,
        out Vector512<float> col0, out Vector512<float> col1, out Vector512<float> col2, out Vector512<float> col3)
    {
        var t0 = Avx512F.UnpackLow(a, b);  // a0 b0 a1 b1 (per 128-bit lane)
        var t1 = Avx512F.UnpackHigh(a, b); // a2 b2 a3 b3
        var t2 = Avx512F.UnpackLow(c, d);
        var t3 = Avx512F.UnpackHigh(c, d);
        col0 = Avx512F.Shuffle(t0, t2, 0x44); // a0 b0 c0 d0
        col1 = Avx512F.Shuffle(t0, t2, 0xEE); // a1 b1 c1 d1
        col2 = Avx512F.Shuffle(t1, t3, 0x44);
        col3 = Avx512F.Shuffle(t1, t3, 0xEE);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Blocks(Vector512<float> u0, Vector512<float> u1, Vector512<float> u2, Vector512<float> u3,
        float* dst, int stride, int c, int steps, Vector512<float> mask)
    {
        var v0 = Avx512F.Shuffle4x128(u0, u1, 0x44); // u0.L0 u0.L1 u1.L0 u1.L1
        var v1 = Avx512F.Shuffle4x128(u0, u1, 0xEE); // u0.L2 u0.L3 u1.L2 u1.L3
        var v2 = Avx512F.Shuffle4x128(u2, u3, 0x44);
        var v3 = Avx512F.Shuffle4x128(u2, u3, 0xEE);
        // Source columns c, 4 + c, 8 + c, 12 + c become steps; those ≥ steps were padding and are not stored.
        if (c < steps) Avx512F.MaskStore(dst + (nint)c * stride, mask, Avx512F.Shuffle4x128(v0, v2, 0x88));
        if (4 + c < steps) Avx512F.MaskStore(dst + (nint)(4 + c) * stride, mask, Avx512F.Shuffle4x128(v0, v2, 0xDD));
        if (8 + c < steps) Avx512F.MaskStore(dst + (nint)(8 + c) * stride, mask, Avx512F.Shuffle4x128(v1, v3, 0x88));
        if (12 + c < steps) Avx512F.MaskStore(dst + (nint)(12 + c) * stride, mask, Avx512F.Shuffle4x128(v1, v3, 0xDD));
    }
}
