// A 2-D view of latents for scatter plots. For d = 2 it is the identity (axes z₁, z₂); for d > 2 it projects the
// centred latents onto the two leading principal axes of the training latents (eigenvectors of their d×d
// covariance, largest eigenvalues first), so generated latents and encoder means share one view. A 1-D latent
// has no 2-D view (the caller skips the scatter). PCA keeps the directions of largest spread; classes that differ
// only along other directions still overlap in the picture, which the report says.
using MathNet.Numerics.LinearAlgebra;
using ProbLab.Tensors;
using Tensor = ProbLab.Tensors.Tensor;

namespace ProbLab.Cli.Experiments;

/// <summary>Linear map of (N, d) latents to 2-D plot coordinates: the identity for d = 2, the top two principal axes for d &gt; 2.</summary>
public sealed class LatentProjection
{
    private readonly double[] _mean;          // (d), zero for the identity
    private readonly double[,] _axes;         // (2, d) unit rows

    private LatentProjection(double[] mean, double[,] axes, string xLabel, string yLabel)
    {
        _mean = mean;
        _axes = axes;
        XLabel = xLabel;
        YLabel = yLabel;
    }

    /// <summary>Axis title of the first coordinate.</summary>
    public string XLabel { get; }
    /// <summary>Axis title of the second coordinate.</summary>
    public string YLabel { get; }
    /// <summary>Latent width d.</summary>
    public int Dim => _mean.Length;

    /// <summary>Whether latents of width d can be drawn in 2-D (d ≥ 2).</summary>
    public static bool CanProject(int d) => d >= 2;

    /// <summary>The projection for training latents Z (N, d): identity for d = 2, principal axes for d &gt; 2.</summary>
    /// <exception cref="ArgumentException">Z is not (N ≥ 2, d ≥ 2).</exception>
    public static LatentProjection Fit(Tensor z)
    {
        if (z.Rank != 2 || z.Shape[0] < 2 || z.Shape[1] < 2) throw new ArgumentException($"a 2-D latent view needs (N ≥ 2, d ≥ 2) latents, got {ShapeUtil.Format(z.Shape)}");
        int n = z.Shape[0], d = z.Shape[1];
        if (d == 2) return new LatentProjection(new double[2], new double[,] { { 1, 0 }, { 0, 1 } }, "z₁", "z₂");
        var mean = new double[d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) mean[j] += z.Data[i * d + j] / (double)n;
        var cov = new double[d, d];
        var row = new double[d];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++) row[j] = z.Data[i * d + j] - mean[j];
            for (int a = 0; a < d; a++)
                for (int b = a; b < d; b++) cov[a, b] += row[a] * row[b] / (n - 1);
        }
        for (int a = 0; a < d; a++)
            for (int b = 0; b < a; b++) cov[a, b] = cov[b, a];
        var evd = Matrix<double>.Build.DenseOfArray(cov).Evd(Symmetricity.Symmetric);
        var order = Enumerable.Range(0, d).OrderByDescending(i => evd.EigenValues[i].Real).ToArray();
        double total = evd.EigenValues.Sum(v => v.Real);
        var axes = new double[2, d];
        for (int p = 0; p < 2; p++)
        {
            var v = evd.EigenVectors.Column(order[p]);
            int sign = v.AbsoluteMaximumIndex() is int m && v[m] < 0 ? -1 : 1;             // fix the sign so the view is deterministic
            for (int j = 0; j < d; j++) axes[p, j] = sign * v[j];
        }
        var explained = order.Take(2).Select(i => evd.EigenValues[i].Real / total).ToArray();
        return new LatentProjection(mean, axes, DiffusionFigures.Inv($"PC 1 ({explained[0]:P0} of variance)"), DiffusionFigures.Inv($"PC 2 ({explained[1]:P0})"));
    }

    /// <summary>Plot coordinates (x, y) of the first <paramref name="count"/> rows of Z (·, d).</summary>
    /// <exception cref="ArgumentException">Z's width differs from the fitted one.</exception>
    public (double[] X, double[] Y) Apply(Tensor z, int count)
    {
        int d = Dim;
        if (z.Rank != 2 || z.Shape[1] != d) throw new ArgumentException($"projection fitted on width {d}, got latents of shape {ShapeUtil.Format(z.Shape)}");
        int n = Math.Min(count, z.Shape[0]);
        var x = new double[n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
            {
                double v = z.Data[i * d + j] - _mean[j];
                x[i] += _axes[0, j] * v;
                y[i] += _axes[1, j] * v;
            }
        return (x, y);
    }
}
