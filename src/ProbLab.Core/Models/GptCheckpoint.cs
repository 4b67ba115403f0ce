// Loading a trained Gpt back from a checkpoint folder written by GptTrainer: the config comes from the
// checkpoint's metadata, the weights from model.safetensors; the rest of the metadata (e.g. the tokenizer's
// vocabulary) is returned for the caller.
using ProbLab.Checkpoints;
using ProbLab.Tensors;

namespace ProbLab.Models;

public sealed partial class Gpt
{
    /// <summary>Rebuilds the model saved in <paramref name="dir"/> and returns it (in eval mode) with the checkpoint's metadata.</summary>
    /// <exception cref="FileNotFoundException">No checkpoint in the folder.</exception>
    /// <exception cref="InvalidDataException">The checkpoint has no GPT config or its weights do not match it (one-line message).</exception>
    public static (Gpt Model, TrainingState State) Load(string dir)
    {
        var state = Checkpoint.ReadState(dir);
        if (!state.Metadata.TryGetValue(GptTrainer.ConfigKey, out var json))
            throw new InvalidDataException($"{dir}: the checkpoint holds no GPT configuration ('{GptTrainer.ConfigKey}' metadata)");
        GptConfig config;
        try { config = GptConfig.FromJson(json); }
        catch (ArgumentException e) { throw new InvalidDataException($"{dir}: {e.Message}"); }
        var model = new Gpt(config, new Rng(0)); // initial values are overwritten by the saved weights
        Checkpoint.Load(dir, model);
        model.Eval();
        return (model, state);
    }
}
