// EM fit of the diagonal Gaussian mixture (Dempster, Laird & Rubin 1977; Bishop PRML §9.2.2), the quality
// baseline for the SGD fits, initialised like scikit-learn's GaussianMixture (k-means labels, then one
// M-step). E-step = the fused forward kernel (responsibilities); M-step from the weighted moments about the
// current means, all sums in double:
//   N_k = Σ_n r_nk,  μ'_k = μ_k + S1_k / N_k,  σ²'_k = S2_k / N_k − (S1_k / N_k)² + floor,  π'_k = N_k / N
// with S1 = Σ r (x − μ), S2 = Σ r (x − μ)² (the centred form avoids cancellation in Σ r x² − N μ²).
using ProbLab.Kernels;
using ProbLab.Tensors;

namespace ProbLab.Models.Mixtures;

public sealed partial class GaussianMixture
{
    /// <summary>
    /// Fits a diagonal GMM to x (N, D) by EM until the mean log-likelihood gains less than
    /// <see cref="EmOptions.Tolerance"/>; the history has one record per iteration (Method "em").
    /// </summary>
    /// <exception cref="ArgumentException">Bad options, K &gt; N, or empty/non-finite data.</exception>
    public static GaussianMixture FitEm(Tensor x, EmOptions options, Rng rng, Tensor? test = null, IProgress<EpochRecord>? progress = null)
    {
        options.Validate();
        MixtureData.CheckPoints(x, "x");
        if (test is not null) MixtureData.CheckPoints(test, "test", x.Shape[1]);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        int n = x.Shape[0], d = x.Shape[1], k = options.Components;
        var gmm = new GaussianMixture(new GaussianMixtureOptions { Components = k, Epochs = 1 });
        var km = KMeans.Fit(x, k, rng, options.KMeansIterations);
        // One M-step from the hard k-means responsibilities.
        var hard = new float[k * n];
        for (int i = 0; i < n; i++) hard[km.Labels[i] * n + i] = 1f;
        var origin = new float[k * d]; // moments about 0 for the first M-step (and log-variances 0 for empty clusters)
        var xT = Transpose(x);
        var (logits, means, logVars) = MStep(hard, xT, origin, origin, n, k, d, options.VarianceFloor);
        gmm.Assign(logits, means, logVars);

        var records = new List<EpochRecord>();
        double previous = double.NegativeInfinity;
        var resp = new float[k * n];
        var ll = new float[n];
        var none = new GradientNorms(double.NaN, double.NaN, double.NaN);
        for (int it = 1; it <= options.MaxIterations; it++)
        {
            // E-step over all points at once (the kernel tiles internally).
            GaussianMixtureKernels.Forward(ll, resp, xT, gmm.LogWeightsArray(), gmm.Locations.Data, gmm.LogScales.Data, n, k, d);
            double mean = 0;
            foreach (float v in ll) mean += v;
            mean /= n;
            (logits, means, logVars) = MStep(resp, xT, gmm.Locations.Data, gmm.LogScales.Data, n, k, d, options.VarianceFloor);
            gmm.Assign(logits, means, logVars);
            bool done = Math.Abs(mean - previous) < options.Tolerance;
            // Train log-likelihood of the parameters the E-step used; the test score uses the updated ones.
            var rec = new EpochRecord(it, mean, test is null ? double.NaN : gmm.Score(test), -mean, none, sw.Elapsed.TotalSeconds);
            records.Add(rec);
            progress?.Report(rec);
            previous = mean;
            if (done) break;
        }
        var last = records[^1];
        records[^1] = last with { TrainLogLik = gmm.Score(x) };
        gmm.History = new FitHistory(records, Array.Empty<MixtureSnapshot>(), records.Count, sw.Elapsed.TotalSeconds, "em");
        return gmm;
    }

    private static (float[] Logits, float[] Means, float[] LogVars) MStep(float[] resp, float[] xT, float[] means, float[] logVars,
        int n, int k, int d, double floor)
    {
        var ones = new float[n];
        Array.Fill(ones, 1f);
        var s1 = new double[d];
        var s2 = new double[d];
        var logits = new float[k];
        var mu = new float[k * d];
        var lv = new float[k * d];
        for (int c = 0; c < k; c++)
        {
            double nk = GaussianMixtureKernels.WeightedMoments(s1, s2, ones, resp.AsSpan(c * n, n), xT, means.AsSpan(c * d, d), n, d);
            // An empty component keeps its parameters with a tiny weight (finite logit, no division by 0).
            logits[c] = (float)Math.Log(Math.Max(nk / n, 1e-12));
            for (int j = 0; j < d; j++)
            {
                if (nk < 1e-8)
                {
                    mu[c * d + j] = means[c * d + j];
                    lv[c * d + j] = logVars[c * d + j];
                    continue;
                }
                double shift = s1[j] / nk;
                mu[c * d + j] = (float)(means[c * d + j] + shift);
                lv[c * d + j] = (float)Math.Log(Math.Max(s2[j] / nk - shift * shift + floor, 1e-30));
            }
        }
        return (logits, mu, lv);
    }

    private static float[] Transpose(Tensor x)
    {
        int n = x.Shape[0], d = x.Shape[1];
        var t = new float[n * d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) t[j * n + i] = x.Data[i * d + j];
        return t;
    }
}
