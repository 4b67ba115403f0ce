// Training checkpoints: a folder with model.safetensors (weights, loadable by PyTorch), optimizer.safetensors
// (Adam moments, momentum buffers) and state.json (step, epoch, RNG states, optimizer settings, metadata).
// Saving writes a fresh sibling folder and swaps it in (old → .old, new → final, delete .old), so a crash at
// any point leaves a complete checkpoint: Load falls back to the .old folder if the final one is missing.
using System.Text.Json;
using ProbLab.Data;
using ProbLab.Nn;
using ProbLab.Nn.Optim;
using ProbLab.Tensors;

namespace ProbLab.Checkpoints;

/// <summary>Progress of a training run saved alongside the weights.</summary>
public sealed record TrainingState
{
    /// <summary>Optimizer steps completed.</summary>
    public long Step { get; init; }
    /// <summary>Epochs completed.</summary>
    public int Epoch { get; init; }
    /// <summary>Named RNG snapshots (e.g. "batches", "dropout") so a resumed run draws the same numbers.</summary>
    public Dictionary<string, RngState> Rngs { get; init; } = new();
    /// <summary>Free-form string metadata (model config, command line, vocabulary...).</summary>
    public Dictionary<string, string> Metadata { get; init; } = new();
    /// <summary>Learning rate at save time.</summary>
    public float LearningRate { get; init; }
}

/// <summary>Saves and restores model + optimizer + training state folders.</summary>
public static class Checkpoint
{
    private const string ModelFile = "model.safetensors", OptimFile = "optimizer.safetensors", StateFile = "state.json";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, IncludeFields = true };

    /// <summary>Saves everything needed to resume training into <paramref name="dir"/>, atomically.</summary>
    public static void Save(string dir, Module model, Optimizer? optimizer, TrainingState state)
    {
        string final = Path.GetFullPath(dir);
        string parent = Path.GetDirectoryName(final.TrimEnd(Path.DirectorySeparatorChar))!;
        Directory.CreateDirectory(parent);
        string tmp = final.TrimEnd(Path.DirectorySeparatorChar) + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        string old = final.TrimEnd(Path.DirectorySeparatorChar) + ".old";
        Directory.CreateDirectory(tmp);
        try
        {
            var meta = new Dictionary<string, string>(state.Metadata) { ["format"] = "problab-checkpoint-1" };
            Safetensors.Save(Path.Combine(tmp, ModelFile), model.StateDict(), meta);
            if (optimizer is not null)
            {
                var bufs = optimizer.StateBuffers().ToDictionary(kv => kv.Key, kv => new Tensor((float[])kv.Value.Clone(), kv.Value.Length));
                Safetensors.Save(Path.Combine(tmp, OptimFile), bufs);
            }
            var saved = state with { Step = optimizer?.StepCount ?? state.Step, LearningRate = optimizer?.LearningRate ?? state.LearningRate };
            AtomicFile.WriteAllText(Path.Combine(tmp, StateFile), JsonSerializer.Serialize(saved, Json));
            if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
            if (Directory.Exists(final)) Directory.Move(final, old);
            Directory.Move(tmp, final);
            if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
        }
        catch
        {
            if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
            throw;
        }
    }

    /// <summary>True if <paramref name="dir"/> (or its crash-recovery sibling) holds a checkpoint.</summary>
    public static bool Exists(string dir) => Resolve(dir) is not null;

    /// <summary>Restores weights (and optimizer state if given) and returns the training state.</summary>
    /// <exception cref="FileNotFoundException">No checkpoint in <paramref name="dir"/>.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt or does not match the model (one-line message).</exception>
    public static TrainingState Load(string dir, Module model, Optimizer? optimizer = null)
    {
        string path = Resolve(dir) ?? throw new FileNotFoundException($"no checkpoint found in '{dir}' (expected {StateFile} and {ModelFile})");
        var (weights, _) = Safetensors.Load(Path.Combine(path, ModelFile));
        try { model.LoadStateDict(weights); }
        catch (ArgumentException e) { throw new InvalidDataException($"{Path.Combine(path, ModelFile)}: {e.Message}"); }
        TrainingState state;
        string statePath = Path.Combine(path, StateFile);
        try { state = JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(statePath), Json) ?? throw new JsonException("empty"); }
        catch (JsonException e) { throw new InvalidDataException($"{statePath}: malformed state ({e.Message.Split('\n')[0]})"); }
        if (optimizer is not null)
        {
            string optPath = Path.Combine(path, OptimFile);
            if (!File.Exists(optPath)) throw new InvalidDataException($"{optPath}: optimizer state missing; cannot resume this optimizer");
            var (bufs, _) = Safetensors.Load(optPath);
            try { optimizer.LoadState(bufs.ToDictionary(kv => kv.Key, kv => kv.Value.Data), state.Step); }
            catch (ArgumentException e) { throw new InvalidDataException($"{optPath}: {e.Message}"); }
            optimizer.LearningRate = state.LearningRate;
        }
        return state;
    }

    /// <summary>Reads only the state file (e.g. to rebuild the model config before loading weights).</summary>
    public static TrainingState ReadState(string dir)
    {
        string path = Resolve(dir) ?? throw new FileNotFoundException($"no checkpoint found in '{dir}'");
        string statePath = Path.Combine(path, StateFile);
        try { return JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(statePath), Json) ?? throw new JsonException("empty"); }
        catch (JsonException e) { throw new InvalidDataException($"{statePath}: malformed state ({e.Message.Split('\n')[0]})"); }
    }

    private static string? Resolve(string dir)
    {
        string final = Path.GetFullPath(dir).TrimEnd(Path.DirectorySeparatorChar);
        if (File.Exists(Path.Combine(final, StateFile))) return final;
        string old = final + ".old";
        return File.Exists(Path.Combine(old, StateFile)) ? old : null;
    }
}
