// Autoregressive generation for Gpt (IML ex5 §4.6; nanoGPT's generate): condition on the last BlockSize
// tokens, divide the logits by the temperature, optionally keep only the top-k (renormalising over them),
// sample, append, repeat.
// KV cache: each layer keeps the keys and values of the positions it has seen, so a new token costs one row
// through every layer plus attention over the cached rows, instead of a full forward over the window. With
// learned absolute positions the cache is only valid while the window starts at the same token: once the
// context exceeds BlockSize every token's position shifts, so the cache is rebuilt from the new window
// (exact, and no slower than the uncached forward). Shapes: cache K, V per layer (BlockSize, C).
using System.Numerics.Tensors;
using ProbLab.Kernels;
using ProbLab.Tensors;

namespace ProbLab.Models;

/// <summary>Keys and values of every layer for the positions processed so far (one sequence).</summary>
public sealed class KvCache
{
    internal readonly float[][] K, V;                       // per layer (BlockSize, C)
    internal float[] X = [], Ln = [], Qkv = [], AttY = [], Fc = [], Att = [];

    internal KvCache(int layers, int blockSize, int c)
    {
        K = new float[layers][];
        V = new float[layers][];
        for (int l = 0; l < layers; l++) { K[l] = new float[blockSize * c]; V[l] = new float[blockSize * c]; }
        Capacity = blockSize;
    }

    /// <summary>Number of cached positions.</summary>
    public int Length { get; internal set; }
    /// <summary>Maximum number of positions (the model's block size).</summary>
    public int Capacity { get; }
    /// <summary>Forgets every position (buffers are kept).</summary>
    public void Clear() => Length = 0;
}

public sealed partial class Gpt
{
    /// <summary>An empty KV cache for this model.</summary>
    public KvCache CreateCache() => new(Config.Layers, Config.BlockSize, Config.Embd);

    /// <summary>
    /// Runs <paramref name="tokens"/> at positions cache.Length, cache.Length+1, ... through the model, appends
    /// their keys and values to the cache and returns the logits (V) after the last one. No autograd, no dropout.
    /// </summary>
    /// <exception cref="ArgumentException">No tokens, the cache would exceed the block size, or an id is outside the vocabulary.</exception>
    public float[] Extend(KvCache cache, ReadOnlySpan<int> tokens)
    {
        int n = tokens.Length, p0 = cache.Length, tk = p0 + n, c = Config.Embd, nh = Config.Heads, v = Config.VocabSize;
        if (n == 0) throw new ArgumentException("KV cache extend needs at least one token");
        if (tk > cache.Capacity) throw new ArgumentException($"KV cache holds {p0} positions; {n} more exceed the block size {cache.Capacity}");
        CheckIds(tokens);
        EnsureScratch(cache, n, tk);
        var x = cache.X.AsSpan(0, n * c);                                                   // (n, C)
        for (int i = 0; i < n; i++)
            TensorPrimitives.Add(Wte.Weight.Data.AsSpan(tokens[i] * c, c), Wpe.Weight.Data.AsSpan((p0 + i) * c, c), x.Slice(i * c, c));
        var mean = new float[n];
        var rstd = new float[n];
        for (int l = 0; l < Blocks.Count; l++)
        {
            var blk = Blocks[l];
            var ln = cache.Ln.AsSpan(0, n * c);
            var qkv = cache.Qkv.AsSpan(0, n * 3 * c);
            LayerNormFastKernels.Forward(ln, mean, rstd, x, blk.Ln1.Weight.Data, blk.Ln1.Bias?.Data, n, c, blk.Ln1.Eps);
            LinearKernels.Forward(qkv, ln, blk.Attn.CAttn.Weight.Data, blk.Attn.CAttn.Bias?.Data, n, c, 3 * c);
            for (int i = 0; i < n; i++)
            {
                qkv.Slice(i * 3 * c + c, c).CopyTo(cache.K[l].AsSpan((p0 + i) * c, c));
                qkv.Slice(i * 3 * c + 2 * c, c).CopyTo(cache.V[l].AsSpan((p0 + i) * c, c));
            }
            var attY = cache.AttY.AsSpan(0, n * c);
            AttentionKernels.Forward(attY, c, cache.Att.AsSpan(0, nh * n * tk), qkv, 3 * c,
                cache.K[l].AsSpan(0, tk * c), c, cache.V[l].AsSpan(0, tk * c), c, n, tk, c, nh);
            LinearKernels.Forward(x, attY, blk.Attn.CProj.Weight.Data, blk.Attn.CProj.Bias?.Data, n, c, c, residual: x);
            var fc = cache.Fc.AsSpan(0, n * 4 * c);
            LayerNormFastKernels.Forward(ln, mean, rstd, x, blk.Ln2.Weight.Data, blk.Ln2.Bias?.Data, n, c, blk.Ln2.Eps);
            LinearKernels.Forward(fc, ln, blk.Mlp.CFc.Weight.Data, blk.Mlp.CFc.Bias?.Data, n, c, 4 * c);
            GeluKernels.Forward(fc, fc);
            LinearKernels.Forward(x, fc, blk.Mlp.CProj.Weight.Data, blk.Mlp.CProj.Bias?.Data, n, 4 * c, c, residual: x);
        }
        // Only the last position's logits are needed for the next token.
        var last = cache.Ln.AsSpan(0, c);
        LayerNormFastKernels.Forward(last, mean, rstd, x.Slice((n - 1) * c, c), LnF.Weight.Data, LnF.Bias?.Data, 1, c, LnF.Eps);
        var logits = new float[v];
        LinearKernels.Forward(logits, last, HeadWeight.Data, default, 1, c, v);
        cache.Length = tk;
        return logits;
    }

    private void EnsureScratch(KvCache cache, int n, int tk)
    {
        int c = Config.Embd;
        if (cache.X.Length < n * c)
        {
            cache.X = new float[n * c]; cache.Ln = new float[n * c]; cache.AttY = new float[n * c];
            cache.Qkv = new float[n * 3 * c]; cache.Fc = new float[n * 4 * c];
        }
        if (cache.Att.Length < Config.Heads * n * tk) cache.Att = new float[Config.Heads * n * tk];
    }

    /// <summary>Logits (V) after the last token of <paramref name="context"/> (1..BlockSize ids) by a full forward, no cache.</summary>
    public float[] LastLogits(ReadOnlySpan<int> context)
    {
        using var _ = NoGrad.Scope();
        bool training = Training;
        if (training) Eval();
        try
        {
            var (logits, _) = Forward(context.ToArray(), 1);
            int v = Config.VocabSize;
            return logits.Data.AsSpan(logits.Size - v, v).ToArray();
        }
        finally { if (training) Train(); }
    }

    /// <summary>
    /// Samples <paramref name="maxNewTokens"/> tokens after <paramref name="prompt"/> and returns them (the
    /// prompt is not included). Each step conditions on the last BlockSize tokens; temperature 0 is greedy;
    /// <paramref name="topK"/> 0 disables top-k. An empty prompt starts from the config's BOS token.
    /// </summary>
    /// <exception cref="ArgumentException">Empty prompt without a BOS token, an id outside the vocabulary, negative counts, or a bad temperature.</exception>
    public int[] Generate(ReadOnlySpan<int> prompt, int maxNewTokens, float temperature, int topK, Rng rng, bool useKvCache = true)
    {
        if (maxNewTokens < 0) throw new ArgumentException($"maxNewTokens must be non-negative, got {maxNewTokens}");
        if (!(temperature >= 0) || float.IsInfinity(temperature)) throw new ArgumentException($"temperature must be a finite number ≥ 0, got {temperature}");
        if (topK < 0) throw new ArgumentException($"top-k must be ≥ 0 (0 = off), got {topK}");
        var seq = new List<int>(prompt.Length + maxNewTokens + 1);
        if (prompt.IsEmpty)
        {
            if (Config.BosToken is not { } bos) throw new ArgumentException("the prompt is empty and the model has no BOS token to start from");
            seq.Add(bos);
        }
        else
        {
            CheckIds(prompt);
            foreach (int id in prompt) seq.Add(id);
        }
        int start = seq.Count, bs = Config.BlockSize;
        var cache = useKvCache ? CreateCache() : null;
        int cacheStart = 0; // the cache holds seq[cacheStart .. cacheStart + cache.Length)
        for (int step = 0; step < maxNewTokens; step++)
        {
            int n = seq.Count, w0 = Math.Max(0, n - bs);
            var window = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(seq).Slice(w0);
            float[] logits;
            if (cache is null) logits = LastLogits(window);
            else if (cache.Length > 0 && cacheStart == w0 && cache.Length == window.Length - 1)
                logits = Extend(cache, window.Slice(window.Length - 1));              // one new row
            else
            {
                cache.Clear();                                                         // first call, or the window slid
                cacheStart = w0;
                logits = Extend(cache, window);
            }
            seq.Add(SampleNext(logits, temperature, topK, rng));
        }
        return seq.GetRange(start, seq.Count - start).ToArray();
    }

    /// <summary>
    /// Draws a token from softmax(logits / temperature) restricted to the <paramref name="topK"/> largest logits
    /// (all logits tied with the k-th are kept, as nanoGPT); temperature 0 returns the argmax.
    /// </summary>
    public static int SampleNext(ReadOnlySpan<float> logits, float temperature, int topK, Rng rng)
    {
        if (logits.IsEmpty) throw new ArgumentException("cannot sample from empty logits");
        if (temperature == 0) return TensorPrimitives.IndexOfMax(logits);
        var z = new float[logits.Length];
        TensorPrimitives.Divide(logits, temperature, z);
        if (topK > 0 && topK < z.Length)
        {
            var sorted = (float[])z.Clone();
            Array.Sort(sorted);
            float kth = sorted[^topK];
            for (int i = 0; i < z.Length; i++) if (z[i] < kth) z[i] = float.NegativeInfinity;
        }
        SoftmaxKernels.Forward(z, z, 1, z.Length);
        return rng.Categorical(z);
    }
}
