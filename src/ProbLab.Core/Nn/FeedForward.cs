// The transformer MLP (GPT-2 / minGPT): c_proj(gelu(c_fc(x))) with a 4× wider hidden layer and GELU in its
// tanh approximation ("NewGELU"), optional dropout on the output (nanoGPT's MLP.dropout).
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Nn;

/// <summary>Position-wise feed-forward block C → 4C → C with GELU (names as nanoGPT: c_fc, c_proj).</summary>
public sealed class FeedForward : Module
{
    /// <summary>Expansion, weight (4C, C).</summary>
    public Linear CFc { get; }
    /// <summary>Contraction, weight (C, 4C).</summary>
    public Linear CProj { get; }
    /// <summary>Dropout probability on the output.</summary>
    public float Dropout { get; }

    /// <summary>Creates the block for embedding size <paramref name="embd"/>.</summary>
    public FeedForward(int embd, Rng rng, bool bias = true, float dropout = 0f)
    {
        if (dropout < 0 || dropout >= 1) throw new ArgumentException($"feed-forward: dropout {dropout} must be in [0, 1)");
        Dropout = dropout;
        CFc = Child("c_fc", new Linear(embd, 4 * embd, rng, bias));
        CProj = Child("c_proj", new Linear(4 * embd, embd, rng, bias));
    }

    /// <summary>x (..., C) → (..., C). Dropout (training mode, p &gt; 0) needs <paramref name="dropoutRng"/>.</summary>
    public Tensor Forward(Tensor x, Rng? dropoutRng = null)
    {
        var y = CProj.Forward(CFc.Forward(x).GeluFast());
        if (!Training || Dropout == 0) return y;
        if (dropoutRng is null) throw new ArgumentException("feed-forward dropout is active (training mode, p > 0) but no dropout Rng was given");
        return y.Dropout(Dropout, dropoutRng);
    }
}
