// The vectorised narrow-row LayerNorm against the generic LayerNormKernels (its reference twin) over
// C = 1..67 and odd row counts, with and without bias, gradient destinations skipped one at a time.
using ProbLab.Kernels;
using ProbLab.Tensors;

namespace ProbLab.Tests.Kernels;

public class LayerNormFastTests
{
    [Fact]
    public void MatchesGenericKernelForWidths1To67()
    {
        var rng = new Rng(1);
        for (int c = 1; c <= 67; c++)
        {
            int rows = 1 + c % 5;
            bool bias = c % 2 == 0;
            float[] x = R(rng, rows * c, 3f), w = R(rng, c), b = bias ? R(rng, c) : [], dy = R(rng, rows * c);
            float[] y1 = new float[rows * c], y2 = new float[rows * c], m1 = new float[rows], m2 = new float[rows], s1 = new float[rows], s2 = new float[rows];
            LayerNormFastKernels.Forward(y1, m1, s1, x, w, b, rows, c);
            LayerNormKernels.Forward(y2, m2, s2, x, w, b, rows, c);
            Check.Close(y2, y1, 1e-5, 1e-4, $"y C={c}");
            Check.Close(s2, s1, 1e-5, 1e-4, $"rstd C={c}");
            float[] dx1 = R(rng, rows * c), dw1 = R(rng, c), db1 = R(rng, c);
            float[] dx2 = (float[])dx1.Clone(), dw2 = (float[])dw1.Clone(), db2 = (float[])db1.Clone();
            LayerNormFastKernels.Backward(dx1, dw1, db1, dy, x, w, m1, s1, rows, c);
            LayerNormKernels.Backward(dx2, dw2, db2, dy, x, w, m2, s2, rows, c);
            Check.Close(dx2, dx1, 1e-4, 1e-4, $"dx C={c}");
            Check.Close(dw2, dw1, 1e-4, 1e-4, $"dw C={c}");
            Check.Close(db2, db1, 1e-5, 1e-5, $"db C={c}");
        }
    }

    [Fact]
    public void SkipsEmptyGradientDestinations()
    {
        var rng = new Rng(2);
        int rows = 3, c = 20;
        float[] x = R(rng, rows * c), w = R(rng, c), dy = R(rng, rows * c), y = new float[rows * c], m = new float[rows], s = new float[rows];
        LayerNormFastKernels.Forward(y, m, s, x, w, default, rows, c);
        var dwOnly = new float[c];
        LayerNormFastKernels.Backward(Span<float>.Empty, dwOnly, Span<float>.Empty, dy, x, w, m, s, rows, c);
        var dwRef = new float[c];
        LayerNormKernels.Backward(Span<float>.Empty, dwRef, Span<float>.Empty, dy, x, w, m, s, rows, c);
        Check.Close(dwRef, dwOnly, 1e-5, 1e-4, "dw alone");
        Assert.Throws<ArgumentException>(() => LayerNormFastKernels.Forward(y, m, s, x, new float[3], default, rows, c));
    }

    [Fact]
    public void ResidualGradientIsAddedInTheSamePass()
    {
        var rng = new Rng(3);
        int rows = 5, c = 37;
        float[] x = R(rng, rows * c), w = R(rng, c), dy = R(rng, rows * c), dres = R(rng, rows * c), y = new float[rows * c], m = new float[rows], s = new float[rows];
        LayerNormFastKernels.Forward(y, m, s, x, w, default, rows, c);
        var expected = R(rng, rows * c);
        var actual = (float[])expected.Clone();
        LayerNormKernels.Backward(expected, Span<float>.Empty, Span<float>.Empty, dy, x, w, m, s, rows, c);
        for (int i = 0; i < expected.Length; i++) expected[i] += dres[i];
        LayerNormFastKernels.Backward(actual, Span<float>.Empty, Span<float>.Empty, dy, x, w, m, s, rows, c, dResidual: dres);
        Check.Close(expected, actual, 1e-5, 1e-4, "dx + dres");
    }

    private static float[] R(Rng rng, int n, float std = 1f) { var a = new float[n]; rng.FillNormal(a, 0.5f, std); return a; }
}
