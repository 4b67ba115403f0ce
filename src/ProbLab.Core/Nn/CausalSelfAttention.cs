// Multi-head causal self-attention as HUJI IML ex5 §4.5 describes it (and minGPT/nanoGPT implement it):
//   1. q, k, v = c_attn(x) ∈ R^(B×T×3C)                       one Linear(C, 3C)
//   2. split heads: (B, T, C) → (B, NH, T, HS), HS = C / NH
//   3.–4. softmax(q·kᵀ/√HS + Mask)·v, Mask[i, j] = −∞ for j > i
//   5. merge heads back to (B, T, C)
//   6. y = c_proj(·)                                           one Linear(C, C)
// Forward uses the fused attention op (steps 2–5 in one kernel, no copies). ForwardReference spells the same
// steps out with primitive ops (slice, reshape, permute, matmul, mask add, softmax); it is the readable
// reference the tests compare against, and the path used when attention dropout is active.
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Nn;

/// <summary>Causal multi-head self-attention with a fused q/k/v projection (names as nanoGPT: c_attn, c_proj).</summary>
public sealed class CausalSelfAttention : Module
{
    /// <summary>q/k/v projection, weight (3C, C).</summary>
    public Linear CAttn { get; }
    /// <summary>Output projection, weight (C, C).</summary>
    public Linear CProj { get; }
    /// <summary>Number of heads NH.</summary>
    public int Heads { get; }
    /// <summary>Embedding size C.</summary>
    public int Embd { get; }
    /// <summary>Dropout probability on attention weights and on the output (nanoGPT's attn/resid dropout).</summary>
    public float Dropout { get; }

    /// <summary>Creates the layer; C must be a multiple of NH.</summary>
    /// <exception cref="ArgumentException">C is not a positive multiple of NH, or dropout is outside [0, 1).</exception>
    public CausalSelfAttention(int embd, int heads, Rng rng, bool bias = true, float dropout = 0f)
    {
        if (heads < 1 || embd < 1 || embd % heads != 0) throw new ArgumentException($"attention: embedding size {embd} must be a positive multiple of the head count {heads}");
        if (dropout < 0 || dropout >= 1) throw new ArgumentException($"attention: dropout {dropout} must be in [0, 1)");
        Heads = heads;
        Embd = embd;
        Dropout = dropout;
        CAttn = Child("c_attn", new Linear(embd, 3 * embd, rng, bias));
        CProj = Child("c_proj", new Linear(embd, embd, rng, bias));
    }

    /// <summary>x (B, T, C) → (B, T, C). Dropout (training mode, p &gt; 0) needs <paramref name="dropoutRng"/>.</summary>
    public Tensor Forward(Tensor x, Rng? dropoutRng = null)
    {
        if (Training && Dropout > 0) return ForwardReference(x, dropoutRng);
        var y = CAttn.Forward(x).CausalAttention(Heads);  // (B, T, 3C) → (B, T, C)
        return CProj.Forward(y);
    }

    /// <summary>The same computation from primitive ops, step by step as in the exercise (slow; for tests and dropout).</summary>
    public Tensor ForwardReference(Tensor x, Rng? dropoutRng = null)
    {
        int b = x.Shape[0], t = x.Shape[1], c = Embd, hs = c / Heads;
        bool drop = Training && Dropout > 0;
        if (drop && dropoutRng is null) throw new ArgumentException("attention dropout is active (training mode, p > 0) but no dropout Rng was given");
        var qkv = CAttn.Forward(x);                                                       // (B, T, 3C)
        Tensor Heads4(int part) => qkv.Slice(2, part * c, c).Reshape(b, t, Heads, hs).Permute(0, 2, 1, 3); // (B, NH, T, HS)
        var q = Heads4(0);
        var k = Heads4(1);
        var v = Heads4(2);
        var att = q.MatMul(k, transB: true).Mul(1f / MathF.Sqrt(hs));                     // (B, NH, T, T)
        att = att.Add(CausalMask(t)).Softmax(-1);
        if (drop) att = att.Dropout(Dropout, dropoutRng!);
        var y = att.MatMul(v).Permute(0, 2, 1, 3).Reshape(b, t, c);                       // (B, T, C)
        y = CProj.Forward(y);
        return drop ? y.Dropout(Dropout, dropoutRng!) : y;
    }

    /// <summary>The additive mask (T, T): 0 on and below the diagonal, −∞ above it.</summary>
    public static Tensor CausalMask(int t)
    {
        var m = Tensor.Zeros(t, t);
        for (int i = 0; i < t; i++)
            for (int j = i + 1; j < t; j++) m.Data[i * t + j] = float.NegativeInfinity;
        return m;
    }
}
