// Categorical palette: 40 colours for series and class labels.
// The first ten are a muted, print-friendly set (Tableau-10-like, with an indigo in place of grey, because grey
// is reserved for background data). The other thirty were chosen once, offline, by greedy max-min distance
// in CIELAB among sRGB candidates with lightness 35..80 and chroma 25..65 (so none is garish or near-white):
// every pair differs by ΔE76 > 21, which a test checks.
namespace ProbLab.Reports;

/// <summary>The default categorical colours: <c>Palette.Categorical(i)</c> for series or class i (cycles after 40).</summary>
public static class Palette
{
    private static readonly string[] Hexes =
    [
        "#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7", "#9c755f", "#3d3d8f",
        "#a50069", "#f096ff", "#5a5a00", "#7896ff", "#00e1a5", "#2d694b", "#964b0f", "#00c3ff", "#d2c387", "#b4c3ff",
        "#ff69a5", "#873c4b", "#87960f", "#964bb4", "#ffa578", "#b4872d", "#00a587", "#783c78", "#007887", "#a5d25a",
        "#87a578", "#006900", "#b40f4b", "#ffa5e1", "#c35aa5", "#00d2e1", "#9678c3", "#00a5ff", "#e1693c", "#0069c3",
    ];

    private static readonly Color[] Colors = Array.ConvertAll(Hexes, Color.Parse);

    /// <summary>Number of distinct categorical colours (40).</summary>
    public static int Count => Colors.Length;

    /// <summary>Categorical colour i (0-based); indices beyond 39 wrap around, negative indices throw.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="index"/> is negative.</exception>
    public static Color Categorical(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return Colors[index % Colors.Length];
    }

    /// <summary>All 40 categorical colours in order.</summary>
    public static IReadOnlyList<Color> All => Colors;

    /// <summary>Grey used for background/context data (e.g. the data cloud behind model samples).</summary>
    public static readonly Color Background = Color.Parse("#b8b8b8");

    /// <summary>Dark grey for reference lines (burn-in markers, thresholds).</summary>
    public static readonly Color Reference = Color.Parse("#6b6b6b");
}
