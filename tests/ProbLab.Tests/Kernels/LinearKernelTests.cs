// Linear kernels (GEMM + fused bias/residual) against a scalar reference over odd shapes, with and without
// bias/residual, accumulate vs overwrite of dInp, and aliasing of the output with the residual.
using ProbLab.Kernels;
using ProbLab.Tensors;

namespace ProbLab.Tests.Kernels;

public class LinearKernelTests
{
    private static float[] Rand(Rng rng, int n) { var a = new float[n]; rng.FillNormal(a); return a; }

    [Theory]
    [InlineData(1, 1, 1, true, false)]
    [InlineData(7, 5, 3, true, true)]
    [InlineData(13, 17, 67, false, true)]
    [InlineData(33, 48, 144, true, false)]
    [InlineData(10, 192, 48, false, false)]
    public void ForwardAndBackwardMatchReference(int rows, int inF, int outF, bool bias, bool residual)
    {
        var rng = new Rng((ulong)(rows * 1000 + inF * 10 + outF));
        float[] x = Rand(rng, rows * inF), w = Rand(rng, outF * inF), b = bias ? Rand(rng, outF) : [], r = residual ? Rand(rng, rows * outF) : [];
        var y = new float[rows * outF];
        LinearKernels.Forward(y, x, w, b, rows, inF, outF, r);
        var yRef = new float[rows * outF];
        for (int i = 0; i < rows; i++)
            for (int o = 0; o < outF; o++)
            {
                double s = (bias ? b[o] : 0) + (residual ? r[i * outF + o] : 0);
                for (int k = 0; k < inF; k++) s += (double)x[i * inF + k] * w[o * inF + k];
                yRef[i * outF + o] = (float)s;
            }
        Check.Close(yRef, y, 1e-4, 1e-4, "y");

        var dy = Rand(rng, rows * outF);
        float[] dx = Rand(rng, rows * inF), dw = Rand(rng, outF * inF), db = Rand(rng, outF);
        float[] dx0 = (float[])dx.Clone(), dw0 = (float[])dw.Clone(), db0 = (float[])db.Clone();
        LinearKernels.Backward(dx, dw, db, dy, x, w, rows, inF, outF);
        for (int i = 0; i < rows; i++)
            for (int k = 0; k < inF; k++)
            {
                double s = dx0[i * inF + k];
                for (int o = 0; o < outF; o++) s += (double)dy[i * outF + o] * w[o * inF + k];
                Check.Close(s, dx[i * inF + k], 1e-4, 1e-4, $"dx[{i},{k}]");
            }
        for (int o = 0; o < outF; o++)
        {
            double sb = db0[o];
            for (int i = 0; i < rows; i++) sb += dy[i * outF + o];
            Check.Close(sb, db[o], 1e-4, 1e-4, $"db[{o}]");
            for (int k = 0; k < inF; k++)
            {
                double s = dw0[o * inF + k];
                for (int i = 0; i < rows; i++) s += (double)dy[i * outF + o] * x[i * inF + k];
                Check.Close(s, dw[o * inF + k], 1e-4, 1e-4, $"dw[{o},{k}]");
            }
        }

        // Overwrite mode ignores the old dInp contents.
        var dxOver = Enumerable.Repeat(float.NaN, rows * inF).ToArray();
        LinearKernels.Backward(dxOver, Span<float>.Empty, Span<float>.Empty, dy, x, w, rows, inF, outF, accumulateInput: false);
        for (int i = 0; i < dxOver.Length; i++) Check.Close(dx[i] - dx0[i], dxOver[i], 1e-4, 1e-4, $"overwrite dx[{i}]");
    }

    [Theory]
    [InlineData(7, 5, 3)]
    [InlineData(40, 48, 144)]
    [InlineData(13, 17, 67)]
    public void TransposedVariantsMatchTheRowLayout(int rows, int inF, int outF)
    {
        var rng = new Rng((ulong)(rows + inF + outF));
        float[] x = Rand(rng, rows * inF), w = Rand(rng, outF * inF), b = Rand(rng, outF), res = Rand(rng, rows * outF), dy = Rand(rng, rows * outF);
        static float[] T(float[] a, int r, int c) { var t = new float[a.Length]; for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) t[j * r + i] = a[i * c + j]; return t; }
        var y = new float[rows * outF];
        LinearKernels.Forward(y, x, w, b, rows, inF, outF);
        var yT = new float[rows * outF];
        LinearKernels.ForwardTransposedOutput(yT, x, w, b, rows, inF, outF);
        Check.Close(T(y, rows, outF), yT, 1e-4, 1e-4, "W·xᵀ + b");
        var yR = new float[rows * outF];
        LinearKernels.Forward(yR, x, w, b, rows, inF, outF, res);
        var yI = new float[rows * outF];
        LinearKernels.ForwardTransposedInput(yI, T(x, rows, inF), w, b, rows, inF, outF, res);
        Check.Close(yR, yI, 1e-4, 1e-4, "(xᵀ)ᵀ·Wᵀ + b + r");

        float[] dx = new float[rows * inF], dw = new float[outF * inF], db = new float[outF];
        LinearKernels.Backward(dx, dw, db, dy, x, w, rows, inF, outF);
        float[] dx2 = new float[rows * inF], dw2 = new float[outF * inF], db2 = new float[outF];
        LinearKernels.BackwardTransposedOutput(dx2, dw2, db2, T(dy, rows, outF), x, w, rows, inF, outF);
        Check.Close(dx, dx2, 1e-4, 1e-4, "dx (transposed output)");
        Check.Close(dw, dw2, 1e-4, 1e-4, "dw (transposed output)");
        Check.Close(db, db2, 1e-4, 1e-4, "db (transposed output)");
        float[] dxT = Enumerable.Repeat(float.NaN, rows * inF).ToArray(), dw3 = new float[outF * inF], db3 = new float[outF];
        LinearKernels.BackwardTransposedInput(dxT, dw3, db3, dy, T(x, rows, inF), w, rows, inF, outF, accumulateInput: false);
        Check.Close(T(dx, rows, inF), dxT, 1e-4, 1e-4, "dxᵀ (transposed input)");
        Check.Close(dw, dw3, 1e-4, 1e-4, "dw (transposed input)");
        Check.Close(db, db3, 1e-4, 1e-4, "db (transposed input)");
    }

    [Fact]
    public void OutputMayAliasTheResidual()
    {
        var rng = new Rng(4);
        int rows = 5, inF = 6, outF = 7;
        float[] x = Rand(rng, rows * inF), w = Rand(rng, outF * inF), b = Rand(rng, outF), r = Rand(rng, rows * outF);
        var expected = new float[rows * outF];
        LinearKernels.Forward(expected, x, w, b, rows, inF, outF, r);
        LinearKernels.Forward(r, x, w, b, rows, inF, outF, r);
        Check.Close(expected, r, 1e-6, 1e-6, "aliased");
    }

    [Fact]
    public void RejectsShortBuffers()
    {
        var e = Assert.Throws<ArgumentException>(() => LinearKernels.Forward(new float[5], new float[6], new float[6], new float[2], 2, 3, 3));
        Assert.Contains("bias", e.Message);
        Assert.Throws<ArgumentException>(() => LinearKernels.Forward(new float[5], new float[6], new float[9], default, 2, 3, 3));
    }
}
