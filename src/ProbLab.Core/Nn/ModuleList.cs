// ModuleList: an ordered container of child modules named "0", "1", ... (torch.nn.ModuleList), so stacked
// layers get PyTorch's parameter names ("h.0.attn.c_attn.weight").
namespace ProbLab.Nn;

/// <summary>An indexed list of child modules registered under their positions.</summary>
public sealed class ModuleList<T> : Module where T : Module
{
    private readonly List<T> _items = new();

    /// <summary>Creates the list from <paramref name="items"/>, registering each as a child.</summary>
    public ModuleList(IEnumerable<T> items)
    {
        foreach (var m in items) Add(m);
    }

    /// <summary>Appends a module under the next index.</summary>
    public void Add(T module) => _items.Add(Child(_items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module));

    /// <summary>Number of modules.</summary>
    public int Count => _items.Count;

    /// <summary>The module at position <paramref name="i"/>.</summary>
    public T this[int i] => _items[i];

    /// <summary>The modules in order.</summary>
    public IReadOnlyList<T> Items => _items;
}
