// Continuous colour maps for heatmaps and numeric colouring: piecewise-linear (in linear light) between
// anchor colours sampled at equal spacing from well-known perceptual maps (viridis and magma, by
// van der Walt & Smith for matplotlib, CC0; RdBu and Blues from ColorBrewer, Apache-2.0 style licence).
namespace ProbLab.Reports;

/// <summary>A continuous map from t in [0, 1] to a colour, e.g. <c>ColorMap.Viridis.At(0.3)</c>.</summary>
public sealed class ColorMap
{
    private readonly Color[] _anchors;

    /// <summary>Name shown in diagnostics.</summary>
    public string Name { get; }

    /// <summary>Builds a map through equally spaced anchors (at least two).</summary>
    /// <exception cref="ArgumentException">When fewer than two anchors are given.</exception>
    public ColorMap(string name, IReadOnlyList<Color> anchors)
    {
        if (anchors.Count < 2) throw new ArgumentException($"colour map '{name}' needs at least 2 anchors, got {anchors.Count}");
        Name = name;
        _anchors = [.. anchors];
    }

    private static ColorMap FromHex(string name, params string[] hexes) => new(name, Array.ConvertAll(hexes, Color.Parse));

    /// <summary>Perceptually uniform dark-blue → green → yellow; the default for densities.</summary>
    public static readonly ColorMap Viridis = FromHex("viridis",
        "#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725");

    /// <summary>Perceptually uniform black → purple → orange → cream.</summary>
    public static readonly ColorMap Magma = FromHex("magma",
        "#000004", "#1c1044", "#4f127b", "#812581", "#b5367a", "#e55064", "#fb8761", "#fec287", "#fcfdbf");

    /// <summary>Diverging blue → white → red, for signed values centred on zero.</summary>
    public static readonly ColorMap RedBlue = FromHex("rdbu",
        "#2166ac", "#4393c3", "#92c5de", "#d1e5f0", "#f7f7f7", "#fddbc7", "#f4a582", "#d6604d", "#b2182b");

    /// <summary>Sequential white → blue, for counts and probabilities.</summary>
    public static readonly ColorMap Blues = FromHex("blues",
        "#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b");

    /// <summary>Black → white, for images and grey-level data.</summary>
    public static readonly ColorMap Greys = FromHex("greys", "#000000", "#ffffff");

    /// <summary>The colour at t (clamped to [0, 1]; NaN maps to 0).</summary>
    public Color At(double t)
    {
        t = double.IsNaN(t) ? 0 : Math.Clamp(t, 0, 1);
        double pos = t * (_anchors.Length - 1);
        int i = Math.Min((int)pos, _anchors.Length - 2);
        return Color.Lerp(_anchors[i], _anchors[i + 1], pos - i);
    }

    /// <summary>A reversed copy (t ↦ 1 − t).</summary>
    public ColorMap Reversed() => new(Name + "_r", _anchors.Reverse().ToArray());

    /// <summary>Lookup table of n colours sampled evenly over [0, 1] (n ≥ 2), for fast per-pixel mapping.</summary>
    internal Color[] Table(int n)
    {
        var lut = new Color[n];
        for (int i = 0; i < n; i++) lut[i] = At(i / (double)(n - 1));
        return lut;
    }
}
