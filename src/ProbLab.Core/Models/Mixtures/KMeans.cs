// k-means (Lloyd's algorithm) with k-means++ seeding (Arthur & Vassilvitskii 2007), used to initialise the
// EM fit of the Gaussian mixture as scikit-learn does. Double-precision centres, deterministic given the Rng.
using ProbLab.Tensors;

namespace ProbLab.Models.Mixtures;

/// <summary>Result of <see cref="KMeans.Fit"/>: centres (K × D), the label of each point, and Lloyd iterations run.</summary>
public sealed record KMeansResult(double[] Centers, int[] Labels, int Iterations);

/// <summary>k-means clustering of (N, D) points.</summary>
public static class KMeans
{
    /// <summary>k-means++ seeding then Lloyd iterations until no label changes, the centres move less than scikit-learn's tolerance, or <paramref name="maxIterations"/>.</summary>
    /// <exception cref="ArgumentException">k is not in [1, N], or x is empty or has NaN/∞.</exception>
    public static KMeansResult Fit(Tensor x, int k, Rng rng, int maxIterations = 100)
    {
        MixtureData.CheckPoints(x, "x");
        int n = x.Shape[0], d = x.Shape[1];
        if (k < 1 || k > n) throw new ArgumentException($"k-means: k = {k} must be in [1, N = {n}]");
        var centers = SeedPlusPlus(x.Data, n, d, k, rng);
        var labels = new int[n];
        Array.Fill(labels, -1);
        int it = 0;
        // scikit-learn's stopping rule: total squared centre shift ≤ 1e-4 × mean column variance.
        double tol = 1e-4 * MeanVariance(x.Data, n, d);
        var previous = new double[k * d];
        while (it < maxIterations)
        {
            it++;
            Array.Copy(centers, previous, centers.Length);
            bool changed = Assign(x.Data, n, d, centers, k, labels);
            Update(x.Data, n, d, centers, k, labels);
            double shift = 0;
            for (int i = 0; i < centers.Length; i++) shift += (centers[i] - previous[i]) * (centers[i] - previous[i]);
            if (!changed || shift <= tol) break;
        }
        return new KMeansResult(centers, labels, it);
    }

    private static double MeanVariance(float[] x, int n, int d)
    {
        double total = 0;
        for (int j = 0; j < d; j++)
        {
            double m = 0, q = 0;
            for (int i = 0; i < n; i++) m += x[i * d + j];
            m /= n;
            for (int i = 0; i < n; i++) q += (x[i * d + j] - m) * (x[i * d + j] - m);
            total += q / n;
        }
        return total / d;
    }

    // First centre uniform; each next one drawn with probability ∝ squared distance to the nearest centre.
    private static double[] SeedPlusPlus(float[] x, int n, int d, int k, Rng rng)
    {
        var c = new double[k * d];
        var dist = new double[n];
        int first = rng.NextInt(n);
        for (int j = 0; j < d; j++) c[j] = x[first * d + j];
        for (int i = 0; i < n; i++) dist[i] = Sq(x, i, c, 0, d);
        for (int m = 1; m < k; m++)
        {
            int pick = dist.Sum() > 0 ? rng.Categorical(dist) : rng.NextInt(n);
            for (int j = 0; j < d; j++) c[m * d + j] = x[pick * d + j];
            for (int i = 0; i < n; i++) dist[i] = Math.Min(dist[i], Sq(x, i, c, m, d));
        }
        return c;
    }

    private static bool Assign(float[] x, int n, int d, double[] c, int k, int[] labels)
    {
        bool changed = false;
        for (int i = 0; i < n; i++)
        {
            int best = 0;
            double bd = double.PositiveInfinity;
            for (int m = 0; m < k; m++)
            {
                double q = Sq(x, i, c, m, d);
                if (q < bd) { bd = q; best = m; }
            }
            if (labels[i] != best) { labels[i] = best; changed = true; }
        }
        return changed;
    }

    // Centres = means of their points; an empty cluster takes the point farthest from its own centre.
    private static void Update(float[] x, int n, int d, double[] c, int k, int[] labels)
    {
        var sum = new double[k * d];
        var count = new int[k];
        for (int i = 0; i < n; i++)
        {
            count[labels[i]]++;
            for (int j = 0; j < d; j++) sum[labels[i] * d + j] += x[i * d + j];
        }
        for (int m = 0; m < k; m++)
        {
            if (count[m] == 0)
            {
                int far = 0;
                double fd = -1;
                for (int i = 0; i < n; i++)
                {
                    double q = Sq(x, i, c, labels[i], d);
                    if (q > fd) { fd = q; far = i; }
                }
                for (int j = 0; j < d; j++) c[m * d + j] = x[far * d + j];
                labels[far] = m;
                continue;
            }
            for (int j = 0; j < d; j++) c[m * d + j] = sum[m * d + j] / count[m];
        }
    }

    private static double Sq(float[] x, int i, double[] c, int m, int d)
    {
        double s = 0;
        for (int j = 0; j < d; j++)
        {
            double t = x[i * d + j] - c[m * d + j];
            s += t * t;
        }
        return s;
    }
}
