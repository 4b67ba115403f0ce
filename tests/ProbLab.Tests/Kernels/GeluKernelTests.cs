// Vectorised GELU (x·σ(2u) form) against the tanh formula in double, over lengths 1..67 and a long buffer,
// extreme inputs (no NaN/overflow), the accumulate flag, and in-place use.
using ProbLab.Kernels;
using ProbLab.Tensors;

namespace ProbLab.Tests.Kernels;

public class GeluKernelTests
{
    [Fact]
    public void MatchesTanhFormulaForLengths1To67AndLong()
    {
        var rng = new Rng(1);
        foreach (int n in Enumerable.Range(1, 67).Append(1000).Append(4099))
        {
            var x = new float[n];
            rng.FillUniform(x, -6f, 6f);
            float[] y1 = new float[n], y2 = new float[n];
            GeluKernels.Forward(y1, x);
            GeluNaive.Forward(y2, x);
            Check.Close(y2, y1, 2e-6, 2e-5, $"gelu n={n}");

            var dy = new float[n];
            rng.FillNormal(dy);
            float[] d1 = Enumerable.Repeat(0.5f, n).ToArray(), d2 = Enumerable.Repeat(0.5f, n).ToArray();
            GeluKernels.Backward(d1, x, dy);
            GeluNaive.Backward(d2, x, dy);
            Check.Close(d2, d1, 2e-6, 2e-5, $"gelu' n={n}");
        }
    }

    [Fact]
    public void ForwardWithDerivativeMatchesTheReferenceInPlace()
    {
        var rng = new Rng(3);
        foreach (int n in Enumerable.Range(1, 67).Append(515))
        {
            var x = new float[n];
            rng.FillUniform(x, -8f, 8f);
            float[] yRef = new float[n], dRef = new float[n], ones = Enumerable.Repeat(1f, n).ToArray();
            GeluNaive.Forward(yRef, x);
            GeluNaive.Backward(dRef, x, ones);
            var y = new float[n];
            var d = (float[])x.Clone();
            GeluKernels.ForwardWithDerivative(y, d, d); // derivative written over the input
            Check.Close(yRef, y, 2e-6, 2e-5, $"gelu n={n}");
            Check.Close(dRef, d, 2e-6, 2e-5, $"gelu' n={n}");
        }
    }

    [Fact]
    public void ExtremeInputsStayFinite()
    {
        float[] x = { -1e4f, -100f, -30f, -10f, -1e-20f, 0f, 1e-20f, 10f, 30f, 100f, 1e4f, -88f, 88f, -5f, 5f, 0.5f, -0.5f };
        float[] y = new float[x.Length], dx = new float[x.Length], dy = Enumerable.Repeat(1f, x.Length).ToArray();
        GeluKernels.Forward(y, x);
        GeluKernels.Backward(dx, x, dy);
        Check.Finite(y, "gelu");
        Check.Finite(dx, "gelu'");
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] >= 10f) { Check.Close(x[i], y[i], 0, 1e-6, $"gelu({x[i]}) ≈ x"); Check.Close(1.0, dx[i], 1e-6, 0, $"gelu'({x[i]}) ≈ 1"); }
            if (x[i] <= -10f) { Check.Close(0.0, y[i], 1e-6, 0, $"gelu({x[i]}) ≈ 0"); Check.Close(0.0, dx[i], 1e-6, 0, $"gelu'({x[i]}) ≈ 0"); }
        }
    }

    [Fact]
    public void OverwriteModeWorksInPlace()
    {
        var rng = new Rng(2);
        var x = new float[37];
        rng.FillUniform(x, -3f, 3f);
        var g = new float[37];
        rng.FillNormal(g);
        var expected = new float[37];
        GeluNaive.Backward(expected, x, g);
        GeluKernels.Backward(g, x, g, accumulate: false); // dx aliases dy
        Check.Close(expected, g, 2e-6, 2e-5, "in-place gelu'");

        var y = (float[])x.Clone();
        var yRef = new float[37];
        GeluNaive.Forward(yRef, x);
        GeluKernels.Forward(y, y);
        Check.Close(yRef, y, 2e-6, 2e-5, "in-place gelu");
    }

    [Fact]
    public void RejectsShortBuffers()
    {
        var e = Assert.Throws<ArgumentException>(() => GeluKernels.Forward(new float[3], new float[4]));
        Assert.Contains("shorter", e.Message);
        Assert.Throws<ArgumentException>(() => GeluKernels.Backward(new float[4], new float[4], new float[3]));
    }
}
