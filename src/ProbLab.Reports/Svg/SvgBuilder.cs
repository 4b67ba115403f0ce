// SvgBuilder: a small append-only SVG canvas (shapes, text, groups, clip paths, gradients, images, SMIL).
// Every number goes through SvgFormat.Num, so NaN/Infinity throw ArgumentException naming the element and
// attribute; charts drop non-finite data points before drawing. Generated ids start with "pl-" so the HTML
// report can make them unique per figure when several SVGs are inlined in one page.
using System.Text;

namespace ProbLab.Reports;

/// <summary>An SVG document under construction; <c>var svg = new SvgBuilder(400, 300); svg.Circle(50, 50, 10, Paint.Solid("#4e79a7")); svg.ToString()</c>.</summary>
public sealed class SvgBuilder
{
    /// <summary>Font stack used for all chart text: metric-compatible Arial/Helvetica first, DejaVu as fallback.</summary>
    public const string FontFamily = "'Helvetica Neue', Helvetica, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif";

    private readonly StringBuilder _body = new();
    private readonly StringBuilder _defs = new();
    private readonly Stack<string> _open = new();
    private int _nextId;

    /// <summary>Width of the canvas in user units (pixels).</summary>
    public double Width { get; }
    /// <summary>Height of the canvas in user units (pixels).</summary>
    public double Height { get; }
    /// <summary>Decimals kept for coordinates (default 2).</summary>
    public int Decimals { get; }

    /// <summary>Starts a canvas of the given size; the viewBox equals the size, so the SVG scales when CSS shrinks it.</summary>
    /// <exception cref="ArgumentException">When width or height is not positive and finite.</exception>
    public SvgBuilder(double width, double height, int decimals = 2)
    {
        if (!(width > 0 && height > 0) || !double.IsFinite(width) || !double.IsFinite(height))
            throw new ArgumentException($"SVG size must be positive and finite, got {width} x {height}");
        Width = width;
        Height = height;
        Decimals = decimals;
    }

    /// <summary>A fresh document-unique id such as "pl-clip3".</summary>
    public string NewId(string kind) => $"pl-{kind}{++_nextId}";

    private string N(double v, string what) => SvgFormat.Num(v, Decimals, what);

    private StringBuilder Start(string element) => _body.Append('<').Append(element);

    private void End(string element, IReadOnlyList<SvgAnimation>? animations, string? tooltip = null)
    {
        if ((animations == null || animations.Count == 0) && tooltip == null) { _body.Append("/>"); return; }
        _body.Append('>');
        if (tooltip != null) _body.Append("<title>").Append(SvgFormat.Escape(tooltip)).Append("</title>");
        if (animations != null) foreach (var a in animations) a.Write(_body);
        _body.Append("</").Append(element).Append('>');
    }

    private void NumAttr(string element, string name, double v)
        => _body.Append(' ').Append(name).Append("=\"").Append(N(v, element + "." + name)).Append('"');

    /// <summary>A straight line from (x1, y1) to (x2, y2).</summary>
    /// <exception cref="ArgumentException">When a coordinate is not finite (true for every drawing method).</exception>
    public SvgBuilder Line(double x1, double y1, double x2, double y2, Paint paint, IReadOnlyList<SvgAnimation>? animations = null)
    {
        Start("line");
        NumAttr("line", "x1", x1); NumAttr("line", "y1", y1); NumAttr("line", "x2", x2); NumAttr("line", "y2", y2);
        paint.WriteAttributes(_body, "line");
        End("line", animations);
        return this;
    }

    /// <summary>A rectangle with top-left (x, y); negative sizes are normalised; optional corner radius and hover tooltip.</summary>
    public SvgBuilder Rect(double x, double y, double width, double height, Paint paint, double cornerRadius = 0,
        IReadOnlyList<SvgAnimation>? animations = null, string? tooltip = null)
    {
        if (width < 0) { x += width; width = -width; }
        if (height < 0) { y += height; height = -height; }
        Start("rect");
        NumAttr("rect", "x", x); NumAttr("rect", "y", y); NumAttr("rect", "width", width); NumAttr("rect", "height", height);
        if (cornerRadius > 0) NumAttr("rect", "rx", cornerRadius);
        paint.WriteAttributes(_body, "rect");
        End("rect", animations, tooltip);
        return this;
    }

    /// <summary>A circle of radius r centred at (cx, cy), with an optional hover tooltip.</summary>
    public SvgBuilder Circle(double cx, double cy, double r, Paint paint, IReadOnlyList<SvgAnimation>? animations = null, string? tooltip = null)
    {
        Start("circle");
        NumAttr("circle", "cx", cx); NumAttr("circle", "cy", cy); NumAttr("circle", "r", r);
        paint.WriteAttributes(_body, "circle");
        End("circle", animations, tooltip);
        return this;
    }

    /// <summary>An ellipse centred at (cx, cy) with radii (rx, ry), rotated by <paramref name="rotationDeg"/> degrees.</summary>
    public SvgBuilder Ellipse(double cx, double cy, double rx, double ry, double rotationDeg, Paint paint, IReadOnlyList<SvgAnimation>? animations = null)
    {
        Start("ellipse");
        NumAttr("ellipse", "cx", cx); NumAttr("ellipse", "cy", cy); NumAttr("ellipse", "rx", rx); NumAttr("ellipse", "ry", ry);
        if (rotationDeg != 0) Paint.Attr(_body, "transform", Transform.Rotate(rotationDeg, cx, cy).ToString());
        paint.WriteAttributes(_body, "ellipse");
        End("ellipse", animations);
        return this;
    }

    /// <summary>An open polyline through the points (nothing is drawn for fewer than two points).</summary>
    public SvgBuilder Polyline(IReadOnlyList<(double X, double Y)> points, Paint paint, IReadOnlyList<SvgAnimation>? animations = null)
        => PointsElement("polyline", points, paint, animations, 2);

    /// <summary>A closed polygon through the points (nothing is drawn for fewer than three points).</summary>
    public SvgBuilder Polygon(IReadOnlyList<(double X, double Y)> points, Paint paint, IReadOnlyList<SvgAnimation>? animations = null)
        => PointsElement("polygon", points, paint, animations, 3);

    private SvgBuilder PointsElement(string element, IReadOnlyList<(double X, double Y)> points, Paint paint, IReadOnlyList<SvgAnimation>? animations, int min)
    {
        if (points.Count < min) return this;
        Start(element).Append(" points=\"");
        AppendPoints(_body, points, Decimals, element + ".points");
        _body.Append('"');
        paint.WriteAttributes(_body, element);
        End(element, animations);
        return this;
    }

    internal static void AppendPoints(StringBuilder sb, IReadOnlyList<(double X, double Y)> points, int decimals, string what)
    {
        for (int i = 0; i < points.Count; i++)
        {
            if (i > 0) sb.Append(' ');
            sb.Append(SvgFormat.Num(points[i].X, decimals, what)).Append(',').Append(SvgFormat.Num(points[i].Y, decimals, what));
        }
    }

    /// <summary>A path from <see cref="PathData"/> (nothing is drawn for an empty path).</summary>
    public SvgBuilder Path(PathData data, Paint paint, IReadOnlyList<SvgAnimation>? animations = null)
    {
        if (data.IsEmpty) return this;
        Start("path");
        Paint.Attr(_body, "d", data.ToString());
        paint.WriteAttributes(_body, "path");
        End("path", animations);
        return this;
    }

    /// <summary>Text at (x, y) (baseline position unless the style sets a dominant baseline); the text is XML-escaped.</summary>
    public SvgBuilder Text(double x, double y, string text, TextStyle style, IReadOnlyList<SvgAnimation>? animations = null)
    {
        Start("text");
        NumAttr("text", "x", x); NumAttr("text", "y", y);
        style.WriteAttributes(_body, x, y);
        _body.Append('>').Append(SvgFormat.Escape(text));
        if (animations != null) foreach (var a in animations) a.Write(_body);
        _body.Append("</text>");
        return this;
    }

    /// <summary>An embedded raster image (normally a PNG data URI); <paramref name="pixelated"/> keeps hard pixel edges when scaled up.</summary>
    public SvgBuilder Image(double x, double y, double width, double height, string href, bool pixelated = true, bool preserveAspect = false)
    {
        Start("image");
        NumAttr("image", "x", x); NumAttr("image", "y", y); NumAttr("image", "width", width); NumAttr("image", "height", height);
        Paint.Attr(_body, "href", href);
        Paint.Attr(_body, "preserveAspectRatio", preserveAspect ? "xMidYMid meet" : "none");
        if (pixelated) Paint.Attr(_body, "style", "image-rendering:pixelated;image-rendering:crisp-edges");
        _body.Append("/>");
        return this;
    }

    /// <summary>Opens a &lt;g&gt; with optional transform, inherited paint, clip path id, id, class and animations; dispose the scope to close it.</summary>
    public GroupScope Group(Transform? transform = null, Paint? paint = null, string? clipId = null, string? id = null,
        string? cssClass = null, IReadOnlyList<SvgAnimation>? animations = null, string? visibility = null)
    {
        Start("g");
        if (id != null) Paint.Attr(_body, "id", id);
        if (cssClass != null) Paint.Attr(_body, "class", cssClass);
        if (transform != null) Paint.Attr(_body, "transform", transform.ToString());
        if (clipId != null) Paint.Attr(_body, "clip-path", $"url(#{clipId})");
        if (visibility != null) Paint.Attr(_body, "visibility", visibility);
        paint?.WriteAttributes(_body, "g");
        _body.Append('>');
        if (animations != null) foreach (var a in animations) a.Write(_body);
        _open.Push("g");
        return new GroupScope(this);
    }

    /// <summary>Closes the innermost open group.</summary>
    /// <exception cref="InvalidOperationException">When no group is open.</exception>
    public void EndGroup()
    {
        if (_open.Count == 0) throw new InvalidOperationException("SvgBuilder.EndGroup called with no open group");
        _body.Append("</").Append(_open.Pop()).Append('>');
    }

    /// <summary>Closes its group when disposed: <c>using (svg.Group(...)) { ... }</c>.</summary>
    public readonly struct GroupScope(SvgBuilder owner) : IDisposable
    {
        /// <summary>Closes the group.</summary>
        public void Dispose() => owner.EndGroup();
    }

    /// <summary>Defines a rectangular clip path and returns its id (use it with <see cref="Group"/>'s clipId).</summary>
    public string ClipRect(double x, double y, double width, double height)
    {
        string id = NewId("clip");
        _defs.Append("<clipPath id=\"").Append(id).Append("\"><rect x=\"").Append(N(x, "clip.x")).Append("\" y=\"").Append(N(y, "clip.y"))
             .Append("\" width=\"").Append(N(width, "clip.width")).Append("\" height=\"").Append(N(height, "clip.height")).Append("\"/></clipPath>");
        return id;
    }

    /// <summary>Defines a linear gradient (offsets in [0, 1]) and returns its id for <c>fill="url(#id)"</c>; vertical runs bottom → top.</summary>
    public string LinearGradient(IReadOnlyList<(double Offset, Color Color)> stops, bool vertical)
    {
        string id = NewId("grad");
        _defs.Append("<linearGradient id=\"").Append(id).Append('"')
             .Append(vertical ? " x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">" : " x1=\"0\" y1=\"0\" x2=\"1\" y2=\"0\">");
        foreach (var (offset, color) in stops)
            _defs.Append("<stop offset=\"").Append(SvgFormat.Num(offset, 4, "gradient.offset")).Append("\" stop-color=\"").Append(color.Hex).Append("\"/>");
        _defs.Append("</linearGradient>");
        return id;
    }

    /// <summary>
    /// Flip-book animation: draws <paramref name="frameCount"/> frames, each in its own group shown only during its
    /// time slot (discrete SMIL visibility). Frame 0 is visible statically, so renderers without SMIL show it.
    /// </summary>
    /// <exception cref="ArgumentException">When frameCount &lt; 1 or frameSeconds is not positive.</exception>
    public SvgBuilder FrameSequence(int frameCount, double frameSeconds, Action<SvgBuilder, int> drawFrame, bool repeat = true)
    {
        if (frameCount < 1) throw new ArgumentException($"FrameSequence needs at least one frame, got {frameCount}");
        if (!(frameSeconds > 0) || !double.IsFinite(frameSeconds)) throw new ArgumentException($"FrameSequence frame duration must be positive, got {frameSeconds}");
        double total = frameCount * frameSeconds;
        for (int i = 0; i < frameCount; i++)
        {
            SvgAnimation[]? anim = null;
            if (frameCount > 1)
            {
                // Discrete keyTimes: value j holds from keyTimes[j] until keyTimes[j+1] (SMIL calcMode="discrete").
                double t0 = i / (double)frameCount, t1 = (i + 1) / (double)frameCount;
                anim = i == 0 ? [SvgAnimation.Discrete("visibility", ["visible", "hidden"], total, [0, t1], repeat)]
                     : i == frameCount - 1 ? [SvgAnimation.Discrete("visibility", ["hidden", "visible"], total, [0, t0], repeat)]
                     : [SvgAnimation.Discrete("visibility", ["hidden", "visible", "hidden"], total, [0, t0, t1], repeat)];
            }
            using (Group(cssClass: "frame", animations: anim, visibility: i == 0 ? null : "hidden"))
                drawFrame(this, i);
        }
        return this;
    }

    /// <summary>The complete standalone SVG document (with xmlns), e.g. to save as a .svg file or inline in HTML.</summary>
    /// <exception cref="InvalidOperationException">When a group is still open.</exception>
    public override string ToString()
    {
        if (_open.Count != 0) throw new InvalidOperationException($"SvgBuilder has {_open.Count} unclosed group(s)");
        var sb = new StringBuilder(_body.Length + _defs.Length + 256);
        sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").Append(N(Width, "svg.width")).Append("\" height=\"").Append(N(Height, "svg.height"))
          .Append("\" viewBox=\"0 0 ").Append(N(Width, "svg.width")).Append(' ').Append(N(Height, "svg.height"))
          .Append("\" font-family=\"").Append(SvgFormat.Escape(FontFamily)).Append("\">");
        if (_defs.Length > 0) sb.Append("<defs>").Append(_defs).Append("</defs>");
        sb.Append(_body).Append("</svg>");
        return sb.ToString();
    }
}
