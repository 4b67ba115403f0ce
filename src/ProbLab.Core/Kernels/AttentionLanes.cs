// Causal attention with the BATCH in the vector lanes, for training on many short sequences (T of 10 in
// the course model, where one sequence's rows are too short to fill a 16-float vector).
// Layout "feature-major": qkvT (3C, T, B) with element (f, t, b) at (f·T + t)·B + b, f = part·C + h·HS + d
// (part 0/1/2 = q/k/v); outT (C, T, B) likewise. A transformer block produces it for free by computing
// its q/k/v projection as W·Xᵀ over time-major rows (row t·B + b), so 16 consecutive floats are the same
// (feature, position) of 16 different sequences: every score, exp, max and sum below is elementwise over
// lanes, with no transposes, no horizontal reductions and no masked lanes inside the causal triangle.
// att is stored packed: (NH, T(T+1)/2, B), the pair (i, j ≤ i) at row Tri(i) + j, Tri(i) = i(i+1)/2.
//   s_ij = q_i·k_j/√HS,  a_i = softmax_j≤i(s_i),  out_i = Σ_j a_ij v_j
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ProbLab.Kernels;

public static partial class AttentionKernels
{
    /// <summary>Rows of the packed causal probability triangle for T positions: T(T+1)/2.</summary>
    public static int TriangleRows(int t) => t * (t + 1) / 2;

    /// <summary>
    /// Feature-major forward: qkvT (3C, T, B) → outT (C, T, B) and the packed probabilities att (NH, T(T+1)/2, B).
    /// </summary>
    /// <exception cref="ArgumentException">C is not a multiple of NH or a span is too short.</exception>
    public static unsafe void ForwardLanes(Span<float> outT, Span<float> att, ReadOnlySpan<float> qkvT, int b, int t, int c, int nh)
    {
        CheckLanes(outT.Length, att.Length, qkvT.Length, b, t, c, nh);
        if (b == 0 || t == 0) return;
        if (!Vector512.IsHardwareAccelerated || !Avx512F.IsSupported) { ForwardLanesScalar(outT, att, qkvT, b, t, c, nh); return; }
        int hs = c / nh, tb = t * b, tri = TriangleRows(t);
        var vscale = Vector512.Create(1f / MathF.Sqrt(hs));
        Span<float> sBuf = t * 16 <= 4096 ? stackalloc float[t * 16] : new float[t * 16];
        fixed (float* qkv0 = qkvT, out0 = outT, att0 = att, s0 = sBuf)
        {
            for (int h = 0; h < nh; h++)
            {
                float* q = qkv0 + (long)h * hs * tb, k = q + (long)c * tb, v = k + (long)c * tb;
                float* o = out0 + (long)h * hs * tb, a = att0 + (long)h * tri * b;
                for (int b0 = 0; b0 < b; b0 += 16)
                {
                    var m = LaneMask(b - b0);
                    for (int i = 0; i < t; i++)
                    {
                        // Scores of query i against keys 0..i, 16 sequences at a time.
                        var max = Vector512.Create(float.NegativeInfinity);
                        float* qi = q + i * b + b0;
                        for (int j = 0; j <= i; j++)
                        {
                            var sv = StridedDot(qi, k + j * b + b0, tb, hs, m) * vscale;
                            Vector512.Store(sv, s0 + j * 16);
                            max = Vector512.MaxNative(max, sv);
                        }
                        // Softmax over j ≤ i, elementwise across the 16 sequences.
                        var sum = Vector512<float>.Zero;
                        for (int j = 0; j <= i; j++)
                        {
                            var e = VectorMath.Exp(Vector512.Load(s0 + j * 16) - max);
                            Vector512.Store(e, s0 + j * 16);
                            sum += e;
                        }
                        var inv = VectorMath.Reciprocal(sum);
                        float* aRow = a + (long)TriangleRows(i) * b + b0;
                        for (int j = 0; j <= i; j++)
                        {
                            var p = Vector512.Load(s0 + j * 16) * inv;
                            Vector512.Store(p, s0 + j * 16);
                            Avx512F.MaskStore(aRow + j * b, m, p);
                        }
                        // out_i = Σ_j a_ij v_j, one head channel at a time.
                        float* vd = v + b0, od = o + i * b + b0;
                        for (int d = 0; d < hs; d++, vd += tb, od += tb)
                            Avx512F.MaskStore(od, m, WeightedLanes(s0, vd, b, i + 1, m));
                    }
                }
            }
        }
    }

    /// <summary>
    /// Feature-major backward: dQkvT (3C, T, B) (+)= ∂L/∂qkvT from dOutT (C, T, B), qkvT and the packed att;
    /// overwritten when <paramref name="accumulate"/> is false.
    /// </summary>
    public static unsafe void BackwardLanes(Span<float> dQkvT, ReadOnlySpan<float> dOutT, ReadOnlySpan<float> qkvT, ReadOnlySpan<float> att,
        int b, int t, int c, int nh, bool accumulate = true)
    {
        CheckLanes(dOutT.Length, att.Length, qkvT.Length, b, t, c, nh);
        if (dQkvT.Length < 3 * c * t * b) throw new ArgumentException($"attention: dQkvT span of length {dQkvT.Length} is too short for (3C={3 * c}, T={t}, B={b})");
        if (b == 0 || t == 0) return;
        if (!Vector512.IsHardwareAccelerated || !Avx512F.IsSupported) { BackwardLanesScalar(dQkvT, dOutT, qkvT, att, b, t, c, nh, accumulate); return; }
        int hs = c / nh, tb = t * b, tri = TriangleRows(t);
        var vscale = Vector512.Create(1f / MathF.Sqrt(hs));
        // dPre of one head and lane group, packed like att: (T(T+1)/2, 16).
        float[]? rented = null;
        Span<float> pBuf = tri * 16 + t * 16 <= 8192 ? stackalloc float[tri * 16 + t * 16] : (rented = new float[tri * 16 + t * 16]);
        fixed (float* qkv0 = qkvT, dqkv0 = dQkvT, dout0 = dOutT, att0 = att, p0 = pBuf)
        {
            float* da0 = p0 + tri * 16; // dAtt_ij of the current query, (T, 16)
            for (int h = 0; h < nh; h++)
            {
                float* q = qkv0 + (long)h * hs * tb, k = q + (long)c * tb, v = k + (long)c * tb;
                float* dq = dqkv0 + (long)h * hs * tb, dk = dq + (long)c * tb, dv = dk + (long)c * tb;
                float* dO = dout0 + (long)h * hs * tb, a = att0 + (long)h * tri * b;
                for (int b0 = 0; b0 < b; b0 += 16)
                {
                    var m = LaneMask(b - b0);
                    // Phase 1, per query i: dAtt_ij = dO_i·v_j, dPre_ij = a_ij (dAtt_ij − Σ_l a_il dAtt_il)/√HS, dq_i = Σ_j dPre_ij k_j.
                    for (int i = 0; i < t; i++)
                    {
                        float* aRow = a + (long)TriangleRows(i) * b + b0;
                        var dot = Vector512<float>.Zero;
                        float* dOi = dO + i * b + b0;
                        for (int j = 0; j <= i; j++)
                        {
                            var da = StridedDot(dOi, v + j * b + b0, tb, hs, m);
                            Vector512.Store(da, da0 + j * 16);
                            dot = Vector512.FusedMultiplyAdd(Load(aRow + j * b, m), da, dot);
                        }
                        float* pRow = p0 + TriangleRows(i) * 16;
                        for (int j = 0; j <= i; j++)
                            Vector512.Store(Load(aRow + j * b, m) * (Vector512.Load(da0 + j * 16) - dot) * vscale, pRow + j * 16);
                        float* kd = k + b0, dqd = dq + i * b + b0;
                        for (int d = 0; d < hs; d++, kd += tb, dqd += tb)
                            StoreOrAdd(dqd, m, WeightedLanes(pRow, kd, b, i + 1, m), accumulate);
                    }
                    // Phase 2, per key j: dk_j = Σ_i≥j dPre_ij q_i and dv_j = Σ_i≥j a_ij dO_i (pair (i, j) sits at
                    // packed row Tri(i) + j, and Tri(i+1) = Tri(i) + i + 1).
                    for (int j = 0; j < t; j++)
                    {
                        float* qd = q + j * b + b0, dOd = dO + j * b + b0, dkd = dk + j * b + b0, dvd = dv + j * b + b0;
                        for (int d = 0; d < hs; d++, qd += tb, dOd += tb, dkd += tb, dvd += tb)
                        {
                            var accK = Vector512<float>.Zero;
                            var accV = Vector512<float>.Zero;
                            int r = TriangleRows(j) + j;
                            float* qi = qd, dOi = dOd, pp = p0 + r * 16, pa = a + (long)r * b + b0;
                            for (int i = j; i < t; i++, qi += b, dOi += b)
                            {
                                accK = Vector512.FusedMultiplyAdd(Vector512.Load(pp), Load(qi, m), accK);
                                accV = Vector512.FusedMultiplyAdd(Load(pa, m), Load(dOi, m), accV);
                                pp += (i + 1) * 16; // next packed row: Tri(i+1) + j = Tri(i) + j + i + 1
                                pa += (long)(i + 1) * b;
                            }
                            StoreOrAdd(dkd, m, accK, accumulate);
                            StoreOrAdd(dvd, m, accV, accumulate);
                        }
                    }
                }
            }
        }
        GC.KeepAlive(rented);
    }

    // Σ_d x[d·stride]·y[d·stride] over n channels, lanewise (two chains halve the FMA latency). The pointers
    // advance by one stride per channel, so the loop carries no index arithmetic.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector512<float> StridedDot(float* x, float* y, long stride, int n, Vector512<float> m)
    {
        var acc0 = Vector512<float>.Zero;
        var acc1 = Vector512<float>.Zero;
        int d = 0;
        for (; d + 1 < n; d += 2, x += 2 * stride, y += 2 * stride)
        {
            acc0 = Vector512.FusedMultiplyAdd(Load(x, m), Load(y, m), acc0);
            acc1 = Vector512.FusedMultiplyAdd(Load(x + stride, m), Load(y + stride, m), acc1);
        }
        if (d < n) acc0 = Vector512.FusedMultiplyAdd(Load(x, m), Load(y, m), acc0);
        return acc0 + acc1;
    }

    // Σ_j w[j·16]·x[j·xStride] over n terms: weights from a packed 16-float scratch, x strided.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector512<float> WeightedLanes(float* w, float* x, long xStride, int n, Vector512<float> m)
    {
        var acc0 = Vector512<float>.Zero;
        var acc1 = Vector512<float>.Zero;
        int j = 0;
        for (; j + 1 < n; j += 2, w += 32, x += 2 * xStride)
        {
            acc0 = Vector512.FusedMultiplyAdd(Vector512.Load(w), Load(x, m), acc0);
            acc1 = Vector512.FusedMultiplyAdd(Vector512.Load(w + 16), Load(x + xStride, m), acc1);
        }
        if (j < n) acc0 = Vector512.FusedMultiplyAdd(Vector512.Load(w), Load(x, m), acc0);
        return acc0 + acc1;
    }

    // All-ones lanes for the first `valid` of 16 (valid ≥ 16: every lane).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> LaneMask(int valid) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(Math.Min(valid, 16))).AsSingle();

    // Masked load (lanes outside the mask read as 0 and touch no memory).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector512<float> Load(float* p, Vector512<float> mask) => Avx512F.MaskLoad(p, mask, Vector512<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreOrAdd(float* p, Vector512<float> mask, Vector512<float> value, bool accumulate)
    {
        if (accumulate) value += Load(p, mask);
        Avx512F.MaskStore(p, mask, value);
    }

    private static void CheckLanes(int outLen, int attLen, int qkvLen, int b, int t, int c, int nh)
    {
        if (b < 0 || t < 0 || c < 1 || nh < 1 || c % nh != 0) throw new ArgumentException($"attention: bad sizes B={b}, T={t}, C={c}, NH={nh} (C must be a positive multiple of NH)");
        if (qkvLen < 3L * c * t * b) throw new ArgumentException($"attention: qkvT span of length {qkvLen} is too short for (3C={3 * c}, T={t}, B={b})");
        if (outLen < (long)c * t * b) throw new ArgumentException($"attention: outT span of length {outLen} is too short for (C={c}, T={t}, B={b})");
        if (attLen < (long)nh * TriangleRows(t) * b) throw new ArgumentException($"attention: att span of length {attLen} is too short for (NH={nh}, T(T+1)/2={TriangleRows(t)}, B={b})");
    }

    // Portable fallbacks: one sequence at a time through the naive twin (lane layout gathered per sequence).
    private static void ForwardLanesScalar(Span<float> outT, Span<float> att, ReadOnlySpan<float> qkvT, int b, int t, int c, int nh)
    {
        int tb = t * b, tri = TriangleRows(t);
        var qkv = new float[t * 3 * c];
        var o = new float[t * c];
        var full = new float[nh * t * t];
        for (int bi = 0; bi < b; bi++)
        {
            for (int f = 0; f < 3 * c; f++) for (int ti = 0; ti < t; ti++) qkv[ti * 3 * c + f] = qkvT[f * tb + ti * b + bi];
            AttentionNaive.Forward(o, c, full, qkv, 3 * c, qkv.AsSpan(c), 3 * c, qkv.AsSpan(2 * c), 3 * c, t, t, c, nh);
            for (int f = 0; f < c; f++) for (int ti = 0; ti < t; ti++) outT[f * tb + ti * b + bi] = o[ti * c + f];
            for (int h = 0; h < nh; h++) for (int i = 0; i < t; i++) for (int j = 0; j <= i; j++)
                att[(h * tri + TriangleRows(i) + j) * b + bi] = full[(h * t + i) * t + j];
        }
    }

    private static void BackwardLanesScalar(Span<float> dQkvT, ReadOnlySpan<float> dOutT, ReadOnlySpan<float> qkvT, ReadOnlySpan<float> att,
        int b, int t, int c, int nh, bool accumulate)
    {
        int tb = t * b, tri = TriangleRows(t);
        var qkv = new float[t * 3 * c];
        var dOut = new float[t * c];
        var full = new float[nh * t * t];
        var d = new float[t * 3 * c];
        for (int bi = 0; bi < b; bi++)
        {
            for (int f = 0; f < 3 * c; f++) for (int ti = 0; ti < t; ti++) qkv[ti * 3 * c + f] = qkvT[f * tb + ti * b + bi];
            for (int f = 0; f < c; f++) for (int ti = 0; ti < t; ti++) dOut[ti * c + f] = dOutT[f * tb + ti * b + bi];
            Array.Clear(full);
            for (int h = 0; h < nh; h++) for (int i = 0; i < t; i++) for (int j = 0; j <= i; j++)
                full[(h * t + i) * t + j] = att[(h * tri + TriangleRows(i) + j) * b + bi];
            Array.Clear(d);
            AttentionNaive.Backward(d, 3 * c, d.AsSpan(c), 3 * c, d.AsSpan(2 * c), 3 * c, dOut, c,
                qkv, 3 * c, qkv.AsSpan(c), 3 * c, qkv.AsSpan(2 * c), 3 * c, full, t, t, c, nh);
            for (int f = 0; f < 3 * c; f++) for (int ti = 0; ti < t; ti++)
            {
                ref float dst = ref dQkvT[f * tb + ti * b + bi];
                dst = accumulate ? dst + d[ti * 3 * c + f] : d[ti * 3 * c + f];
            }
        }
    }
}
