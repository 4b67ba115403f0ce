// Fast GEMM vs the scalar GemmNaive twin: all four transpose cases over sizes that hit every register-tile
// and vector tail (1..67), shapes that cross the cache blocks (MC, KC, NC), submatrix strides, alpha/beta
// (beta = 0 must ignore NaN garbage in C), every kernel family, thread-count determinism and error paths.
using ProbLab.Kernels;
using ProbLab.Tensors;

namespace ProbLab.Tests.Kernels;

public class GemmTests
{
    private static readonly (bool A, bool B)[] Transposes = { (false, false), (true, false), (false, true), (true, true) };

    private static IEnumerable<GemmIsa> Isas()
    {
        if (GemmDriver.BestIsa == GemmIsa.Avx512) yield return GemmIsa.Avx512;
        yield return GemmIsa.Vector256;
        yield return GemmIsa.Scalar;
    }

    private static float[] Random(Rng rng, int n)
    {
        var x = new float[n];
        rng.FillUniform(x, -1f, 1f);
        return x;
    }

    // One case: random op(A), op(B) with the given leading-dimension padding, C pre-filled with `fill`.
    private static void Compare(GemmIsa isa, int threads, bool ta, bool tb, int m, int n, int k, Rng rng,
        int pad = 0, float alpha = 1f, float beta = 0f, float fill = 0f)
    {
        int lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
        var a = Random(rng, (ta ? k : m) * lda);
        var b = Random(rng, (tb ? n : k) * ldb);
        var c = Random(rng, m * ldc);
        if (fill != 0f || float.IsNaN(fill)) Array.Fill(c, fill);
        var expected = (float[])c.Clone();
        GemmNaive.Sgemm(ta, tb, m, n, k, a, lda, b, ldb, expected, ldc, alpha, beta);
        Gemm.SgemmWith(isa, threads, ta, tb, m, n, k, a, lda, b, ldb, c, ldc, alpha, beta);
        double atol = 4e-7 * (k + 1) * Math.Max(1f, Math.Abs(alpha)) + 1e-6;
        string name = $"{isa} {(ta ? "Aᵀ" : "A")}·{(tb ? "Bᵀ" : "B")} {m}x{n}x{k} pad={pad} alpha={alpha} beta={beta}";
        for (int i = 0; i < m; i++)
            Check.Close(expected.AsSpan(i * ldc, n), c.AsSpan(i * ldc, n), atol, 1e-5, $"{name} row {i}");
        for (int i = 0; i < m; i++) // padding between rows of C is untouched
            for (int j = n; j < ldc && i * ldc + j < c.Length; j++)
                Check.Close(expected[i * ldc + j], c[i * ldc + j], 0, 0, $"{name} C padding ({i},{j})");
    }

    [Fact]
    public void SweepSmallShapesAllTransposes()
    {
        var rng = new Rng(11);
        int[] ms = { 1, 2, 5, 11, 12, 13, 24, 25, 67 };
        int[] ns = { 1, 3, 15, 16, 17, 31, 32, 33, 47, 48, 49, 64, 67 };
        int[] ks = { 1, 2, 7, 16, 17, 67 };
        foreach (var (ta, tb) in Transposes)
            foreach (int m in ms)
                foreach (int n in ns)
                    foreach (int k in ks)
                        Compare(GemmDriver.BestIsa, 1, ta, tb, m, n, k, rng);
    }

    [Fact]
    public void RandomShapesUpTo67()
    {
        var rng = new Rng(12);
        for (int t = 0; t < 300; t++)
        {
            var (ta, tb) = Transposes[t % 4];
            Compare(GemmDriver.BestIsa, 1, ta, tb, 1 + rng.NextInt(67), 1 + rng.NextInt(67), 1 + rng.NextInt(67), rng, pad: t % 3);
        }
    }

    [Fact]
    public void FallbackKernelFamiliesMatchNaive()
    {
        var rng = new Rng(13);
        int[] sizes = { 1, 5, 6, 7, 16, 17, 33 };
        foreach (var isa in Isas())
            foreach (var (ta, tb) in Transposes)
                foreach (int m in sizes)
                    foreach (int n in sizes)
                        Compare(isa, 1, ta, tb, m, n, 1 + (m * 7 + n) % 40, rng, pad: 1);
    }

    [Fact]
    public void OddLargerShapesCrossCacheBlocks()
    {
        var rng = new Rng(14);
        // (M, N, K): odd sizes; K > KC (256) splits the depth; M > MC (192); N > NC (4096) splits columns;
        // the last two are narrow (N ≤ 16) but too large for the small path, so they take the packed 12×16 kernel.
        (int, int, int)[] shapes = { (129, 257, 73), (1, 1000, 3), (1000, 1, 5), (200, 70, 300), (3, 4100, 5), (37, 45, 530), (1100, 15, 17), (300, 16, 70) };
        foreach (var isa in Isas())
            foreach (var (ta, tb) in Transposes)
                foreach (var (m, n, k) in shapes)
                    if (isa == GemmDriver.BestIsa || (long)m * n * k < 1_000_000)
                        Compare(isa, 1, ta, tb, m, n, k, rng, pad: 3);
    }

    [Fact]
    public void SubmatrixStrides()
    {
        var rng = new Rng(15);
        foreach (var (ta, tb) in Transposes)
            foreach (int pad in new[] { 1, 5, 16, 64 })
                Compare(GemmDriver.BestIsa, 1, ta, tb, 23, 41, 29, rng, pad);
    }

    [Fact]
    public void AlphaBetaSemantics()
    {
        var rng = new Rng(16);
        foreach (var isa in Isas())
            foreach (var (ta, tb) in Transposes)
            {
                Compare(isa, 1, ta, tb, 14, 35, 20, rng, pad: 2, beta: 0f, fill: float.NaN);   // NaN garbage ignored
                Compare(isa, 1, ta, tb, 14, 35, 20, rng, pad: 2, beta: 1f);                     // accumulate
                Compare(isa, 1, ta, tb, 14, 35, 300, rng, pad: 2, beta: 1f);                    // accumulate across K blocks
                Compare(isa, 1, ta, tb, 14, 35, 20, rng, pad: 2, alpha: -1.5f, beta: 0.25f);
                Compare(isa, 1, ta, tb, 13, 17, 9, rng, alpha: 0f, beta: 0.5f);                 // C = beta·C only
                Compare(isa, 1, ta, tb, 13, 17, 9, rng, alpha: 0f, beta: 0f, fill: float.NaN);  // C = 0
                Compare(isa, 1, ta, tb, 1, 35, 20, rng, pad: 2, alpha: 2f, beta: 0f, fill: float.NaN); // row of C (GEMV)
                Compare(isa, 1, ta, tb, 30, 1, 20, rng, pad: 2, alpha: 2f, beta: 0.25f);               // column of C
            }
    }

    [Fact]
    public void ZeroDepthScalesC()
    {
        var c = new[] { 1f, 2f, 3f, 4f, float.NaN, 6f };
        Gemm.Sgemm(false, false, 2, 2, 0, ReadOnlySpan<float>.Empty, 1, ReadOnlySpan<float>.Empty, 2, c, 3, beta: 2f);
        Check.Close(new[] { 2f, 4f, 3f, 8f, float.NaN, 6f }, c, 0, 0, "k=0 beta=2");
        Gemm.Sgemm(false, false, 2, 2, 0, ReadOnlySpan<float>.Empty, 1, ReadOnlySpan<float>.Empty, 2, c, 3);
        Check.Close(new[] { 0f, 0f, 3f, 0f, 0f, 6f }, c, 0, 0, "k=0 beta=0");
    }

    [Fact]
    public void ExactSmallProduct()
    {
        // [[1,2],[3,4]] · [[5,6],[7,8]] = [[19,22],[43,50]]; Aᵀ·B = [[26,30],[38,44]].
        float[] a = { 1, 2, 3, 4 }, b = { 5, 6, 7, 8 }, c = new float[4];
        Gemm.Sgemm(false, false, 2, 2, 2, a, 2, b, 2, c, 2);
        Check.Close(new[] { 19f, 22f, 43f, 50f }, c, 0, 0, "A·B");
        Gemm.Sgemm(true, false, 2, 2, 2, a, 2, b, 2, c, 2);
        Check.Close(new[] { 26f, 30f, 38f, 44f }, c, 0, 0, "Aᵀ·B");
    }

    [Theory]
    [InlineData(130, 140, 120)] // rows split (M ≥ N)
    [InlineData(20, 600, 200)]  // columns split (N > M)
    [InlineData(77, 75, 700)]   // several K blocks
    public void ThreadCountDoesNotChangeBits(int m, int n, int k)
    {
        Assert.True((long)m * n * k >= GemmDriver.ParallelMinWork, "shape must be large enough to run in parallel");
        var rng = new Rng(17);
        foreach (var (ta, tb) in Transposes)
        {
            var a = Random(rng, m * k);
            var b = Random(rng, k * n);
            var c0 = Random(rng, m * n);
            var c1 = (float[])c0.Clone();
            var c2 = (float[])c0.Clone();
            Gemm.SgemmWith(GemmDriver.BestIsa, 1, ta, tb, m, n, k, a, ta ? m : k, b, tb ? k : n, c1, n, 0.5f, 1f);
            Gemm.SgemmWith(GemmDriver.BestIsa, 2, ta, tb, m, n, k, a, ta ? m : k, b, tb ? k : n, c2, n, 0.5f, 1f);
            Check.Close(c1, c2, 0, 0, $"threads 1 vs 2 {m}x{n}x{k} tA={ta} tB={tb}");
        }
    }

    [Fact]
    public void ErrorPaths()
    {
        var a = new float[6]; var b = new float[6]; var c = new float[4];
        Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 2, 2, 3, a.AsSpan(0, 5), 3, b, 2, c, 2));   // A short
        Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 2, 2, 3, a, 3, b.AsSpan(0, 5), 2, c, 2));   // B short
        Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 2, 2, 3, a, 3, b, 2, c.AsSpan(0, 3), 2));   // C short
        Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 2, 2, 3, a, 2, b, 2, c, 2));               // lda < K
        Assert.Throws<ArgumentException>(() => Gemm.Sgemm(true, false, 2, 2, 3, a, 1, b, 2, c, 2));                // lda < M for Aᵀ
        Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, true, 2, 2, 3, a, 3, b, 2, c, 2));                // ldb < K for Bᵀ
        Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 2, 2, 3, a, 3, b, 2, c, 1));               // ldc < N
        Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, -1, 2, 3, a, 3, b, 2, c, 2));              // negative
    }
}
