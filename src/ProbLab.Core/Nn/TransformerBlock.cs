// Pre-LayerNorm transformer block (GPT-2, minGPT, the IML ex5 skeleton):
//   x = x + attn(ln_1(x));   x = x + mlp(ln_2(x))
// Two forward paths with identical maths:
// - composed: the sub-modules' autograd ops (readable; supports dropout);
// - fused: the whole block is ONE autograd node whose forward and backward call the kernels directly on
//   activation buffers reused across steps (llm.c's gpt2_forward/backward for one layer). It records ~1
//   graph node instead of ~15 and allocates nothing per step, which matters for small models where the
//   per-op overhead is as large as the arithmetic. It is used whenever dropout is inactive. Its rows are
//   time-major (row t·B + b) and q/k/v feature-major, so attention can put 16 sequences in the vector lanes.
// Shapes: x (B, T, C), or (T, B, C) for ForwardTimeMajor; rows = B·T; the buffers are listed in BlockActivations.
using System.Numerics.Tensors;
using ProbLab.Kernels;
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Nn;

/// <summary>One GPT block: causal self-attention and a GELU MLP, each behind a LayerNorm and a residual add.</summary>
public sealed class TransformerBlock : Module
{
    /// <summary>LayerNorm before attention.</summary>
    public LayerNorm Ln1 { get; }
    /// <summary>Causal self-attention.</summary>
    public CausalSelfAttention Attn { get; }
    /// <summary>LayerNorm before the MLP.</summary>
    public LayerNorm Ln2 { get; }
    /// <summary>Feed-forward block.</summary>
    public FeedForward Mlp { get; }

    private readonly ActivationPool _pool = new();

    /// <summary>Backward scratch; a model may hand one instance to all its blocks, since their backward passes never overlap.</summary>
    internal BlockGradScratch GradScratch { get; set; } = new();
    private Tensor[]? _params; // fixed after construction; cached for the fused node's parent list

    /// <summary>Creates a block for embedding size C with NH heads.</summary>
    public TransformerBlock(int embd, int heads, Rng rng, bool bias = true, float dropout = 0f)
    {
        Ln1 = Child("ln_1", new LayerNorm(embd, bias));
        Attn = Child("attn", new CausalSelfAttention(embd, heads, rng, bias, dropout));
        Ln2 = Child("ln_2", new LayerNorm(embd, bias));
        Mlp = Child("mlp", new FeedForward(embd, rng, bias, dropout));
    }

    internal const string RetainGraphMessage = "fused transformer nodes release their activations after one backward pass; Backward(retainGraph: true) needs the composed path (UseFusedKernels = false)";

    /// <summary>True when the fused path applies (no active dropout).</summary>
    public bool CanFuse => !Training || (Attn.Dropout == 0 && Mlp.Dropout == 0);

    /// <summary>x (B, T, C) → (B, T, C); fused when <see cref="CanFuse"/>, else composed with dropout from <paramref name="dropoutRng"/>.</summary>
    public Tensor Forward(Tensor x, Rng? dropoutRng = null) => CanFuse ? ForwardFused(x) : ForwardComposed(x, dropoutRng);

    /// <summary>The block from the sub-modules' autograd ops (the reference for the fused path).</summary>
    public Tensor ForwardComposed(Tensor x, Rng? dropoutRng = null)
    {
        x = x.Add(Attn.Forward(Ln1.Forward(x), dropoutRng));
        return x.Add(Mlp.Forward(Ln2.Forward(x), dropoutRng));
    }

    /// <summary>
    /// The block as one fused autograd node on (B, T, C): the rows are permuted to time-major order around
    /// <see cref="ForwardTimeMajor"/> (two copies; <c>Gpt</c> keeps its residual stream time-major and skips them).
    /// </summary>
    /// <exception cref="ArgumentException">x is not (B, T, C) with this block's C.</exception>
    public Tensor ForwardFused(Tensor x, bool pooledOutput = false)
    {
        if (x.Rank != 3 || x.Shape[2] != Attn.Embd) throw new ArgumentException($"transformer block expects (B, T, {Attn.Embd}), got {ShapeUtil.Format(x.Shape)}");
        return ForwardTimeMajor(x.Permute(1, 0, 2), pooledOutput).Permute(1, 0, 2);
    }

    /// <summary>
    /// The block as one autograd node on time-major rows: x (T, B, C), row t·B + b. Attention then runs with the
    /// batch in the vector lanes (AttentionKernels.ForwardLanes) on a feature-major q/k/v, which the c_attn GEMM
    /// produces directly as W·xᵀ. With <paramref name="pooledOutput"/> the output storage is a reused buffer
    /// that the next call overwrites (for callers that consume it at once, like <c>Gpt</c>).
    /// </summary>
    /// <exception cref="ArgumentException">x is not (T, B, C) with this block's C.</exception>
    public Tensor ForwardTimeMajor(Tensor x, bool pooledOutput)
    {
        int c = Attn.Embd, nh = Attn.Heads;
        if (x.Rank != 3 || x.Shape[2] != c) throw new ArgumentException($"transformer block expects (T, B, {c}), got {ShapeUtil.Format(x.Shape)}");
        int t = x.Shape[0], b = x.Shape[1], rows = b * t;
        var a = _pool.Rent(b, t, c, nh);
        // Attention half: x2 = x + c_proj(attention(c_attn(ln_1(x)))).
        LayerNormFastKernels.Forward(a.Ln1, a.Ln1Mean, a.Ln1Rstd, x.Data, Ln1.Weight.Data, Ln1.Bias?.Data, rows, c, Ln1.Eps);
        if (a.Lanes)
        {
            LinearKernels.ForwardTransposedOutput(a.Qkv, a.Ln1, Attn.CAttn.Weight.Data, Attn.CAttn.Bias?.Data, rows, c, 3 * c);
            AttentionKernels.ForwardLanes(a.AttY, a.Att, a.Qkv, b, t, c, nh);
            LinearKernels.ForwardTransposedInput(a.X2, a.AttY, Attn.CProj.Weight.Data, Attn.CProj.Bias?.Data, rows, c, c, residual: x.Data);
        }
        else
        {
            // Few sequences (e.g. generation without a cache): row-major q/k/v and one sequence per attention
            // call, its rows B apart in the time-major buffer.
            LinearKernels.Forward(a.Qkv, a.Ln1, Attn.CAttn.Weight.Data, Attn.CAttn.Bias?.Data, rows, c, 3 * c);
            for (int bi = 0; bi < b; bi++)
            {
                var seq = a.Qkv.AsSpan(bi * 3 * c);
                AttentionKernels.Forward(a.AttY.AsSpan(bi * c), b * c, a.Att.AsSpan(bi * nh * t * t, nh * t * t),
                    seq, b * 3 * c, seq.Slice(c), b * 3 * c, seq.Slice(2 * c), b * 3 * c, t, t, c, nh);
            }
            LinearKernels.Forward(a.X2, a.AttY, Attn.CProj.Weight.Data, Attn.CProj.Bias?.Data, rows, c, c, residual: x.Data);
        }
        // MLP half: out = x2 + c_proj(gelu(c_fc(ln_2(x2)))).
        LayerNormFastKernels.Forward(a.Ln2, a.Ln2Mean, a.Ln2Rstd, a.X2, Ln2.Weight.Data, Ln2.Bias?.Data, rows, c, Ln2.Eps);
        LinearKernels.Forward(a.FcGrad, a.Ln2, Mlp.CFc.Weight.Data, Mlp.CFc.Bias?.Data, rows, c, 4 * c);
        GeluKernels.ForwardWithDerivative(a.FcAct, a.FcGrad, a.FcGrad); // pre-activation → gelu, gelu' in place
        var outData = pooledOutput ? a.Out : new float[rows * c];
        LinearKernels.Forward(outData, a.FcAct, Mlp.CProj.Weight.Data, Mlp.CProj.Bias?.Data, rows, 4 * c, c, residual: a.X2);

        var y = new Tensor(outData, t, b, c);
        _params ??= Parameters().ToArray();
        var parents = new Tensor[_params.Length + 1];
        parents[0] = x;
        _params.CopyTo(parents, 1);
        bool released = false;
        y.Record("transformer_block", parents, () =>
        {
            // The activations go back to the pool after this pass, so a second pass cannot be allowed.
            if (released) throw new InvalidOperationException(RetainGraphMessage);
            Backward(x, y.Grad!, a);
            released = true;
            _pool.Return(a);
        });
        if (y.IsLeaf) _pool.Return(a); // nothing recorded (NoGrad or frozen): the activations are not needed
        else if (pooledOutput) y.Grad = a.ZeroedOutGrad(); // the engine accumulates into it instead of allocating
        return y;
    }

    // llm.c-style backward of one block. dy is ∂L/∂out; adds into x.Grad and every parameter's Grad.
    private void Backward(Tensor x, float[] dy, BlockActivations a)
    {
        int c = Attn.Embd, nh = Attn.Heads, b = a.B, t = a.T, rows = b * t;
        var g = GradScratch.Ensure(rows, c);
        // dy is this node's own gradient buffer and is not read after the MLP's c_proj backward, so it
        // doubles as dx2: the residual passes dy through and the ln_2 branch adds into it.
        var dx2 = dy.AsSpan(0, rows * c);
        var dLn = g.DLn.AsSpan(0, rows * c);
        var dFc = g.DFc.AsSpan(0, rows * 4 * c);
        var dAttY = g.DAttY.AsSpan(0, rows * c);
        var dQkv = g.DQkv.AsSpan(0, rows * 3 * c);
        // MLP half.
        LinearKernels.Backward(dFc, G(Mlp.CProj.Weight), G(Mlp.CProj.Bias), dy, a.FcAct, Mlp.CProj.Weight.Data, rows, 4 * c, c, accumulateInput: false);
        System.Numerics.Tensors.TensorPrimitives.Multiply(dFc, a.FcGrad, dFc);  // dpre = gelu'(pre)·dact
        LinearKernels.Backward(dLn, G(Mlp.CFc.Weight), G(Mlp.CFc.Bias), dFc, a.Ln2, Mlp.CFc.Weight.Data, rows, c, 4 * c, accumulateInput: false);
        LayerNormFastKernels.Backward(dx2, G(Ln2.Weight), G(Ln2.Bias), dLn, a.X2, Ln2.Weight.Data, a.Ln2Mean, a.Ln2Rstd, rows, c);
        // Attention half, same pattern: dx = dx2 + ln_1 branch.
        if (a.Lanes)
        {
            LinearKernels.BackwardTransposedInput(dAttY, G(Attn.CProj.Weight), G(Attn.CProj.Bias), dx2, a.AttY, Attn.CProj.Weight.Data, rows, c, c, accumulateInput: false);
            AttentionKernels.BackwardLanes(dQkv, dAttY, a.Qkv, a.Att, b, t, c, nh, accumulate: false);
            LinearKernels.BackwardTransposedOutput(dLn, G(Attn.CAttn.Weight), G(Attn.CAttn.Bias), dQkv, a.Ln1, Attn.CAttn.Weight.Data, rows, c, 3 * c, accumulateInput: false);
        }
        else
        {
            LinearKernels.Backward(dAttY, G(Attn.CProj.Weight), G(Attn.CProj.Bias), dx2, a.AttY, Attn.CProj.Weight.Data, rows, c, c, accumulateInput: false);
            int ld = b * 3 * c;
            for (int bi = 0; bi < b; bi++)
            {
                var seq = a.Qkv.AsSpan(bi * 3 * c);
                var dSeq = dQkv.Slice(bi * 3 * c);
                AttentionKernels.Backward(dSeq, ld, dSeq.Slice(c), ld, dSeq.Slice(2 * c), ld, dAttY.Slice(bi * c), b * c,
                    seq, ld, seq.Slice(c), ld, seq.Slice(2 * c), ld, a.Att.AsSpan(bi * nh * t * t, nh * t * t), t, t, c, nh, accumulate: false);
            }
            LinearKernels.Backward(dLn, G(Attn.CAttn.Weight), G(Attn.CAttn.Bias), dQkv, a.Ln1, Attn.CAttn.Weight.Data, rows, c, 3 * c, accumulateInput: false);
        }
        Span<float> dx = x.RequiresGrad ? x.Grad.AsSpan(0, rows * c) : Span<float>.Empty;
        LayerNormFastKernels.Backward(dx, G(Ln1.Weight), G(Ln1.Bias), dLn, x.Data, Ln1.Weight.Data, a.Ln1Mean, a.Ln1Rstd, rows, c, dResidual: dx2);
    }

    // A parameter's gradient buffer, or empty when it is absent or frozen (the kernels then skip it).
    private static Span<float> G(Tensor? p) => p is { RequiresGrad: true } ? p.Grad : Span<float>.Empty;
}

/// <summary>Saved activations and backward scratch of one fused block call, for rows = B·T.</summary>
internal sealed class BlockActivations
{
    /// <summary>Smallest batch for the batch-in-lanes attention; fewer sequences would leave most lanes idle.</summary>
    public const int MinLaneBatch = 8;

    public readonly int B, T;
    /// <summary>Attention layout: feature-major with the batch in lanes (B ≥ MinLaneBatch), else row-major per sequence.</summary>
    public readonly bool Lanes;
    public readonly float[] Ln1, Ln1Mean, Ln1Rstd, Qkv, Att, AttY, X2, Ln2, Ln2Mean, Ln2Rstd, FcGrad, FcAct, Out;
    private float[] _outGrad = Array.Empty<float>();

    public BlockActivations(int b, int t, int c, int nh)
    {
        B = b; T = t;
        int rows = b * t;
        // Rows are time-major (row t·B + b); with Lanes the attention buffers are feature-major.
        Lanes = b >= MinLaneBatch;
        Ln1 = new float[rows * c]; Ln1Mean = new float[rows]; Ln1Rstd = new float[rows];   // (T·B, C), (T·B)
        Qkv = new float[3 * c * rows];                                                       // (3C, T, B) or (T·B, 3C)
        Att = new float[Lanes ? nh * AttentionKernels.TriangleRows(t) * b : b * nh * t * t]; // (NH, T(T+1)/2, B) or (B, NH, T, T)
        AttY = new float[c * rows]; X2 = new float[rows * c];                                // (C, T, B) or (T·B, C); (T·B, C)
        Ln2 = new float[rows * c]; Ln2Mean = new float[rows]; Ln2Rstd = new float[rows];
        FcGrad = new float[rows * 4 * c]; FcAct = new float[rows * 4 * c];                   // (B, T, 4C): gelu'(pre), gelu(pre)
        Out = new float[rows * c];
    }

    /// <summary>A zeroed gradient buffer for <see cref="Out"/>, reused across calls.</summary>
    public float[] ZeroedOutGrad()
    {
        if (_outGrad.Length == 0) _outGrad = new float[Out.Length];
        else Array.Clear(_outGrad);
        return _outGrad;
    }
}

/// <summary>Gradient scratch of a block's backward pass (rows = B·T), grown on demand.</summary>
internal sealed class BlockGradScratch
{
    public float[] DLn = [], DAttY = [], DFc = [], DQkv = [];

    public BlockGradScratch Ensure(int rows, int c)
    {
        if (DLn.Length >= rows * c && DFc.Length >= rows * 4 * c) return this;
        DLn = new float[rows * c]; DAttY = new float[rows * c];                              // (T·B, C), (C, T, B)
        DFc = new float[rows * 4 * c]; DQkv = new float[rows * 3 * c];                       // (T·B, 4C), (3C, T, B)
        return this;
    }
}

/// <summary>A few reusable activation sets keyed by (B, T); buffers of abandoned graphs are simply collected.</summary>
internal sealed class ActivationPool
{
    private const int Capacity = 4;
    private readonly List<BlockActivations> _free = new();

    public BlockActivations Rent(int b, int t, int c, int nh)
    {
        for (int i = _free.Count - 1; i >= 0; i--)
        {
            var a = _free[i];
            if (a.B != b || a.T != t) continue;
            _free.RemoveAt(i);
            return a;
        }
        return new BlockActivations(b, t, c, nh);
    }

    public void Return(BlockActivations a)
    {
        if (_free.Count == Capacity) _free.RemoveAt(0);
        _free.Add(a);
    }
}
