// The simulator's own atan2 (QwopPhysics.Atan2) against Math.Atan2: accuracy, IEEE signs of zeros and
// quadrants, and identical bits in the scalar and SIMD lane types.
using ProbLab.Search;
using ProbLab.Tensors;

namespace ProbLab.Tests.Search;

public class QwopAtan2Tests
{
    private static double Atan2(double y, double x) => QwopPhysics.Atan2(new Lane1(y), new Lane1(x)).V;

    private static double Ulp(double v) => Math.BitIncrement(Math.Abs(v)) - Math.Abs(v);

    [Fact]
    public void CloseToMathAtan2OnRandomPoints()
    {
        // Within 2 ulp of the result: the reduction costs one division and one FMA pair.
        var rng = new Rng(21);
        for (int i = 0; i < 100_000; i++)
        {
            double scale = Math.Pow(10, rng.Uniform(-8, 8));
            double y = rng.Uniform(-1, 1) * scale, x = rng.Uniform(-1, 1) * scale;
            double expected = Math.Atan2(y, x), actual = Atan2(y, x);
            if (Math.Abs(actual - expected) > 2 * Ulp(expected)) // name strings only on failure: 100k formats would dominate
                Check.Close(expected, actual, atol: 2 * Ulp(expected), rtol: 0, name: $"atan2({y:R}, {x:R})");
        }
    }

    [Fact]
    public void CloseToMathAtan2AtReductionNodesAndOctantEdges()
    {
        // Ratios at and around the node switches (1/8, 3/8, 5/8, 7/8) and the nodes (k/4), in all quadrants.
        double[] ratios = [0, 1e-300, 1e-17, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1, 8, 1e17];
        foreach (double r in ratios)
            foreach (double eps in new[] { -1e-12, 0, 1e-12 })
                foreach (var (sy, sx) in new[] { (1, 1), (1, -1), (-1, 1), (-1, -1) })
                {
                    double y = sy * (r + eps * r), x = sx * 1.0;
                    Check.Close(Math.Atan2(y, x), Atan2(y, x), atol: 9e-16, rtol: 0, name: $"atan2({y:R}, {x:R})");
                    Check.Close(Math.Atan2(x, y), Atan2(x, y), atol: 9e-16, rtol: 0, name: $"atan2({x:R}, {y:R})");
                }
    }

    [Fact]
    public void SignedZerosFollowIeee()
    {
        Assert.Equal(Math.Atan2(0.0, 0.0), Atan2(0.0, 0.0));
        Assert.Equal(Math.Atan2(-0.0, 0.0), Atan2(-0.0, 0.0));
        Assert.Equal(Math.Atan2(0.0, -0.0), Atan2(0.0, -0.0));
        Assert.Equal(Math.Atan2(-0.0, -0.0), Atan2(-0.0, -0.0));
        Assert.Equal(Math.Atan2(-0.0, -1.0), Atan2(-0.0, -1.0));
        Assert.Equal(Math.Atan2(0.0, -1.0), Atan2(0.0, -1.0));
        Assert.True(double.IsNegative(Atan2(-0.0, 1.0)));
        Check.Close(Math.PI / 2, Atan2(1, 0), atol: 0, rtol: 0, name: "+y axis");
        Check.Close(-Math.PI / 2, Atan2(-1, 0), atol: 0, rtol: 0, name: "-y axis");
    }

    [Fact]
    public void LaneTypesGiveIdenticalBits()
    {
        var rng = new Rng(22);
        var ys = new double[8];
        var xs = new double[8];
        for (int trial = 0; trial < 2000; trial++)
        {
            for (int l = 0; l < 8; l++) { ys[l] = rng.Uniform(-2, 2); xs[l] = rng.Uniform(-2, 2); }
            Lane8 r8 = QwopPhysics.Atan2(Lane8.Load(ys), Lane8.Load(xs));
            Lane4 r4 = QwopPhysics.Atan2(Lane4.Load(ys), Lane4.Load(xs));
            for (int l = 0; l < 8; l++)
            {
                double scalar = Atan2(ys[l], xs[l]);
                Assert.Equal(scalar, Lane8.GetLane(r8, l));
                if (l < 4) Assert.Equal(scalar, Lane4.GetLane(r4, l));
            }
        }
    }
}
