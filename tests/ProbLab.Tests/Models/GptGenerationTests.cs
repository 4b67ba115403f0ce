// Generation: KV-cache logits equal the uncached full forward (within 1e-5), cached and uncached sampling
// give the same tokens (also past the block size, where the window slides), context cropping to the last
// BlockSize tokens, BOS / empty-prompt handling, top-k and temperature semantics, and the init-scale
// experiment of special participation Q1 (tied embedding/head at std 1 vs std d_model^-0.5).
using ProbLab.Models;
using ProbLab.Tensors;

namespace ProbLab.Tests.Models;

public class GptGenerationTests
{
    private static readonly GptConfig Tiny = GptTests.Tiny;

    [Fact]
    public void KvCacheLogitsEqualFullForward()
    {
        var gpt = new Gpt(Tiny, new Rng(1));
        var seq = GptTests.RandomIds(new Rng(2), Tiny.BlockSize, Tiny.VocabSize);
        var cache = gpt.CreateCache();
        for (int p = 0; p < seq.Length; p++)
        {
            var cached = gpt.Extend(cache, seq.AsSpan(p, 1));
            var full = gpt.LastLogits(seq.AsSpan(0, p + 1));
            Check.Close(full, cached, 1e-5, 0, $"logits at position {p}");
        }
        Assert.Equal(Tiny.BlockSize, cache.Length);
        var e = Assert.Throws<ArgumentException>(() => gpt.Extend(cache, new[] { 0 }));
        Assert.Contains("block size", e.Message);
    }

    [Fact]
    public void PrefillInOneCallEqualsTokenByToken()
    {
        var gpt = new Gpt(Tiny with { TiedWeights = true }, new Rng(3));
        var seq = GptTests.RandomIds(new Rng(4), 7, Tiny.VocabSize);
        var a = gpt.CreateCache();
        gpt.Extend(a, seq.AsSpan(0, 3));
        var la = gpt.Extend(a, seq.AsSpan(3, 4));
        var b = gpt.CreateCache();
        float[] lb = [];
        foreach (int id in seq) lb = gpt.Extend(b, new[] { id });
        Check.Close(lb, la, 1e-5, 0, "logits after 7 tokens");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void CachedAndUncachedGenerationAgreePastTheBlockSize(int topK)
    {
        var gpt = new Gpt(Tiny, new Rng(5));
        var prompt = new[] { 1, 2, 3 };
        var cached = gpt.Generate(prompt, 25, 1f, topK, new Rng(6), useKvCache: true);
        var plain = gpt.Generate(prompt, 25, 1f, topK, new Rng(6), useKvCache: false);
        Assert.Equal(plain, cached);
        Assert.Equal(25, cached.Length);
        Assert.All(cached, id => Assert.InRange(id, 0, Tiny.VocabSize - 1));
    }

    [Fact]
    public void LongPromptUsesOnlyTheLastBlockSizeTokens()
    {
        var gpt = new Gpt(Tiny, new Rng(7));
        var tail = GptTests.RandomIds(new Rng(8), Tiny.BlockSize, Tiny.VocabSize);
        var longA = new[] { 4, 4, 4, 4, 4 }.Concat(tail).ToArray();
        var longB = new[] { 9, 0, 1 }.Concat(tail).ToArray();
        var fromTail = gpt.Generate(tail, 6, 1f, 0, new Rng(9));
        Assert.Equal(fromTail, gpt.Generate(longA, 6, 1f, 0, new Rng(9)));
        Assert.Equal(fromTail, gpt.Generate(longB, 6, 1f, 0, new Rng(9), useKvCache: false));
    }

    [Fact]
    public void EmptyPromptNeedsBosAndBadIdsAreRejected()
    {
        var gpt = new Gpt(Tiny, new Rng(10));
        var e = Assert.Throws<ArgumentException>(() => gpt.Generate([], 5, 1f, 0, new Rng(0)));
        Assert.Contains("prompt is empty", e.Message);
        var e2 = Assert.Throws<ArgumentException>(() => gpt.Generate(new[] { 3, 11 }, 5, 1f, 0, new Rng(0)));
        Assert.Contains("token id 11 at position 1", e2.Message);
        Assert.Throws<ArgumentException>(() => gpt.Generate(new[] { 3 }, 5, -1f, 0, new Rng(0)));
        Assert.Throws<ArgumentException>(() => gpt.Generate(new[] { 3 }, 5, 1f, -2, new Rng(0)));
        Assert.DoesNotContain('\n', e.Message + e2.Message);

        var withBos = new Gpt(Tiny with { BosToken = 10 }, new Rng(10));
        var fromEmpty = withBos.Generate([], 5, 1f, 0, new Rng(1));
        Assert.Equal(withBos.Generate(new[] { 10 }, 5, 1f, 0, new Rng(1)), fromEmpty);
    }

    [Fact]
    public void GreedyGenerationIsDeterministicArgmax()
    {
        var gpt = new Gpt(Tiny, new Rng(11));
        var prompt = new[] { 5, 6 };
        var tokens = gpt.Generate(prompt, 4, 0f, 0, new Rng(1));
        Assert.Equal(tokens, gpt.Generate(prompt, 4, 0f, 0, new Rng(2)));
        int first = System.Numerics.Tensors.TensorPrimitives.IndexOfMax<float>(gpt.LastLogits(prompt));
        Assert.Equal(first, tokens[0]);
    }

    [Fact]
    public void TopKNeverSamplesOutsideTheTopK()
    {
        float[] logits = { 0.1f, 2f, -1f, 1.5f, 0.3f, 1.9f, -3f };
        var rng = new Rng(12);
        var counts = new int[logits.Length];
        for (int i = 0; i < 6000; i++) counts[Gpt.SampleNext(logits, 1f, 3, rng)]++;
        Assert.Equal(6000, counts[1] + counts[3] + counts[5]);
        // Renormalised over the top 3: p ∝ exp(2), exp(1.5), exp(1.9).
        double z = Math.Exp(2) + Math.Exp(1.5) + Math.Exp(1.9);
        Check.Close(Math.Exp(2) / z, counts[1] / 6000.0, 0.03, 0, "p(top1)");
        Check.Close(Math.Exp(1.5) / z, counts[3] / 6000.0, 0.03, 0, "p(top3)");
        Assert.Equal(1, Gpt.SampleNext(logits, 1f, 1, rng));
        Assert.Equal(1, Gpt.SampleNext(logits, 0f, 0, rng));
        // A low temperature concentrates on the argmax.
        int hits = 0;
        for (int i = 0; i < 200; i++) hits += Gpt.SampleNext(logits, 0.01f, 0, rng) == 1 ? 1 : 0;
        Assert.Equal(200, hits);
    }

    [Fact]
    public void InitScaleOfTiedEmbeddingSetsTheInitialLoss()
    {
        // Special participation Q1: with the head tied to the token embedding, logits are h·w with |h|² ≈ C
        // after ln_f, so N(0, 1) embeddings give logit std ≈ √C and a loss far above ln V; N(0, 1/C) gives
        // unit-variance logits and a loss near ln V (≈ ln V + ½ for unit-variance logits).
        var rng = new Rng(13);
        int b = 64, t = 10, v = 65;
        var idx = GptTests.RandomIds(rng, b * t, v);
        var tgt = GptTests.RandomIds(rng, b * t, v);
        float Loss(float std)
        {
            var gpt = new Gpt(new GptConfig { TiedWeights = true, EmbeddingInitStd = std }, new Rng(14));
            using var _ = NoGrad.Scope();
            return gpt.Forward(idx, b, tgt).Loss!.Item();
        }
        double lnV = Math.Log(v);
        float large = Loss(1f), scaled = Loss(1f / MathF.Sqrt(48));
        Assert.True(large > 4 * lnV, $"tied std 1: initial loss {large} should be far above ln 65 = {lnV:F3}");
        Check.Close(lnV, scaled, 0.75, 0, "tied std C^-0.5: initial loss ≈ ln 65");
    }
}
