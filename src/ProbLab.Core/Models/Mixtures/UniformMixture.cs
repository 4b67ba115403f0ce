// Mixture of axis-aligned uniform boxes (IML ex5 §4 "UMM"): logits (K), centers (K, D), log_sizes (K, D),
// initialised as the course's skeleton (randn, randn, log(1 + 0.2·U[0,1))). log U(x | k) = −Σ_d log s_kd
// inside c_k ± s_k/2 and −1e6 outside (never −∞). With the course's hard boxes SGD gets zero gradient for
// the centres and a purely shrinking one for the sizes (see Kernels/MixtureUniform.cs); with
// EdgeSoftnessStart > 0 the boxes are trained with sigmoid-smoothed edges annealed towards hard ones, then
// (CoverTrainingPoints) grown minimally so that every training point lies in some box, and the weights
// re-estimated by EM with the boxes fixed. Scoring and sampling always use the hard boxes.
using ProbLab.Kernels;
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Models.Mixtures;

/// <summary>A mixture of K axis-aligned uniform boxes U(c_k ± s_k/2) with weights softmax(logits).</summary>
public sealed class UniformMixture : MixtureModel
{
    /// <summary>EM iterations of the weight re-estimation after covering.</summary>
    private const int WeightEmIterations = 20;

    /// <summary>Creates an unfitted mixture (defaults: K = 33, Adam lr 0.001, batch 4096, 50 epochs, hard boxes).</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public UniformMixture(UniformMixtureOptions? options = null) : base(options ?? new UniformMixtureOptions()) { }

    private UniformMixtureOptions Settings => (UniformMixtureOptions)Options;

    /// <summary>Typed <see cref="MixtureModel.Fit"/>: minibatch Adam on −mean log p(x); returns this.</summary>
    public new UniformMixture Fit(Tensor x, Rng rng, Tensor? test = null, int[]? labels = null, IProgress<EpochRecord>? progress = null) =>
        (UniformMixture)base.Fit(x, rng, test, labels, progress);

    /// <inheritdoc/>
    protected override (string Locations, string LogScales) ParameterNames => ("centers", "log_sizes");

    /// <summary>Box centres c (K, D), a copy.</summary>
    public Tensor Centers => Locations.Detach().Clone();

    /// <summary>Box side lengths s = exp(log_sizes) (K, D), a copy.</summary>
    public Tensor Sizes
    {
        get
        {
            var s = LogScales.Detach().Clone();
            for (int i = 0; i < s.Size; i++) s.Data[i] = MathF.Exp(s.Data[i]);
            return s;
        }
    }

    /// <summary>Fraction of the rows of x (N, D) that lie outside every box (log-likelihood ≈ −1e6).</summary>
    public double OutsideFraction(Tensor x)
    {
        int outside = 0;
        foreach (float v in ScoreSamples(x)) if (v < UniformMixtureKernels.OutsideLogProb / 2) outside++;
        return (double)outside / x.Shape[0];
    }

    /// <inheritdoc/>
    protected override Tensor LogLikelihood(Tensor x, int epoch) =>
        x.UniformMixtureLogLikelihood(Logits.LogSoftmax(), Locations, LogScales, Settings.EdgeSoftness(epoch));

    /// <inheritdoc/>
    protected override void ForwardKernel(Span<float> logLik, Span<float> resp, ReadOnlySpan<float> xT, int n) =>
        UniformMixtureKernels.Forward(logLik, resp, xT, LogWeightsArray(), Locations.Data, LogScales.Data, 0f, n, Components, Features);

    /// <summary>The course's size init: log(1 + 0.2·U[0, 1)), sides in [1, 1.2).</summary>
    protected override void InitLogScales(Span<float> logScales, Rng rng)
    {
        for (int i = 0; i < logScales.Length; i++) logScales[i] = MathF.Log(1f + 0.2f * rng.NextFloat());
    }

    /// <summary>x_d = c_kd + s_kd (U − ½) with U ~ U[0, 1), independently per feature.</summary>
    protected override void SampleFromComponent(int k, Span<float> dst, Rng rng)
    {
        int d = Features;
        for (int j = 0; j < d; j++)
            dst[j] = Locations.Data[k * d + j] + MathF.Exp(LogScales.Data[k * d + j]) * (rng.NextFloat() - 0.5f);
    }

    /// <inheritdoc/>
    protected override MixtureModel CreateEmpty() => new UniformMixture(Settings);

    /// <summary>After a smoothed fit: cover every training point with a hard box, then re-estimate the weights.</summary>
    protected override void AfterFit(Tensor x)
    {
        if (Settings.EdgeSoftnessStart == 0 || !Settings.CoverTrainingPoints) return;
        CoverPoints(x);
        RefitWeights(x, WeightEmIterations);
    }

    // One pass over the points outside every box: grow the box whose area grows the least (relative to its
    // own area, so a small box far away is not preferred over a large neighbour) to include the point.
    private void CoverPoints(Tensor x)
    {
        int n = x.Shape[0], d = Features, k = Components;
        var c = Locations.Data;
        var ls = LogScales.Data;
        var ll = ScoreSamples(x);
        var lo = new double[k * d];
        var hi = new double[k * d];
        for (int i = 0; i < k * d; i++)
        {
            double s = Math.Exp(ls[i]);
            lo[i] = c[i] - s / 2;
            hi[i] = c[i] + s / 2;
        }
        var grown = new bool[k];
        for (int p = 0; p < n; p++)
        {
            if (ll[p] > UniformMixtureKernels.OutsideLogProb / 2 || InsideAny(x.Data, p, d, k, lo, hi)) continue;
            int best = 0;
            double bestGrowth = double.PositiveInfinity;
            for (int m = 0; m < k; m++)
            {
                double before = 0, after = 0;
                for (int j = 0; j < d; j++)
                {
                    double v = x.Data[p * d + j], a = lo[m * d + j], b = hi[m * d + j];
                    before += Math.Log(b - a);
                    after += Math.Log(Math.Max(b, v) - Math.Min(a, v));
                }
                if (after - before < bestGrowth) { bestGrowth = after - before; best = m; }
            }
            grown[best] = true;
            for (int j = 0; j < d; j++)
            {
                double v = x.Data[p * d + j];
                lo[best * d + j] = Math.Min(lo[best * d + j], v);
                hi[best * d + j] = Math.Max(hi[best * d + j], v);
            }
        }
        // Rewrite only the grown boxes, with a hair of slack so the float edges c ± exp(log s)/2 still
        // include every point after rounding (float spacing near |x| ≈ 3 is 2.4e-7).
        for (int m = 0; m < k; m++)
        {
            if (!grown[m]) continue;
            for (int j = 0; j < d; j++)
            {
                int i = m * d + j;
                double a = lo[i] - 1e-6 * Math.Max(1, Math.Abs(lo[i])), b = hi[i] + 1e-6 * Math.Max(1, Math.Abs(hi[i]));
                c[i] = (float)(0.5 * (a + b));
                ls[i] = (float)Math.Log(b - a);
            }
        }
    }

    private static bool InsideAny(float[] x, int p, int d, int k, double[] lo, double[] hi)
    {
        for (int m = 0; m < k; m++)
        {
            bool inside = true;
            for (int j = 0; j < d && inside; j++) inside = x[p * d + j] >= lo[m * d + j] && x[p * d + j] <= hi[m * d + j];
            if (inside) return true;
        }
        return false;
    }

    // EM for the weights alone with the boxes fixed: π_k ← mean_n p(k | x_n), which never lowers the likelihood.
    private void RefitWeights(Tensor x, int iterations)
    {
        int n = x.Shape[0];
        for (int it = 0; it < iterations; it++)
        {
            var w = ResponsibilitySums(x);
            for (int m = 0; m < Components; m++) Logits.Data[m] = (float)Math.Log(Math.Max(w[m] / n, 1e-12));
        }
    }
}
