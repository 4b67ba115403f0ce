// Diagonal-covariance Gaussian mixture (IML ex5 §4 "GMM"): parameters logits (K), means (K, D) and
// log_variances (K, D), initialised as the course's skeleton (randn, randn, zeros). Trained by SGD through
// the fused GaussianMixtureLogLikelihood op; GaussianMixtureEm.cs adds the classical EM fit.
//   log p(x) = logsumexp_k [log softmax(logits)_k − (D/2) log 2π − ½ Σ_d (log σ²_kd + (x_d − μ_kd)²/σ²_kd)]
using ProbLab.Kernels;
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Models.Mixtures;

/// <summary>A mixture of K axis-aligned Gaussians N(μ_k, diag σ²_k) with weights softmax(logits).</summary>
public sealed partial class GaussianMixture : MixtureModel
{
    /// <summary>Creates an unfitted mixture (defaults: K = 33, Adam lr 0.01, batch 4096, 50 epochs).</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public GaussianMixture(GaussianMixtureOptions? options = null) : base(options ?? new GaussianMixtureOptions()) { }

    /// <summary>Typed <see cref="MixtureModel.Fit"/>: minibatch Adam on −mean log p(x); returns this.</summary>
    public new GaussianMixture Fit(Tensor x, Rng rng, Tensor? test = null, int[]? labels = null, IProgress<EpochRecord>? progress = null) =>
        (GaussianMixture)base.Fit(x, rng, test, labels, progress);

    /// <inheritdoc/>
    protected override (string Locations, string LogScales) ParameterNames => ("means", "log_variances");

    /// <summary>Component means μ (K, D), a copy.</summary>
    public Tensor Means => Locations.Detach().Clone();

    /// <summary>Component variances σ² = exp(log_variances) (K, D), a copy.</summary>
    public Tensor Variances
    {
        get
        {
            var v = LogScales.Detach().Clone();
            for (int i = 0; i < v.Size; i++) v.Data[i] = MathF.Exp(v.Data[i]);
            return v;
        }
    }

    /// <inheritdoc/>
    protected override Tensor LogLikelihood(Tensor x, int epoch) =>
        x.GaussianMixtureLogLikelihood(Logits.LogSoftmax(), Locations, LogScales);

    /// <inheritdoc/>
    protected override void ForwardKernel(Span<float> logLik, Span<float> resp, ReadOnlySpan<float> xT, int n) =>
        GaussianMixtureKernels.Forward(logLik, resp, xT, LogWeightsArray(), Locations.Data, LogScales.Data, n, Components, Features);

    /// <summary>The course's log-variance init: zeros (unit variances).</summary>
    protected override void InitLogScales(Span<float> logScales, Rng rng) => logScales.Clear();

    /// <summary>x = μ_k + σ_k ⊙ z with z ~ N(0, I).</summary>
    protected override void SampleFromComponent(int k, Span<float> dst, Rng rng)
    {
        int d = Features;
        for (int j = 0; j < d; j++)
            dst[j] = (float)(Locations.Data[k * d + j] + Math.Exp(0.5 * LogScales.Data[k * d + j]) * rng.Normal());
    }

    /// <inheritdoc/>
    protected override MixtureModel CreateEmpty() => new GaussianMixture((GaussianMixtureOptions)Options);
}
