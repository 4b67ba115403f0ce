// Chart: the base of every chart and panel (title, size, ToSvg) plus Box (a layout rectangle) and the
// shared visual theme (font sizes, greys) so every chart looks the same.
namespace ProbLab.Reports;

/// <summary>An axis-aligned rectangle in SVG user units (pixels); Y grows downwards.</summary>
public readonly record struct Box(double X, double Y, double Width, double Height)
{
    /// <summary>X + Width.</summary>
    public double Right => X + Width;
    /// <summary>Y + Height.</summary>
    public double Bottom => Y + Height;
    /// <summary>Centre x.</summary>
    public double CenterX => X + Width / 2;
    /// <summary>Centre y.</summary>
    public double CenterY => Y + Height / 2;

    /// <summary>True when the two boxes overlap (touching edges do not count).</summary>
    public bool Intersects(Box o) => X < o.Right && o.X < Right && Y < o.Bottom && o.Y < Bottom;

    /// <summary>True when (x, y) lies inside or on the border.</summary>
    public bool Contains(double x, double y) => x >= X && x <= Right && y >= Y && y <= Bottom;

    /// <summary>This box grown by d on every side (shrunk for negative d).</summary>
    public Box Inflate(double d) => new(X - d, Y - d, Width + 2 * d, Height + 2 * d);
}

/// <summary>Base class of all charts: <c>string svg = chart.ToSvg();</c> renders a standalone SVG of Width x Height pixels.</summary>
public abstract class Chart
{
    /// <summary>Title drawn above the plot (null: none).</summary>
    public string? Title { get; set; }
    /// <summary>Width in pixels of the standalone SVG (a FigureGrid sizes its panels itself).</summary>
    public double Width { get; set; } = 540;
    /// <summary>Height in pixels of the standalone SVG.</summary>
    public double Height { get; set; } = 350;

    /// <summary>Size of the standalone SVG; FigureGrid overrides it to fit its panels.</summary>
    protected virtual (double Width, double Height) CanvasSize() => (Width, Height);

    /// <summary>Renders the chart as a standalone SVG document with a white background.</summary>
    public string ToSvg()
    {
        var (w, h) = CanvasSize();
        var svg = new SvgBuilder(w, h);
        svg.Rect(0, 0, w, h, Paint.Solid("#ffffff"));
        Render(svg, new Box(0, 0, w, h));
        return svg.ToString();
    }

    /// <summary>Writes the standalone SVG to <paramref name="path"/> atomically (e.g. "loss.svg").</summary>
    /// <exception cref="IOException">When the file cannot be written (message names the path).</exception>
    public void SaveSvg(string path) => AtomicFile.WriteAllText(path, ToSvg());

    /// <summary>Draws the chart into <paramref name="area"/> of an existing canvas (used by FigureGrid and custom layouts).</summary>
    public abstract void Render(SvgBuilder svg, Box area);

    /// <summary>Same as <see cref="ToSvg"/>.</summary>
    public override string ToString() => ToSvg();
}

/// <summary>Shared look of all charts: font sizes, text and line greys, and a text-width estimate.</summary>
internal static class Theme
{
    public const double TitleSize = 14.5;
    public const double LabelSize = 12.5;
    public const double TickSize = 11;
    public const double LegendSize = 11.5;
    public const string Text = "#222222";
    public const string MutedText = "#555555";
    public const string GridColor = "#ebebeb";
    public const string AxisColor = "#9a9a9a";
    public const double TickLength = 4;

    public static readonly TextStyle TitleStyle = new(TitleSize, Text, TextAnchor.Middle, Weight: "600");
    public static readonly TextStyle LabelStyle = new(LabelSize, Text, TextAnchor.Middle);
    public static readonly TextStyle TickStyle = new(TickSize, MutedText);

    /// <summary>Estimated rendered width of text in an Arial-metric sans-serif font (average advance ≈ 0.56 em; digits 0.556 em).</summary>
    public static double TextWidth(string text, double fontSize)
    {
        double w = 0;
        foreach (char c in text)
            w += c switch
            {
                'i' or 'j' or 'l' or '.' or ',' or ':' or ';' or '\'' or '|' or '!' or 'I' or ' ' => 0.28,
                'f' or 't' or 'r' or '(' or ')' or '[' or ']' or '-' => 0.36,
                'm' or 'w' or 'M' or 'W' => 0.86,
                >= 'A' and <= 'Z' => 0.68,
                _ => 0.56,
            };
        return w * fontSize;
    }

    /// <summary>Shortens text with an ellipsis so it fits <paramref name="maxWidth"/> pixels.</summary>
    public static string Fit(string text, double fontSize, double maxWidth)
    {
        if (TextWidth(text, fontSize) <= maxWidth) return text;
        for (int n = text.Length - 1; n > 0; n--)
        {
            string s = text[..n] + "…";
            if (TextWidth(s, fontSize) <= maxWidth) return s;
        }
        return "…";
    }
}
