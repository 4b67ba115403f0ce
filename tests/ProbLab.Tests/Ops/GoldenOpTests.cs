// Composite ops and optimizers against PyTorch 1.13 golden values (TestData/golden_ops.json, tools/golden_ops.py).
using System.Text.Json;
using ProbLab.Nn.Optim;
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Tests.Ops;

public class GoldenOpTests
{
    private static readonly JsonElement Root = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "golden_ops.json"))).RootElement;

    private static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

    private static void CheckCase(string name, Func<Tensor[], Tensor> f, double atol = 1e-5, double rtol = 1e-4)
    {
        var c = Root.GetProperty("ops").GetProperty(name);
        var inputs = c.GetProperty("inputs").EnumerateArray()
            .Select(i => new Tensor(Floats(i.GetProperty("data")), i.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray()).RequireGrad())
            .ToArray();
        var y = f(inputs);
        Check.Close(Floats(c.GetProperty("output").GetProperty("data")), y.Data, atol, rtol, name + " output");
        // same fixed weighting as the script: linspace(-1, 1, numel)
        int n = y.Size;
        var r = new float[n];
        for (int i = 0; i < n; i++) r[i] = n == 1 ? -1f : -1f + 2f * i / (n - 1);
        y.Mul(new Tensor(r, y.Shape)).Sum().Backward();
        var grads = c.GetProperty("grads").EnumerateArray().ToArray();
        for (int k = 0; k < inputs.Length; k++)
            Check.Close(Floats(grads[k]), inputs[k].Grad!, atol, rtol, $"{name} grad{k}");
    }

    [Fact] public void LayerNorm() => CheckCase("layer_norm", x => x[0].LayerNorm(x[1], x[2]), 1e-4, 1e-3);
    [Fact] public void GeluTanh() => CheckCase("gelu_tanh", x => x[0].Gelu());
    [Fact] public void LogSoftmax() => CheckCase("log_softmax", x => x[0].LogSoftmax(-1), 1e-5, 1e-4);
    [Fact] public void Softplus() => CheckCase("softplus", x => x[0].Softplus());
    [Fact] public void BatchedMatMul() => CheckCase("bmm", x => x[0].MatMul(x[1]), 1e-5, 1e-4);

    [Fact]
    public void CrossEntropy()
    {
        var targets = Root.GetProperty("ops").GetProperty("cross_entropy").GetProperty("targets").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        CheckCase("cross_entropy", x => x[0].CrossEntropy(targets).Reshape(1));
    }

    public static IEnumerable<object[]> OptimizerNames() =>
        new[] { "sgd", "sgd_momentum_nesterov_wd", "adam", "adam_l2", "adamw" }.Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(OptimizerNames))]
    public void OptimizerTrajectoryMatchesPyTorch(string name)
    {
        var p = Tensor.FromArray(new[] { 0.5f, -1f, 2f, 1.5f, 0f, -0.3f }, 2, 3).RequireGrad();
        var bias = Tensor.FromArray(new[] { 0.3f, -0.7f }).RequireGrad();
        var target = Tensor.FromArray(new[] { 1f, 0f, -1f, 0.5f, 0.25f, 2f }, 2, 3);
        var c = Tensor.FromArray(new[] { 1f, 2f, 0.5f, 3f, 1f, 0.1f }, 2, 3);
        var ps = new[] { ("p", p), ("bias", bias) };
        Optimizer opt = name switch
        {
            "sgd" => new Sgd(ps, 0.05f),
            "sgd_momentum_nesterov_wd" => new Sgd(ps, 0.05f, momentum: 0.9f, weightDecay: 0.01f, nesterov: true),
            "adam" => new Adam(ps, 0.1f),
            "adam_l2" => new Adam(ps, 0.1f, 0.8f, 0.95f, weightDecay: 0.1f),
            "adamw" => new AdamW(ps, 0.1f, 0.9f, 0.95f, weightDecay: 0.1f), // rank-2 p decays, rank-1 bias does not
            _ => throw new ArgumentException(name),
        };
        var expected = Root.GetProperty("optimizers").GetProperty(name).EnumerateArray().ToArray();
        for (int step = 0; step < expected.Length; step++)
        {
            opt.ZeroGrad();
            var d = p - target;
            var loss = (c * d * d).Sum() + p.Pow(3f).Sum() * 0.1f + (bias * bias).Sum() * 2f;
            loss.Backward();
            opt.Step();
            Check.Close(Floats(expected[step].GetProperty("p")), p.Data, 1e-5, 1e-4, $"{name} step {step + 1} p");
            Check.Close(Floats(expected[step].GetProperty("bias")), bias.Data, 1e-5, 1e-4, $"{name} step {step + 1} bias");
        }
    }
}
