using ProbLab.Tensors;

namespace ProbLab.Tests.Tensors;

public class RngTests
{
    [Fact]
    public void SameSeedSameStream()
    {
        var a = new Rng(42); var b = new Rng(42);
        for (int i = 0; i < 100; i++) Assert.Equal(a.NextUInt64(), b.NextUInt64());
    }

    [Fact]
    public void SplitStreamsDiffer()
    {
        var a = new Rng(7);
        var s1 = a.Split(); var s2 = a.Split();
        Assert.NotEqual(s1.NextUInt64(), s2.NextUInt64());
    }

    [Fact]
    public void NormalHasUnitMoments()
    {
        var rng = new Rng(3);
        int n = 200_000; double s = 0, s2 = 0;
        for (int i = 0; i < n; i++) { double x = rng.Normal(); s += x; s2 += x * x; }
        double mean = s / n, var = s2 / n - mean * mean;
        Check.Close(0, mean, atol: 5 * Math.Sqrt(1.0 / n), rtol: 0, name: "mean");
        Check.Close(1, var, atol: 5 * Math.Sqrt(2.0 / n), rtol: 0, name: "variance");
    }

    [Fact]
    public void NextIntIsUniformAndInRange()
    {
        var rng = new Rng(5);
        var counts = new int[7];
        for (int i = 0; i < 70_000; i++) counts[rng.NextInt(7)]++;
        foreach (var c in counts) Assert.InRange(c, 9_500, 10_500);
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.NextInt(0));
    }

    [Fact]
    public void CategoricalFollowsWeights()
    {
        var rng = new Rng(11);
        var w = new float[] { 1, 0, 3 };
        var counts = new int[3];
        for (int i = 0; i < 40_000; i++) counts[rng.Categorical(w)]++;
        Assert.Equal(0, counts[1]);
        Check.Close(0.75, counts[2] / 40_000.0, atol: 0.01, rtol: 0, name: "p(2)");
        Assert.Throws<ArgumentException>(() => rng.Categorical(new float[] { 0, 0 }));
        Assert.Throws<ArgumentException>(() => rng.Categorical(new float[] { 1, float.NaN }));
    }

    [Fact]
    public void PermutationIsAPermutation()
    {
        var p = new Rng(1).Permutation(1000);
        Assert.Equal(Enumerable.Range(0, 1000), p.OrderBy(x => x));
        Assert.NotEqual(Enumerable.Range(0, 1000), p);
    }
}
