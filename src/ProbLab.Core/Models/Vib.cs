// Deep variational information bottleneck (Alemi et al., ICLR 2017), the special-participation Q3 model:
// a stochastic encoder p(z|x) = N(μ(x), diag σ²(x)) from an MLP (x (B, 784) → ReLU(H) → ReLU(H) → μ, log σ²
// (B, K)), one reparameterised sample z = μ + σ·ε, and a linear softmax decoder q(y|z) (B, K) → (B, 10).
//   loss = (1/B) Σ_n [ −log q(y_n | z_n) + β · KL(p(z|x_n) ‖ N(0, I)) ]
// The KL term upper-bounds I(X; Z) (up to the marginal's gap), so β trades prediction against compression.
// Predictions use z = μ(x) (the mode of the encoder), so validation error is deterministic.
using ProbLab.Nn;
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Models;

/// <summary>Sizes of a <see cref="Vib"/>: input, hidden width and depth of the encoder MLP, bottleneck K, classes.</summary>
public sealed record VibConfig(int InputSize = 784, int Hidden = 512, int HiddenLayers = 2, int Latent = 2, int Classes = 10)
{
    /// <summary>Throws if a size is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The message names the field.</exception>
    public VibConfig Validate()
    {
        if (InputSize < 1) throw new ArgumentOutOfRangeException(nameof(InputSize), InputSize, "VIB input size must be at least 1");
        if (Hidden < 1) throw new ArgumentOutOfRangeException(nameof(Hidden), Hidden, "VIB hidden size must be at least 1");
        if (HiddenLayers < 1) throw new ArgumentOutOfRangeException(nameof(HiddenLayers), HiddenLayers, "VIB needs at least 1 hidden layer");
        if (Latent < 1) throw new ArgumentOutOfRangeException(nameof(Latent), Latent, "VIB latent size K must be at least 1");
        if (Classes < 2) throw new ArgumentOutOfRangeException(nameof(Classes), Classes, "VIB needs at least 2 classes");
        return this;
    }
}

/// <summary>
/// VIB loss of a batch: the differentiable <see cref="Loss"/> = CE + β·KL (both means over the batch), and the two
/// terms' values in nats per example.
/// </summary>
public readonly record struct VibLoss(Tensor Loss, double CrossEntropy, double Kl, float Beta);

/// <summary>Classifier with a stochastic K-dimensional Gaussian bottleneck.</summary>
public sealed class Vib : Module
{
    private readonly Linear[] _hidden;
    private readonly Linear _mu, _logVar, _decoder;

    /// <summary>The sizes this network was built with.</summary>
    public VibConfig Config { get; }

    /// <summary>Builds the network with PyTorch's default Linear initialisation drawn from <paramref name="rng"/>.</summary>
    public Vib(VibConfig config, Rng rng)
    {
        Config = config.Validate();
        _hidden = new Linear[config.HiddenLayers];
        for (int i = 0; i < _hidden.Length; i++)
            _hidden[i] = Child($"enc{i}", new Linear(i == 0 ? config.InputSize : config.Hidden, config.Hidden, rng));
        _mu = Child("mu", new Linear(config.Hidden, config.Latent, rng));
        _logVar = Child("logvar", new Linear(config.Hidden, config.Latent, rng));
        _decoder = Child("decoder", new Linear(config.Latent, config.Classes, rng));
    }

    /// <summary>Encoder p(z|x): x (B, InputSize) → μ (B, K), log σ² (B, K).</summary>
    /// <exception cref="ArgumentException">x does not have InputSize columns.</exception>
    public (Tensor Mu, Tensor LogVar) Encode(Tensor x)
    {
        if (x.Rank != 2 || x.Shape[1] != Config.InputSize)
            throw new ArgumentException($"VIB input has shape {ShapeUtil.Format(x.Shape)}, expected (B, {Config.InputSize})");
        var h = x;
        foreach (var layer in _hidden) h = h.LinearRelu(layer.Weight, layer.Bias); // (B, H)
        return (_mu.Forward(h), _logVar.Forward(h));
    }

    /// <summary>Decoder logits of q(y|z): z (B, K) → (B, Classes).</summary>
    public Tensor Decode(Tensor z) => _decoder.Forward(z);

    /// <summary>
    /// CE(q(y|z), labels) + β·KL(p(z|x) ‖ N(0, I)), both averaged over the batch, with one reparameterised
    /// sample z = μ + σ·ε per example (ε from <paramref name="rng"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The label count differs from the batch size, or β is negative or not finite.</exception>
    public VibLoss Loss(Tensor x, int[] labels, float beta, Rng rng)
    {
        if (!(beta >= 0) || float.IsInfinity(beta)) throw new ArgumentException($"VIB beta must be a finite non-negative number, got {beta}");
        if (labels.Length != x.Shape[0]) throw new ArgumentException($"VIB got {labels.Length} labels for {x.Shape[0]} inputs");
        var (mu, logVar) = Encode(x);
        var z = mu.Reparameterize(logVar, Tensor.RandN(rng, mu.Shape)); // (B, K)
        var ce = Decode(z).CrossEntropy(labels);                        // scalar, mean over the batch
        var kl = mu.GaussianKl(logVar).Mul(1f / x.Shape[0]);            // scalar, mean over the batch
        var loss = beta == 0f ? ce : ce + kl.Mul(beta);
        return new VibLoss(loss, ce.Item(), kl.Item(), beta);
    }

    /// <summary>Class logits at z = μ(x), without gradients: (B, Classes).</summary>
    public Tensor PredictLogits(Tensor x)
    {
        using var _ = NoGrad.Scope();
        return Decode(Encode(x).Mu);
    }

    /// <summary>Most likely class at z = μ(x) for each row of x.</summary>
    public int[] Predict(Tensor x) => PredictLogits(x).ArgMax();
}
