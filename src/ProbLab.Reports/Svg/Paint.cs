// Styling values for SVG primitives: Paint (fill/stroke), TextStyle (font, anchor, rotation) and Transform.
// Colours are CSS strings ("#4e79a7", "none", "url(#id)"); Color.Hex gives one from a Color.
using System.Text;

namespace ProbLab.Reports;

/// <summary>Fill and stroke of an SVG shape; null members are omitted (SVG defaults: black fill, no stroke).</summary>
public sealed record Paint(
    string? Fill = null,
    string? Stroke = null,
    double StrokeWidth = 1,
    double Opacity = 1,
    double FillOpacity = 1,
    double StrokeOpacity = 1,
    string? Dash = null,
    string? LineCap = null,
    string? LineJoin = null)
{
    /// <summary>A stroke-only paint (fill "none"), e.g. <c>Paint.Line("#333", 1.5)</c>.</summary>
    public static Paint Line(string color, double width = 1, string? dash = null, double opacity = 1)
        => new(Fill: "none", Stroke: color, StrokeWidth: width, Dash: dash, StrokeOpacity: opacity, LineJoin: "round", LineCap: "round");

    /// <summary>A fill-only paint, e.g. <c>Paint.Solid("#4e79a7", 0.5)</c>.</summary>
    public static Paint Solid(string color, double opacity = 1) => new(Fill: color, FillOpacity: opacity);

    /// <summary>Fill "none", no stroke: for groups whose children carry their own paint.</summary>
    public static readonly Paint None = new(Fill: "none");

    internal void WriteAttributes(StringBuilder sb, string element)
    {
        if (Fill != null) Attr(sb, "fill", Fill);
        if (Stroke != null)
        {
            Attr(sb, "stroke", Stroke);
            NumAttr(sb, "stroke-width", StrokeWidth, element, 3);
        }
        if (Opacity != 1) NumAttr(sb, "opacity", Opacity, element, 3);
        if (FillOpacity != 1) NumAttr(sb, "fill-opacity", FillOpacity, element, 3);
        if (StrokeOpacity != 1 && Stroke != null) NumAttr(sb, "stroke-opacity", StrokeOpacity, element, 3);
        if (Dash != null) Attr(sb, "stroke-dasharray", Dash);
        if (LineCap != null) Attr(sb, "stroke-linecap", LineCap);
        if (LineJoin != null) Attr(sb, "stroke-linejoin", LineJoin);
    }

    internal static void Attr(StringBuilder sb, string name, string value)
        => sb.Append(' ').Append(name).Append("=\"").Append(SvgFormat.Escape(value)).Append('"');

    internal static void NumAttr(StringBuilder sb, string name, double value, string element, int decimals)
        => sb.Append(' ').Append(name).Append("=\"").Append(SvgFormat.Num(value, decimals, element + "." + name)).Append('"');
}

/// <summary>Horizontal text anchor (SVG <c>text-anchor</c>).</summary>
public enum TextAnchor { Start, Middle, End }

/// <summary>Font and placement of an SVG text element; <see cref="Rotate"/> is in degrees about the anchor point.</summary>
public sealed record TextStyle(
    double FontSize = 12,
    string Fill = "#333333",
    TextAnchor Anchor = TextAnchor.Start,
    string? Weight = null,
    string? Baseline = null,
    double Rotate = 0,
    string? FontFamily = null,
    bool Italic = false)
{
    internal void WriteAttributes(StringBuilder sb, double x, double y)
    {
        if (FontFamily != null) Paint.Attr(sb, "font-family", FontFamily);
        Paint.NumAttr(sb, "font-size", FontSize, "text", 2);
        Paint.Attr(sb, "fill", Fill);
        if (Anchor != TextAnchor.Start) Paint.Attr(sb, "text-anchor", Anchor == TextAnchor.Middle ? "middle" : "end");
        if (Weight != null) Paint.Attr(sb, "font-weight", Weight);
        if (Italic) Paint.Attr(sb, "font-style", "italic");
        // dominant-baseline: "middle" or "hanging" centre/top-align text without guessing ascent heights.
        if (Baseline != null) Paint.Attr(sb, "dominant-baseline", Baseline);
        if (Rotate != 0)
            Paint.Attr(sb, "transform", $"rotate({SvgFormat.Num(Rotate, 2, "text.rotate")} {SvgFormat.Num(x, 2, "text.x")} {SvgFormat.Num(y, 2, "text.y")})");
    }
}

/// <summary>An SVG transform list built by chaining, e.g. <c>Transform.Translate(10, 20).ThenRotate(30)</c> (SVG applies the rightmost first to the shape).</summary>
public sealed class Transform
{
    private readonly string _value;
    private Transform(string value) => _value = value;

    private static string N(double v, string what) => SvgFormat.Num(v, 4, "transform." + what);

    /// <summary>translate(x y).</summary>
    public static Transform Translate(double x, double y) => new($"translate({N(x, "x")} {N(y, "y")})");

    /// <summary>rotate(degrees cx cy): rotation about (cx, cy), clockwise on screen for positive degrees.</summary>
    public static Transform Rotate(double degrees, double cx = 0, double cy = 0)
        => new(cx == 0 && cy == 0 ? $"rotate({N(degrees, "angle")})" : $"rotate({N(degrees, "angle")} {N(cx, "cx")} {N(cy, "cy")})");

    /// <summary>scale(sx sy).</summary>
    public static Transform Scale(double sx, double sy) => new($"scale({N(sx, "sx")} {N(sy, "sy")})");

    /// <summary>This transform, then (closer to the shape) a translation.</summary>
    public Transform ThenTranslate(double x, double y) => new(_value + " " + Translate(x, y)._value);

    /// <summary>This transform, then (closer to the shape) a rotation about (cx, cy).</summary>
    public Transform ThenRotate(double degrees, double cx = 0, double cy = 0) => new(_value + " " + Rotate(degrees, cx, cy)._value);

    /// <summary>This transform, then (closer to the shape) a scaling.</summary>
    public Transform ThenScale(double sx, double sy) => new(_value + " " + Scale(sx, sy)._value);

    /// <summary>The SVG attribute value, e.g. "translate(10 20) rotate(30)".</summary>
    public override string ToString() => _value;
}
