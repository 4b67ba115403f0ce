// The fused mixture log-likelihood ops: finite-difference gradient checks (all four inputs, through
// log_softmax as the models use them, plus an extreme row), agreement with the same formula composed from
// elementwise engine ops (values and gradients), the no-grad chunked path, and shape errors.
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Tests.Ops;

public class MixtureOpTests
{
    private static Tensor R(Rng rng, float lo, float hi, params int[] shape) => Tensor.Rand(rng, shape, lo, hi).RequireGrad();

    [Fact]
    public void GaussianGradientMatchesFiniteDifferences()
    {
        var rng = new Rng(11);
        var inputs = new[] { R(rng, -2, 2, 9, 2), R(rng, -1, 1, 3), R(rng, -1.5f, 1.5f, 3, 2), R(rng, -0.5f, 0.5f, 3, 2) };
        GradCheck.Run(x => x[0].GaussianMixtureLogLikelihood(x[1].LogSoftmax(), x[2], x[3]), inputs, name: "gmm_loglik");
    }

    [Fact]
    public void GaussianGradientExtremeFarPoints()
    {
        // Every point ~25σ from every mean: joints around −300, the fallback path of the kernel.
        var rng = new Rng(12);
        var inputs = new[] { R(rng, 20, 30, 5, 2), R(rng, -1, 1, 4), R(rng, -1, 1, 4, 2), R(rng, -0.3f, 0.3f, 4, 2) };
        GradCheck.Run(x => x[0].GaussianMixtureLogLikelihood(x[1].LogSoftmax(), x[2], x[3]), inputs, eps: 1e-2, atol: 5e-2, rtol: 2e-2, name: "gmm_loglik_far");
    }

    [Fact]
    public void SmoothedUniformGradientMatchesFiniteDifferences()
    {
        var rng = new Rng(13);
        var inputs = new[] { R(rng, -1.5f, 1.5f, 8, 2), R(rng, -1, 1, 3), R(rng, -0.5f, 0.5f, 3, 2), R(rng, 0f, 0.7f, 3, 2) };
        GradCheck.Run(x => x[0].UniformMixtureLogLikelihood(x[1].LogSoftmax(), x[2], x[3], softness: 0.5f), inputs, name: "umm_loglik_smooth");
    }

    [Fact]
    public void HardUniformGradientMatchesFiniteDifferences()
    {
        // Points strictly inside or outside (no edge within the FD step), so the indicator is locally flat.
        var x = Tensor.FromArray(new float[] { 0.1f, 0.1f, -0.2f, 0.3f, 0.9f, -0.8f, 3f, 3f, 0.45f, -0.1f }, 5, 2).RequireGrad();
        var logits = Tensor.FromArray(new float[] { 0.3f, -0.2f }).RequireGrad();
        var centers = Tensor.FromArray(new float[] { 0f, 0f, 0.5f, -0.5f }, 2, 2).RequireGrad();
        var logSizes = Tensor.FromArray(new float[] { 0.2f, 0.1f, 0.3f, 0.4f }, 2, 2).RequireGrad();
        GradCheck.Run(t => t[0].UniformMixtureLogLikelihood(t[1].LogSoftmax(), t[2], t[3]), new[] { x, logits, centers, logSizes },
            eps: 1e-3, atol: 1e-2, rtol: 1e-2, name: "umm_loglik_hard");
        Assert.All(centers.Grad!, g => Assert.Equal(0f, g));
    }

    [Fact]
    public void GaussianMatchesComposedEngineOps()
    {
        var rng = new Rng(14);
        int b = 37, k = 5, d = 2;
        var x = R(rng, -2, 2, b, d);
        var logits = R(rng, -1, 1, k);
        var means = R(rng, -1.5f, 1.5f, k, d);
        var logVars = R(rng, -1, 0.5f, k, d);
        var fused = x.GaussianMixtureLogLikelihood(logits.LogSoftmax(), means, logVars);
        var fusedW = Tensor.Rand(new Rng(1), new[] { b }, -1, 1);
        fused.Mul(fusedW).Sum().Backward();
        var grads = new[] { x, logits, means, logVars }.Select(t => (float[])t.Grad!.Clone()).ToArray();
        foreach (var t in new[] { x, logits, means, logVars }) t.Grad = null;

        // log N = −(D/2) log 2π − ½ Σ_d [log σ² + (x − μ)² / σ²], broadcast (B,1,D) against (1,K,D)
        var diff = x.Reshape(b, 1, d) - means.Reshape(1, k, d);
        var quad = (diff * diff / logVars.Reshape(1, k, d).Exp() + logVars.Reshape(1, k, d)).Sum(2); // (B, K)
        var lp = quad * -0.5f - 0.5f * d * MathF.Log(2 * MathF.PI);
        var composed = (lp + logits.LogSoftmax().Reshape(1, k)).LogSumExp(1); // (B)
        Check.Close(composed, fused, 1e-5, 1e-5, "fused vs composed");
        composed.Mul(fusedW).Sum().Backward();
        string[] names = { "dx", "dlogits", "dmeans", "dlogvars" };
        var inputs = new[] { x, logits, means, logVars };
        for (int i = 0; i < 4; i++) Check.Close(inputs[i].Grad!, grads[i], 1e-5, 1e-4, names[i]);
    }

    [Fact]
    public void NoGradPathMatchesRecordedPathAcrossChunks()
    {
        // 5000 points cross the 4096-point evaluation chunk.
        var rng = new Rng(15);
        var x = Tensor.Rand(rng, new[] { 5000, 2 }, -3, 3);
        var lw = R(rng, -1, 1, 7).LogSoftmax();
        var mu = R(rng, -2, 2, 7, 2);
        var lv = R(rng, -1, 0.5f, 7, 2);
        var recorded = x.GaussianMixtureLogLikelihood(lw, mu, lv);
        Assert.False(recorded.IsLeaf);
        Tensor free;
        using (NoGrad.Scope()) free = x.GaussianMixtureLogLikelihood(lw, mu, lv);
        Assert.True(free.IsLeaf);
        Check.Close(recorded, free, 1e-6, 1e-6, "no-grad vs recorded");
        var c = R(rng, -1, 1, 7, 2);
        var ls = R(rng, 0, 1, 7, 2);
        var hard = x.UniformMixtureLogLikelihood(lw, c, ls);
        using (NoGrad.Scope()) free = x.UniformMixtureLogLikelihood(lw, c, ls);
        Check.Close(hard, free, 1e-6, 1e-6, "umm no-grad vs recorded");
    }

    [Fact]
    public void ShapeErrorsNameTheArgument()
    {
        var x = Tensor.Zeros(4, 2);
        var ex = Assert.Throws<ArgumentException>(() => x.GaussianMixtureLogLikelihood(Tensor.Zeros(3), Tensor.Zeros(3, 3), Tensor.Zeros(3, 2)));
        Assert.Contains("means", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        ex = Assert.Throws<ArgumentException>(() => x.UniformMixtureLogLikelihood(Tensor.Zeros(3), Tensor.Zeros(3, 2), Tensor.Zeros(2, 2)));
        Assert.Contains("logSizes", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(4).GaussianMixtureLogLikelihood(Tensor.Zeros(3), Tensor.Zeros(3, 2), Tensor.Zeros(3, 2)));
        Assert.Contains("(B, D)", ex.Message);
    }
}
