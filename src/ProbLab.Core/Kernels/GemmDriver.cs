// GEMM driver: the five BLIS loops around the micro-kernel (Goto & van de Geijn 2008, "Anatomy of
// high-performance matrix multiplication"; Van Zee & van de Geijn 2015, BLIS):
//   jc over N by NC → pc over K by KC (pack B̃ kc×nc, stays in L2/L3) → ic over M by MC (pack Ã mc×kc,
//   stays in L2) → jr over nc by NR (a kc×NR B̃ micro-panel stays in L1) → ir over mc by MR (micro-kernel).
// Block sizes are tuned for a Sapphire-Rapids-class core (48 KB L1d, 2 MB L2): a 256×32 B̃ micro-panel is
// 32 KB of L1, a 192×256 Ã block 192 KB of L2. Threads split C into disjoint row (or column) ranges and
// run the whole loop nest on their own range with their own pack buffers; K is never split, so every
// element is the same FMA chain whatever the thread count (bitwise-deterministic results).
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ProbLab.Kernels;

/// <summary>Instruction set used by the GEMM micro-kernel (tests force the fallbacks explicitly).</summary>
internal enum GemmIsa { Avx512, Vector256, Scalar }

internal static unsafe class GemmDriver
{
    /// <summary>Rows of Ã packed per block (multiple of every MR).</summary>
    internal const int Mc = 192;
    /// <summary>Depth of one packed block (the K step).</summary>
    internal const int Kc = 256;
    /// <summary>Columns of B̃ packed per block.</summary>
    internal const int Nc = 4096;
    /// <summary>Multiply-adds below which extra threads cost more than they save.</summary>
    internal const long ParallelMinWork = 1L << 21;

    /// <summary>The fastest kernel family this machine runs.</summary>
    public static readonly GemmIsa BestIsa =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? GemmIsa.Avx512
        : Vector256.IsHardwareAccelerated ? GemmIsa.Vector256 : GemmIsa.Scalar;

    private readonly struct MicroKernel
    {
        public readonly int Mr, Nr;
        public readonly delegate*<int, float*, float*, float*, int, float, int, int, void> Wide, Narrow;
        // AVX-512 family: its kernels store edge tiles (mr < MR, nr < NR) with lane masks, and packing may
        // use AVX-512; the other families get edge tiles through a scratch tile and pack with scalar code.
        public readonly bool Avx512;

        public MicroKernel(int mr, int nr, delegate*<int, float*, float*, float*, int, float, int, int, void> wide,
            delegate*<int, float*, float*, float*, int, float, int, int, void> narrow, bool avx512)
        {
            Mr = mr; Nr = nr; Wide = wide; Narrow = narrow; Avx512 = avx512;
        }

        public bool HasNarrow => Narrow != null;
    }

    private static MicroKernel For(GemmIsa isa) => isa switch
    {
        GemmIsa.Avx512 => new MicroKernel(12, 32, &GemmKernels.Avx512_12x32, &GemmKernels.Avx512_12x16, true),
        GemmIsa.Vector256 => new MicroKernel(6, 16, &GemmKernels.V256_6x16, null, false),
        _ => new MicroKernel(6, 16, &GemmKernels.Scalar_6x16, null, false),
    };

    [ThreadStatic] private static float[]? t_packA;
    [ThreadStatic] private static float[]? t_packB;

    /// <summary>C = alpha·op(A)·op(B) + beta·C with m, n, k ≥ 1 and validated pointers/strides.</summary>
    public static void Run(GemmIsa isa, int threads, bool transA, bool transB, int m, int n, int k,
        float* a, int lda, float* b, int ldb, float* c, int ldc, float alpha, float beta)
    {
        var mk = For(isa);
        // op(A)(i, p) = a[i·rsA + p·csA]; op(B)(p, j) = b[p·rsB + j·csB].
        int rsA = transA ? 1 : lda, csA = transA ? lda : 1;
        int rsB = transB ? 1 : ldb, csB = transB ? ldb : 1;
        bool splitRows = m >= n;
        int unit = splitRows ? mk.Mr : mk.Nr, extent = splitRows ? m : n;
        int parts = (long)m * n * k < ParallelMinWork ? 1 : Math.Min(threads, (extent + unit - 1) / unit);
        if (parts <= 1)
        {
            Blocked(mk, m, n, k, a, rsA, csA, b, rsB, csB, c, ldc, alpha, beta);
            return;
        }
        // Each part owns a contiguous range of C rows (or columns), a multiple of MR (or NR) long.
        int chunk = ((extent + parts - 1) / parts + unit - 1) / unit * unit;
        nint pa = (nint)a, pb = (nint)b, pc = (nint)c;
        Parallel.For(0, parts, Parallelism.Options, t =>
        {
            int lo = t * chunk, len = Math.Min(chunk, extent - lo);
            if (len <= 0) return;
            float* a0 = (float*)pa, b0 = (float*)pb, c0 = (float*)pc;
            if (splitRows) Blocked(mk, len, n, k, a0 + (nint)lo * rsA, rsA, csA, b0, rsB, csB, c0 + (nint)lo * ldc, ldc, alpha, beta);
            else Blocked(mk, m, len, k, a0, rsA, csA, b0 + (nint)lo * csB, rsB, csB, c0 + lo, ldc, alpha, beta);
        });
    }

    // The jc / pc / ic loops: pack, then sweep the packed blocks.
    private static void Blocked(in MicroKernel mk, int m, int n, int k, float* a, int rsA, int csA,
        float* b, int rsB, int csB, float* c, int ldc, float alpha, float beta)
    {
        int kcMax = Math.Min(Kc, k);
        int mcMax = RoundUp(Math.Min(Mc, m), mk.Mr), ncMax = RoundUp(Math.Min(Nc, n), mk.Nr);
        float* packA = Aligned(ref t_packA, (long)mcMax * kcMax);
        float* packB = Aligned(ref t_packB, (long)ncMax * kcMax);
        for (int jc = 0; jc < n; jc += Nc)
        {
            int nc = Math.Min(Nc, n - jc);
            for (int pc = 0; pc < k; pc += Kc)
            {
                int kc = Math.Min(Kc, k - pc);
                GemmPack.PackB(b + (nint)pc * rsB + (nint)jc * csB, rsB, csB, kc, nc, mk.Nr, mk.HasNarrow, packB, mk.Avx512);
                float betaBlock = pc == 0 ? beta : 1f; // later K blocks accumulate onto the first
                for (int ic = 0; ic < m; ic += Mc)
                {
                    int mc = Math.Min(Mc, m - ic);
                    GemmPack.PackA(a + (nint)ic * rsA + (nint)pc * csA, rsA, csA, mc, kc, mk.Mr, alpha, packA, mk.Avx512);
                    Macro(mk, mc, nc, kc, packA, packB, c + (nint)ic * ldc + jc, ldc, betaBlock);
                }
            }
        }
    }

    // The jr / ir loops over one packed Ã block and one packed B̃ block.
    private static void Macro(in MicroKernel mk, int mc, int nc, int kc, float* packA, float* packB, float* c, int ldc, float beta)
    {
        for (int jr = 0; jr < nc;)
        {
            int w = GemmPack.PanelWidth(nc - jr, mk.Nr, mk.HasNarrow);
            int nr = Math.Min(w, nc - jr);
            var kernel = w == mk.Nr ? mk.Wide : mk.Narrow;
            float* bPanel = packB + (nint)jr * kc;
            for (int ir = 0; ir < mc; ir += mk.Mr)
            {
                int mr = Math.Min(mk.Mr, mc - ir);
                float* aPanel = packA + (nint)ir * kc;
                float* cTile = c + (nint)ir * ldc + jr;
                if (mk.Avx512 || (mr == mk.Mr && nr == w)) kernel(kc, aPanel, bPanel, cTile, ldc, beta, mr, nr);
                else EdgeTile(kernel, mk.Mr, w, kc, aPanel, bPanel, cTile, ldc, beta, mr, nr);
            }
            jr += w;
        }
    }

    // Full-tile kernel into a scratch tile, then merge the valid mr×nr corner with the kernel's epilogue.
    [SkipLocalsInit]
    private static void EdgeTile(delegate*<int, float*, float*, float*, int, float, int, int, void> kernel, int tileM, int tileN,
        int kc, float* aPanel, float* bPanel, float* c, int ldc, float beta, int mr, int nr)
    {
        float* tile = stackalloc float[tileM * tileN + 16];
        kernel(kc, aPanel, bPanel, tile, tileN, 0f, tileM, tileN);
        for (int i = 0; i < mr; i++)
            for (int j = 0; j < nr; j++)
            {
                float t = tile[i * tileN + j];
                float* cij = c + (nint)i * ldc + j;
                *cij = beta == 0f ? t : MathF.FusedMultiplyAdd(*cij, beta, t);
            }
    }

    private static int RoundUp(int x, int unit) => (x + unit - 1) / unit * unit;

    // Grow-only, pinned (never moved by the GC), 64-byte aligned per-thread pack buffer.
    private static float* Aligned(ref float[]? buffer, long floats)
    {
        if (buffer is null || buffer.Length < floats + 16)
            buffer = GC.AllocateUninitializedArray<float>(checked((int)floats + 16), pinned: true);
        nint p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return (float*)((p + 63) & ~(nint)63);
    }
}
