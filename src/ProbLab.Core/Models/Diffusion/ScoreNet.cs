// Score network s_θ(x, t[, y]) ≈ ∇_x log p_t(x | y): an MLP on [x, space features, time features, class
// embedding]. With no extra features this is the exam's MLP on [x1, x2, t]. Space features are sinusoids
// sin/cos(ω_k x_j) per coordinate, ω_k geometric from 1 to MaxFrequency (a fixed Fourier embedding, Tancik
// et al. 2020): plain MLPs on raw coordinates learn high-frequency fields slowly (spectral bias), and the
// spiral's arms are 0.06 wide and 0.94 apart. Time features: sin/cos(π f t), f = 1..F/2, after raw t.
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
    /// <summary>Sinusoid frequencies per coordinate of x (0 = raw x only); adds 2·SpaceFeatures·Dim inputs.</summary>
    public int SpaceFeatures { get; init; }
    /// <summary>Largest space frequency ω (radians per unit of x); frequencies are geometric from 1 to it.</summary>
    public double MaxFrequency { get; init; } = 32;
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
        if (SpaceFeatures < 0) throw new ArgumentOutOfRangeException(nameof(SpaceFeatures), $"score net SpaceFeatures must be non-negative, got {SpaceFeatures}");
        if (SpaceFeatures > 0 && !(MaxFrequency >= 1 && double.IsFinite(MaxFrequency))) throw new ArgumentOutOfRangeException(nameof(MaxFrequency), $"score net MaxFrequency must be finite and ≥ 1, got {MaxFrequency}");
        if (TimeFeatures < 0 || TimeFeatures % 2 != 0) throw new ArgumentOutOfRangeException(nameof(TimeFeatures), $"score net TimeFeatures must be a non-negative even number, got {TimeFeatures}");
        if (Classes < 0) throw new ArgumentOutOfRangeException(nameof(Classes), $"score net Classes must be non-negative, got {Classes}");
        if (Classes > 0 && ClassEmbedding < 1) throw new ArgumentOutOfRangeException(nameof(ClassEmbedding), $"score net ClassEmbedding must be at least 1, got {ClassEmbedding}");
    }

    /// <summary>Input width of the MLP: D + 2·SpaceFeatures·D + 1 + TimeFeatures (+ ClassEmbedding when conditional).</summary>
    public int InputWidth => Dim * (1 + 2 * SpaceFeatures) + 1 + TimeFeatures + (Classes > 0 ? ClassEmbedding : 0);

    /// <summary>ω_k = MaxFrequency^(k/(F−1)), k = 0..F−1 (ω = 1 when F = 1).</summary>
    public double Frequency(int k) => SpaceFeatures <= 1 ? 1 : Math.Pow(MaxFrequency, (double)k / (SpaceFeatures - 1));
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
        var u = Input(x, t, labels);
        var (y, jac) = Config.SpaceFeatures == 0
            ? _mlp.ForwardWithJacobian(u, Config.Dim)                                     // (N, D), (D, N, D)
            : _mlp.ForwardWithJacobian(u, InputTangent(x));
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
        var parts = new List<Tensor> { x };
        if (Config.SpaceFeatures > 0) parts.Add(SpaceFeatures(x));
        parts.Add(tf);
        if (_classes is null)
        {
            if (labels is not null) throw new ArgumentException("labels were given to an unconditional score net (Classes = 0)");
            return TensorOps.Concat(parts, 1);
        }
        var ids = labels ?? Enumerable.Repeat(NullClass, n).ToArray();
        if (ids.Length != n) throw new ArgumentException($"score net got {ids.Length} labels for {n} rows");
        foreach (int id in ids)
            if (id < 0 || id > NullClass) throw new ArgumentOutOfRangeException(nameof(labels), $"label must be in 0..{NullClass} ({NullClass} = null class), got {id}");
        parts.Add(_classes.Forward(ids));
        return TensorOps.Concat(parts, 1);
    }

    // [sin(ω_k x_j), cos(ω_k x_j)] for j = 0..D−1, k = 0..F−1, column 2(jF + k) and 2(jF + k) + 1.  (N, 2FD)
    // A fixed map of the data: no parameters, no gradient history.
    private Tensor SpaceFeatures(Tensor x)
    {
        int n = x.Shape[0], d = Config.Dim, f = Config.SpaceFeatures, w = 2 * f * d;
        var r = Tensor.Zeros(n, w);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
                for (int k = 0; k < f; k++)
                {
                    double a = Config.Frequency(k) * x.Data[i * d + j];
                    r.Data[i * w + 2 * (j * f + k)] = (float)Math.Sin(a);
                    r.Data[i * w + 2 * (j * f + k) + 1] = (float)Math.Cos(a);
                }
        return r;
    }

    // ∂u/∂x_j for the whole input u = [x, features, time, class]: e_j on the raw columns, and
    // (ω cos(ωx_j), −ω sin(ωx_j)) on coordinate j's sinusoid columns; zero elsewhere.  (D, N, InputWidth)
    private Tensor InputTangent(Tensor x)
    {
        int n = x.Shape[0], d = Config.Dim, f = Config.SpaceFeatures, width = Config.InputWidth;
        var r = Tensor.Zeros(d, n, width);
        for (int j = 0; j < d; j++)
            for (int i = 0; i < n; i++)
            {
                int row = (j * n + i) * width;
                r.Data[row + j] = 1f;
                for (int k = 0; k < f; k++)
                {
                    double om = Config.Frequency(k), a = om * x.Data[i * d + j];
                    r.Data[row + d + 2 * (j * f + k)] = (float)(om * Math.Cos(a));
                    r.Data[row + d + 2 * (j * f + k) + 1] = (float)(-om * Math.Sin(a));
                }
            }
        return r;
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
