// Module: base class for networks, PyTorch vocabulary with explicit registration (no reflection).
// Subclasses register parameters with Param(name, tensor) and sub-modules with Child(name, module) in
// their constructors; NamedParameters() walks them in registration order with dotted names
// ("blocks.0.attn.c_attn.weight"), which is what optimizers, checkpoints and reports refer to.
using ProbLab.Tensors;

namespace ProbLab.Nn;

/// <summary>A network component owning named parameters and child modules.</summary>
public abstract class Module
{
    private readonly List<(string Name, Tensor Value)> _params = new();
    private readonly List<(string Name, Module Value)> _children = new();

    /// <summary>True in training mode (dropout active), false after <see cref="Eval"/>.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Registers a trainable parameter (sets RequiresGrad) and returns it.</summary>
    protected Tensor Param(string name, Tensor value)
    {
        CheckName(name);
        value.RequiresGrad = true;
        value.Name = name;
        _params.Add((name, value));
        return value;
    }

    /// <summary>Registers a child module and returns it.</summary>
    protected T Child<T>(string name, T module) where T : Module
    {
        CheckName(name);
        _children.Add((name, module));
        return module;
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.')) throw new ArgumentException($"invalid parameter/module name '{name}'");
        if (_params.Exists(p => p.Name == name) || _children.Exists(c => c.Name == name))
            throw new ArgumentException($"name '{name}' is already registered in {GetType().Name}");
    }

    /// <summary>All parameters with dotted names, depth-first in registration order.</summary>
    public IEnumerable<(string Name, Tensor Param)> NamedParameters(string prefix = "")
    {
        foreach (var (n, p) in _params) yield return (prefix + n, p);
        foreach (var (n, c) in _children)
            foreach (var item in c.NamedParameters(prefix + n + "."))
                yield return item;
    }

    /// <summary>All parameters, in the order of <see cref="NamedParameters"/>.</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Param);

    /// <summary>Direct children with their names.</summary>
    public IEnumerable<(string Name, Module Child)> NamedChildren() => _children;

    /// <summary>Total number of scalar parameters.</summary>
    public long ParameterCount() => NamedParameters().Sum(p => (long)p.Param.Size);

    /// <summary>Zeroes every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.ZeroGrad();
    }

    /// <summary>Sets training mode on this module and all children; returns this.</summary>
    public Module Train(bool on = true)
    {
        Training = on;
        foreach (var (_, c) in _children) c.Train(on);
        return this;
    }

    /// <summary>Evaluation mode (no dropout); returns this.</summary>
    public Module Eval() => Train(false);

    /// <summary>Parameters by dotted name.</summary>
    public Dictionary<string, Tensor> StateDict() => NamedParameters().ToDictionary(p => p.Name, p => p.Param);

    /// <summary>Copies values from <paramref name="state"/> into the parameters (shapes must match).</summary>
    /// <exception cref="ArgumentException">A name is missing or unexpected (when strict) or a shape differs.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        var own = StateDict();
        foreach (var (name, p) in own)
        {
            if (!state.TryGetValue(name, out var src))
            {
                if (strict) throw new ArgumentException($"state dict is missing parameter '{name}'");
                continue;
            }
            if (!src.Shape.AsSpan().SequenceEqual(p.Shape))
                throw new ArgumentException($"parameter '{name}' has shape {ShapeUtil.Format(src.Shape)} in the state dict, expected {ShapeUtil.Format(p.Shape)}");
            Array.Copy(src.Data, p.Data, p.Size);
        }
        if (strict)
            foreach (var name in state.Keys)
                if (!own.ContainsKey(name)) throw new ArgumentException($"state dict has unexpected parameter '{name}'");
    }
}
