// `problab gpt sample --checkpoint DIR`: loads a model written by `gpt train --checkpoint DIR` (config,
// weights and character vocabulary all come from the folder) and prints --samples continuations of
// --prompt, each --tokens characters long, with optional top-k and temperature (0 = greedy). The context is
// cropped to the model's block size; the KV cache makes each new character cost one row per layer.
// --json prints {"samples":[...]}.
using System.CommandLine;
using System.Text.Json.Nodes;
using ProbLab.Data;
using ProbLab.Models;

namespace ProbLab.Cli.Commands;

/// <summary>`problab gpt sample`.</summary>
public static class GptSampleCommand
{
    /// <summary>Config of `problab gpt sample`.</summary>
    public sealed record GptSampleConfig
    {
        /// <summary>Checkpoint folder written by `gpt train`.</summary>
        public string Checkpoint { get; init; } = "";
        /// <summary>Text to continue.</summary>
        public string Prompt { get; init; } = "the ";
        /// <summary>Characters to generate per sample.</summary>
        public int Tokens { get; init; } = 30;
        /// <summary>Keep only the k most likely characters (0 = all).</summary>
        public int TopK { get; init; }
        /// <summary>Softmax temperature (0 = greedy argmax).</summary>
        public double Temperature { get; init; } = 1.0;
        /// <summary>Number of samples.</summary>
        public int Samples { get; init; } = 1;
    }

    /// <summary>Creates `gpt sample`.</summary>
    public static Command Create(CliApp app)
    {
        var d = new GptSampleConfig();
        var checkpoint = CliOptions.Path("--checkpoint", "checkpoint folder written by `gpt train --checkpoint`");
        checkpoint.Required = true;
        var prompt = new Option<string>("--prompt") { Description = "text to continue", DefaultValueFactory = _ => d.Prompt };
        var tokens = CliOptions.Int("--tokens", "characters to generate", d.Tokens, min: 0, max: 1_000_000);
        var topK = CliOptions.Int("--top-k", "keep only the k most likely characters (0 = all)", d.TopK, min: 0);
        var temperature = CliOptions.Double("--temperature", "softmax temperature (0 = greedy)", d.Temperature, min: 0, max: 1e6);
        var samples = CliOptions.Int("--samples", "number of samples", d.Samples, min: 1, max: 10_000);
        var cmd = new Command("sample", "Continue a prompt with a trained character GPT.") { checkpoint, prompt, tokens, topK, temperature, samples };
        app.SetAction(cmd, p => new GptSampleConfig
        {
            Checkpoint = p.GetValue(checkpoint)!, Prompt = p.GetValue(prompt)!, Tokens = p.GetValue(tokens),
            TopK = p.GetValue(topK), Temperature = p.GetValue(temperature), Samples = p.GetValue(samples),
        }, Run);
        return cmd;
    }

    private static int Run(CommandContext ctx, GptSampleConfig cfg)
    {
        var (model, state) = Gpt.Load(cfg.Checkpoint);
        if (!state.Metadata.TryGetValue(CharGptData.VocabKey, out var chars))
            throw new InvalidDataException($"{cfg.Checkpoint}: the checkpoint holds no character vocabulary ('{CharGptData.VocabKey}' metadata)");
        var vocab = CharVocab.FromText(chars);
        if (vocab.Size != model.Config.VocabSize)
            throw new InvalidDataException($"{cfg.Checkpoint}: vocabulary of {vocab.Size} characters does not match the model's {model.Config.VocabSize}");
        var prompt = CharGptData.EncodePrompt(vocab, cfg.Prompt, "--prompt");
        if (prompt.Length == 0) throw new UsageException("--prompt must not be empty (the character model has no BOS token)");
        var texts = new List<string>();
        for (int i = 0; i < cfg.Samples; i++)
        {
            ctx.Cancel.ThrowIfCancellationRequested();
            var ids = model.Generate(prompt, cfg.Tokens, (float)cfg.Temperature, cfg.TopK, ctx.Rng);
            texts.Add(cfg.Prompt + vocab.Decode(ids));
        }
        foreach (var t in texts) ctx.Out.WriteLine(texts.Count == 1 ? t : t + "\n---");
        ctx.JsonResult = new JsonObject { ["epoch"] = state.Epoch, ["samples"] = new JsonArray(texts.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray()) };
        return ErrorText.Ok;
    }
}
