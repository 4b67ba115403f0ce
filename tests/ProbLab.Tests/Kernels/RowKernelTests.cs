// Row kernels (softmax family, layer norm, cross-entropy) against naive double-precision twins written here,
// over every length 1..67 (all SIMD tails) and a few odd row counts.
using ProbLab.Kernels;
using ProbLab.Tensors;

namespace ProbLab.Tests.Kernels;

public class RowKernelTests
{
    public static IEnumerable<object[]> Lengths() => Enumerable.Range(1, 67).Concat(new[] { 127, 129, 1000 }).Select(n => new object[] { n });

    private static float[] Random(Rng rng, int n, float scale = 3f)
    {
        var a = new float[n];
        rng.FillUniform(a, -scale, scale);
        return a;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void SoftmaxFamilyMatchesNaive(int n)
    {
        var rng = new Rng((ulong)n);
        int rows = 3;
        var x = Random(rng, rows * n);
        var y = new float[rows * n];
        var ly = new float[rows * n];
        SoftmaxKernels.Forward(y, x, rows, n);
        SoftmaxKernels.LogForward(ly, x, rows, n);
        for (int r = 0; r < rows; r++)
        {
            double max = double.NegativeInfinity, sum = 0;
            for (int j = 0; j < n; j++) max = Math.Max(max, x[r * n + j]);
            for (int j = 0; j < n; j++) sum += Math.Exp(x[r * n + j] - max);
            double lse = max + Math.Log(sum);
            Check.Close(lse, SoftmaxKernels.LogSumExp(x.AsSpan(r * n, n)), 1e-5, 1e-6, $"lse row {r}");
            for (int j = 0; j < n; j++)
            {
                Check.Close(Math.Exp(x[r * n + j] - lse), y[r * n + j], 1e-6, 1e-5, $"softmax[{r},{j}]");
                Check.Close(x[r * n + j] - lse, ly[r * n + j], 1e-5, 1e-5, $"logsoftmax[{r},{j}]");
            }
        }
        // backward: dx = y ⊙ (dy − ⟨dy, y⟩) for softmax; dy − softmax·Σdy for log-softmax
        var dy = Random(rng, rows * n, 1f);
        var dx = new float[rows * n];
        var ldx = new float[rows * n];
        SoftmaxKernels.Backward(dx, dy, y, rows, n);
        SoftmaxKernels.LogBackward(ldx, dy, ly, rows, n);
        for (int r = 0; r < rows; r++)
        {
            double dot = 0, s = 0;
            for (int j = 0; j < n; j++) { dot += (double)dy[r * n + j] * y[r * n + j]; s += dy[r * n + j]; }
            for (int j = 0; j < n; j++)
            {
                Check.Close(y[r * n + j] * (dy[r * n + j] - dot), dx[r * n + j], 1e-5, 1e-4, $"dsoftmax[{r},{j}]");
                Check.Close(dy[r * n + j] - y[r * n + j] * s, ldx[r * n + j], 1e-5, 1e-4, $"dlogsoftmax[{r},{j}]");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void LayerNormMatchesNaive(int c)
    {
        var rng = new Rng(1000 + (ulong)c);
        int rows = 5;
        var x = Random(rng, rows * c);
        var w = Random(rng, c, 1f);
        var b = Random(rng, c, 1f);
        var y = new float[rows * c];
        var mean = new float[rows];
        var rstd = new float[rows];
        LayerNormKernels.Forward(y, mean, rstd, x, w, b, rows, c);
        var dy = Random(rng, rows * c, 1f);
        var dx = new float[rows * c]; var dw = new float[c]; var db = new float[c];
        LayerNormKernels.Backward(dx, dw, db, dy, x, w, mean, rstd, rows, c);

        var ndw = new double[c]; var ndb = new double[c];
        for (int r = 0; r < rows; r++)
        {
            double m = 0, v = 0;
            for (int i = 0; i < c; i++) m += x[r * c + i];
            m /= c;
            for (int i = 0; i < c; i++) v += (x[r * c + i] - m) * (x[r * c + i] - m);
            v /= c;
            double s = 1 / Math.Sqrt(v + 1e-5);
            var xhat = new double[c];
            double gm = 0, gxm = 0;
            for (int i = 0; i < c; i++)
            {
                xhat[i] = (x[r * c + i] - m) * s;
                Check.Close(xhat[i] * w[i] + b[i], y[r * c + i], 1e-5, 1e-4, $"ln y[{r},{i}]");
                double g = dy[r * c + i] * w[i];
                gm += g; gxm += g * xhat[i];
                ndw[i] += dy[r * c + i] * xhat[i];
                ndb[i] += dy[r * c + i];
            }
            gm /= c; gxm /= c;
            for (int i = 0; i < c; i++)
                Check.Close(s * (dy[r * c + i] * w[i] - gm - xhat[i] * gxm), dx[r * c + i], 1e-4, 1e-3, $"ln dx[{r},{i}]");
        }
        Check.Close(ndw, dw.Select(v => (double)v).ToArray(), 1e-4, 1e-3, "ln dw");
        Check.Close(ndb, db.Select(v => (double)v).ToArray(), 1e-4, 1e-3, "ln db");
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void CrossEntropyMatchesNaive(int v)
    {
        var rng = new Rng(2000 + (ulong)v);
        int rows = 7;
        var logits = Random(rng, rows * v, 5f);
        var targets = Enumerable.Range(0, rows).Select(_ => rng.NextInt(v)).ToArray();
        targets[3] = -100; // ignored row
        var probs = new float[rows * v];
        var (sum, count) = CrossEntropyKernels.Forward(probs, logits, targets, rows, v);
        Assert.Equal(rows - 1, count);
        double expected = 0;
        for (int r = 0; r < rows; r++)
        {
            if (targets[r] < 0) continue;
            double max = double.NegativeInfinity, s = 0;
            for (int j = 0; j < v; j++) max = Math.Max(max, logits[r * v + j]);
            for (int j = 0; j < v; j++) s += Math.Exp(logits[r * v + j] - max);
            expected += max + Math.Log(s) - logits[r * v + targets[r]];
        }
        Check.Close(expected, sum, 1e-4, 1e-5, "ce sum");
        var d = new float[rows * v];
        CrossEntropyKernels.Backward(d, probs, targets, rows, v, 0.5f);
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < v; j++)
            {
                double want = targets[r] < 0 ? 0 : 0.5 * (probs[r * v + j] - (j == targets[r] ? 1 : 0));
                Check.Close(want, d[r * v + j], 1e-6, 1e-5, $"ce d[{r},{j}]");
            }
    }

    [Fact]
    public void CrossEntropyRejectsOutOfRangeTarget()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => CrossEntropyKernels.Forward(new float[6], new float[6], new[] { 1, 3 }, 2, 3));
        Assert.Contains("row 1", e.Message);
    }
}
