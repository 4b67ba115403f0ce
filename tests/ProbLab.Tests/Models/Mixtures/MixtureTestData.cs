// Shared fixtures of the mixture tests: synthetic Gaussian and box mixtures with known parameters.
using ProbLab.Tensors;

namespace ProbLab.Tests.Models.Mixtures;

internal static class MixtureTestData
{
    // Three well-separated diagonal Gaussians in 2-D.
    public static readonly float[] GmmWeights = { 0.5f, 0.3f, 0.2f };
    public static readonly float[] GmmMeans = { -2f, 0f, 2f, 1f, 0f, -2.5f };
    public static readonly float[] GmmStds = { 0.5f, 0.3f, 0.4f, 0.6f, 0.7f, 0.4f };

    // Three disjoint boxes: centres and side lengths.
    public static readonly float[] BoxWeights = { 0.4f, 0.35f, 0.25f };
    public static readonly float[] BoxCenters = { -2f, -1f, 1f, 1f, 0.5f, -1.5f };
    public static readonly float[] BoxSizes = { 1.0f, 0.8f, 1.5f, 0.6f, 0.6f, 1.2f };

    public static (Tensor X, int[] Labels) SampleGaussians(int n, Rng rng)
    {
        var x = Tensor.Zeros(n, 2);
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            int k = rng.Categorical(GmmWeights);
            labels[i] = k;
            for (int j = 0; j < 2; j++) x.Data[i * 2 + j] = (float)(GmmMeans[k * 2 + j] + GmmStds[k * 2 + j] * rng.Normal());
        }
        return (x, labels);
    }

    public static (Tensor X, int[] Labels) SampleBoxes(int n, Rng rng)
    {
        var x = Tensor.Zeros(n, 2);
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            int k = rng.Categorical(BoxWeights);
            labels[i] = k;
            for (int j = 0; j < 2; j++) x.Data[i * 2 + j] = BoxCenters[k * 2 + j] + BoxSizes[k * 2 + j] * (rng.NextFloat() - 0.5f);
        }
        return (x, labels);
    }

    /// <summary>Component order sorted by the first coordinate of the locations (K × 2).</summary>
    public static int[] OrderByX(float[] locations, int k) => Enumerable.Range(0, k).OrderBy(c => locations[c * 2]).ToArray();
}
