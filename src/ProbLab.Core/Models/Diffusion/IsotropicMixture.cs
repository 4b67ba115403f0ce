// Equal-weight isotropic Gaussian mixture p(x) = (1/M) Σ_m N(x | μ_m, σ² I) in D dimensions: the data
// law of the spiral exercise and of the synthetic class-conditional latents. Its score is closed-form,
//   ∇ log p(x) = Σ_m w_m(x) (μ_m − x) / σ²,   w_m = softmax_m(−‖x − μ_m‖² / 2σ²),
// evaluated with the max subtracted (responsibilities of far-away points would underflow otherwise).
// The VP-SDE maps such a mixture to another one (VpSde.Marginal), which gives the exact score p_k.
// All arithmetic is in double; Tensor in/out is float32 (N, D).
using System.Numerics.Tensors;
using ProbLab.Tensors;

namespace ProbLab.Models.Diffusion;

/// <summary>Equal-weight mixture of M Gaussians N(μ_m, σ²I) in D dimensions, with exact log-density and score.</summary>
public class IsotropicMixture
{
    private readonly double[] _means; // (M, D) row-major
    private readonly float[][] _columns; // D columns of M floats: the vectorised batch score path

    /// <summary>Creates the mixture from component means (M, D) and a shared standard deviation σ.</summary>
    /// <exception cref="ArgumentException">No components, a ragged or non-finite mean, or σ not positive and finite.</exception>
    public IsotropicMixture(double[,] means, double sigma)
    {
        int m = means.GetLength(0), d = means.GetLength(1);
        if (m < 1 || d < 1) throw new ArgumentException($"a mixture needs at least one component and one dimension, got means of shape ({m}, {d})");
        if (!(sigma > 0) || double.IsInfinity(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), $"mixture standard deviation must be positive and finite, got {sigma}");
        _means = new double[m * d];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < d; j++)
            {
                double v = means[i, j];
                if (!double.IsFinite(v)) throw new ArgumentException($"mixture mean [{i}, {j}] is {v}");
                _means[i * d + j] = v;
            }
        Components = m;
        Dim = d;
        Sigma = sigma;
        _columns = new float[d][];
        for (int j = 0; j < d; j++)
        {
            _columns[j] = new float[m];
            for (int i = 0; i < m; i++) _columns[j][i] = (float)_means[i * d + j];
        }
    }

    /// <summary>Number of components M.</summary>
    public int Components { get; }

    /// <summary>Dimension D.</summary>
    public int Dim { get; }

    /// <summary>Shared component standard deviation σ.</summary>
    public double Sigma { get; }

    /// <summary>Component mean μ_m[j].</summary>
    public double Mean(int m, int j) => _means[m * Dim + j];

    /// <summary>Means as a (M, D) array copy.</summary>
    public double[,] Means()
    {
        var r = new double[Components, Dim];
        for (int i = 0; i < Components; i++)
            for (int j = 0; j < Dim; j++) r[i, j] = _means[i * Dim + j];
        return r;
    }

    /// <summary>The same mixture with means scaled by <paramref name="scale"/> and std <paramref name="sigma"/> (the VP-SDE marginal).</summary>
    public IsotropicMixture ScaledTo(double scale, double sigma)
    {
        var m = Means();
        for (int i = 0; i < Components; i++)
            for (int j = 0; j < Dim; j++) m[i, j] *= scale;
        return new IsotropicMixture(m, sigma);
    }

    /// <summary>N draws: component uniform, then μ_m + σ·ε. Returns X (N, D) and the component of each row.</summary>
    public (Tensor X, int[] Components) Sample(int n, Rng rng)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), $"sample count must be at least 1, got {n}");
        var x = Tensor.Zeros(n, Dim);
        var comp = new int[n];
        for (int i = 0; i < n; i++)
        {
            int m = rng.NextInt(Components);
            comp[i] = m;
            for (int j = 0; j < Dim; j++) x.Data[i * Dim + j] = (float)(_means[m * Dim + j] + Sigma * rng.Normal());
        }
        return (x, comp);
    }

    /// <summary>log p(x) for one point, computed as logsumexp over components (stable).</summary>
    public double LogDensity(ReadOnlySpan<double> x)
    {
        CheckPoint(x.Length);
        Span<double> logits = Components <= 1024 ? stackalloc double[Components] : new double[Components];
        double max = Logits(x, logits);
        double sum = 0;
        foreach (double l in logits) sum += Math.Exp(l - max);
        double v = Sigma * Sigma;
        return max + Math.Log(sum) - Math.Log(Components) - 0.5 * Dim * Math.Log(2 * Math.PI * v);
    }

    /// <summary>∇ log p(x) for one point into <paramref name="score"/> (length D), via softmax responsibilities.</summary>
    public void Score(ReadOnlySpan<double> x, Span<double> score)
    {
        CheckPoint(x.Length);
        if (score.Length != Dim) throw new ArgumentException($"score buffer has length {score.Length}, expected {Dim}");
        Span<double> logits = Components <= 1024 ? stackalloc double[Components] : new double[Components];
        double max = Logits(x, logits);
        double total = 0;
        score.Clear();
        for (int m = 0; m < Components; m++)
        {
            double w = Math.Exp(logits[m] - max); // unnormalised responsibility, ≤ 1
            total += w;
            for (int j = 0; j < Dim; j++) score[j] += w * _means[m * Dim + j];
        }
        // Σ w_m (μ_m − x)/σ² = (E_w[μ] − x)/σ²
        double v = Sigma * Sigma;
        for (int j = 0; j < Dim; j++) score[j] = (score[j] / total - x[j]) / v;
    }

    /// <summary>Per-row log p(x) of X (N, D).</summary>
    public double[] LogDensity(Tensor x)
    {
        int n = Rows(x);
        var r = new double[n];
        var p = new double[Dim];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < Dim; j++) p[j] = x.Data[i * Dim + j];
            r[i] = LogDensity(p);
        }
        return r;
    }

    /// <summary>
    /// Per-row score ∇ log p of X (N, D) as a new (N, D) tensor (no gradient history). Vectorised over the
    /// M components in float32 (logits relative to their max, so exp never overflows); agrees with the
    /// double-precision single-point <see cref="Score(ReadOnlySpan{double}, Span{double})"/> to float rounding.
    /// </summary>
    public Tensor Score(Tensor x)
    {
        int n = Rows(x), m = Components;
        var y = Tensor.Zeros(n, Dim);
        var logits = new float[m];
        var diff = new float[m];
        float inv2v = (float)(0.5 / (Sigma * Sigma)), invV = (float)(1 / (Sigma * Sigma));
        for (int i = 0; i < n; i++)
        {
            Array.Clear(logits);
            for (int j = 0; j < Dim; j++)
            {
                TensorPrimitives.Subtract(_columns[j], x.Data[i * Dim + j], diff);      // μ_mj − x_j
                TensorPrimitives.MultiplyAdd(diff, diff, logits, logits);                // ‖x − μ_m‖²
            }
            TensorPrimitives.Multiply(logits, -inv2v, logits);
            float max = TensorPrimitives.Max<float>(logits);
            TensorPrimitives.Subtract(logits, max, logits);
            TensorPrimitives.Exp(logits, logits);                                        // unnormalised w_m ≤ 1
            float total = TensorPrimitives.Sum<float>(logits);
            for (int j = 0; j < Dim; j++)
            {
                float mean = TensorPrimitives.Dot<float>(logits, _columns[j]) / total;     // E_w[μ_j]
                y.Data[i * Dim + j] = (mean - x.Data[i * Dim + j]) * invV;
            }
        }
        return y;
    }

    // logits_m = −‖x − μ_m‖²/(2σ²); returns their maximum.
    private double Logits(ReadOnlySpan<double> x, Span<double> logits)
    {
        double inv2v = 0.5 / (Sigma * Sigma), max = double.NegativeInfinity;
        for (int m = 0; m < Components; m++)
        {
            double d2 = 0;
            for (int j = 0; j < Dim; j++)
            {
                double d = x[j] - _means[m * Dim + j];
                d2 += d * d;
            }
            logits[m] = -d2 * inv2v;
            if (logits[m] > max) max = logits[m];
        }
        return max;
    }

    private void CheckPoint(int length)
    {
        if (length != Dim) throw new ArgumentException($"point has {length} coordinates, the mixture has dimension {Dim}");
    }

    private int Rows(Tensor x)
    {
        if (x.Rank != 2 || x.Shape[1] != Dim) throw new ArgumentException($"expected points of shape (N, {Dim}), got {ShapeUtil.Format(x.Shape)}");
        return x.Shape[0];
    }
}
