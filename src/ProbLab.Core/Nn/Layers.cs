// Basic layers: Linear, Embedding, LayerNorm, Dropout, and an activation enum shared by MLPs.
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Nn;

/// <summary>y = x·Wᵀ + b with W (Out, In), PyTorch's initialisation U(±1/√In).</summary>
public sealed class Linear : Module
{
    /// <summary>Weight, shape (Out, In).</summary>
    public Tensor Weight { get; }
    /// <summary>Bias, shape (Out), or null.</summary>
    public Tensor? Bias { get; }
    /// <summary>Input features.</summary>
    public int InFeatures { get; }
    /// <summary>Output features.</summary>
    public int OutFeatures { get; }

    /// <summary>Creates the layer with PyTorch's default initialisation.</summary>
    public Linear(int inFeatures, int outFeatures, Rng rng, bool bias = true)
    {
        if (inFeatures < 1 || outFeatures < 1) throw new ArgumentOutOfRangeException(nameof(inFeatures), $"linear layer sizes must be positive, got {inFeatures}→{outFeatures}");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = Param("weight", Init.LecunUniform(Tensor.Zeros(outFeatures, inFeatures), rng, inFeatures));
        if (bias) Bias = Param("bias", Init.LecunUniform(Tensor.Zeros(outFeatures), rng, inFeatures));
    }

    /// <summary>x (..., In) → (..., Out).</summary>
    public Tensor Forward(Tensor x) => x.Linear(Weight, Bias);
}

/// <summary>Lookup table of (V, C) vectors, initialised N(0, 1) as torch.nn.Embedding.</summary>
public sealed class Embedding : Module
{
    /// <summary>Table, shape (V, C).</summary>
    public Tensor Weight { get; }

    /// <summary>Creates a table of <paramref name="count"/> vectors of size <paramref name="dim"/>.</summary>
    public Embedding(int count, int dim, Rng rng, float std = 1f)
    {
        if (count < 1 || dim < 1) throw new ArgumentOutOfRangeException(nameof(count), $"embedding sizes must be positive, got {count}×{dim}");
        Weight = Param("weight", Init.Normal(Tensor.Zeros(count, dim), rng, 0f, std));
    }

    /// <summary>ids laid out as <paramref name="idsShape"/> → idsShape + (C,).</summary>
    public Tensor Forward(int[] ids, params int[] idsShape) => Weight.Embedding(ids, idsShape.Length == 0 ? new[] { ids.Length } : idsShape);
}

/// <summary>LayerNorm over the last dimension with learnable weight (ones) and optional bias (zeros).</summary>
public sealed class LayerNorm : Module
{
    /// <summary>Scale, shape (C).</summary>
    public Tensor Weight { get; }
    /// <summary>Shift, shape (C), or null.</summary>
    public Tensor? Bias { get; }
    /// <summary>Variance floor ε.</summary>
    public float Eps { get; }

    /// <summary>Creates the layer for feature size <paramref name="dim"/>.</summary>
    public LayerNorm(int dim, bool bias = true, float eps = 1e-5f)
    {
        Weight = Param("weight", Tensor.Ones(dim));
        if (bias) Bias = Param("bias", Tensor.Zeros(dim));
        Eps = eps;
    }

    /// <summary>Normalises the last dimension.</summary>
    public Tensor Forward(Tensor x) => x.LayerNorm(Weight, Bias, Eps);
}

/// <summary>Elementwise non-linearities for MLPs.</summary>
public enum Activation
{
    /// <summary>Identity.</summary>
    None,
    /// <summary>max(x, 0).</summary>
    Relu,
    /// <summary>tanh.</summary>
    Tanh,
    /// <summary>GELU, tanh approximation.</summary>
    Gelu,
    /// <summary>Logistic sigmoid.</summary>
    Sigmoid,
    /// <summary>x·σ(x).</summary>
    Silu,
    /// <summary>log(1+eˣ).</summary>
    Softplus,
}

/// <summary>Applies an <see cref="Activation"/>.</summary>
public static class ActivationExtensions
{
    /// <summary>Applies <paramref name="act"/> to <paramref name="x"/>.</summary>
    public static Tensor Apply(this Activation act, Tensor x) => act switch
    {
        Activation.None => x,
        Activation.Relu => x.Relu(),
        Activation.Tanh => x.Tanh(),
        Activation.Gelu => x.Gelu(),
        Activation.Sigmoid => x.Sigmoid(),
        Activation.Silu => x.Mul(x.Sigmoid()),
        Activation.Softplus => x.Softplus(),
        _ => throw new ArgumentOutOfRangeException(nameof(act), act, "unknown activation"),
    };
}

/// <summary>Multi-layer perceptron: Linear layers with an activation between them (none after the last).</summary>
public sealed class Mlp : Module
{
    private readonly Linear[] _layers;

    /// <summary>Activation between layers.</summary>
    public Activation Activation { get; }

    /// <summary>Layer sizes [in, hidden..., out]; e.g. [2, 64, 64, 3].</summary>
    public Mlp(int[] sizes, Activation activation, Rng rng, bool bias = true)
    {
        if (sizes.Length < 2) throw new ArgumentException("an MLP needs at least input and output sizes");
        Activation = activation;
        _layers = new Linear[sizes.Length - 1];
        for (int i = 0; i < _layers.Length; i++) _layers[i] = Child(i.ToString(), new Linear(sizes[i], sizes[i + 1], rng, bias));
    }

    /// <summary>The Linear layers in order.</summary>
    public IReadOnlyList<Linear> Layers => _layers;

    /// <summary>x (..., in) → (..., out).</summary>
    public Tensor Forward(Tensor x)
    {
        for (int i = 0; i < _layers.Length; i++)
        {
            x = _layers[i].Forward(x);
            if (i < _layers.Length - 1) x = Activation.Apply(x);
        }
        return x;
    }
}
