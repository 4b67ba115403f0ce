// Score network s_θ(x, t[, y]) ≈ ∇_x log p_t(x | y): an MLP on [x, time features, class embedding].
// Time features: raw t (the exam's [x1, x2, t]) plus optional sinusoids sin/cos(π f t), f = 1..F/2.
// Conditional nets (Classes > 0) have a learned embedding table of Classes + 1 rows; the last row is the
// null class ∅ used for classifier-free guidance (Ho & Salimans 2022). An optional output scale c(t)
// (e.g. 1/σ(t), the ε-parameterisation s = −ε̂/σ) multiplies the MLP output.
// ForwardWithDivergence returns ∇_x · s_θ exactly via forward-mode tangents (MlpTangents).
using ProbLab.Nn;
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Models.Diffusion;

/// <summary>Configuration of a <see cref="ScoreNet"/>.</summary>
public sealed record ScoreNetConfig
{
    /// <summary>Data dimension D (2 for the spiral and the 2-D VAE latents).</summary>
    public int Dim { get; init; } = 2;
    /// <summary>Hidden layer widths (the exam's student: three layers of 128).</summary>
    public int[] Hidden { get; init; } = [128, 128, 128];
    /// <summary>Activation between layers; must be smooth for the Hyvärinen objective (Tanh, Silu, Softplus, Sigmoid).</summary>
    public Activation Activation { get; init; } = Activation.Tanh;
    /// <summary>Extra sinusoidal time features (even; 0 = raw t only).</summary>
    public int TimeFeatures { get; init; }
    /// <summary>Number of classes for a conditional net (0 = unconditional).</summary>
    public int Classes { get; init; }
    /// <summary>Class embedding size (conditional nets only).</summary>
    public int ClassEmbedding { get; init; } = 32;

    /// <summary>Throws a one-line error naming the first invalid field.</summary>
    public void Validate()
    {
        if (Dim < 1) throw new ArgumentOutOfRangeException(nameof(Dim), $"score net Dim must be at least 1, got {Dim}");
        if (Hidden.Length == 0 || Hidden.Any(h => h < 1)) throw new ArgumentException($"score net Hidden must be non-empty positive widths, got [{string.Join(", ", Hidden)}]");
        if (TimeFeatures < 0 || TimeFeatures % 2 != 0) throw new ArgumentOutOfRangeException(nameof(TimeFeatures), $"score net TimeFeatures must be a non-negative even number, got {TimeFeatures}");
        if (Classes < 0) throw new ArgumentOutOfRangeException(nameof(Classes), $"score net Classes must be non-negative, got {Classes}");
        if (Classes > 0 && ClassEmbedding < 1) throw new ArgumentOutOfRangeException(nameof(ClassEmbedding), $"score net ClassEmbedding must be at least 1, got {ClassEmbedding}");
    }

    /// <summary>Input width of the MLP: D + 1 + TimeFeatures (+ ClassEmbedding when conditional).</summary>
    public int InputWidth => Dim + 1 + TimeFeatures + (Classes > 0 ? ClassEmbedding : 0);
}

/// <summary>MLP score model s_θ(x, t[, y]) with an exact-divergence forward pass.</summary>
public sealed class ScoreNet : Module
{
    private readonly Mlp _mlp;
    private readonly Embedding? _classes;
    private readonly Func<double, double>? _outputScale;

    /// <summary>Creates the network; <paramref name="outputScale"/> c(t) multiplies the output (null = 1).</summary>
    /// <exception cref="ArgumentException">An invalid config field (one line naming it).</exception>
    public ScoreNet(ScoreNetConfig config, Rng rng, Func<double, double>? outputScale = null)
    {
        config.Validate();
        Config = config;
        _outputScale = outputScale;
        _mlp = Child("mlp", new Mlp([config.InputWidth, .. config.Hidden, config.Dim], config.Activation, rng));
        if (config.Classes > 0) _classes = Child("class_embedding", new Embedding(config.Classes + 1, config.ClassEmbedding, rng));
    }

    /// <summary>The configuration.</summary>
    public ScoreNetConfig Config { get; }

    /// <summary>Label of the null class ∅ (= Classes) for conditional nets.</summary>
    public int NullClass => Config.Classes;

    /// <summary>s_θ(x, t, y) for X (N, D) with per-row times; labels (N) in 0..Classes (Classes = ∅), or null for ∅ / unconditional.</summary>
    public Tensor Forward(Tensor x, double[] t, int[]? labels = null)
    {
        var y = _mlp.Forward(Input(x, t, labels));                                        // (N, D)
        return Scale(y, t);
    }

    /// <summary>s_θ(x, t, y) with one time for all rows.</summary>
    public Tensor Forward(Tensor x, double t, int[]? labels = null) => Forward(x, Fill(x, t), labels);

    /// <summary>s_θ and its exact divergence ∇_x · s_θ (N), both differentiable in the parameters.</summary>
    public (Tensor Score, Tensor Divergence) ForwardWithDivergence(Tensor x, double[] t, int[]? labels = null)
    {
        var (y, jac) = _mlp.ForwardWithJacobian(Input(x, t, labels), Config.Dim);        // (N, D), (D, N, D)
        if (_outputScale is null) return (y, MlpTangents.Trace(jac));
        var c = ScaleColumn(t);                                                          // (N, 1)
        return (y.Mul(c), MlpTangents.Trace(jac.Mul(c)));
    }

    /// <summary>The score as a <see cref="ScoreFunction"/> for sampling, with fixed per-row labels (or null).</summary>
    public ScoreFunction AsScoreFunction(int[]? labels = null) => (x, t) => Forward(x, t, labels);

    // [x, t, sin(π f t), cos(π f t) ..., e(y)]  (N, InputWidth)
    private Tensor Input(Tensor x, double[] t, int[]? labels)
    {
        int d = Config.Dim;
        if (x.Rank != 2 || x.Shape[1] != d) throw new ArgumentException($"score net expects x of shape (N, {d}), got {ShapeUtil.Format(x.Shape)}");
        int n = x.Shape[0];
        if (t.Length != n) throw new ArgumentException($"score net got {t.Length} times for {n} rows");
        int f = 1 + Config.TimeFeatures;
        var tf = Tensor.Zeros(n, f);
        for (int i = 0; i < n; i++)
        {
            tf.Data[i * f] = (float)t[i];
            for (int k = 0; k < Config.TimeFeatures / 2; k++)
            {
                double w = Math.PI * (k + 1) * t[i];
                tf.Data[i * f + 1 + 2 * k] = (float)Math.Sin(w);
                tf.Data[i * f + 2 + 2 * k] = (float)Math.Cos(w);
            }
        }
        if (_classes is null)
        {
            if (labels is not null) throw new ArgumentException("labels were given to an unconditional score net (Classes = 0)");
            return TensorOps.Concat([x, tf], 1);
        }
        var ids = labels ?? Enumerable.Repeat(NullClass, n).ToArray();
        if (ids.Length != n) throw new ArgumentException($"score net got {ids.Length} labels for {n} rows");
        foreach (int id in ids)
            if (id < 0 || id > NullClass) throw new ArgumentOutOfRangeException(nameof(labels), $"label must be in 0..{NullClass} ({NullClass} = null class), got {id}");
        return TensorOps.Concat([x, tf, _classes.Forward(ids)], 1);
    }

    private Tensor Scale(Tensor y, double[] t) => _outputScale is null ? y : y.Mul(ScaleColumn(t));

    private Tensor ScaleColumn(double[] t)
    {
        var c = Tensor.Zeros(t.Length, 1);
        for (int i = 0; i < t.Length; i++) c.Data[i] = (float)_outputScale!(t[i]);
        return c;
    }

    private static double[] Fill(Tensor x, double t)
    {
        var r = new double[x.Shape[0]];
        Array.Fill(r, t);
        return r;
    }
}
