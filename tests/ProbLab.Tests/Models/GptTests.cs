// GPT model: exact parameter counts and names, causality, fused vs composed paths (values and gradients),
// overfitting one batch, a frozen golden 10-step loss sequence, config validation, dropout plumbing.
using ProbLab.Models;
using ProbLab.Nn.Optim;
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Tests.Models;

public class GptTests
{
    internal static readonly GptConfig Tiny = new() { BlockSize = 8, VocabSize = 11, Layers = 2, Heads = 2, Embd = 12 };

    internal static int[] RandomIds(Rng rng, int n, int v)
    {
        var ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = rng.NextInt(v);
        return ids;
    }

    [Fact]
    public void DefaultParameterCountIsExact()
    {
        // wte 65·48 + wpe 10·48 + 3 blocks · (ln 2·48 + c_attn 48·144+144 + c_proj 48·48+48 + ln 2·48
        // + c_fc 48·192+192 + c_proj 192·48+48) + ln_f 2·48 + lm_head 48·65 = 3120 + 480 + 3·28272 + 96 + 3120
        var gpt = new Gpt(new GptConfig(), new Rng(0));
        Assert.Equal(91_632, gpt.ParameterCount());
        Assert.Equal(91_632 - 480, gpt.ParameterCount(nonEmbedding: true));
        var tied = new Gpt(new GptConfig { TiedWeights = true }, new Rng(0));
        Assert.Equal(91_632 - 3120, tied.ParameterCount());
        Assert.Same(tied.Wte.Weight, tied.HeadWeight);
        // Without biases: the 4 Linear biases (144+48+192+48) and 2 LayerNorm biases (96) per block, plus ln_f's 48.
        var noBias = new Gpt(new GptConfig { Bias = false }, new Rng(0));
        Assert.Equal(91_632 - 3 * (432 + 96) - 48, noBias.ParameterCount());
    }

    [Fact]
    public void ParameterNamesFollowNanoGpt()
    {
        var names = new Gpt(new GptConfig { Layers = 1 }, new Rng(0)).NamedParameters().Select(p => p.Name).ToArray();
        Assert.Equal("transformer.wte.weight", names[0]);
        Assert.Equal("transformer.wpe.weight", names[1]);
        Assert.Contains("transformer.h.0.attn.c_attn.weight", names);
        Assert.Contains("transformer.h.0.mlp.c_proj.bias", names);
        Assert.Equal("transformer.ln_f.bias", names[^2]);
        Assert.Equal("lm_head.weight", names[^1]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ChangingLaterTokensNeverChangesEarlierLogits(bool fused)
    {
        var gpt = new Gpt(Tiny, new Rng(1)) { UseFusedKernels = fused };
        var rng = new Rng(2);
        int b = 2, t = Tiny.BlockSize, v = Tiny.VocabSize;
        var idx = RandomIds(rng, b * t, v);
        using var _ = NoGrad.Scope();
        var baseLogits = gpt.Forward(idx, b).Logits.Data;
        for (int pos = 0; pos < t - 1; pos++)
        {
            var changed = (int[])idx.Clone();
            for (int bi = 0; bi < b; bi++)
                for (int j = pos + 1; j < t; j++) changed[bi * t + j] = (changed[bi * t + j] + 1 + j) % v;
            var logits = gpt.Forward(changed, b).Logits.Data;
            for (int bi = 0; bi < b; bi++)
                for (int j = 0; j <= pos; j++)
                    Check.Close(baseLogits.AsSpan((bi * t + j) * v, v), logits.AsSpan((bi * t + j) * v, v), 0, 0, $"logits[b={bi}, t={j}] after changing t>{pos}");
            // ...and the position right after the change point does see it.
            Assert.NotEqual(baseLogits[((0 * t) + pos + 1) * v], logits[((0 * t) + pos + 1) * v]);
        }
    }

    [Theory]
    [InlineData(false, 3)]   // few sequences: row-major attention per sequence
    [InlineData(true, 3)]
    [InlineData(false, 9)]   // ≥ 8 sequences: batch-in-lanes attention with a partial lane group
    [InlineData(true, 20)]
    public void FusedPathEqualsComposedPath(bool tied, int batch)
    {
        var cfg = Tiny with { TiedWeights = tied };
        var rng = new Rng(3);
        var idx = RandomIds(rng, batch * 7, cfg.VocabSize);
        var tgt = RandomIds(rng, batch * 7, cfg.VocabSize);
        tgt[4] = -100; // ignored position
        var gpt = new Gpt(cfg, new Rng(4));
        var (logitsF, lossF) = gpt.Forward(idx, batch, tgt);
        lossF!.Backward();
        var gradsF = gpt.Parameters().Select(p => (float[])p.Grad!.Clone()).ToArray();
        gpt.ZeroGrad();
        gpt.UseFusedKernels = false;
        var (logitsC, lossC) = gpt.Forward(idx, batch, tgt);
        lossC!.Backward();
        Check.Close(logitsC.Data, logitsF.Data, 1e-5, 1e-4, "logits");
        Check.Close(lossC.Item(), lossF.Item(), 1e-6, 1e-5, "loss");
        int i = 0;
        foreach (var (name, p) in gpt.NamedParameters()) Check.Close(p.Grad!, gradsF[i++], 1e-5, 1e-4, name);
    }

    [Fact]
    public void LogitsBufferIsFilledAndChecked()
    {
        var gpt = new Gpt(Tiny, new Rng(17));
        var idx = RandomIds(new Rng(18), 2 * 5, Tiny.VocabSize);
        var buffer = new float[2 * 5 * Tiny.VocabSize];
        var (logits, _) = gpt.Forward(idx, 2, idx, logitsBuffer: buffer);
        Assert.Same(buffer, logits.Data);
        var (fresh, _) = gpt.Forward(idx, 2, idx);
        Check.Close(fresh.Data, buffer, 0, 0, "logits in the caller's buffer");
        var e = Assert.Throws<ArgumentException>(() => gpt.Forward(idx, 2, idx, logitsBuffer: new float[3]));
        Assert.Contains("logits buffer", e.Message);
    }

    [Fact]
    public void LogitsWithoutTargetsAreDifferentiable()
    {
        var gpt = new Gpt(Tiny, new Rng(5));
        var idx = RandomIds(new Rng(6), 2 * 4, Tiny.VocabSize);
        var (logits, loss) = gpt.Forward(idx, 2);
        Assert.Null(loss);
        Assert.Equal(new[] { 2, 4, Tiny.VocabSize }, logits.Shape);
        logits.LogSoftmax(-1).Sum().Backward();
        Assert.Contains(gpt.Parameters(), p => p.Grad is not null && p.Grad.Any(g => g != 0));
    }

    [Fact]
    public void OverfitsOneBatch()
    {
        var gpt = new Gpt(Tiny, new Rng(7));
        var rng = new Rng(8);
        var idx = RandomIds(rng, 4 * 8, Tiny.VocabSize);
        var tgt = RandomIds(rng, 4 * 8, Tiny.VocabSize);
        var adam = new Adam(gpt.NamedParameters(), 1e-2f);
        float first = 0, last = 0;
        for (int step = 0; step < 300; step++)
        {
            var (_, loss) = gpt.Forward(idx, 4, tgt);
            adam.ZeroGrad();
            loss!.Backward();
            adam.Step();
            if (step == 0) first = loss.Item();
            last = loss.Item();
        }
        Assert.InRange(first, 2.0f, 4.0f); // ≈ ln 11 = 2.40 at initialisation
        Assert.True(last < 0.05f, $"loss after 300 steps on one batch is {last}");
    }

    [Fact]
    public void GoldenTenStepLosses()
    {
        // Frozen from our own run (llm.c's expected_losses habit): Tiny config initialised from seed 1234, one
        // fixed batch of 4 windows whose targets are a fixed map of the inputs, 10 Adam steps at lr 1e-2.
        // A regression guard with tolerance 1e-2; regenerate only deliberately and say why in the commit.
        double[] expected = { 2.5614, 2.2641, 2.0175, 1.8157, 1.6447, 1.4935, 1.3639, 1.2540, 1.1543, 1.0575 };
        var gpt = new Gpt(Tiny, new Rng(1234));
        var adam = new Adam(gpt.NamedParameters(), 1e-2f);
        var idx = RandomIds(new Rng(99), 4 * 8, Tiny.VocabSize);
        var tgt = idx.Select(i => (i * 3 + 1) % Tiny.VocabSize).ToArray();
        var losses = new double[10];
        for (int step = 0; step < 10; step++)
        {
            var (_, loss) = gpt.Forward(idx, 4, tgt);
            adam.ZeroGrad();
            loss!.Backward();
            adam.Step();
            losses[step] = loss.Item();
        }
        Check.Close(expected, losses, 1e-2, 0, "golden losses");
    }

    [Fact]
    public void RejectsBadInputWithOneLineMessages()
    {
        var gpt = new Gpt(Tiny, new Rng(9));
        var tooLong = new int[Tiny.BlockSize + 1];
        var e1 = Assert.Throws<ArgumentException>(() => gpt.Forward(tooLong, 1));
        Assert.Contains("block size", e1.Message);
        var e2 = Assert.Throws<ArgumentException>(() => gpt.Forward(new[] { 1, 2, 11 }, 1));
        Assert.Contains("token id 11 at position 2", e2.Message);
        var e3 = Assert.Throws<ArgumentException>(() => gpt.Forward(new[] { 1, 2, 3 }, 2));
        var e4 = Assert.Throws<ArgumentException>(() => gpt.Forward(new[] { 1, 2 }, 1, new[] { 1 }));
        foreach (var e in new[] { e1, e2, e3, e4 }) Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void FusedGraphRefusesASecondBackwardPass()
    {
        var gpt = new Gpt(Tiny, new Rng(15));
        var idx = RandomIds(new Rng(16), 8, Tiny.VocabSize);
        var (_, loss) = gpt.Forward(idx, 1, idx);
        loss!.Backward(retainGraph: true);
        var e = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.Contains("retainGraph", e.Message);
        gpt.UseFusedKernels = false; // the composed path supports it
        var (_, loss2) = gpt.Forward(idx, 1, idx);
        loss2!.Backward(retainGraph: true);
        loss2.Backward();
    }

    [Fact]
    public void ConfigValidationAndJson()
    {
        Assert.Contains("Embd", Assert.Throws<ArgumentException>(() => new Gpt(new GptConfig { Embd = 10, Heads = 3 }, new Rng(0))).Message);
        Assert.Contains("BlockSize", Assert.Throws<ArgumentException>(() => new GptConfig { BlockSize = 0 }.Validate()).Message);
        Assert.Contains("BosToken", Assert.Throws<ArgumentException>(() => new GptConfig { BosToken = 65 }.Validate()).Message);
        Assert.Contains("Dropout", Assert.Throws<ArgumentException>(() => new GptConfig { Dropout = 1f }.Validate()).Message);
        var cfg = new GptConfig { BlockSize = 32, TiedWeights = true, EmbeddingInitStd = 0.1f, Init = GptInit.Gpt2, BosToken = 3 };
        Assert.Equal(cfg, GptConfig.FromJson(cfg.ToJson()));
        Assert.Contains("Gpt2", cfg.ToJson());
        var e = Assert.Throws<ArgumentException>(() => GptConfig.FromJson("{\"BlockSize\":4,\"Layerz\":2}"));
        Assert.Contains("Layerz", e.Message);
    }

    [Fact]
    public void Gpt2InitUsesSmallStds()
    {
        var gpt = new Gpt(new GptConfig { Init = GptInit.Gpt2, Layers = 4, Embd = 64, Heads = 4 }, new Rng(11));
        static double Std(float[] a) { double m = a.Average(x => (double)x); return Math.Sqrt(a.Average(x => (x - m) * (x - m))); }
        Check.Close(0.02, Std(gpt.Wte.Weight.Data), 0, 0.1, "wte std");
        Check.Close(0.02, Std(gpt.Blocks[0].Mlp.CFc.Weight.Data), 0, 0.1, "c_fc std");
        Check.Close(0.02 / Math.Sqrt(8), Std(gpt.Blocks[0].Attn.CProj.Weight.Data), 0, 0.1, "c_proj std");
        Assert.All(gpt.Blocks[0].Attn.CAttn.Bias!.Data, b => Assert.Equal(0f, b));
        Assert.All(gpt.Blocks[0].Ln1.Weight.Data, w => Assert.Equal(1f, w));
    }

    [Fact]
    public void DropoutNeedsRngAndIsOffInEval()
    {
        var gpt = new Gpt(Tiny with { Dropout = 0.2f }, new Rng(12));
        var idx = RandomIds(new Rng(13), 2 * 8, Tiny.VocabSize);
        Assert.Contains("dropout", Assert.Throws<ArgumentException>(() => gpt.Forward(idx, 2, idx)).Message);
        var (a, _) = gpt.Forward(idx, 2, idx, new Rng(1));
        var (b, _) = gpt.Forward(idx, 2, idx, new Rng(2));
        Assert.NotEqual(a.Data, b.Data);
        gpt.Eval();
        using var _ = NoGrad.Scope();
        var (c, _) = gpt.Forward(idx, 2);
        gpt.UseFusedKernels = false;
        var (d, _) = gpt.Forward(idx, 2);
        Check.Close(d.Data, c.Data, 1e-5, 1e-4, "eval: fused = composed, no dropout");
    }
}
