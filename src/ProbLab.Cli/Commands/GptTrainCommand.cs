// `problab gpt train`: trains the IML ex5 character GPT on tiny Shakespeare (the synthetic stand-in when the
// data is missing) with the course defaults, printing per-epoch train/test loss and last-position accuracy
// and 2×N generations from the prompt (plain and top-k). With --checkpoint DIR a checkpoint (weights, Adam
// state, RNG streams, history, vocabulary) is written after every epoch; --resume continues from it exactly.
// --json prints {"parameters":..,"finalTestLoss":..,"epochs":[{epoch, step, trainLoss, ..., samples, topKSamples}]}.
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ProbLab.Models;
using ProbLab.Reports;
using ProbLab.Tensors;

namespace ProbLab.Cli.Commands;

/// <summary>`problab gpt train`.</summary>
public static class GptTrainCommand
{
    /// <summary>Config of `problab gpt train` (defaults: the course's).</summary>
    public sealed record GptTrainConfig
    {
        /// <summary>Epochs of SamplesPerEpoch windows.</summary>
        public int Epochs { get; init; } = 10;
        /// <summary>Context length T.</summary>
        public int BlockSize { get; init; } = 10;
        /// <summary>Transformer blocks.</summary>
        public int Layers { get; init; } = 3;
        /// <summary>Attention heads per block.</summary>
        public int Heads { get; init; } = 3;
        /// <summary>Embedding size C (a multiple of Heads).</summary>
        public int Embd { get; init; } = 48;
        /// <summary>Adam learning rate.</summary>
        public double Lr { get; init; } = 3e-4;
        /// <summary>Windows per step.</summary>
        public int BatchSize { get; init; } = 64;
        /// <summary>Training windows per epoch, drawn with replacement.</summary>
        public int SamplesPerEpoch { get; init; } = 100_000;
        /// <summary>Test windows per evaluation, drawn without replacement.</summary>
        public int TestSamples { get; init; } = 10_000;
        /// <summary>Tie the output head to the token embedding.</summary>
        public bool Tied { get; init; }
        /// <summary>Token-embedding init std (0 = PyTorch's default, 1).</summary>
        public double EmbeddingStd { get; init; }
        /// <summary>Prompt of the per-epoch generations.</summary>
        public string Prompt { get; init; } = "the ";
        /// <summary>Characters generated per sample.</summary>
        public int Tokens { get; init; } = 30;
        /// <summary>Generations per sampling mode and epoch.</summary>
        public int Samples { get; init; } = 3;
        /// <summary>k of the top-k generations (0 = skip them).</summary>
        public int TopK { get; init; } = 5;
        /// <summary>Checkpoint folder (written after every epoch), or none.</summary>
        public string? Checkpoint { get; init; }
        /// <summary>Continue from the checkpoint.</summary>
        public bool Resume { get; init; }
    }

    /// <summary>Creates `gpt train`.</summary>
    public static Command Create(CliApp app)
    {
        var d = new GptTrainConfig();
        var epochs = CliOptions.Int("--epochs", "epochs of --samples-per-epoch windows", d.Epochs, min: 0, max: 100_000);
        var block = CliOptions.Int("--block-size", "context length T", d.BlockSize, min: 1, max: 4096);
        var layers = CliOptions.Int("--layers", "transformer blocks", d.Layers, min: 0, max: 64);
        var heads = CliOptions.Int("--heads", "attention heads per block", d.Heads, min: 1, max: 256);
        var embd = CliOptions.Int("--embd", "embedding size (a multiple of --heads)", d.Embd, min: 1, max: 8192);
        var lr = CliOptions.Double("--lr", "Adam learning rate", d.Lr, min: 1e-8, max: 10);
        var batch = CliOptions.Int("--batch-size", "windows per step", d.BatchSize, min: 1, max: 65_536);
        var perEpoch = CliOptions.Int("--samples-per-epoch", "training windows per epoch (drawn with replacement)", d.SamplesPerEpoch, min: 1);
        var testSamples = CliOptions.Int("--test-samples", "test windows per evaluation (without replacement)", d.TestSamples, min: 1);
        var tied = CliOptions.Flag("--tied", "tie the output head to the token embedding");
        var embStd = CliOptions.Double("--embedding-std", "token-embedding init std (0 = PyTorch default 1)", d.EmbeddingStd, min: 0, max: 100);
        var prompt = new Option<string>("--prompt") { Description = "prompt of the per-epoch generations", DefaultValueFactory = _ => d.Prompt };
        var tokens = CliOptions.Int("--tokens", "characters per generation", d.Tokens, min: 0, max: 100_000);
        var samples = CliOptions.Int("--samples", "generations per sampling mode and epoch", d.Samples, min: 0, max: 1000);
        var topK = CliOptions.Int("--top-k", "k of the top-k generations (0 = skip)", d.TopK, min: 0);
        var checkpoint = CliOptions.Path("--checkpoint", "checkpoint folder, written after every epoch");
        var resume = CliOptions.Flag("--resume", "continue from --checkpoint");
        var cmd = new Command("train", "Train the character GPT on tiny Shakespeare (course defaults).")
            { epochs, block, layers, heads, embd, lr, batch, perEpoch, testSamples, tied, embStd, prompt, tokens, samples, topK, checkpoint, resume };
        cmd.Validators.Add(r =>
        {
            if (r.GetValue(resume) && r.GetValue(checkpoint) is null) r.AddError("--resume needs --checkpoint DIR");
        });
        app.SetAction(cmd, p => new GptTrainConfig
        {
            Epochs = p.GetValue(epochs), BlockSize = p.GetValue(block), Layers = p.GetValue(layers), Heads = p.GetValue(heads),
            Embd = p.GetValue(embd), Lr = p.GetValue(lr), BatchSize = p.GetValue(batch), SamplesPerEpoch = p.GetValue(perEpoch),
            TestSamples = p.GetValue(testSamples), Tied = p.GetValue(tied), EmbeddingStd = p.GetValue(embStd), Prompt = p.GetValue(prompt)!,
            Tokens = p.GetValue(tokens), Samples = p.GetValue(samples), TopK = p.GetValue(topK), Checkpoint = p.GetValue(checkpoint), Resume = p.GetValue(resume),
        }, Run);
        return cmd;
    }

    private static int Run(CommandContext ctx, GptTrainConfig cfg)
    {
        if (cfg.Embd % cfg.Heads != 0) throw new UsageException($"--embd {cfg.Embd} must be a multiple of --heads {cfg.Heads}");
        var data = CharGptData.Load(ctx.Data, cfg.BlockSize, ctx.Cancel);
        ctx.Announce(data.Source);
        var promptIds = CharGptData.EncodePrompt(data.Vocab, cfg.Prompt, "--prompt");
        if (promptIds.Length == 0 && cfg.Samples > 0) throw new UsageException("--prompt must not be empty (the character model has no BOS token)");
        var modelConfig = new GptConfig
        {
            BlockSize = cfg.BlockSize, VocabSize = data.Vocab.Size, Layers = cfg.Layers, Heads = cfg.Heads, Embd = cfg.Embd,
            TiedWeights = cfg.Tied, EmbeddingInitStd = cfg.EmbeddingStd > 0 ? (float)cfg.EmbeddingStd : null,
        };
        var model = new Gpt(modelConfig, ctx.Rng.Split());
        var options = new GptTrainOptions
        {
            Epochs = cfg.Epochs, BatchSize = cfg.BatchSize, LearningRate = (float)cfg.Lr, SamplesPerEpoch = cfg.SamplesPerEpoch,
            TestSamples = cfg.TestSamples, Generations = cfg.Samples, GenerationTokens = cfg.Tokens, TopK = cfg.TopK,
            Seed = unchecked((ulong)ctx.Globals.Seed), CheckpointDir = cfg.Checkpoint, Resume = cfg.Resume,
        };
        var meta = new Dictionary<string, string> { [CharGptData.VocabKey] = CharGptData.VocabString(data.Vocab) };
        if (cfg.Resume) CheckVocabulary(cfg.Checkpoint!, meta[CharGptData.VocabKey]);
        var trainer = new GptTrainer(model, data.Train, data.Test, options, ids => data.Vocab.Decode(ids), promptIds, meta);
        long stepsPerEpoch = (cfg.SamplesPerEpoch + cfg.BatchSize - 1) / cfg.BatchSize;
        GptTrainingResult result;
        using (var task = ctx.Progress.Start("gpt train", stepsPerEpoch * cfg.Epochs))
            result = trainer.Run(p => task.Advance(1, p.Loss), ctx.Cancel);
        Print(ctx, model, result);
        ctx.JsonResult = ToJson(model, result);
        return ErrorText.Ok;
    }

    // A resumed run must tokenize exactly as the checkpointed one did.
    private static void CheckVocabulary(string dir, string vocab)
    {
        var state = Checkpoints.Checkpoint.ReadState(dir);
        if (state.Metadata.TryGetValue(CharGptData.VocabKey, out var saved) && saved != vocab)
            throw new InvalidDataException($"{dir}: the checkpoint's vocabulary ({saved.Length} characters) differs from the data's ({vocab.Length})");
    }

    private static void Print(CommandContext ctx, Gpt model, GptTrainingResult result)
    {
        ctx.Out.WriteLine($"GPT with {model.ParameterCount():N0} parameters");
        var table = new Table("epoch", "step", "train loss", "test loss", "train acc", "test acc", "seconds");
        foreach (var e in result.Epochs)
            table.AddRow(e.Epoch, e.Step, e.TrainLoss, e.TestLoss, e.TrainAccuracy, e.TestAccuracy, e.Seconds);
        for (int c = 2; c <= 5; c++) table.SetFormat(c, "F4");
        table.SetFormat(6, "F1");
        ctx.Out.WriteLine(table.ToText());
        if (result.Epochs.Count == 0) return;
        var last = result.Epochs[^1];
        foreach (var s in last.Samples) ctx.Out.WriteLine($"sample: {Escape(s)}");
        foreach (var s in last.TopKSamples) ctx.Out.WriteLine($"top-k : {Escape(s)}");
    }

    private static string Escape(string s) => s.Replace("\n", "\\n", StringComparison.Ordinal);

    private static JsonObject ToJson(Gpt model, GptTrainingResult result) => new()
    {
        ["parameters"] = model.ParameterCount(),
        ["finalTestLoss"] = result.Epochs.Count == 0 ? null : Math.Round(result.Epochs[^1].TestLoss, 5),
        ["epochs"] = new JsonArray(result.Epochs.Select(e => (JsonNode)new JsonObject
        {
            ["epoch"] = e.Epoch, ["step"] = e.Step,
            ["trainLoss"] = Math.Round(e.TrainLoss, 5), ["testLoss"] = Math.Round(e.TestLoss, 5),
            ["trainAccuracy"] = Math.Round(e.TrainAccuracy, 5), ["testAccuracy"] = Math.Round(e.TestAccuracy, 5),
            ["seconds"] = Math.Round(e.Seconds, 2),
            ["samples"] = new JsonArray(e.Samples.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray()),
            ["topKSamples"] = new JsonArray(e.TopKSamples.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray()),
        }).ToArray()),
    };
}
