// Causal self-attention and the transformer block: gradient checks of the fused ops, the fused attention
// op against the exercise's step-by-step primitive-op version (values and gradients), and the fused block
// node against the composed sub-module ops.
using ProbLab.Nn;
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Tests.Nn;

public class AttentionTests
{
    [Fact]
    public void CausalAttentionOpGradCheck()
    {
        var qkv = Tensor.RandN(new Rng(1), new[] { 2, 4, 3 * 6 }).RequireGrad();
        GradCheck.Run(x => x[0].CausalAttention(2), new[] { qkv }, name: "causal_attention");
        var single = Tensor.RandN(new Rng(2), new[] { 5, 3 * 3 }).RequireGrad(); // (T, 3C) without batch
        GradCheck.Run(x => x[0].CausalAttention(3), new[] { single }, name: "causal_attention_2d");
    }

    [Fact]
    public void GeluFastOpGradCheckAndMatchesGelu()
    {
        var x = Tensor.Rand(new Rng(3), new[] { 3, 7 }, -3f, 3f).RequireGrad();
        GradCheck.Run(t => t[0].GeluFast(), new[] { x }, name: "gelu_fast");
        using var _ = NoGrad.Scope();
        Check.Close(x.Gelu(), x.GeluFast(), 1e-6, 1e-5, "gelu_fast vs gelu");
    }

    [Fact]
    public void FusedAttentionEqualsPrimitiveOpReference()
    {
        var attn = new CausalSelfAttention(12, 3, new Rng(4));
        var x1 = Tensor.RandN(new Rng(5), new[] { 3, 7, 12 }).RequireGrad();
        var x2 = x1.Clone().RequireGrad();
        var r = Tensor.RandN(new Rng(6), new[] { 3, 7, 12 });
        var yFused = attn.Forward(x1);
        yFused.Mul(r).Sum().Backward();
        var gFused = attn.Parameters().Select(p => (float[])p.Grad!.Clone()).ToArray();
        attn.ZeroGrad();
        var yRef = attn.ForwardReference(x2);
        yRef.Mul(r).Sum().Backward();
        Check.Close(yRef, yFused, 1e-5, 1e-4, "y");
        Check.Close(x2.Grad!, x1.Grad!, 1e-5, 1e-4, "dx");
        int i = 0;
        foreach (var (name, p) in attn.NamedParameters()) Check.Close(p.Grad!, gFused[i++], 1e-5, 1e-4, name);
    }

    [Fact]
    public void AttentionParameterNamesAndCount()
    {
        var attn = new CausalSelfAttention(48, 3, new Rng(0));
        Assert.Equal(new[] { "c_attn.weight", "c_attn.bias", "c_proj.weight", "c_proj.bias" }, attn.NamedParameters().Select(p => p.Name));
        Assert.Equal(48 * 144 + 144 + 48 * 48 + 48, attn.ParameterCount());
        var e = Assert.Throws<ArgumentException>(() => new CausalSelfAttention(10, 3, new Rng(0)));
        Assert.Contains("multiple", e.Message);
    }

    [Theory]
    [InlineData(true, 2)]
    [InlineData(false, 2)]
    [InlineData(true, 11)]   // batch-in-lanes attention
    public void FusedBlockEqualsComposedBlock(bool bias, int batch)
    {
        var block = new TransformerBlock(12, 2, new Rng(7), bias);
        var x1 = Tensor.RandN(new Rng(8), new[] { batch, 5, 12 }).RequireGrad();
        var x2 = x1.Clone().RequireGrad();
        var r = Tensor.RandN(new Rng(9), new[] { batch, 5, 12 });
        var yFused = block.ForwardFused(x1, pooledOutput: false);
        using (NoGrad.Scope()) Assert.Equal("transformer_block", block.ForwardTimeMajor(x1.Permute(1, 0, 2), false).Op);
        yFused.Mul(r).Sum().Backward();
        var gFused = block.Parameters().Select(p => (float[])p.Grad!.Clone()).ToArray();
        block.ZeroGrad();
        var yComp = block.ForwardComposed(x2);
        yComp.Mul(r).Sum().Backward();
        Check.Close(yComp, yFused, 1e-5, 1e-4, "y");
        Check.Close(x2.Grad!, x1.Grad!, 1e-4, 1e-4, "dx");
        int i = 0;
        foreach (var (name, p) in block.NamedParameters()) Check.Close(p.Grad!, gFused[i++], 1e-4, 1e-4, name);
    }

    [Fact]
    public void FusedBlockGradCheck()
    {
        var block = new TransformerBlock(6, 2, new Rng(10));
        var x = Tensor.RandN(new Rng(11), new[] { 2, 3, 6 }).RequireGrad();
        var inputs = new[] { x }.Concat(block.Parameters()).ToArray();
        GradCheck.Run(_ => block.ForwardFused(x, pooledOutput: false), inputs, name: "transformer_block");
    }

    [Fact]
    public void FusedBlockReusesBuffersSafelyAcrossTwoGraphs()
    {
        // Two forwards before one backward: the second call must not overwrite the first call's activations.
        var block = new TransformerBlock(8, 2, new Rng(12));
        var xa = Tensor.RandN(new Rng(13), new[] { 1, 4, 8 }).RequireGrad();
        var xb = Tensor.RandN(new Rng(14), new[] { 1, 4, 8 }).RequireGrad();
        var ya = block.ForwardFused(xa, pooledOutput: true);
        var yb = block.ForwardFused(xb, pooledOutput: true);
        ya.Sum().Add(yb.Sum()).Backward();
        var ga = (float[])xa.Grad!.Clone();
        var gb = (float[])xb.Grad!.Clone();
        var xa2 = xa.Clone().RequireGrad();
        var xb2 = xb.Clone().RequireGrad();
        block.ForwardComposed(xa2).Sum().Backward();
        block.ForwardComposed(xb2).Sum().Backward();
        Check.Close(xa2.Grad!, ga, 1e-4, 1e-4, "dxa");
        Check.Close(xb2.Grad!, gb, 1e-4, 1e-4, "dxb");
    }

    [Fact]
    public void BlockNamesMatchNanoGpt()
    {
        var block = new TransformerBlock(12, 2, new Rng(0));
        Assert.Equal(new[]
        {
            "ln_1.weight", "ln_1.bias", "attn.c_attn.weight", "attn.c_attn.bias", "attn.c_proj.weight", "attn.c_proj.bias",
            "ln_2.weight", "ln_2.bias", "mlp.c_fc.weight", "mlp.c_fc.bias", "mlp.c_proj.weight", "mlp.c_proj.bias",
        }, block.NamedParameters().Select(p => p.Name));
    }
}
