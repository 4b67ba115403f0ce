// Broadcast.Expand and Broadcast.SumToShape against a naive multi-index implementation over random shapes,
// and the vectorised Adam update against its scalar form across all vector tails.
using ProbLab.Nn.Optim;
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Tests.Ops;

public class BroadcastTests
{
    // Naive: for each target multi-index, read the source at the index with broadcast dims clamped to 0.
    private static float[] NaiveExpand(float[] src, int[] shape, int[] target)
    {
        int total = ShapeUtil.Size(target);
        var dst = new float[total];
        var idx = new int[target.Length];
        int off = target.Length - shape.Length;
        for (int flat = 0; flat < total; flat++)
        {
            int rem = flat;
            for (int d = target.Length - 1; d >= 0; d--) { idx[d] = rem % target[d]; rem /= target[d]; }
            int s = 0;
            for (int d = 0; d < shape.Length; d++) s = s * shape[d] + (shape[d] == 1 ? 0 : idx[d + off]);
            dst[flat] = src[s];
        }
        return dst;
    }

    public static IEnumerable<object[]> Seeds() => Enumerable.Range(0, 60).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void ExpandAndSumToShapeMatchNaive(int seed)
    {
        var rng = new Rng((ulong)seed);
        int rank = 1 + rng.NextInt(4);
        var target = Enumerable.Range(0, rank).Select(_ => 1 + rng.NextInt(5)).ToArray();
        int srcRank = 1 + rng.NextInt(rank);
        var shape = target.Skip(rank - srcRank).Select(d => rng.NextInt(3) == 0 ? 1 : d).ToArray();
        var src = new float[ShapeUtil.Size(shape)];
        rng.FillUniform(src, -1, 1);

        Assert.Equal(NaiveExpand(src, shape, target), Broadcast.Expand(src, shape, target));

        // SumToShape is the adjoint of Expand: ⟨Expand(a), g⟩ = ⟨a, SumToShape(g)⟩ for all a, g.
        var g = new float[ShapeUtil.Size(target)];
        rng.FillUniform(g, -1, 1);
        var reduced = new float[src.Length];
        Broadcast.SumToShape(g, target, reduced, shape);
        var naive = new double[src.Length];
        for (int k = 0; k < src.Length; k++)
        {
            var unit = new float[src.Length];
            unit[k] = 1;
            var e = NaiveExpand(unit, shape, target);
            for (int i = 0; i < g.Length; i++) naive[k] += e[i] * g[i];
        }
        Check.Close(naive, reduced.Select(v => (double)v).ToArray(), 1e-5, 1e-5, $"sum_to_shape {ShapeUtil.Format(target)}→{ShapeUtil.Format(shape)}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(33)]
    [InlineData(67)]
    public void AdamVectorPathMatchesScalarFormula(int n)
    {
        var rng = new Rng((ulong)n);
        var p = Tensor.Rand(rng, new[] { n }, -1, 1).RequireGrad();
        var w = (float[])p.Data.Clone();
        var opt = new Adam(new[] { ("p", p) }, 0.01f, 0.9f, 0.99f, 1e-8f);
        var m = new double[n]; var v = new double[n];
        for (int t = 1; t <= 3; t++)
        {
            var g = new float[n];
            rng.FillUniform(g, -1, 1);
            p.Grad = (float[])g.Clone();
            opt.Step();
            for (int i = 0; i < n; i++)
            {
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.99 * v[i] + 0.01 * g[i] * g[i];
                double denom = Math.Sqrt(v[i]) / Math.Sqrt(1 - Math.Pow(0.99, t)) + 1e-8;
                w[i] -= (float)(0.01 / (1 - Math.Pow(0.9, t)) * m[i] / denom);
            }
            Check.Close(w, p.Data, 1e-6, 1e-5, $"adam step {t}");
        }
    }
}
