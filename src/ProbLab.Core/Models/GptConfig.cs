// GPT configuration, nanoGPT's GPTConfig as a typed record. Defaults are the HUJI IML ex5 "GPT-nano"
// character model (= minGPT's gpt-nano): block 10, 3 layers, 3 heads, 48 dims, 65-character vocabulary,
// PyTorch's default layer initialisation as the course skeleton has it, no dropout, untied head.
using System.Text.Json;

namespace ProbLab.Models;

/// <summary>How GPT parameters are initialised.</summary>
public enum GptInit
{
    /// <summary>PyTorch layer defaults (the course skeleton): Linear U(±1/√in), Embedding N(0, 1), LayerNorm (1, 0).</summary>
    TorchDefault,
    /// <summary>GPT-2 / nanoGPT: weights and embeddings N(0, 0.02²), residual projections N(0, (0.02/√(2L))²), biases 0.</summary>
    Gpt2,
}

/// <summary>Sizes and options of a <see cref="Gpt"/>.</summary>
public sealed record GptConfig
{
    /// <summary>Maximum context length T (number of learned positions).</summary>
    public int BlockSize { get; init; } = 10;
    /// <summary>Number of token ids V (characters, pixel levels, VQ codes, plus a BOS id if used).</summary>
    public int VocabSize { get; init; } = 65;
    /// <summary>Number of transformer blocks L.</summary>
    public int Layers { get; init; } = 3;
    /// <summary>Attention heads NH per block.</summary>
    public int Heads { get; init; } = 3;
    /// <summary>Embedding size C (a multiple of <see cref="Heads"/>).</summary>
    public int Embd { get; init; } = 48;
    /// <summary>Dropout probability on embeddings, attention weights and residual branches (0 = none, as the course).</summary>
    public float Dropout { get; init; }
    /// <summary>Biases in Linear layers and LayerNorms.</summary>
    public bool Bias { get; init; } = true;
    /// <summary>Share the token embedding with the output head (logits = h·wteᵀ).</summary>
    public bool TiedWeights { get; init; }
    /// <summary>Standard deviation of the token embedding at initialisation; null = the <see cref="Init"/> scheme's (1 or 0.02).</summary>
    public float? EmbeddingInitStd { get; init; }
    /// <summary>Initialisation scheme.</summary>
    public GptInit Init { get; init; } = GptInit.TorchDefault;
    /// <summary>Token id that starts every sequence (image and VQ-token GPTs); generation from an empty prompt starts from it.</summary>
    public int? BosToken { get; init; }

    /// <summary>Checks every field; the message names the field and its value.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public GptConfig Validate()
    {
        if (BlockSize < 1) throw new ArgumentException($"GptConfig.BlockSize must be at least 1, got {BlockSize}");
        if (VocabSize < 1) throw new ArgumentException($"GptConfig.VocabSize must be at least 1, got {VocabSize}");
        if (Layers < 0) throw new ArgumentException($"GptConfig.Layers must be non-negative, got {Layers}");
        if (Heads < 1) throw new ArgumentException($"GptConfig.Heads must be at least 1, got {Heads}");
        if (Embd < 1 || Embd % Heads != 0) throw new ArgumentException($"GptConfig.Embd must be a positive multiple of Heads={Heads}, got {Embd}");
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentException($"GptConfig.Dropout must be in [0, 1), got {Dropout}");
        if (EmbeddingInitStd is { } s && !(s > 0 && float.IsFinite(s))) throw new ArgumentException($"GptConfig.EmbeddingInitStd must be positive and finite, got {s}");
        if (BosToken is { } bos && (bos < 0 || bos >= VocabSize)) throw new ArgumentException($"GptConfig.BosToken {bos} is outside the vocabulary [0, {VocabSize})");
        return this;
    }

    // Unknown keys are errors (nanoGPT's configurator habit); the init scheme is written by name.
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    /// <summary>The config as JSON (stored in checkpoint metadata).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Parses <see cref="ToJson"/> output and validates it.</summary>
    /// <exception cref="ArgumentException">Malformed JSON or an invalid field.</exception>
    public static GptConfig FromJson(string json)
    {
        try { return (JsonSerializer.Deserialize<GptConfig>(json, JsonOptions) ?? throw new ArgumentException("GPT config JSON is null")).Validate(); }
        catch (JsonException e) { throw new ArgumentException($"malformed GPT config JSON ({e.Message.Split('\n')[0]})"); }
    }
}
