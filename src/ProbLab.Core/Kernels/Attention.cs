// Causal multi-head self-attention kernels (llm.c's attention_forward/backward, on strided q/k/v views).
// Shape letters: B batch, T positions, C = NH·HS channels, NH heads, HS head size.
// One sequence's queries q (Tq rows), keys k and values v (Tk rows each) are row-major views with their own
// row strides: in training they are column blocks of one fused (T, 3C) qkv buffer (q = cols [0, C),
// k = [C, 2C), v = [2C, 3C), stride 3C), so heads are never split or merged by copies; during cached
// generation k and v are (Tk, C) KV-cache buffers. Query row i sits at absolute position p = Tk − Tq + i and
// attends keys 0..p. The causal mask (−∞ for j > p) makes those probabilities exactly 0, so they are
// skipped rather than computed:
//   pre[h,i,j] = q_i,h · k_j,h / √HS,   att[h,i,:] = softmax(pre[h,i,0..p]),   out_i,h = Σ_j att[h,i,j]·v_j,h
// att (NH, Tq, Tk) is saved for the backward pass (zeros above the causal diagonal).
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ProbLab.Kernels;

/// <summary>Fused causal self-attention forward/backward on row-major q/k/v views.</summary>
public static partial class AttentionKernels
{
    /// <summary>
    /// Training layout: qkv (B, T, 3C) → output (B, T, C) with heads side by side, att (B, NH, T, T) the
    /// softmax probabilities saved for the batched Backward.
    /// </summary>
    /// <exception cref="ArgumentException">C is not a multiple of NH, or a span is too short.</exception>
    public static void Forward(Span<float> output, Span<float> att, ReadOnlySpan<float> qkv, int b, int t, int c, int nh)
    {
        CheckBatched(output.Length, att.Length, qkv.Length, b, t, c, nh);
        int c3 = 3 * c;
        for (int bi = 0; bi < b; bi++)
        {
            var seq = qkv.Slice(bi * t * c3, t * c3);
            Forward(output.Slice(bi * t * c, t * c), c, att.Slice(bi * nh * t * t, nh * t * t),
                seq, c3, seq.Slice(c), c3, seq.Slice(2 * c), c3, t, t, c, nh);
        }
    }

    /// <summary>
    /// Training layout backward: dQkv (B, T, 3C) += ∂L/∂qkv (or = with <paramref name="accumulate"/> false, which
    /// spares the caller clearing the buffer) given dOut (B, T, C), the forward input qkv and the saved
    /// probabilities att (B, NH, T, T).
    /// </summary>
    public static void Backward(Span<float> dQkv, ReadOnlySpan<float> dOut, ReadOnlySpan<float> qkv, ReadOnlySpan<float> att, int b, int t, int c, int nh, bool accumulate = true)
    {
        CheckBatched(dOut.Length, att.Length, qkv.Length, b, t, c, nh);
        if (dQkv.Length < b * t * 3 * c) throw new ArgumentException($"dQkv span of length {dQkv.Length} is too short for (B={b}, T={t}, 3C={3 * c})");
        int c3 = 3 * c;
        for (int bi = 0; bi < b; bi++)
        {
            var seq = qkv.Slice(bi * t * c3, t * c3);
            var dSeq = dQkv.Slice(bi * t * c3, t * c3);
            Backward(dSeq, c3, dSeq.Slice(c), c3, dSeq.Slice(2 * c), c3, dOut.Slice(bi * t * c, t * c), c,
                seq, c3, seq.Slice(c), c3, seq.Slice(2 * c), c3, att.Slice(bi * nh * t * t, nh * t * t), t, t, c, nh, accumulate);
        }
    }

    /// <summary>
    /// One sequence: Tq query rows (stride ldq) attend causally to Tk key/value rows (strides ldk, ldv), query i
    /// sitting at position Tk − Tq + i. Writes output rows (stride ldo, C used per row) and att (NH, Tq, Tk).
    /// </summary>
    /// <exception cref="ArgumentException">Tq &gt; Tk, C is not a multiple of NH, or a view is too short.</exception>
    public static void Forward(Span<float> output, int ldo, Span<float> att,
        ReadOnlySpan<float> q, int ldq, ReadOnlySpan<float> k, int ldk, ReadOnlySpan<float> v, int ldv,
        int tq, int tk, int c, int nh)
    {
        CheckSequence(output.Length, ldo, att.Length, q.Length, ldq, k.Length, ldk, v.Length, ldv, tq, tk, c, nh);
        if (tq == 0) return;
        int hs = c / nh;
        if (!Vector512.IsHardwareAccelerated)
        {
            AttentionNaive.Forward(output, ldo, att, q, ldq, k, ldk, v, ldv, tq, tk, c, nh);
            return;
        }
        // Keys of one head transposed to (HS, Tk padded to 16): the scores of 16 keys are then HS broadcast
        // FMAs, with no horizontal sums. Rows of the transposed block are 64-byte aligned by construction.
        int ldkt = (tk + 15) & ~15;
        float[]? rented = null;
        int need = hs * ldkt + ldkt;
        Span<float> scratch = need <= 4096 ? stackalloc float[need] : (rented = new float[need]);
        var kt = scratch.Slice(0, hs * ldkt);
        var srow = scratch.Slice(hs * ldkt, ldkt);
        float scale = 1f / MathF.Sqrt(hs);
        for (int h = 0; h < nh; h++)
        {
            int ho = h * hs;
            Transpose(kt, ldkt, k.Slice(ho), ldk, tk, hs);
            if (tk <= 16 && Avx512F.IsSupported)
            {
                ShortRows(output.Slice(ho), ldo, att.Slice(h * tq * tk, tq * tk), kt, q.Slice(ho), ldq, v.Slice(ho), ldv, tq, tk, hs, scale);
                continue;
            }
            for (int i = 0; i < tq; i++)
            {
                int p = tk - tq + i;
                float inv = 1f / SoftmaxRow(srow, kt, ldkt, q.Slice(i * ldq + ho, hs), p, scale);
                var row = att.Slice((h * tq + i) * tk, tk);
                for (int j = 0; j <= p; j++) row[j] = srow[j] * inv;
                row.Slice(p + 1).Clear(); // masked: probability exactly 0
                AddWeightedRows(output.Slice(i * ldo + ho, hs), row.Slice(0, p + 1), 1, v.Slice(ho), ldv, accumulate: false);
            }
        }
        GC.KeepAlive(rented);
    }

    // One head when Tk ≤ 16: each query's scores are a single vector, so the masked softmax, the
    // normalisation and the store of the probability row (masked to Tk lanes) all stay in registers.
    private static unsafe void ShortRows(Span<float> output, int ldo, Span<float> attH, ReadOnlySpan<float> kt,
        ReadOnlySpan<float> q, int ldq, ReadOnlySpan<float> v, int ldv, int tq, int tk, int hs, float scale)
    {
        ref float kt0 = ref MemoryMarshal.GetReference(kt);
        var rowLanes = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(tk)).AsSingle();
        var vscale = Vector512.Create(scale);
        fixed (float* att0 = attH)
        {
            for (int i = 0; i < tq; i++)
            {
                int p = tk - tq + i;
                ref float qi = ref Unsafe.Add(ref MemoryMarshal.GetReference(q), i * ldq); // views checked by CheckSequence
                var a0 = Vector512<float>.Zero;
                var a1 = Vector512<float>.Zero;
                int d = 0;
                for (; d + 1 < hs; d += 2)
                {
                    a0 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref qi, d)), Vector512.LoadUnsafe(ref kt0, (nuint)(d * 16)), a0);
                    a1 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref qi, d + 1)), Vector512.LoadUnsafe(ref kt0, (nuint)((d + 1) * 16)), a1);
                }
                if (d < hs) a0 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref qi, d)), Vector512.LoadUnsafe(ref kt0, (nuint)(d * 16)), a0);
                var live = Vector512.LessThanOrEqual(Vector512<int>.Indices, Vector512.Create(p)).AsSingle();
                var sv = Vector512.ConditionalSelect(live, (a0 + a1) * vscale, Vector512.Create(float.NegativeInfinity));
                var e = Vector512.ConditionalSelect(live, VectorMath.Exp(sv - Vector512.Create(HorizontalMax(sv))), Vector512<float>.Zero);
                var a = e * Vector512.Create(1f / Vector512.Sum(e));
                Avx512F.MaskStore(att0 + i * tk, rowLanes, a); // masked lanes j > p store exact zeros
                AddWeightedRows(output.Slice(i * ldo, hs), attH.Slice(i * tk, p + 1), 1, v, ldv, accumulate: false);
            }
        }
    }

    // dst[d, j] = src[j, d] for j < rows, d < cols (one head's keys or values into (HS, Tk padded)).
    // The views were validated by CheckSequence, so the inner loop skips bounds checks.
    private static void Transpose(Span<float> dst, int ldd, ReadOnlySpan<float> src, int lds, int rows, int cols)
    {
        ref float s0 = ref MemoryMarshal.GetReference(src);
        ref float d0 = ref MemoryMarshal.GetReference(dst);
        for (int j = 0; j < rows; j++)
        {
            ref float sj = ref Unsafe.Add(ref s0, j * lds);
            ref float dj = ref Unsafe.Add(ref d0, j);
            for (int d = 0; d < cols; d++) Unsafe.Add(ref dj, d * ldd) = Unsafe.Add(ref sj, d);
        }
    }

    // srow[j] = e^(s_j − max s) for j ≤ p with s_j = q·k_j·scale from the transposed keys; returns Σ srow.
    private static float SoftmaxRow(Span<float> srow, ReadOnlySpan<float> kt, int ldkt, ReadOnlySpan<float> q, int p, float scale)
    {
        int hs = q.Length, chunks = p / 16 + 1;
        ref float kt0 = ref MemoryMarshal.GetReference(kt);
        ref float s0 = ref MemoryMarshal.GetReference(srow);
        var vmax = Vector512.Create(float.NegativeInfinity);
        for (int ch = 0; ch < chunks; ch++)
        {
            int j0 = ch * 16;
            // Two accumulators halve the FMA dependency chain.
            var a0 = Vector512<float>.Zero;
            var a1 = Vector512<float>.Zero;
            int d = 0;
            for (; d + 1 < hs; d += 2)
            {
                a0 = Vector512.FusedMultiplyAdd(Vector512.Create(q[d]), Vector512.LoadUnsafe(ref kt0, (nuint)(d * ldkt + j0)), a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.Create(q[d + 1]), Vector512.LoadUnsafe(ref kt0, (nuint)((d + 1) * ldkt + j0)), a1);
            }
            if (d < hs) a0 = Vector512.FusedMultiplyAdd(Vector512.Create(q[d]), Vector512.LoadUnsafe(ref kt0, (nuint)(d * ldkt + j0)), a0);
            var sv = (a0 + a1) * Vector512.Create(scale);
            var live = Vector512.LessThanOrEqual(Vector512<int>.Indices + Vector512.Create(j0), Vector512.Create(p)).AsSingle();
            sv = Vector512.ConditionalSelect(live, sv, Vector512.Create(float.NegativeInfinity)); // causal mask
            sv.StoreUnsafe(ref s0, (nuint)j0);
            vmax = Vector512.MaxNative(vmax, sv);
        }
        var max = Vector512.Create(HorizontalMax(vmax));
        var sum = Vector512<float>.Zero;
        for (int ch = 0; ch < chunks; ch++)
        {
            int j0 = ch * 16;
            var sv = Vector512.LoadUnsafe(ref s0, (nuint)j0);
            var live = Vector512.LessThanOrEqual(Vector512<int>.Indices + Vector512.Create(j0), Vector512.Create(p)).AsSingle();
            var e = Vector512.ConditionalSelect(live, VectorMath.Exp(sv - max), Vector512<float>.Zero);
            e.StoreUnsafe(ref s0, (nuint)j0);
            sum += e;
        }
        return Vector512.Sum(sum);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float HorizontalMax(Vector512<float> v)
    {
        // Native max: one instruction per step (the scores are finite or −∞, never NaN, by construction).
        var m256 = Vector256.MaxNative(v.GetLower(), v.GetUpper());
        var m = Vector128.MaxNative(m256.GetLower(), m256.GetUpper());
        m = Vector128.MaxNative(m, Vector128.Shuffle(m, Vector128.Create(2, 3, 0, 1)));
        m = Vector128.MaxNative(m, Vector128.Shuffle(m, Vector128.Create(1, 0, 3, 2)));
        return m.ToScalar();
    }

    /// <summary>
    /// One sequence backward: dq, dk, dv (same layouts as q, k, v) += gradients given dOut (stride ldo) and the
    /// saved att (NH, Tq, Tk). Through out = att·v and the softmax Jacobian:
    /// dAtt_j = dOut_i·v_j, dPre_j = att_j (dAtt_j − Σ_l att_l dAtt_l), dq_i += Σ_j dPre_j k_j / √HS,
    /// dk_j += dPre_j q_i / √HS, dv_j += att_j dOut_i. With <paramref name="accumulate"/> false the gradient rows
    /// (C channels each) are overwritten instead.
    /// </summary>
    public static void Backward(Span<float> dq, int lddq, Span<float> dk, int lddk, Span<float> dv, int lddv,
        ReadOnlySpan<float> dOut, int ldo,
        ReadOnlySpan<float> q, int ldq, ReadOnlySpan<float> k, int ldk, ReadOnlySpan<float> v, int ldv,
        ReadOnlySpan<float> att, int tq, int tk, int c, int nh, bool accumulate = true)
    {
        CheckSequence(dOut.Length, ldo, att.Length, q.Length, ldq, k.Length, ldk, v.Length, ldv, tq, tk, c, nh);
        CheckSequence(0, c, att.Length, dq.Length, lddq, dk.Length, lddk, dv.Length, lddv, tq, tk, c, nh);
        if (tq == 0)
        {
            // No queries: keys and values receive nothing (zeros in overwrite mode).
            if (!accumulate) for (int j = 0; j < tk; j++) { dk.Slice(j * lddk, c).Clear(); dv.Slice(j * lddv, c).Clear(); }
            return;
        }
        if (!Vector512.IsHardwareAccelerated)
        {
            if (!accumulate)
            {
                for (int i = 0; i < tq; i++) dq.Slice(i * lddq, c).Clear();
                for (int j = 0; j < tk; j++) { dk.Slice(j * lddk, c).Clear(); dv.Slice(j * lddv, c).Clear(); }
            }
            AttentionNaive.Backward(dq, lddq, dk, lddk, dv, lddv, dOut, ldo, q, ldq, k, ldk, v, ldv, att, tq, tk, c, nh);
            return;
        }
        int hs = c / nh, ldkt = (tk + 15) & ~15;
        float scale = 1f / MathF.Sqrt(hs);
        // Scratch: values of one head transposed (HS, Tk padded), and dPre (Tq, Tk padded) of that head.
        float[]? rented = null;
        int need = hs * ldkt + tq * ldkt;
        Span<float> scratch = need <= 4096 ? stackalloc float[need] : (rented = new float[need]);
        var vt = scratch.Slice(0, hs * ldkt);
        var dPre = scratch.Slice(hs * ldkt, tq * ldkt);
        for (int h = 0; h < nh; h++)
        {
            int ho = h * hs;
            Transpose(vt, ldkt, v.Slice(ho), ldv, tk, hs);
            var attH = att.Slice(h * tq * tk, tq * tk);
            for (int i = 0; i < tq; i++)
            {
                // dAtt_j = dOut_i·v_j, then dPre_j = att_j (dAtt_j − Σ_l att_l dAtt_l) / √HS (softmax Jacobian).
                int p = tk - tq + i;
                var dp = dPre.Slice(i * ldkt, ldkt);
                var row = attH.Slice(i * tk, tk);
                ScoresFromTransposed(dp, vt, ldkt, dOut.Slice(i * ldo + ho, hs), p);
                float dot = 0f;
                for (int j = 0; j <= p; j++) dot += row[j] * dp[j];
                for (int j = 0; j <= p; j++) dp[j] = row[j] * (dp[j] - dot) * scale;
                // dq_i += Σ_j dPre_j k_j
                AddWeightedRows(dq.Slice(i * lddq + ho, hs), dp.Slice(0, p + 1), 1, k.Slice(ho), ldk, accumulate: accumulate);
            }
            for (int j = 0; j < tk; j++)
            {
                // Keys/values receive from every query at or after them: i ≥ i0 with p(i) = tk − tq + i ≥ j.
                int i0 = Math.Max(0, j - (tk - tq));
                // With no later query (Tq < Tk), key j gets nothing: count 0 leaves or zeroes the row.
                int count = Math.Max(0, tq - i0);
                i0 = Math.Min(i0, tq - 1);
                AddWeightedRows(dk.Slice(j * lddk + ho, hs), dPre.Slice(i0 * ldkt + j), ldkt, q.Slice(i0 * ldq + ho), ldq, count, accumulate);
                AddWeightedRows(dv.Slice(j * lddv + ho, hs), attH.Slice(i0 * tk + j), tk, dOut.Slice(i0 * ldo + ho), ldo, count, accumulate);
            }
        }
        GC.KeepAlive(rented);
    }

    // dst[j] = Σ_d x[d]·xt[d, j] for j ≤ p (chunks of 16 keys; lanes past p hold garbage the caller ignores).
    private static void ScoresFromTransposed(Span<float> dst, ReadOnlySpan<float> xt, int ldkt, ReadOnlySpan<float> x, int p)
    {
        int hs = x.Length;
        ref float t0 = ref MemoryMarshal.GetReference(xt);
        for (int j0 = 0; j0 <= p; j0 += 16)
        {
            var a0 = Vector512<float>.Zero;
            var a1 = Vector512<float>.Zero;
            int d = 0;
            for (; d + 1 < hs; d += 2)
            {
                a0 = Vector512.FusedMultiplyAdd(Vector512.Create(x[d]), Vector512.LoadUnsafe(ref t0, (nuint)(d * ldkt + j0)), a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.Create(x[d + 1]), Vector512.LoadUnsafe(ref t0, (nuint)((d + 1) * ldkt + j0)), a1);
            }
            if (d < hs) a0 = Vector512.FusedMultiplyAdd(Vector512.Create(x[d]), Vector512.LoadUnsafe(ref t0, (nuint)(d * ldkt + j0)), a0);
            (a0 + a1).StoreUnsafe(ref MemoryMarshal.GetReference(dst), (nuint)j0);
        }
    }

    // dst[d] (+)= Σ_{n<count} w[n·ws]·x[n·ldx + d], accumulated in registers 16 channels at a time
    // (count defaults to w's length for ws = 1; accumulate false overwrites dst).
    private static void AddWeightedRows(Span<float> dst, ReadOnlySpan<float> w, int ws, ReadOnlySpan<float> x, int ldx, int count = -1, bool accumulate = true)
    {
        int hs = dst.Length, n = count < 0 ? w.Length : count, d = 0;
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float w0 = ref MemoryMarshal.GetReference(w);
        ref float dst0 = ref MemoryMarshal.GetReference(dst);
        for (; d <= hs - 16; d += 16)
        {
            var a0 = accumulate ? Vector512.LoadUnsafe(ref dst0, (nuint)d) : Vector512<float>.Zero;
            var a1 = Vector512<float>.Zero;
            int j = 0;
            for (; j + 1 < n; j += 2)
            {
                a0 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref w0, j * ws)), Vector512.LoadUnsafe(ref x0, (nuint)(j * ldx + d)), a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref w0, (j + 1) * ws)), Vector512.LoadUnsafe(ref x0, (nuint)((j + 1) * ldx + d)), a1);
            }
            if (j < n) a0 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref w0, j * ws)), Vector512.LoadUnsafe(ref x0, (nuint)(j * ldx + d)), a0);
            (a0 + a1).StoreUnsafe(ref dst0, (nuint)d);
        }
        for (; d < hs; d++)
        {
            float acc = 0f;
            for (int j = 0; j < n; j++) acc += Unsafe.Add(ref w0, j * ws) * Unsafe.Add(ref x0, j * ldx + d);
            Unsafe.Add(ref dst0, d) = accumulate ? Unsafe.Add(ref dst0, d) + acc : acc;
        }
    }

    private static void CheckBatched(int outLen, int attLen, int qkvLen, int b, int t, int c, int nh)
    {
        if (b < 0 || t < 0 || c < 1 || nh < 1 || c % nh != 0) throw new ArgumentException($"attention: bad sizes B={b}, T={t}, C={c}, NH={nh} (C must be a positive multiple of NH)");
        if (qkvLen < b * t * 3 * c) throw new ArgumentException($"attention: qkv span of length {qkvLen} is too short for (B={b}, T={t}, 3C={3 * c})");
        if (outLen < b * t * c) throw new ArgumentException($"attention: output span of length {outLen} is too short for (B={b}, T={t}, C={c})");
        if (attLen < b * nh * t * t) throw new ArgumentException($"attention: att span of length {attLen} is too short for (B={b}, NH={nh}, T={t}, T={t})");
    }

    // Validates one sequence's views; outLen = 0 skips the output check (used for the gradient views).
    internal static void CheckSequence(int outLen, int ldo, int attLen, int qLen, int ldq, int kLen, int ldk, int vLen, int ldv, int tq, int tk, int c, int nh)
    {
        if (c < 1 || nh < 1 || c % nh != 0) throw new ArgumentException($"attention: C={c} must be a positive multiple of NH={nh}");
        if (tq < 0 || tq > tk) throw new ArgumentException($"attention: {tq} queries cannot attend causally to {tk} keys (need 0 ≤ Tq ≤ Tk)");
        if (ldo < c || ldq < c || ldk < c || ldv < c) throw new ArgumentException($"attention: row strides (out {ldo}, q {ldq}, k {ldk}, v {ldv}) must be at least C={c}");
        if (tq == 0) return;
        if (outLen > 0 && outLen < (tq - 1) * ldo + c) throw new ArgumentException($"attention: output view of length {outLen} is too short for {tq} rows of stride {ldo}");
        if (qLen < (tq - 1) * ldq + c) throw new ArgumentException($"attention: q view of length {qLen} is too short for {tq} rows of stride {ldq}");
        if (kLen < (tk - 1) * ldk + c) throw new ArgumentException($"attention: k view of length {kLen} is too short for {tk} rows of stride {ldk}");
        if (vLen < (tk - 1) * ldv + c) throw new ArgumentException($"attention: v view of length {vLen} is too short for {tk} rows of stride {ldv}");
        if (attLen < nh * tq * tk) throw new ArgumentException($"attention: att span of length {attLen} is too short for (NH={nh}, Tq={tq}, Tk={tk})");
    }
}

/// <summary>Scalar reference twin of <see cref="AttentionKernels"/> (double accumulation, explicit −∞ mask) for tests.</summary>
public static class AttentionNaive
{
    /// <summary>Same contract as the one-sequence <see cref="AttentionKernels.Forward(Span{float}, int, Span{float}, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, int, int, int, int)"/>.</summary>
    public static void Forward(Span<float> output, int ldo, Span<float> att,
        ReadOnlySpan<float> q, int ldq, ReadOnlySpan<float> k, int ldk, ReadOnlySpan<float> v, int ldv,
        int tq, int tk, int c, int nh)
    {
        AttentionKernels.CheckSequence(output.Length, ldo, att.Length, q.Length, ldq, k.Length, ldk, v.Length, ldv, tq, tk, c, nh);
        int hs = c / nh;
        var pre = new double[tk];
        for (int h = 0; h < nh; h++)
            for (int i = 0; i < tq; i++)
            {
                int p = tk - tq + i;
                for (int j = 0; j < tk; j++)
                {
                    double s = 0;
                    for (int d = 0; d < hs; d++) s += (double)q[i * ldq + h * hs + d] * k[j * ldk + h * hs + d];
                    pre[j] = j <= p ? s / Math.Sqrt(hs) : double.NegativeInfinity; // Mask[i, j]
                }
                double max = pre.Max(), z = 0;
                for (int j = 0; j < tk; j++) z += Math.Exp(pre[j] - max);
                for (int j = 0; j < tk; j++) att[(h * tq + i) * tk + j] = (float)(Math.Exp(pre[j] - max) / z);
                for (int d = 0; d < hs; d++)
                {
                    double o = 0;
                    for (int j = 0; j < tk; j++) o += (double)att[(h * tq + i) * tk + j] * v[j * ldv + h * hs + d];
                    output[i * ldo + h * hs + d] = (float)o;
                }
            }
    }

    /// <summary>Same contract as the one-sequence the one-sequence AttentionKernels.Backward, via the full softmax Jacobian.</summary>
    public static void Backward(Span<float> dq, int lddq, Span<float> dk, int lddk, Span<float> dv, int lddv,
        ReadOnlySpan<float> dOut, int ldo,
        ReadOnlySpan<float> q, int ldq, ReadOnlySpan<float> k, int ldk, ReadOnlySpan<float> v, int ldv,
        ReadOnlySpan<float> att, int tq, int tk, int c, int nh)
    {
        int hs = c / nh;
        double scale = 1 / Math.Sqrt(hs);
        var dAtt = new double[tk];
        for (int h = 0; h < nh; h++)
            for (int i = 0; i < tq; i++)
            {
                int r = (h * tq + i) * tk;
                for (int j = 0; j < tk; j++)
                {
                    double s = 0;
                    for (int d = 0; d < hs; d++)
                    {
                        s += (double)dOut[i * ldo + h * hs + d] * v[j * ldv + h * hs + d];
                        dv[j * lddv + h * hs + d] += (float)(att[r + j] * dOut[i * ldo + h * hs + d]);
                    }
                    dAtt[j] = s;
                }
                for (int j = 0; j < tk; j++)
                {
                    // ∂att_j/∂pre_l = att_j (δ_jl − att_l), summed against dAtt_j.
                    double dPre = 0;
                    for (int l = 0; l < tk; l++) dPre += dAtt[l] * att[r + l] * ((l == j ? 1 : 0) - att[r + j]);
                    for (int d = 0; d < hs; d++)
                    {
                        dq[i * lddq + h * hs + d] += (float)(dPre * scale * k[j * ldk + h * hs + d]);
                        dk[j * lddk + h * hs + d] += (float)(dPre * scale * q[i * ldq + h * hs + d]);
                    }
                }
            }
    }
}
