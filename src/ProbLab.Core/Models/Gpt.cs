// GPT language model (minGPT / nanoGPT layout; HUJI IML ex5 §4.4): token + learned position embeddings,
// L pre-LayerNorm transformer blocks, a final LayerNorm and a bias-free head, optionally tied to the token
// embedding. Token ids in, logits out: tokenizers and data live outside, so the same class serves
// character, pixel and VQ-token models (with an optional BOS id). Parameter names follow nanoGPT
// ("transformer.wte.weight", "transformer.h.0.attn.c_attn.weight", "lm_head.weight").
// Fast path (no active dropout): the embedding, every block, and ln_f + head + cross-entropy are single
// fused autograd nodes over reused buffers, with the residual stream kept time-major (T, B, C) in between.
// Without targets the head is composed from ops so that the logits stay differentiable.
// Shapes: idx (B, T) flattened row-major, logits (B, T, V).
using System.Numerics.Tensors;
using ProbLab.Kernels;
using ProbLab.Nn;
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Models;

/// <summary>A decoder-only transformer over token ids (nanoGPT's GPT).</summary>
public sealed partial class Gpt : Module
{
    /// <summary>The validated configuration.</summary>
    public GptConfig Config { get; }
    /// <summary>Token embedding (V, C).</summary>
    public Embedding Wte => _trunk.Wte;
    /// <summary>Position embedding (BlockSize, C).</summary>
    public Embedding Wpe => _trunk.Wpe;
    /// <summary>The transformer blocks.</summary>
    public IReadOnlyList<TransformerBlock> Blocks => _trunk.H.Items;
    /// <summary>Final LayerNorm.</summary>
    public LayerNorm LnF => _trunk.LnF;
    /// <summary>Output head weight (V, C): lm_head.weight, or the token embedding when tied.</summary>
    public Tensor HeadWeight => _lmHead?.Weight ?? Wte.Weight;
    /// <summary>Use the fused kernels when dropout is inactive (true by default; false forces the composed ops).</summary>
    public bool UseFusedKernels { get; set; } = true;

    private readonly Trunk _trunk;
    private readonly Linear? _lmHead;
    private readonly BufferPool _buffers = new();

    /// <summary>Builds and initialises the model from <paramref name="rng"/>.</summary>
    /// <exception cref="ArgumentException">The config is invalid (message names the field).</exception>
    public Gpt(GptConfig config, Rng rng)
    {
        Config = config.Validate();
        _trunk = Child("transformer", new Trunk(config, rng));
        if (!config.TiedWeights) _lmHead = Child("lm_head", new Linear(config.Embd, config.VocabSize, rng, bias: false));
        if (config.Init == GptInit.Gpt2) InitGpt2(rng);
    }

    // GPT-2 initialisation (nanoGPT's _init_weights): N(0, 0.02²) for every matrix, 0.02/√(2L) for the
    // residual projections (c_proj) so the residual stream's variance does not grow with depth, zero biases.
    private void InitGpt2(Rng rng)
    {
        float projStd = 0.02f / MathF.Sqrt(2f * Math.Max(1, Config.Layers));
        foreach (var (name, p) in NamedParameters())
        {
            if (p.Rank == 2) Init.Normal(p, rng, 0f, name.EndsWith("c_proj.weight", StringComparison.Ordinal) ? projStd : 0.02f);
            else if (name.EndsWith(".bias", StringComparison.Ordinal)) Init.Constant(p, 0f);
        }
        if (Config.EmbeddingInitStd is { } s) Init.Normal(Wte.Weight, rng, 0f, s);
    }

    /// <summary>
    /// Logits (B, T, V) for token ids idx (B·T values, row-major) and, with <paramref name="targets"/>, the mean
    /// cross-entropy (targets equal to <paramref name="ignoreIndex"/> are skipped). On the fused path with
    /// targets the logits are returned detached (the loss carries the gradient), written into
    /// <paramref name="logitsBuffer"/> when one of exactly B·T·V floats is given (a training loop can then
    /// reuse one buffer instead of allocating per step); otherwise they are differentiable.
    /// </summary>
    /// <exception cref="ArgumentException">Bad batch size, T outside [1, BlockSize], an id outside the vocabulary, mismatched targets, or a logits buffer of the wrong length.</exception>
    public (Tensor Logits, Tensor? Loss) Forward(int[] idx, int batch, int[]? targets = null, Rng? dropoutRng = null, int ignoreIndex = -100,
        float[]? logitsBuffer = null)
    {
        var (b, t) = CheckInput(idx, batch);
        if (targets is not null && targets.Length != idx.Length) throw new ArgumentException($"GPT forward: {targets.Length} targets for {idx.Length} tokens");
        if (logitsBuffer is not null && logitsBuffer.Length != idx.Length * Config.VocabSize)
            throw new ArgumentException($"GPT forward: logits buffer holds {logitsBuffer.Length} floats, expected B·T·V = {idx.Length * Config.VocabSize}");
        bool dropout = Training && Config.Dropout > 0;
        bool fused = UseFusedKernels && !dropout;
        if (dropout && dropoutRng is null) throw new ArgumentException("GPT forward: dropout is active (training mode, Dropout > 0) but no dropout Rng was given");

        // The fused path keeps the residual stream time-major, (T, B, C), which lets attention put the batch
        // in the vector lanes; the composed path is (B, T, C) throughout.
        Tensor x = fused ? EmbedFused(idx, b, t) : EmbedComposed(idx, b, t, dropoutRng);
        foreach (var block in Blocks)
            x = fused ? block.ForwardTimeMajor(x, pooledOutput: true) : block.ForwardComposed(x, dropoutRng);
        if (targets is not null && fused) return HeadLossFused(x, targets, ignoreIndex, logitsBuffer);
        if (fused) x = x.Permute(1, 0, 2);                                               // (T, B, C) → (B, T, C)
        var logits = LnF.Forward(x).Linear(HeadWeight);                                 // (B, T, V)
        return (logits, targets is null ? null : logits.CrossEntropy(targets, ignoreIndex));
    }

    /// <summary>Validates ids and returns (B, T).</summary>
    private (int B, int T) CheckInput(ReadOnlySpan<int> idx, int batch)
    {
        if (batch < 1) throw new ArgumentException($"GPT forward: batch size must be at least 1, got {batch}");
        if (idx.Length == 0 || idx.Length % batch != 0) throw new ArgumentException($"GPT forward: {idx.Length} token ids do not form {batch} non-empty sequences");
        int t = idx.Length / batch;
        if (t > Config.BlockSize) throw new ArgumentException($"GPT forward: sequence length {t} exceeds the block size {Config.BlockSize}");
        CheckIds(idx);
        return (batch, t);
    }

    private void CheckIds(ReadOnlySpan<int> ids)
    {
        for (int i = 0; i < ids.Length; i++)
            if ((uint)ids[i] >= (uint)Config.VocabSize)
                throw new ArgumentException($"token id {ids[i]} at position {i} is outside the vocabulary [0, {Config.VocabSize})");
    }

    // x = wte[idx] + wpe[0..T) (+ dropout), from ops.
    private Tensor EmbedComposed(int[] idx, int b, int t, Rng? dropoutRng)
    {
        var pos = new int[t];
        for (int i = 0; i < t; i++) pos[i] = i;
        var x = Wte.Weight.Embedding(idx, b, t).Add(Wpe.Weight.Embedding(pos, t));      // (B, T, C) + (T, C)
        return Training && Config.Dropout > 0 ? x.Dropout(Config.Dropout, dropoutRng!) : x;
    }

    // The same sum as one node on a pooled buffer, written time-major (T, B, C): row ti·B + bi holds token
    // idx[bi·T + ti]. Backward scatters rows into both tables.
    private Tensor EmbedFused(int[] idx, int b, int t)
    {
        int c = Config.Embd, rows = b * t;
        var buf = _buffers.Rent(rows * c);
        float[] wte = Wte.Weight.Data, wpe = Wpe.Weight.Data;
        for (int r = 0; r < rows; r++)
            TensorPrimitives.Add(wte.AsSpan(idx[r % b * t + r / b] * c, c), wpe.AsSpan(r / b * c, c), buf.AsSpan(r * c, c));
        var y = new Tensor(buf, t, b, c);
        bool released = false;
        y.Record("gpt_embedding", Wte.Weight, Wpe.Weight, () =>
        {
            if (released) throw new InvalidOperationException(TransformerBlock.RetainGraphMessage);
            released = true;
            var dy = y.Grad!;
            for (int r = 0; r < rows; r++)
            {
                var g = dy.AsSpan(r * c, c);
                if (Wte.Weight.RequiresGrad) { var d = Wte.Weight.Grad.AsSpan(idx[r % b * t + r / b] * c, c); TensorPrimitives.Add(d, g, d); }
                if (Wpe.Weight.RequiresGrad) { var d = Wpe.Weight.Grad.AsSpan(r / b * c, c); TensorPrimitives.Add(d, g, d); }
            }
            _buffers.Return(buf);
            _buffers.Return(dy);
        });
        if (y.IsLeaf) _buffers.Return(buf); // inference: nothing will read it after this forward
        else
        {
            // A pooled, zeroed gradient buffer: the engine accumulates into it instead of allocating one.
            y.Grad = _buffers.Rent(rows * c);
            Array.Clear(y.Grad);
        }
        return y;
    }

    // ln_f + head + mean cross-entropy as one node: the logits and their gradient never enter the graph.
    // x is the time-major residual stream (T, B, C); targets and the returned logits are (B, T) row-major, so
    // the targets are permuted in and the logits rows permuted out.
    private (Tensor Logits, Tensor Loss) HeadLossFused(Tensor x, int[] targetsBt, int ignoreIndex, float[]? logitsBuffer)
    {
        int t = x.Shape[0], b = x.Shape[1], c = Config.Embd, v = Config.VocabSize, rows = b * t;
        float[] ln = _buffers.Rent(rows * c), mean = _buffers.Rent(rows), rstd = _buffers.Rent(rows), probs = _buffers.Rent(rows * v),
            logitsTm = _buffers.Rent(rows * v);
        var targets = new int[rows];
        for (int r = 0; r < rows; r++) targets[r] = targetsBt[r % b * t + r / b];
        var logits = new Tensor(logitsBuffer ?? new float[rows * v], b, t, v);
        var w = HeadWeight;
        LayerNormFastKernels.Forward(ln, mean, rstd, x.Data, LnF.Weight.Data, LnF.Bias?.Data, rows, c, LnF.Eps);
        LinearKernels.Forward(logitsTm, ln, w.Data, default, rows, c, v);
        var (sum, count) = CrossEntropyKernels.Forward(probs, logitsTm, targets, rows, v, ignoreIndex);
        for (int r = 0; r < rows; r++) logitsTm.AsSpan(r * v, v).CopyTo(logits.Data.AsSpan((r % b * t + r / b) * v, v));
        _buffers.Return(logitsTm);
        var loss = Tensor.Scalar(count == 0 ? 0f : (float)(sum / count));
        void Release() { _buffers.Return(ln); _buffers.Return(mean); _buffers.Return(rstd); _buffers.Return(probs); }
        var parents = LnF.Bias is null ? new[] { x, LnF.Weight, w } : new[] { x, LnF.Weight, LnF.Bias, w };
        bool released = false;
        loss.Record("gpt_head_loss", parents, () =>
        {
            if (released) throw new InvalidOperationException(TransformerBlock.RetainGraphMessage);
            released = true;
            if (count > 0)
            {
                // ∂loss/∂logits = (softmax − onehot(target))·g/count, written over the saved probabilities.
                float scale = loss.Grad![0] / count;
                for (int r = 0; r < rows; r++)
                {
                    var row = probs.AsSpan(r * v, v);
                    int target = targets[r];
                    if (target == ignoreIndex) { row.Clear(); continue; }
                    TensorPrimitives.Multiply(row, scale, row);
                    row[target] -= scale;
                }
                float[] dLn = _buffers.Rent(rows * c);
                LinearKernels.Backward(dLn, G(w), Span<float>.Empty, probs, ln, w.Data, rows, c, v, accumulateInput: false);
                LayerNormFastKernels.Backward(G(x), G(LnF.Weight), G(LnF.Bias), dLn, x.Data, LnF.Weight.Data, mean, rstd, rows, c);
                _buffers.Return(dLn);
            }
            Release();
        });
        if (loss.IsLeaf) Release();
        return (logits, loss);
    }

    // A gradient buffer, or empty when absent or frozen.
    private static Span<float> G(Tensor? p) => p is { RequiresGrad: true } ? p.Grad : Span<float>.Empty;

    /// <summary>Number of parameters; with <paramref name="nonEmbedding"/> the position table is excluded (nanoGPT's get_num_params).</summary>
    public long ParameterCount(bool nonEmbedding) => ParameterCount() - (nonEmbedding ? Wpe.Weight.Size : 0);

    // "transformer" in nanoGPT: the embeddings, the blocks and the final LayerNorm.
    private sealed class Trunk : Module
    {
        public readonly Embedding Wte, Wpe;
        public readonly ModuleList<TransformerBlock> H;
        public readonly LayerNorm LnF;

        public Trunk(GptConfig cfg, Rng rng)
        {
            bool gpt2 = cfg.Init == GptInit.Gpt2;
            Wte = Child("wte", new Embedding(cfg.VocabSize, cfg.Embd, rng, cfg.EmbeddingInitStd ?? (gpt2 ? 0.02f : 1f)));
            Wpe = Child("wpe", new Embedding(cfg.BlockSize, cfg.Embd, rng, gpt2 ? 0.02f : 1f));
            H = Child("h", new ModuleList<TransformerBlock>(
                Enumerable.Range(0, cfg.Layers).Select(_ => new TransformerBlock(cfg.Embd, cfg.Heads, rng, cfg.Bias, cfg.Dropout))));
            LnF = Child("ln_f", new LayerNorm(cfg.Embd, cfg.Bias));
            var scratch = new BlockGradScratch(); // one backward scratch for all blocks: a smaller working set
            foreach (var block in H.Items) block.GradScratch = scratch;
        }
    }
}

/// <summary>Reusable float arrays keyed by exact length (a few per length); unreturned arrays are just collected.</summary>
internal sealed class BufferPool
{
    private const int PerLength = 4;
    private readonly Dictionary<int, Stack<float[]>> _free = new();

    /// <summary>An array of exactly <paramref name="length"/> floats with unspecified contents.</summary>
    public float[] Rent(int length) => _free.TryGetValue(length, out var s) && s.Count > 0 ? s.Pop() : new float[length];

    /// <summary>Gives an array back for reuse.</summary>
    public void Return(float[] a)
    {
        if (!_free.TryGetValue(a.Length, out var s)) _free[a.Length] = s = new Stack<float[]>();
        if (s.Count < PerLength) s.Push(a);
    }
}
