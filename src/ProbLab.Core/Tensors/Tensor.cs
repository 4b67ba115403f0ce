// Tensor: contiguous row-major float32 storage, an immutable shape, an optional gradient buffer and a
// small autograd node (parents, backward closure, op name). Reshape shares storage; every other
// shape-changing op copies, so kernels only ever see contiguous data (llm.c's choice).
//
// Autograd (micrograd-style): an op computes its output, then calls Record(...) with a closure that ADDS
// the output's gradient into its inputs' Grad buffers. Backward() sorts the graph topologically and runs
// the closures in reverse order. Leaf tensors (parameters) keep and accumulate Grad until ZeroGrad();
// intermediate gradients and closures are released after use, as PyTorch does without retain_graph.
using System.Text;

namespace ProbLab.Tensors;

/// <summary>A float32 n-dimensional array with reverse-mode automatic differentiation.</summary>
public sealed partial class Tensor
{
    /// <summary>Row-major element storage; its length always equals <see cref="Size"/>.</summary>
    public float[] Data { get; }

    /// <summary>Dimensions, outermost first. Never mutate the returned array.</summary>
    public int[] Shape { get; }

    /// <summary>Gradient of the last Backward() root with respect to this tensor, or null.</summary>
    public float[]? Grad { get; set; }

    /// <summary>Whether gradients flow to this tensor. Set it on leaves; ops derive it for their outputs.</summary>
    public bool RequiresGrad { get; set; }

    /// <summary>Optional name used in error messages and checkpoints.</summary>
    public string? Name { get; set; }

    // Autograd node: null for leaves and for outputs computed without gradient tracking.
    private Tensor[]? _parents;
    private Action? _backward;

    /// <summary>Name of the op that produced this tensor ("leaf" for inputs and parameters).</summary>
    public string Op { get; private set; } = "leaf";

    /// <summary>True for tensors not produced by a recorded op (inputs, parameters).</summary>
    public bool IsLeaf => _backward is null;

    /// <summary>Number of elements.</summary>
    public int Size => Data.Length;

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Length;

    /// <summary>Wraps <paramref name="data"/> (not copied) with the given shape.</summary>
    /// <exception cref="ArgumentException">The shape has a negative dimension or does not match the data length.</exception>
    public Tensor(float[] data, params int[] shape)
    {
        long n = ShapeUtil.CheckedSize(shape);
        if (n != data.Length)
            throw new ArgumentException($"shape {ShapeUtil.Format(shape)} holds {n} elements but the data has {data.Length}");
        Data = data;
        Shape = shape;
    }

    /// <summary>A new zero-filled tensor.</summary>
    public static Tensor Zeros(params int[] shape) => new(new float[ShapeUtil.CheckedSize(shape)], (int[])shape.Clone());

    /// <summary>A new tensor filled with ones.</summary>
    public static Tensor Ones(params int[] shape) => Full(1f, shape);

    /// <summary>A new tensor with every element equal to <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params int[] shape)
    {
        var t = Zeros(shape);
        Array.Fill(t.Data, value);
        return t;
    }

    /// <summary>A rank-0 tensor holding one value.</summary>
    public static Tensor Scalar(float value) => new(new[] { value });

    /// <summary>A tensor holding a copy of <paramref name="values"/> with the given shape (1-D if none given).</summary>
    public static Tensor FromArray(float[] values, params int[] shape)
    {
        var copy = (float[])values.Clone();
        return new Tensor(copy, shape.Length == 0 ? new[] { values.Length } : (int[])shape.Clone());
    }

    /// <summary>A new zero tensor with the same shape as <paramref name="like"/>.</summary>
    public static Tensor ZerosLike(Tensor like) => new(new float[like.Size], (int[])like.Shape.Clone());

    /// <summary>N(mean, std²) entries drawn from <paramref name="rng"/>.</summary>
    public static Tensor RandN(Rng rng, int[] shape, float mean = 0f, float std = 1f)
    {
        var t = Zeros(shape);
        rng.FillNormal(t.Data, mean, std);
        return t;
    }

    /// <summary>U[lo, hi) entries drawn from <paramref name="rng"/>.</summary>
    public static Tensor Rand(Rng rng, int[] shape, float lo = 0f, float hi = 1f)
    {
        var t = Zeros(shape);
        rng.FillUniform(t.Data, lo, hi);
        return t;
    }

    /// <summary>Values 0, 1, ..., n-1 as floats.</summary>
    public static Tensor Arange(int n)
    {
        var t = Zeros(n);
        for (int i = 0; i < n; i++) t.Data[i] = i;
        return t;
    }

    /// <summary>Size of dimension <paramref name="dim"/>; negative values count from the end.</summary>
    public int Dim(int dim) => Shape[ShapeUtil.NormAxis(dim, Rank)];

    /// <summary>The single value of a one-element tensor.</summary>
    /// <exception cref="InvalidOperationException">The tensor has more than one element.</exception>
    public float Item()
    {
        if (Size != 1) throw new InvalidOperationException($"Item() needs a one-element tensor, got shape {ShapeUtil.Format(Shape)}");
        return Data[0];
    }

    /// <summary>Element at a multi-index (bounds-checked; for tests and small tools, not hot loops).</summary>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public float this[params int[] index]
    {
        get => Data[ShapeUtil.Offset(Shape, index)];
        set => Data[ShapeUtil.Offset(Shape, index)] = value;
    }

    /// <summary>A copy that shares nothing with this tensor and records no history.</summary>
    public Tensor Clone() => new((float[])Data.Clone(), (int[])Shape.Clone()) { Name = Name };

    /// <summary>The same storage, cut from the autograd graph (no gradient flows through it).</summary>
    public Tensor Detach() => new(Data, Shape) { Name = Name };

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor, for fluent construction.</summary>
    public Tensor RequireGrad(bool value = true)
    {
        RequiresGrad = value;
        return this;
    }

    /// <summary>Zeroes (or drops) the gradient buffer.</summary>
    public void ZeroGrad()
    {
        if (Grad is not null) Array.Clear(Grad);
    }

    // ---- autograd ---------------------------------------------------------------------------------

    /// <summary>
    /// Attaches this output to its parents. The closure must ADD into the Grad of each parent that
    /// RequiresGrad (their buffers are allocated before it runs) and may read this tensor's Grad.
    /// Nothing is recorded inside a <see cref="NoGrad"/> scope or when no parent needs a gradient.
    /// </summary>
    internal Tensor Record(string op, Tensor[] parents, Action backward)
    {
        Op = op;
        if (NoGrad.IsActive) return this;
        bool any = false;
        foreach (var p in parents) any |= p.RequiresGrad;
        if (!any) return this;
        RequiresGrad = true;
        _parents = parents;
        _backward = backward;
        return this;
    }

    internal Tensor Record(string op, Tensor parent, Action backward) => Record(op, new[] { parent }, backward);

    internal Tensor Record(string op, Tensor a, Tensor b, Action backward) => Record(op, new[] { a, b }, backward);

    /// <summary>
    /// Back-propagates from this tensor. A scalar root is seeded with 1; a non-scalar root needs an
    /// explicit <paramref name="seed"/> of the same shape. Leaf gradients accumulate across calls.
    /// </summary>
    /// <exception cref="InvalidOperationException">Non-scalar root without a seed, or a root that needs no gradient.</exception>
    public void Backward(Tensor? seed = null, bool retainGraph = false)
    {
        if (!RequiresGrad)
            throw new InvalidOperationException("Backward() on a tensor that does not require a gradient (no parameter reaches it, it was computed under NoGrad, or an earlier Backward() already freed its graph)");
        if (seed is null && Size != 1)
            throw new InvalidOperationException($"Backward() of a non-scalar tensor (shape {ShapeUtil.Format(Shape)}) needs an explicit gradient seed");
        if (seed is not null && seed.Size != Size)
            throw new ArgumentException($"gradient seed has shape {ShapeUtil.Format(seed.Shape)}, expected {ShapeUtil.Format(Shape)}");

        var order = TopologicalOrder();
        Grad ??= new float[Size];
        if (seed is null) Grad[0] += 1f;
        else for (int i = 0; i < Size; i++) Grad[i] += seed.Data[i];

        for (int i = order.Count - 1; i >= 0; i--)
        {
            var node = order[i];
            if (node._backward is null) continue;
            node.Grad ??= new float[node.Size]; // an output whose consumers sent no gradient
            foreach (var p in node._parents!)
                if (p.RequiresGrad) p.Grad ??= new float[p.Size];
            node._backward();
            if (!retainGraph)
            {
                node._backward = null;
                node._parents = null;
                node.Grad = null; // intermediate: free it, as PyTorch does for non-leaves
                node.RequiresGrad = false;
            }
        }
    }

    // Iterative post-order DFS (graphs of 10^5 nodes would overflow a recursive walk).
    private List<Tensor> TopologicalOrder()
    {
        var order = new List<Tensor>();
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor Node, int Next)>();
        stack.Push((this, 0));
        visited.Add(this);
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            var parents = node._parents;
            if (parents is not null && next < parents.Length)
            {
                stack.Push((node, next + 1));
                var p = parents[next];
                if (p._backward is not null && visited.Add(p)) stack.Push((p, 0));
            }
            else order.Add(node);
        }
        return order;
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("Tensor").Append(ShapeUtil.Format(Shape)).Append(" [");
        int n = Math.Min(Size, 8);
        for (int i = 0; i < n; i++) sb.Append(i > 0 ? ", " : "").Append(Data[i].ToString("G5", System.Globalization.CultureInfo.InvariantCulture));
        if (Size > n) sb.Append(", ...");
        sb.Append(']');
        if (!IsLeaf) sb.Append(" op=").Append(Op);
        return sb.ToString();
    }
}
