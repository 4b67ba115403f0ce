// Finite-difference gradient check (tinygrad's helper_test_op idea): loss = Σ out ⊙ R with a fixed random
// weighting R, autograd gradients vs central differences accumulated in double.
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Tests;

public static class GradCheck
{
    /// <summary>Checks d(Σ f(inputs) ⊙ R)/d(input) for every input that requires grad.</summary>
    public static void Run(Func<Tensor[], Tensor> f, Tensor[] inputs, double eps = 1e-2, double atol = 1e-3, double rtol = 1e-2, ulong seed = 1, string name = "op")
    {
        foreach (var x in inputs) { x.Grad = null; }
        var rng = new Rng(seed);
        var probe = f(inputs);
        var r = Tensor.Rand(rng, probe.Shape, -1f, 1f);

        double Loss()
        {
            using var _ = NoGrad.Scope();
            var y = f(inputs);
            double s = 0;
            for (int i = 0; i < y.Size; i++) s += (double)y.Data[i] * r.Data[i];
            return s;
        }

        var outT = f(inputs);
        var loss = outT.Mul(r).Sum();
        loss.Backward();

        for (int k = 0; k < inputs.Length; k++)
        {
            var x = inputs[k];
            if (!x.RequiresGrad) continue;
            if (x.Grad is null) throw new Xunit.Sdk.XunitException($"{name}: input {k} received no gradient");
            var analytic = (float[])x.Grad.Clone();
            for (int i = 0; i < x.Size; i++)
            {
                float orig = x.Data[i];
                x.Data[i] = orig + (float)eps;
                double lp = Loss();
                x.Data[i] = orig - (float)eps;
                double lm = Loss();
                x.Data[i] = orig;
                double numeric = (lp - lm) / (2 * eps);
                Check.Close(numeric, analytic[i], atol, rtol, $"{name} d/dinput{k}[{i}]");
            }
        }
    }
}
