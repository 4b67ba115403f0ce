// One table, one helper (tinygrad's helper_test_op): each row is an op applied to random inputs of given
// shapes and value ranges; GradCheck compares autograd against central finite differences.
// Rows marked "extreme" feed inputs where naive formulas overflow (softmax at ±1000, sigmoid at ±80).
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Tests.Ops;

public class OpGradientTests
{
    public sealed record Row(string Name, int[][] Shapes, Func<Tensor[], Tensor> F, float Lo = -2f, float Hi = 2f, double Eps = 1e-2, double Atol = 2e-3, double Rtol = 2e-2)
    {
        public override string ToString() => Name;
    }

    private static int[] S(params int[] s) => s;

    public static readonly Row[] Table =
    {
        // elementwise binary, same shape and broadcast (including tinygrad's (4,1,5) vs (3,1) case)
        new("add", new[] { S(3, 4), S(3, 4) }, x => x[0] + x[1]),
        new("add_broadcast", new[] { S(4, 1, 5), S(3, 1) }, x => x[0] + x[1]),
        new("sub_broadcast", new[] { S(2, 3), S(3) }, x => x[0] - x[1]),
        new("mul_broadcast", new[] { S(2, 3, 4), S(1, 3, 1) }, x => x[0] * x[1]),
        new("div", new[] { S(3, 4), S(3, 4) }, x => x[0] / x[1], 0.5f, 2f),
        new("div_broadcast", new[] { S(5, 2), S(1) }, x => x[0] / x[1], 0.5f, 2f),
        new("maximum", new[] { S(10), S(10) }, x => x[0].Maximum(x[1])),
        new("minimum", new[] { S(10), S(10) }, x => x[0].Minimum(x[1])),
        new("pow_tensor", new[] { S(6), S(6) }, x => x[0].Pow(x[1]), 0.5f, 2f),
        new("add_scalar", new[] { S(7) }, x => x[0] + 3f),
        new("mul_scalar", new[] { S(7) }, x => x[0] * -2.5f),
        new("rsub_scalar", new[] { S(7) }, x => 1f - x[0]),
        new("rdiv_scalar", new[] { S(7) }, x => 2f / x[0], 0.5f, 2f),
        new("neg", new[] { S(7) }, x => -x[0]),
        new("pow_scalar", new[] { S(7) }, x => x[0].Pow(3f), 0.5f, 2f),
        new("square", new[] { S(7) }, x => x[0].Square()),
        // unary
        new("exp", new[] { S(3, 5) }, x => x[0].Exp()),
        new("log", new[] { S(3, 5) }, x => x[0].Log(), 0.5f, 3f),
        new("sqrt", new[] { S(3, 5) }, x => x[0].Sqrt(), 0.5f, 3f),
        new("abs", new[] { S(9) }, x => x[0].Abs()),
        new("tanh", new[] { S(3, 5) }, x => x[0].Tanh()),
        new("sigmoid", new[] { S(3, 5) }, x => x[0].Sigmoid(), -4f, 4f),
        new("sigmoid_extreme", new[] { S(6) }, x => x[0].Sigmoid(), -80f, 80f, Eps: 1e-2),
        new("relu", new[] { S(3, 5) }, x => x[0].Relu()),
        new("softplus", new[] { S(3, 5) }, x => x[0].Softplus(), -4f, 4f),
        new("softplus_extreme", new[] { S(6) }, x => x[0].Softplus(), -90f, 90f),
        new("gelu", new[] { S(3, 5) }, x => x[0].Gelu(), -3f, 3f),
        new("clamp", new[] { S(12) }, x => x[0].Clamp(-1f, 1f)),
        new("where", new[] { S(2, 3), S(2, 3) }, x => TensorOps.Where(Tensor.FromArray(new float[] { 1, 0, 1, 0, 0, 1 }, 2, 3), x[0], x[1])),
        // reductions
        new("sum_all", new[] { S(3, 4) }, x => x[0].Sum()),
        new("mean_all", new[] { S(3, 4) }, x => x[0].Mean()),
        new("sum_axis0", new[] { S(3, 4, 2) }, x => x[0].Sum(0)),
        new("sum_axis1_keep", new[] { S(3, 4, 2) }, x => x[0].Sum(1, keepDim: true)),
        new("mean_axis_last", new[] { S(3, 4) }, x => x[0].Mean(-1)),
        new("max_axis", new[] { S(3, 5) }, x => x[0].Max(1)),
        new("logsumexp_last", new[] { S(4, 6) }, x => x[0].LogSumExp(-1)),
        new("logsumexp_mid", new[] { S(2, 5, 3) }, x => x[0].LogSumExp(1)),
        new("logsumexp_extreme", new[] { S(2, 4) }, x => x[0].LogSumExp(-1), 995f, 1005f, Eps: 1e-1, Atol: 5e-3, Rtol: 5e-2),
        new("softmax_last", new[] { S(3, 7) }, x => x[0].Softmax(-1)),
        new("softmax_axis0", new[] { S(4, 3) }, x => x[0].Softmax(0)),
        new("softmax_extreme", new[] { S(2, 4) }, x => x[0].Softmax(-1), 995f, 1005f, Eps: 1e-1, Atol: 5e-3, Rtol: 5e-2),
        new("log_softmax_last", new[] { S(3, 7) }, x => x[0].LogSoftmax(-1)),
        new("log_softmax_mid", new[] { S(2, 4, 3) }, x => x[0].LogSoftmax(1)),
        new("log_softmax_extreme", new[] { S(2, 4) }, x => x[0].LogSoftmax(-1), -1005f, -995f, Eps: 1e-1, Atol: 5e-3, Rtol: 5e-2),
        // views
        new("reshape", new[] { S(2, 6) }, x => x[0].Reshape(3, -1) * x[0].Reshape(3, 4)),
        new("permute", new[] { S(2, 3, 4) }, x => x[0].Permute(2, 0, 1)),
        new("transpose", new[] { S(3, 5) }, x => x[0].Transpose(0, 1)),
        new("slice", new[] { S(4, 6) }, x => x[0].Slice(1, 2, 3)),
        new("concat", new[] { S(2, 3), S(2, 2) }, x => TensorOps.Concat(new[] { x[0], x[1] }, 1)),
        new("stack", new[] { S(3), S(3) }, x => TensorOps.Stack(new[] { x[0], x[1] })),
        new("index_select_repeat", new[] { S(4, 3) }, x => x[0].IndexSelect(0, new[] { 3, 0, 3, 1 })),
        new("gather", new[] { S(3, 4) }, x => x[0].Gather(1, new[] { 0, 3, 1, 1, 2, 2 }, new[] { 3, 2 })),
        new("embedding", new[] { S(5, 3) }, x => x[0].Embedding(new[] { 4, 0, 4, 2 }, 2, 2)),
        // products
        new("matmul", new[] { S(3, 4), S(4, 5) }, x => x[0].MatMul(x[1])),
        new("matmul_transA", new[] { S(4, 3), S(4, 5) }, x => x[0].MatMul(x[1], transA: true)),
        new("matmul_transB", new[] { S(3, 4), S(5, 4) }, x => x[0].MatMul(x[1], transB: true)),
        new("matmul_transAB", new[] { S(4, 3), S(5, 4) }, x => x[0].MatMul(x[1], transA: true, transB: true)),
        new("matmul_batched", new[] { S(2, 3, 4), S(2, 4, 2) }, x => x[0].MatMul(x[1])),
        new("matmul_batched_transB", new[] { S(2, 3, 4), S(2, 5, 4) }, x => x[0].MatMul(x[1], transB: true)),
        new("matmul_shared_rhs", new[] { S(2, 3, 4), S(4, 5) }, x => x[0].MatMul(x[1])),
        new("matmul_shared_rhs_transB", new[] { S(2, 3, 4), S(5, 4) }, x => x[0].MatMul(x[1], transB: true)),
        new("linear", new[] { S(2, 3, 4), S(5, 4), S(5) }, x => x[0].Linear(x[1], x[2])),
        new("linear_nobias", new[] { S(6, 4), S(3, 4) }, x => x[0].Linear(x[1])),
        // fused nn ops
        new("layer_norm", new[] { S(3, 6), S(6), S(6) }, x => x[0].LayerNorm(x[1], x[2])),
        new("layer_norm_noaffine", new[] { S(2, 2, 5) }, x => x[0].LayerNorm(null, null)),
        new("cross_entropy", new[] { S(4, 5) }, x => x[0].CrossEntropy(new[] { 1, 0, 4, 2 })),
        new("cross_entropy_ignore", new[] { S(4, 5) }, x => x[0].CrossEntropy(new[] { 1, -100, 4, 2 })),
        new("cross_entropy_extreme", new[] { S(2, 3) }, x => x[0].CrossEntropy(new[] { 2, 0 }), 995f, 1005f, Eps: 1e-1, Atol: 5e-3, Rtol: 5e-2),
        new("dropout", new[] { S(20) }, x => x[0].Dropout(0.3f, new Rng(9))),
        // compositions: the same node used several times
        new("reuse", new[] { S(5) }, x => x[0] * x[0] + x[0].Exp() * x[0]),
    };

    public static IEnumerable<object[]> Rows() => Table.Select(r => new object[] { r });

    [Theory]
    [MemberData(nameof(Rows))]
    public void GradientMatchesFiniteDifferences(Row row)
    {
        var rng = new Rng(StableHash(row.Name)); // FNV-1a of the name: stable across runs and builds
        var inputs = row.Shapes.Select(s => Tensor.Rand(rng, s, row.Lo, row.Hi).RequireGrad()).ToArray();
        GradCheck.Run(row.F, inputs, row.Eps, row.Atol, row.Rtol, name: row.Name);
    }

    [Fact]
    public void TableCoversEveryForwardOp()
    {
        // Each public op of TensorOps must appear in the table by name (guards against an op added without a check).
        var names = Table.Select(r => r.Name).ToArray();
        string[] required = { "add", "sub", "mul", "div", "neg", "pow", "exp", "log", "sqrt", "tanh", "sigmoid", "relu", "gelu", "softplus",
            "clamp", "where", "sum", "mean", "max", "logsumexp", "softmax", "log_softmax", "matmul", "reshape", "permute", "transpose",
            "slice", "concat", "gather", "index_select", "embedding", "layer_norm", "cross_entropy", "dropout", "linear", "maximum", "minimum", "abs" };
        foreach (var op in required) Assert.Contains(names, n => n.StartsWith(op) || n.Contains(op));
    }

    private static ulong StableHash(string s)
    {
        ulong h = 1469598103934665603UL;
        foreach (char c in s) { h ^= c; h *= 1099511628211UL; }
        return h;
    }
}
