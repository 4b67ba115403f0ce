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

namespace ProbLab.Kernels;

/// <summary>Fused causal self-attention forward/backward on row-major q/k/v views.</summary>
public static class AttentionKernels
{
    /// <summary>
    /// Training layout: qkv (B, T, 3C) → output (B, T, C) with heads side by side, att (B, NH, T, T) the
    /// softmax probabilities saved for <see cref="Backward(Span{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, int, int, int, int)"/>.
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
    /// Training layout backward: dQkv (B, T, 3C) += ∂L/∂qkv given dOut (B, T, C), the forward input qkv and
    /// the saved probabilities att (B, NH, T, T).
    /// </summary>
    public static void Backward(Span<float> dQkv, ReadOnlySpan<float> dOut, ReadOnlySpan<float> qkv, ReadOnlySpan<float> att, int b, int t, int c, int nh)
    {
        CheckBatched(dOut.Length, att.Length, qkv.Length, b, t, c, nh);
        if (dQkv.Length < b * t * 3 * c) throw new ArgumentException($"dQkv span of length {dQkv.Length} is too short for (B={b}, T={t}, 3C={3 * c})");
        int c3 = 3 * c;
        for (int bi = 0; bi < b; bi++)
        {
            var seq = qkv.Slice(bi * t * c3, t * c3);
            var dSeq = dQkv.Slice(bi * t * c3, t * c3);
            Backward(dSeq, c3, dSeq.Slice(c), c3, dSeq.Slice(2 * c), c3, dOut.Slice(bi * t * c, t * c), c,
                seq, c3, seq.Slice(c), c3, seq.Slice(2 * c), c3, att.Slice(bi * nh * t * t, nh * t * t), t, t, c, nh);
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
        int hs = c / nh;
        float scale = 1f / MathF.Sqrt(hs);
        ref float q0 = ref MemoryMarshal.GetReference(q);
        ref float k0 = ref MemoryMarshal.GetReference(k);
        ref float v0 = ref MemoryMarshal.GetReference(v);
        ref float o0 = ref MemoryMarshal.GetReference(output);
        for (int h = 0; h < nh; h++)
        {
            int ho = h * hs;
            for (int i = 0; i < tq; i++)
            {
                int p = tk - tq + i;
                var row = att.Slice((h * tq + i) * tk, tk);
                ref float qi = ref Unsafe.Add(ref q0, i * ldq + ho);
                // Scores and their max: the max is subtracted before exp (stable softmax).
                float max = float.NegativeInfinity;
                for (int j = 0; j <= p; j++)
                {
                    float s = Dot(ref qi, ref Unsafe.Add(ref k0, j * ldk + ho), hs) * scale;
                    row[j] = s;
                    if (s > max) max = s;
                }
                float sum = 0f;
                for (int j = 0; j <= p; j++)
                {
                    float e = MathF.Exp(row[j] - max);
                    row[j] = e;
                    sum += e;
                }
                float inv = 1f / sum;
                ref float oi = ref Unsafe.Add(ref o0, i * ldo + ho);
                MemoryMarshal.CreateSpan(ref oi, hs).Clear();
                for (int j = 0; j <= p; j++)
                {
                    float a = row[j] * inv;
                    row[j] = a;
                    Axpy(a, ref Unsafe.Add(ref v0, j * ldv + ho), ref oi, hs);
                }
                row.Slice(p + 1).Clear(); // masked: probability exactly 0
            }
        }
    }

    /// <summary>
    /// One sequence backward: dq, dk, dv (same layouts as q, k, v) += gradients given dOut (stride ldo) and the
    /// saved att (NH, Tq, Tk). Through out = att·v and the softmax Jacobian:
    /// dAtt_j = dOut_i·v_j, dPre_j = att_j (dAtt_j − Σ_l att_l dAtt_l), dq_i += Σ_j dPre_j k_j / √HS,
    /// dk_j += dPre_j q_i / √HS, dv_j += att_j dOut_i.
    /// </summary>
    public static void Backward(Span<float> dq, int lddq, Span<float> dk, int lddk, Span<float> dv, int lddv,
        ReadOnlySpan<float> dOut, int ldo,
        ReadOnlySpan<float> q, int ldq, ReadOnlySpan<float> k, int ldk, ReadOnlySpan<float> v, int ldv,
        ReadOnlySpan<float> att, int tq, int tk, int c, int nh)
    {
        CheckSequence(dOut.Length, ldo, att.Length, q.Length, ldq, k.Length, ldk, v.Length, ldv, tq, tk, c, nh);
        CheckSequence(0, c, att.Length, dq.Length, lddq, dk.Length, lddk, dv.Length, lddv, tq, tk, c, nh);
        int hs = c / nh;
        float scale = 1f / MathF.Sqrt(hs);
        Span<float> dPre = tk <= 1024 ? stackalloc float[tk] : new float[tk];
        ref float q0 = ref MemoryMarshal.GetReference(q);
        ref float k0 = ref MemoryMarshal.GetReference(k);
        ref float v0 = ref MemoryMarshal.GetReference(v);
        ref float dq0 = ref MemoryMarshal.GetReference(dq);
        ref float dk0 = ref MemoryMarshal.GetReference(dk);
        ref float dv0 = ref MemoryMarshal.GetReference(dv);
        ref float do0 = ref MemoryMarshal.GetReference(dOut);
        for (int h = 0; h < nh; h++)
        {
            int ho = h * hs;
            for (int i = 0; i < tq; i++)
            {
                int p = tk - tq + i;
                var row = att.Slice((h * tq + i) * tk, tk);
                ref float doi = ref Unsafe.Add(ref do0, i * ldo + ho);
                // dAtt_j and dv_j, then the softmax Jacobian-vector product.
                float dot = 0f;
                for (int j = 0; j <= p; j++)
                {
                    float da = Dot(ref doi, ref Unsafe.Add(ref v0, j * ldv + ho), hs);
                    dPre[j] = da;
                    dot += row[j] * da;
                    Axpy(row[j], ref doi, ref Unsafe.Add(ref dv0, j * lddv + ho), hs);
                }
                ref float qi = ref Unsafe.Add(ref q0, i * ldq + ho);
                ref float dqi = ref Unsafe.Add(ref dq0, i * lddq + ho);
                for (int j = 0; j <= p; j++)
                {
                    float g = row[j] * (dPre[j] - dot) * scale;
                    Axpy(g, ref Unsafe.Add(ref k0, j * ldk + ho), ref dqi, hs);
                    Axpy(g, ref qi, ref Unsafe.Add(ref dk0, j * lddk + ho), hs);
                }
            }
        }
    }

    // Σ a[i]·b[i] over n contiguous floats (Vector512 body, Vector256 step, scalar tail).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot(ref float a, ref float b, int n)
    {
        int i = 0;
        float s = 0f;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; i <= n - 16; i += 16)
                acc = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref a, (nuint)i), Vector512.LoadUnsafe(ref b, (nuint)i), acc);
            s = Vector512.Sum(acc);
        }
        if (Vector256.IsHardwareAccelerated && n - i >= 8)
        {
            var acc = Vector256.Multiply(Vector256.LoadUnsafe(ref a, (nuint)i), Vector256.LoadUnsafe(ref b, (nuint)i));
            for (i += 8; i <= n - 8; i += 8)
                acc = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref a, (nuint)i), Vector256.LoadUnsafe(ref b, (nuint)i), acc);
            s += Vector256.Sum(acc);
        }
        for (; i < n; i++) s += Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i);
        return s;
    }

    // y[i] += alpha·x[i] over n contiguous floats.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Axpy(float alpha, ref float x, ref float y, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var va = Vector512.Create(alpha);
            for (; i <= n - 16; i += 16)
                Vector512.FusedMultiplyAdd(va, Vector512.LoadUnsafe(ref x, (nuint)i), Vector512.LoadUnsafe(ref y, (nuint)i)).StoreUnsafe(ref y, (nuint)i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(alpha);
            for (; i <= n - 8; i += 8)
                Vector256.FusedMultiplyAdd(va, Vector256.LoadUnsafe(ref x, (nuint)i), Vector256.LoadUnsafe(ref y, (nuint)i)).StoreUnsafe(ref y, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref y, i) += alpha * Unsafe.Add(ref x, i);
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

    /// <summary>Same contract as the one-sequence <see cref="AttentionKernels.Backward(Span{float}, int, Span{float}, int, Span{float}, int, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, int, int, int)"/>, via the full softmax Jacobian.</summary>
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
