// Optimizer base: owns named parameters, a step counter, a learning rate (set per step by a schedule)
// and per-parameter state buffers exposed by name for checkpoints ("<param>.exp_avg" etc.).
using ProbLab.Tensors;

namespace ProbLab.Nn.Optim;

/// <summary>Base class of first-order optimizers over named parameters.</summary>
public abstract class Optimizer
{
    /// <summary>Parameters with their dotted names, in a fixed order.</summary>
    protected readonly (string Name, Tensor Param)[] Params;

    /// <summary>Learning rate used by the next <see cref="Step"/>.</summary>
    public float LearningRate { get; set; }

    /// <summary>Number of completed steps.</summary>
    public long StepCount { get; protected set; }

    /// <summary>Creates the optimizer over <paramref name="parameters"/>.</summary>
    /// <exception cref="ArgumentException">No parameters, duplicate names, or a non-positive learning rate.</exception>
    protected Optimizer(IEnumerable<(string Name, Tensor Param)> parameters, float learningRate)
    {
        Params = parameters.ToArray();
        if (Params.Length == 0) throw new ArgumentException("optimizer got no parameters");
        if (Params.Select(p => p.Name).Distinct().Count() != Params.Length) throw new ArgumentException("optimizer parameters have duplicate names");
        if (!(learningRate > 0) || float.IsInfinity(learningRate)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "learning rate must be a positive finite number");
        LearningRate = learningRate;
    }

    /// <summary>Applies one update from the current gradients (parameters without a gradient are skipped).</summary>
    public void Step()
    {
        StepCount++;
        for (int i = 0; i < Params.Length; i++)
            if (Params[i].Param.Grad is { } grad) Update(i, Params[i].Param, grad);
    }

    /// <summary>Updates parameter number <paramref name="index"/> (in <see cref="Params"/> order) in place.</summary>
    protected abstract void Update(int index, Tensor p, float[] grad);

    /// <summary>Zeroes all parameter gradients.</summary>
    public void ZeroGrad()
    {
        foreach (var (_, p) in Params) p.ZeroGrad();
    }

    /// <summary>State buffers by name (e.g. "fc.weight.exp_avg"), for checkpoints. Buffers are live, not copies.</summary>
    public abstract IReadOnlyDictionary<string, float[]> StateBuffers();

    /// <summary>Restores state buffers and the step count saved by <see cref="StateBuffers"/>.</summary>
    /// <exception cref="ArgumentException">A buffer is missing or has the wrong length.</exception>
    public void LoadState(IReadOnlyDictionary<string, float[]> buffers, long stepCount)
    {
        foreach (var (name, buf) in StateBuffers())
        {
            if (!buffers.TryGetValue(name, out var src)) throw new ArgumentException($"optimizer state is missing buffer '{name}'");
            if (src.Length != buf.Length) throw new ArgumentException($"optimizer buffer '{name}' has {src.Length} values, expected {buf.Length}");
            Array.Copy(src, buf, buf.Length);
        }
        StepCount = stepCount;
    }

    /// <summary>Lazily allocated per-parameter buffer table.</summary>
    protected static float[] Buffer(Dictionary<string, float[]> table, string key, int size)
    {
        if (!table.TryGetValue(key, out var b)) table[key] = b = new float[size];
        return b;
    }
}
