// The autograd contract (tinygrad test_gradient.py, micrograd test_more_ops): exact small cases,
// accumulation on reuse, broadcast reduction, seeds for non-scalar roots, NoGrad, inputs without grad.
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Tests.Ops;

public class AutogradContractTests
{
    [Fact]
    public void ExactSmallCase()
    {
        // f = Σ (a·b + a²) ; df/da = b + 2a ; df/db = a
        var a = Tensor.FromArray(new float[] { 1, -2, 3 }).RequireGrad();
        var b = Tensor.FromArray(new float[] { 4, 5, -6 }).RequireGrad();
        (a * b + a * a).Sum().Backward();
        Assert.Equal(new float[] { 6, 1, 0 }, a.Grad);
        Assert.Equal(new float[] { 1, -2, 3 }, b.Grad);
    }

    [Fact]
    public void ReusedNodeAccumulates()
    {
        // micrograd: y = x·x·x uses x three times; dy/dx = 3x²
        var x = Tensor.FromArray(new float[] { 2 }).RequireGrad();
        var h = x * x;
        (h * x + h).Sum().Backward();  // x³ + x² → 3x² + 2x = 16
        Assert.Equal(16f, x.Grad![0]);
    }

    [Fact]
    public void LeafGradientsAccumulateAcrossBackwardUntilZeroGrad()
    {
        var x = Tensor.FromArray(new float[] { 1, 2 }).RequireGrad();
        (x * 3f).Sum().Backward();
        (x * 3f).Sum().Backward();
        Assert.Equal(new float[] { 6, 6 }, x.Grad);
        x.ZeroGrad();
        Assert.Equal(new float[] { 0, 0 }, x.Grad);
    }

    [Fact]
    public void BroadcastGradientReducesToInputShape()
    {
        // tinygrad: (4,1,5) + (3,1) -> (4,3,5); grad of Σ is the count of broadcast copies.
        var a = Tensor.Ones(4, 1, 5).RequireGrad();
        var b = Tensor.Ones(3, 1).RequireGrad();
        (a + b).Sum().Backward();
        Assert.Equal(new[] { 4, 1, 5 }, a.Shape);
        Assert.All(a.Grad!, g => Assert.Equal(3f, g));
        Assert.All(b.Grad!, g => Assert.Equal(20f, g));
        Assert.Equal(3, b.Grad!.Length);
    }

    [Fact]
    public void NonScalarBackwardNeedsSeed()
    {
        var x = Tensor.FromArray(new float[] { 1, 2 }).RequireGrad();
        var y = x * 2f;
        Assert.Throws<InvalidOperationException>(() => y.Backward());
        y.Backward(Tensor.FromArray(new float[] { 1, 10 }));
        Assert.Equal(new float[] { 2, 20 }, x.Grad);
    }

    [Fact]
    public void NoGradRecordsNothing()
    {
        var x = Tensor.FromArray(new float[] { 1, 2 }).RequireGrad();
        Tensor y;
        using (NoGrad.Scope()) y = (x * 2f).Sum();
        Assert.False(y.RequiresGrad);
        Assert.True(y.IsLeaf);
        Assert.Throws<InvalidOperationException>(() => y.Backward());
    }

    [Fact]
    public void InputWithoutGradGetsNone()
    {
        var x = Tensor.FromArray(new float[] { 1, 2 }).RequireGrad();
        var c = Tensor.FromArray(new float[] { 3, 4 });
        (x * c).Sum().Backward();
        Assert.Null(c.Grad);
        Assert.Equal(new float[] { 3, 4 }, x.Grad);
    }

    [Fact]
    public void GraphIsFreedAfterBackward()
    {
        var x = Tensor.FromArray(new float[] { 1 }).RequireGrad();
        var y = (x * 2f).Sum();
        y.Backward();
        Assert.Throws<InvalidOperationException>(() => y.Backward());
    }

    [Fact]
    public void DeepChainDoesNotOverflowTheStack()
    {
        var x = Tensor.FromArray(new float[] { 1 }).RequireGrad();
        var y = x;
        for (int i = 0; i < 50_000; i++) y = y + 0f;
        y.Sum().Backward();
        Assert.Equal(1f, x.Grad![0]);
    }

    [Fact]
    public void SoftmaxIsStableOnLargeLogits()
    {
        var x = Tensor.FromArray(new float[] { 1000, 1001 });
        var p = x.Softmax();
        Check.Close(1 / (1 + Math.E), p.Data[0], 1e-6, 1e-5, "p0");
        Check.Close(-Math.Log(1 + Math.E), x.LogSoftmax().Data[0], 1e-5, 1e-5, "logp0");
        Check.Close(1001 + Math.Log(1 + Math.Exp(-1)), x.Reshape(1, 2).LogSumExp(1).Data[0], 1e-3, 1e-6, "lse");
    }

    [Fact]
    public void ShapeErrorsAreDescriptive()
    {
        var a = Tensor.Zeros(2, 3); var b = Tensor.Zeros(4, 5);
        var e = Assert.Throws<ArgumentException>(() => a + b);
        Assert.Contains("(2, 3)", e.Message);
        Assert.Throws<ArgumentException>(() => a.MatMul(b));
        Assert.Throws<ArgumentException>(() => a.Reshape(7));
        Assert.Throws<IndexOutOfRangeException>(() => Tensor.Zeros(3, 2).Embedding(new[] { 3 }, 1));
    }
}
