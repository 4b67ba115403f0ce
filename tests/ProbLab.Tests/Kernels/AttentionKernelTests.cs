// Fused causal attention kernels against their naive twin (explicit −∞ mask, full softmax Jacobian, double
// accumulation) over head sizes 1..67 (every vector tail), odd sequence lengths, Tq < Tk (KV-cache steps),
// row strides wider than C, and the batched (B, T, 3C) training layout; plus error paths.
using ProbLab.Kernels;
using ProbLab.Tensors;

namespace ProbLab.Tests.Kernels;

public class AttentionKernelTests
{
    private static float[] Rand(Rng rng, int n) { var a = new float[n]; rng.FillNormal(a); return a; }

    // One sequence with independent q/k/v buffers of stride ld ≥ C; returns max errors checked inside.
    private static void CompareSequence(int hs, int nh, int tq, int tk, int pad, ulong seed)
    {
        int c = hs * nh, ld = c + pad;
        var rng = new Rng(seed);
        float[] q = Rand(rng, tq * ld), k = Rand(rng, tk * ld), v = Rand(rng, tk * ld), dOut = Rand(rng, tq * ld);
        float[] o1 = new float[tq * ld], o2 = new float[tq * ld], a1 = new float[nh * tq * tk], a2 = new float[nh * tq * tk];
        AttentionKernels.Forward(o1, ld, a1, q, ld, k, ld, v, ld, tq, tk, c, nh);
        AttentionNaive.Forward(o2, ld, a2, q, ld, k, ld, v, ld, tq, tk, c, nh);
        string name = $"hs={hs} nh={nh} tq={tq} tk={tk} pad={pad}";
        Check.Close(a2, a1, 1e-6, 1e-5, $"att {name}");
        Check.Close(o2, o1, 1e-5, 1e-4, $"out {name}");

        // Backward adds into the gradient buffers: start both from the same non-zero values.
        var init = Rand(rng, tq * ld);
        var initKv = Rand(rng, tk * ld);
        float[] dq1 = (float[])init.Clone(), dq2 = (float[])init.Clone();
        float[] dk1 = (float[])initKv.Clone(), dk2 = (float[])initKv.Clone(), dv1 = (float[])initKv.Clone(), dv2 = (float[])initKv.Clone();
        AttentionKernels.Backward(dq1, ld, dk1, ld, dv1, ld, dOut, ld, q, ld, k, ld, v, ld, a1, tq, tk, c, nh);
        AttentionNaive.Backward(dq2, ld, dk2, ld, dv2, ld, dOut, ld, q, ld, k, ld, v, ld, a1, tq, tk, c, nh);
        Check.Close(dq2, dq1, 1e-4, 1e-4, $"dq {name}");
        Check.Close(dk2, dk1, 1e-4, 1e-4, $"dk {name}");
        Check.Close(dv2, dv1, 1e-4, 1e-4, $"dv {name}");

        // Overwrite mode: garbage (NaN) in the gradient rows must not leak; padding columns stay untouched.
        float[] dq3 = Enumerable.Repeat(float.NaN, tq * ld).ToArray(), dk3 = Enumerable.Repeat(float.NaN, tk * ld).ToArray(), dv3 = Enumerable.Repeat(float.NaN, tk * ld).ToArray();
        AttentionKernels.Backward(dq3, ld, dk3, ld, dv3, ld, dOut, ld, q, ld, k, ld, v, ld, a1, tq, tk, c, nh, accumulate: false);
        for (int r = 0; r < tq; r++)
            for (int col = 0; col < c; col++) Check.Close(dq1[r * ld + col] - init[r * ld + col], dq3[r * ld + col], 1e-4, 1e-4, $"overwrite dq {name}");
        for (int r = 0; r < tk; r++)
            for (int col = 0; col < c; col++)
            {
                Check.Close(dk1[r * ld + col] - initKv[r * ld + col], dk3[r * ld + col], 1e-4, 1e-4, $"overwrite dk {name}");
                Check.Close(dv1[r * ld + col] - initKv[r * ld + col], dv3[r * ld + col], 1e-4, 1e-4, $"overwrite dv {name}");
            }
    }

    [Fact]
    public void MatchesNaiveForHeadSizes1To67()
    {
        for (int hs = 1; hs <= 67; hs++)
            CompareSequence(hs, 1 + hs % 3, tq: 1 + hs % 7, tk: 1 + hs % 7, pad: hs % 5, seed: (ulong)hs);
    }

    [Theory]
    [InlineData(16, 3, 10, 10, 0)]   // the course model
    [InlineData(16, 3, 1, 10, 0)]    // one KV-cache step at the last position
    [InlineData(5, 2, 3, 11, 3)]     // a prefill of 3 rows after 8 cached ones
    [InlineData(33, 1, 17, 17, 1)]
    [InlineData(8, 4, 0, 5, 0)]      // no queries: nothing to do
    public void MatchesNaiveOnOddShapes(int hs, int nh, int tq, int tk, int pad) => CompareSequence(hs, nh, tq, tk, pad, 7);

    [Fact]
    public void BatchedLayoutEqualsPerSequenceCalls()
    {
        int b = 3, t = 7, nh = 2, hs = 5, c = nh * hs, c3 = 3 * c;
        var rng = new Rng(3);
        var qkv = Rand(rng, b * t * c3);
        var dOut = Rand(rng, b * t * c);
        float[] o = new float[b * t * c], att = new float[b * nh * t * t], dQkv = new float[b * t * c3];
        AttentionKernels.Forward(o, att, qkv, b, t, c, nh);
        AttentionKernels.Backward(dQkv, dOut, qkv, att, b, t, c, nh);
        for (int bi = 0; bi < b; bi++)
        {
            var seq = qkv.AsSpan(bi * t * c3, t * c3);
            float[] o2 = new float[t * c], a2 = new float[nh * t * t];
            AttentionNaive.Forward(o2, c, a2, seq, c3, seq.Slice(c), c3, seq.Slice(2 * c), c3, t, t, c, nh);
            Check.Close(o2, o.AsSpan(bi * t * c, t * c), 1e-5, 1e-4, $"out batch {bi}");
            var d2 = new float[t * c3];
            AttentionNaive.Backward(d2, c3, d2.AsSpan(c), c3, d2.AsSpan(2 * c), c3, dOut.AsSpan(bi * t * c, t * c), c,
                seq, c3, seq.Slice(c), c3, seq.Slice(2 * c), c3, a2, t, t, c, nh);
            Check.Close(d2, dQkv.AsSpan(bi * t * c3, t * c3), 1e-4, 1e-4, $"dqkv batch {bi}");
        }
    }

    [Fact]
    public void ProbabilitiesAreCausalAndNormalised()
    {
        int t = 6, nh = 2, c = 8;
        var rng = new Rng(5);
        var qkv = Rand(rng, t * 3 * c);
        for (int i = 0; i < qkv.Length; i++) qkv[i] *= 30f; // large scores: the max subtraction must keep exp finite
        float[] o = new float[t * c], att = new float[nh * t * t];
        AttentionKernels.Forward(o, att, qkv, 1, t, c, nh);
        Check.Finite(o, "out");
        for (int h = 0; h < nh; h++)
            for (int i = 0; i < t; i++)
            {
                var row = att.AsSpan((h * t + i) * t, t);
                for (int j = i + 1; j < t; j++) Assert.Equal(0f, row[j]); // masked future: exactly zero
                Check.Close(1.0, row.ToArray().Sum(), 1e-5, 0, $"row sum h={h} i={i}");
            }
    }

    [Fact]
    public void FirstPositionAttendsOnlyToItself()
    {
        // Position 0 sees only key 0, so its output is exactly v_0 whatever q and k are.
        int t = 4, c = 6, nh = 3;
        var rng = new Rng(9);
        var qkv = Rand(rng, t * 3 * c);
        float[] o = new float[t * c], att = new float[nh * t * t];
        AttentionKernels.Forward(o, att, qkv, 1, t, c, nh);
        Check.Close(qkv.AsSpan(2 * c, c), o.AsSpan(0, c), 1e-6, 0, "out[0] = v[0]");
    }

    [Fact]
    public void RejectsBadShapes()
    {
        var buf = new float[1000];
        var e1 = Assert.Throws<ArgumentException>(() => AttentionKernels.Forward(buf, buf, buf, 1, 2, 10, 3));
        Assert.Contains("multiple of NH", e1.Message);
        var e2 = Assert.Throws<ArgumentException>(() => AttentionKernels.Forward(buf, 4, buf, buf, 4, buf, 4, buf, 4, 5, 3, 4, 2));
        Assert.Contains("causally", e2.Message);
        var e3 = Assert.Throws<ArgumentException>(() => AttentionKernels.Forward(new float[10], new float[100], new float[1000], 2, 5, 4, 2));
        Assert.Contains("output span", e3.Message);
        var e4 = Assert.Throws<ArgumentException>(() => AttentionKernels.Forward(buf, 2, buf, buf, 4, buf, 4, buf, 4, 2, 2, 4, 2));
        Assert.Contains("row strides", e4.Message);
        Assert.DoesNotContain('\n', e1.Message + e2.Message + e3.Message + e4.Message);
    }
}

// The batch-in-lanes kernels against per-sequence naive attention, through explicit layout conversion,
// over batch sizes that leave partial lane groups (1, 5, 17, 33), odd head sizes and T = 1..12.
public class AttentionLanesTests
{
    [Theory]
    [InlineData(1, 1, 3, 1)]
    [InlineData(5, 10, 16, 3)]
    [InlineData(17, 7, 5, 2)]
    [InlineData(33, 12, 3, 4)]
    [InlineData(64, 10, 16, 3)]
    [InlineData(16, 4, 67, 1)]
    public void MatchesNaivePerSequence(int b, int t, int hs, int nh)
    {
        int c = hs * nh, c3 = 3 * c, tb = t * b, tri = AttentionKernels.TriangleRows(t);
        var rng = new Rng((ulong)(b * 100 + t));
        var qkvT = new float[c3 * tb];
        rng.FillNormal(qkvT);
        var dOutT = new float[c * tb];
        rng.FillNormal(dOutT);
        float[] outT = new float[c * tb], att = new float[nh * tri * b];
        AttentionKernels.ForwardLanes(outT, att, qkvT, b, t, c, nh);
        var dInit = new float[c3 * tb];
        rng.FillNormal(dInit);
        var dAcc = (float[])dInit.Clone();
        AttentionKernels.BackwardLanes(dAcc, dOutT, qkvT, att, b, t, c, nh);
        var dOver = Enumerable.Repeat(float.NaN, c3 * tb).ToArray();
        AttentionKernels.BackwardLanes(dOver, dOutT, qkvT, att, b, t, c, nh, accumulate: false);

        for (int bi = 0; bi < b; bi++)
        {
            // Gather sequence bi into the row layout (T, 3C) of the per-sequence twin.
            var qkv = new float[t * c3];
            var dOut = new float[t * c];
            for (int f = 0; f < c3; f++) for (int ti = 0; ti < t; ti++) qkv[ti * c3 + f] = qkvT[f * tb + ti * b + bi];
            for (int f = 0; f < c; f++) for (int ti = 0; ti < t; ti++) dOut[ti * c + f] = dOutT[f * tb + ti * b + bi];
            float[] o = new float[t * c], full = new float[nh * t * t], d = new float[t * c3];
            AttentionNaive.Forward(o, c, full, qkv, c3, qkv.AsSpan(c), c3, qkv.AsSpan(2 * c), c3, t, t, c, nh);
            AttentionNaive.Backward(d, c3, d.AsSpan(c), c3, d.AsSpan(2 * c), c3, dOut, c, qkv, c3, qkv.AsSpan(c), c3, qkv.AsSpan(2 * c), c3, full, t, t, c, nh);
            string name = $"B={b} T={t} HS={hs} NH={nh} b={bi}";
            for (int f = 0; f < c; f++) for (int ti = 0; ti < t; ti++)
                Check.Close(o[ti * c + f], outT[f * tb + ti * b + bi], 1e-5, 1e-4, $"out {name} f={f} t={ti}");
            for (int h = 0; h < nh; h++) for (int i = 0; i < t; i++) for (int j = 0; j <= i; j++)
                Check.Close(full[(h * t + i) * t + j], att[(h * tri + AttentionKernels.TriangleRows(i) + j) * b + bi], 1e-6, 1e-5, $"att {name} h={h} i={i} j={j}");
            for (int f = 0; f < c3; f++) for (int ti = 0; ti < t; ti++)
            {
                int at = f * tb + ti * b + bi;
                Check.Close(d[ti * c3 + f], dOver[at], 1e-4, 1e-4, $"dqkv overwrite {name} f={f} t={ti}");
                Check.Close(dInit[at] + d[ti * c3 + f], dAcc[at], 1e-4, 1e-4, $"dqkv accumulate {name} f={f} t={ti}");
            }
        }
    }

    [Fact]
    public void RejectsShortBuffers()
    {
        var e = Assert.Throws<ArgumentException>(() => AttentionKernels.ForwardLanes(new float[10], new float[100], new float[100], 2, 3, 4, 2));
        Assert.Contains("outT", e.Message);
        Assert.Throws<ArgumentException>(() => AttentionKernels.ForwardLanes(new float[100], new float[100], new float[1000], 2, 3, 6, 4));
    }
}
