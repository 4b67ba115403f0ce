// Mixture kernels vs their naive double-precision twins over many point counts (every SIMD tail, tiles of
// 512 crossed), several K and D; the underflow fallback (points far from every component); hard and
// smoothed boxes; the fast exp against Math.Exp; and error paths.
using ProbLab.Kernels;
using ProbLab.Tensors;

namespace ProbLab.Tests.Kernels;

public class MixtureKernelTests
{
    private static readonly int[] Lengths = Enumerable.Range(1, 67).Concat(new[] { 511, 512, 513, 1030 }).ToArray();

    private static float[] Fill(Rng rng, int n, float lo, float hi)
    {
        var a = new float[n];
        rng.FillUniform(a, lo, hi);
        return a;
    }

    // Log-weights normalised in double, as log_softmax would give.
    private static float[] LogWeights(Rng rng, int k)
    {
        var l = Fill(rng, k, -1.5f, 1.5f);
        double lse = Math.Log(l.Sum(v => Math.Exp(v)));
        return l.Select(v => (float)(v - lse)).ToArray();
    }

    [Fact]
    public void GaussianForwardMatchesNaive()
    {
        var rng = new Rng(1);
        foreach (int b in Lengths)
            foreach (var (k, d) in new[] { (1, 2), (3, 1), (7, 2), (5, 3) })
            {
                var xT = Fill(rng, d * b, -3f, 3f);
                var lw = LogWeights(rng, k);
                var mu = Fill(rng, k * d, -2f, 2f);
                var lv = Fill(rng, k * d, -2f, 1f);
                float[] ll = new float[b], resp = new float[k * b], ll0 = new float[b], resp0 = new float[k * b];
                GaussianMixtureKernels.Forward(ll, resp, xT, lw, mu, lv, b, k, d);
                GaussianMixtureKernels.ForwardNaive(ll0, resp0, xT, lw, mu, lv, b, k, d);
                Check.Close(ll0, ll, 2e-5, 2e-6, $"gmm ll B={b} K={k} D={d}");
                Check.Close(resp0, resp, 2e-6, 2e-5, $"gmm resp B={b} K={k} D={d}");
            }
    }

    [Fact]
    public void GaussianBackwardMatchesNaive()
    {
        var rng = new Rng(2);
        foreach (int b in Lengths)
            foreach (var (k, d) in new[] { (1, 2), (4, 2), (6, 3) })
            {
                var xT = Fill(rng, d * b, -3f, 3f);
                var lw = LogWeights(rng, k);
                var mu = Fill(rng, k * d, -2f, 2f);
                var lv = Fill(rng, k * d, -2f, 1f);
                var g = Fill(rng, b, -1f, 1f);
                float[] ll = new float[b], resp = new float[k * b];
                GaussianMixtureKernels.ForwardNaive(ll, resp, xT, lw, mu, lv, b, k, d);
                float[] dx = new float[d * b], dw = new float[k], dm = new float[k * d], dv = new float[k * d];
                float[] dx0 = new float[d * b], dw0 = new float[k], dm0 = new float[k * d], dv0 = new float[k * d];
                GaussianMixtureKernels.Backward(dx, dw, dm, dv, g, resp, xT, mu, lv, b, k, d);
                GaussianMixtureKernels.BackwardNaive(dx0, dw0, dm0, dv0, g, resp, xT, mu, lv, b, k, d);
                double scale = Math.Sqrt(b); // sums of b terms: float accumulation error grows with b
                Check.Close(dw0, dw, 2e-5 * scale, 1e-4, $"dLogWeights B={b}");
                Check.Close(dm0, dm, 2e-4 * scale, 1e-4, $"dMeans B={b}");
                Check.Close(dv0, dv, 2e-4 * scale, 1e-4, $"dLogVars B={b}");
                Check.Close(dx0, dx, 1e-5, 1e-4, $"dx B={b}");
            }
    }

    [Fact]
    public void GaussianFarPointsUseTheExactPath()
    {
        // Points 1e3 from every mean: all shifted exps underflow, the exact fallback must give the naive value.
        int b = 19, k = 3, d = 2;
        var rng = new Rng(3);
        var xT = Fill(rng, d * b, 900f, 1100f);
        var lw = LogWeights(rng, k);
        var mu = Fill(rng, k * d, -1f, 1f);
        var lv = Fill(rng, k * d, -1f, 0f);
        float[] ll = new float[b], resp = new float[k * b], ll0 = new float[b], resp0 = new float[k * b];
        GaussianMixtureKernels.Forward(ll, resp, xT, lw, mu, lv, b, k, d);
        GaussianMixtureKernels.ForwardNaive(ll0, resp0, xT, lw, mu, lv, b, k, d);
        Check.Finite(ll, "ll");
        Check.Close(ll0, ll, 1e-3, 1e-6, "far ll");
        Check.Close(resp0, resp, 1e-5, 1e-4, "far resp");
    }

    [Fact]
    public void UniformForwardMatchesNaiveHardAndSmooth()
    {
        var rng = new Rng(4);
        foreach (float tau in new[] { 0f, 0.3f, 0.05f })
            foreach (int b in Lengths)
                foreach (var (k, d) in new[] { (1, 2), (4, 2), (3, 1), (5, 3) })
                {
                    var xT = Fill(rng, d * b, -2f, 2f);
                    var lw = LogWeights(rng, k);
                    var c = Fill(rng, k * d, -1f, 1f);
                    var ls = Fill(rng, k * d, -0.5f, 1f);
                    float[] ll = new float[b], resp = new float[k * b], ll0 = new float[b], resp0 = new float[k * b];
                    UniformMixtureKernels.Forward(ll, resp, xT, lw, c, ls, tau, b, k, d);
                    UniformMixtureKernels.ForwardNaive(ll0, resp0, xT, lw, c, ls, tau, b, k, d);
                    Check.Finite(ll, "umm ll");
                    Check.Close(ll0, ll, 2e-4, 2e-5, $"umm ll tau={tau} B={b} K={k} D={d}");
                    Check.Close(resp0, resp, 2e-5, 2e-4, $"umm resp tau={tau} B={b} K={k} D={d}");
                }
    }

    [Fact]
    public void UniformBackwardMatchesNaive()
    {
        var rng = new Rng(5);
        foreach (float tau in new[] { 0f, 0.3f })
            foreach (int b in new[] { 1, 7, 8, 17, 64, 67, 600 })
            {
                int k = 4, d = 2;
                var xT = Fill(rng, d * b, -2f, 2f);
                var lw = LogWeights(rng, k);
                var c = Fill(rng, k * d, -1f, 1f);
                var ls = Fill(rng, k * d, -0.5f, 1f);
                var g = Fill(rng, b, -1f, 1f);
                float[] ll = new float[b], resp = new float[k * b];
                UniformMixtureKernels.ForwardNaive(ll, resp, xT, lw, c, ls, tau, b, k, d);
                float[] dx = new float[d * b], dw = new float[k], dc = new float[k * d], dl = new float[k * d];
                float[] dx0 = new float[d * b], dw0 = new float[k], dc0 = new float[k * d], dl0 = new float[k * d];
                UniformMixtureKernels.Backward(dx, dw, dc, dl, g, resp, xT, c, ls, tau, b, k, d);
                UniformMixtureKernels.BackwardNaive(dx0, dw0, dc0, dl0, g, resp, xT, c, ls, tau, b, k, d);
                double scale = Math.Sqrt(b) / Math.Max(tau, 0.1);
                Check.Close(dw0, dw, 2e-5 * scale, 1e-4, $"dLogWeights tau={tau} B={b}");
                Check.Close(dc0, dc, 2e-4 * scale, 1e-3, $"dCenters tau={tau} B={b}");
                Check.Close(dl0, dl, 2e-4 * scale, 1e-3, $"dLogSizes tau={tau} B={b}");
                Check.Close(dx0, dx, 1e-4, 1e-3, $"dx tau={tau} B={b}");
                if (tau == 0) Assert.All(dc, v => Assert.Equal(0f, v)); // the indicator is flat: no gradient moves a hard box
            }
    }

    [Fact]
    public void UniformPointsOutsideEveryBoxStayFinite()
    {
        int b = 21, k = 3, d = 2;
        var rng = new Rng(6);
        var xT = Fill(rng, d * b, 50f, 60f); // far from boxes near the origin
        var lw = LogWeights(rng, k);
        var c = Fill(rng, k * d, -1f, 1f);
        var ls = new float[k * d];
        float[] ll = new float[b], resp = new float[k * b];
        UniformMixtureKernels.Forward(ll, resp, xT, lw, c, ls, 0f, b, k, d);
        double lseW = Math.Log(lw.Sum(v => Math.Exp(v)));
        for (int i = 0; i < b; i++)
        {
            Check.Close(UniformMixtureKernels.OutsideLogProb + lseW, ll[i], 0.07, 0, $"outside ll[{i}]");
            double sum = 0;
            for (int j = 0; j < k; j++) sum += resp[j * b + i];
            Check.Close(1.0, sum, 1e-5, 0, $"resp sum[{i}]");
        }
        Check.Finite(resp, "resp");
        // The smoothed density at 50 box-widths: finite, floored at −1e6.
        UniformMixtureKernels.Forward(ll, resp, xT, lw, c, ls, 0.01f, b, k, d);
        Check.Finite(ll, "smooth far ll");
        Assert.All(ll, v => Assert.True(v >= UniformMixtureKernels.OutsideLogProb - 5, $"ll {v} below the floor"));
    }

    [Fact]
    public void FastExpMatchesMathExp()
    {
        var xs = new List<float>();
        for (double x = -90; x <= 10; x += 0.0137) xs.Add((float)x);
        xs.AddRange(new[] { 0f, -0f, -69f, -68.99f, -1e-8f, float.NegativeInfinity, -1e6f });
        var input = xs.ToArray();
        var output = new float[input.Length];
        int w = System.Numerics.Vector<float>.Count, i = 0;
        for (; i <= input.Length - w; i += w) MixtureFastMath.Exp(new System.Numerics.Vector<float>(input, i)).CopyTo(output, i);
        for (; i < input.Length; i++) output[i] = MixtureFastMath.Exp(input[i]);
        for (int j = 0; j < input.Length; j++)
        {
            double e = input[j] < -69 ? 0 : Math.Exp(input[j]);
            Check.Close(e, output[j], 0, 4e-7, $"exp({input[j]})");
        }
    }

    [Fact]
    public void FastLog1pMatchesMathLog()
    {
        var input = Enumerable.Range(0, 1003).Select(i => i / 1002f).Concat(new[] { 1e-30f, 1e-8f, 1e-4f }).ToArray();
        var output = new float[input.Length];
        int w = System.Numerics.Vector<float>.Count, i = 0;
        for (; i <= input.Length - w; i += w) MixtureFastMath.Log1pUnit(new System.Numerics.Vector<float>(input, i)).CopyTo(output, i);
        for (; i < input.Length; i++) output[i] = MixtureFastMath.Log1pUnit(new System.Numerics.Vector<float>(input[i]))[0];
        for (int j = 0; j < input.Length; j++) Check.Close(Math.Log(1 + (double)input[j]), output[j], 1e-7, 2e-7, $"log1p({input[j]})");
    }

    [Fact]
    public void ShortBuffersThrow()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            GaussianMixtureKernels.Forward(new float[4], new float[5], new float[8], new float[2], new float[4], new float[4], 4, 2, 2));
        Assert.Contains("responsibility", ex.Message);
        Assert.Throws<ArgumentException>(() =>
            UniformMixtureKernels.Forward(new float[4], new float[8], new float[8], new float[2], new float[4], new float[4], -1f, 4, 2, 2));
        Assert.Throws<ArgumentException>(() =>
            GaussianMixtureKernels.Forward(new float[4], new float[8], new float[8], new float[2], new float[4], new float[4], 4, 0, 2));
    }
}
