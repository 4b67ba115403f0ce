// Modules: exact parameter counts and names, shapes, state dicts, schedules, clipping, and an MLP that
// learns the spiral task to (near) zero loss with the engine end to end.
using ProbLab.Data;
using ProbLab.Nn;
using ProbLab.Nn.Optim;
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Tests.Nn;

public class NnTests
{
    [Fact]
    public void MlpParameterCountAndNames()
    {
        var mlp = new Mlp(new[] { 2, 64, 64, 3 }, Activation.Relu, new Rng(0));
        // (2·64 + 64) + (64·64 + 64) + (64·3 + 3) = 192 + 4160 + 195
        Assert.Equal(4547, mlp.ParameterCount());
        Assert.Equal(new[] { "0.weight", "0.bias", "1.weight", "1.bias", "2.weight", "2.bias" }, mlp.NamedParameters().Select(p => p.Name));
        Assert.Equal(new[] { 5, 7, 3 }, mlp.Forward(Tensor.Zeros(5, 7, 2)).Shape);
    }

    [Fact]
    public void LinearInitMatchesPyTorchBounds()
    {
        var lin = new Linear(100, 50, new Rng(1));
        float bound = 1f / 10f;
        Assert.All(lin.Weight.Data, w => Assert.InRange(w, -bound, bound));
        Assert.All(lin.Bias!.Data, w => Assert.InRange(w, -bound, bound));
        Assert.True(lin.Weight.Data.Max() > 0.09f && lin.Weight.Data.Min() < -0.09f);
    }

    [Fact]
    public void StateDictRoundTripAndErrors()
    {
        var a = new Mlp(new[] { 3, 4, 2 }, Activation.Tanh, new Rng(1));
        var b = new Mlp(new[] { 3, 4, 2 }, Activation.Tanh, new Rng(2));
        b.LoadStateDict(a.StateDict());
        Assert.Equal(a.Parameters().SelectMany(p => p.Data), b.Parameters().SelectMany(p => p.Data));
        var wrong = new Mlp(new[] { 3, 5, 2 }, Activation.Tanh, new Rng(2));
        var e = Assert.Throws<ArgumentException>(() => wrong.LoadStateDict(a.StateDict()));
        Assert.Contains("0.weight", e.Message);
    }

    [Fact]
    public void WarmupCosineSchedule()
    {
        Check.Close(0.1, LrSchedule.WarmupCosine(0, 1f, 10, 110), 1e-7, 0, "first warmup step");
        Check.Close(1.0, LrSchedule.WarmupCosine(9, 1f, 10, 110), 1e-7, 0, "end of warmup");
        Check.Close(1.0, LrSchedule.WarmupCosine(10, 1f, 10, 110, 0.1f), 1e-7, 0, "cosine start");
        Check.Close(0.55, LrSchedule.WarmupCosine(60, 1f, 10, 110, 0.1f), 1e-6, 0, "cosine midpoint");
        Check.Close(0.1, LrSchedule.WarmupCosine(500, 1f, 10, 110, 0.1f), 1e-7, 0, "after the end");
    }

    [Fact]
    public void ClipGradNormScalesToMaxNorm()
    {
        var p = Tensor.FromArray(new float[] { 0, 0 }).RequireGrad();
        p.Grad = new float[] { 3, 4 };
        double norm = GradClip.ClipGradNorm(new[] { p }, 1.0);
        Check.Close(5.0, norm, 1e-9, 0, "norm");
        Check.Close(new float[] { 0.6f, 0.8f }, p.Grad, 1e-5, 0, "clipped");
    }

    [Fact]
    public void MlpLearnsSpiralToNearZeroLoss()
    {
        var rng = new Rng(0);
        var (x, y) = Spirals.Generate(100, 3, rng, noise: 0.1f);
        var mlp = new Mlp(new[] { 2, 64, 64, 3 }, Activation.Relu, rng);
        var opt = new Adam(mlp.NamedParameters(), 1e-2f);
        float first = 0, loss = 0;
        for (int step = 0; step < 600; step++)
        {
            opt.ZeroGrad();
            var l = mlp.Forward(x).CrossEntropy(y);
            l.Backward();
            opt.Step();
            loss = l.Item();
            if (step == 0) first = loss;
        }
        Assert.InRange(first, 0.9f, 1.3f); // ≈ ln 3 at initialisation
        Assert.True(loss < 0.05f, $"final spiral loss {loss} is not near zero");
        using var _ = NoGrad.Scope();
        var pred = mlp.Forward(x).ArgMax();
        double acc = pred.Zip(y).Count(t => t.First == t.Second) / (double)y.Length;
        Assert.True(acc > 0.99, $"training accuracy {acc}");
    }
}
