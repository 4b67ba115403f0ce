// Parameter initialisers (in place), matching PyTorch's defaults where a layer has one.
using ProbLab.Tensors;

namespace ProbLab.Nn;

/// <summary>In-place initialisation of parameter tensors from an explicit <see cref="Rng"/>.</summary>
public static class Init
{
    /// <summary>N(mean, std²) entries.</summary>
    public static Tensor Normal(Tensor t, Rng rng, float mean = 0f, float std = 1f)
    {
        rng.FillNormal(t.Data, mean, std);
        return t;
    }

    /// <summary>U[lo, hi) entries.</summary>
    public static Tensor Uniform(Tensor t, Rng rng, float lo, float hi)
    {
        rng.FillUniform(t.Data, lo, hi);
        return t;
    }

    /// <summary>All entries equal to <paramref name="value"/>.</summary>
    public static Tensor Constant(Tensor t, float value)
    {
        Array.Fill(t.Data, value);
        return t;
    }

    /// <summary>
    /// PyTorch's nn.Linear/Conv default: U(−1/√fanIn, 1/√fanIn) (kaiming_uniform with a = √5 reduces to
    /// this bound for weights; biases use the same bound).
    /// </summary>
    public static Tensor LecunUniform(Tensor t, Rng rng, int fanIn)
    {
        float bound = fanIn > 0 ? 1f / MathF.Sqrt(fanIn) : 0f;
        return Uniform(t, rng, -bound, bound);
    }

    /// <summary>Glorot/Xavier uniform: U(±√(6/(fanIn+fanOut))).</summary>
    public static Tensor XavierUniform(Tensor t, Rng rng, int fanIn, int fanOut)
    {
        float bound = MathF.Sqrt(6f / (fanIn + fanOut));
        return Uniform(t, rng, -bound, bound);
    }
}
