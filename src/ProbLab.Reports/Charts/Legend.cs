// Legend: entries (line, marker, patch, band), size estimation, multi-column layout when tall, drawing;
// plus Occupancy, the record of where data were drawn, used to put an inside legend where it covers nothing.
namespace ProbLab.Reports;

/// <summary>Where a chart puts its legend; Auto picks an empty inside corner, else the right margin.</summary>
public enum LegendPosition { Auto, Right, Bottom, TopRight, TopLeft, BottomRight, BottomLeft, None }

/// <summary>Marker shapes for line and scatter points.</summary>
public enum MarkerShape { None, Circle, Square, Triangle, Diamond, Cross }

internal enum LegendSymbol { Line, Marker, Patch }

internal sealed record LegendEntry(string Label, string Color, LegendSymbol Symbol, string? Dash = null,
    MarkerShape Marker = MarkerShape.None, double Opacity = 1, bool Band = false);

internal static class Markers
{
    /// <summary>Draws one marker of the given shape centred at (x, y) with radius-like size r.</summary>
    public static void Draw(SvgBuilder svg, MarkerShape shape, double x, double y, double r, Paint paint)
    {
        switch (shape)
        {
            case MarkerShape.None: return;
            case MarkerShape.Circle: svg.Circle(x, y, r, paint); return;
            case MarkerShape.Square: svg.Rect(x - r * 0.88, y - r * 0.88, r * 1.76, r * 1.76, paint); return;
            case MarkerShape.Triangle:
                svg.Polygon([(x, y - r * 1.15), (x + r, y + r * 0.65), (x - r, y + r * 0.65)], paint); return;
            case MarkerShape.Diamond:
                svg.Polygon([(x, y - r * 1.2), (x + r, y), (x, y + r * 1.2), (x - r, y)], paint); return;
            case MarkerShape.Cross:
                var p = new PathData().MoveTo(x - r, y - r).LineTo(x + r, y + r).MoveTo(x - r, y + r).LineTo(x + r, y - r);
                svg.Path(p, paint with { Stroke = paint.Fill ?? paint.Stroke, Fill = "none", StrokeWidth = Math.Max(1.2, r * 0.45) }); return;
        }
    }
}

internal sealed class Legend
{
    private const double RowH = 17, SymbolW = 22, Pad = 7, ColGap = 12;
    private readonly List<LegendEntry> _entries;
    private readonly double _labelW;
    public int Columns { get; private set; } = 1;

    public Legend(IEnumerable<LegendEntry> entries)
    {
        _entries = entries.ToList();
        // Very long names are cut so a legend never eats the plot.
        _labelW = _entries.Count == 0 ? 0 : _entries.Max(e => Math.Min(Theme.TextWidth(e.Label, Theme.LegendSize), 190));
    }

    public bool IsEmpty => _entries.Count == 0;

    /// <summary>Chooses the number of columns so the legend fits <paramref name="maxHeight"/>, then returns its size.</summary>
    public (double W, double H) Measure(double maxHeight, int? columns = null)
    {
        int rowsFit = Math.Max(1, (int)((maxHeight - 2 * Pad) / RowH));
        Columns = columns ?? Math.Max(1, (int)Math.Ceiling(_entries.Count / (double)rowsFit));
        int rows = (int)Math.Ceiling(_entries.Count / (double)Columns);
        double colW = SymbolW + 6 + _labelW;
        return (2 * Pad + Columns * colW + (Columns - 1) * ColGap, 2 * Pad + rows * RowH - 3);
    }

    public void Draw(SvgBuilder svg, double x, double y, bool framed)
    {
        var (w, h) = Measure(double.MaxValue, Columns);
        if (framed) svg.Rect(x, y, w, h, new Paint(Fill: "#ffffff", FillOpacity: 0.88, Stroke: "#dddddd", StrokeWidth: 0.8), cornerRadius: 3);
        int rows = (int)Math.Ceiling(_entries.Count / (double)Columns);
        double colW = SymbolW + 6 + _labelW;
        var style = new TextStyle(Theme.LegendSize, Theme.Text, Baseline: "central");
        for (int i = 0; i < _entries.Count; i++)
        {
            var e = _entries[i];
            double cx = x + Pad + (i / rows) * (colW + ColGap), cy = y + Pad + (i % rows) * RowH + RowH / 2 - 1.5;
            DrawSymbol(svg, e, cx, cy);
            svg.Text(cx + SymbolW + 6, cy, Theme.Fit(e.Label, Theme.LegendSize, 190), style);
        }
    }

    private static void DrawSymbol(SvgBuilder svg, LegendEntry e, double x, double cy)
    {
        switch (e.Symbol)
        {
            case LegendSymbol.Line:
                if (e.Band) svg.Rect(x, cy - 6, SymbolW, 12, Paint.Solid(e.Color, 0.2));
                svg.Line(x, cy, x + SymbolW, cy, Paint.Line(e.Color, 2.2, e.Dash, e.Opacity));
                Markers.Draw(svg, e.Marker, x + SymbolW / 2, cy, 3.2, Paint.Solid(e.Color));
                break;
            case LegendSymbol.Marker:
                // Very light markers (white points over a heatmap) get a dark outline so they show on the white legend.
                bool light = Color.TryParse(e.Color, out var c) && c.Luminance > 0.75;
                Markers.Draw(svg, e.Marker == MarkerShape.None ? MarkerShape.Circle : e.Marker, x + SymbolW / 2, cy, 4,
                    new Paint(Fill: e.Color, FillOpacity: Math.Max(e.Opacity, 0.6), Stroke: light ? "#555555" : null, StrokeWidth: 0.8));
                break;
            case LegendSymbol.Patch:
                svg.Rect(x + 3, cy - 6, SymbolW - 6, 12, new Paint(Fill: e.Color, FillOpacity: Math.Max(e.Opacity, 0.5), Stroke: e.Color, StrokeWidth: 0.8), cornerRadius: 1.5);
                break;
        }
    }
}

/// <summary>Pixel-space footprint of drawn data (points, segments, rectangles) for legend placement.</summary>
internal sealed class Occupancy
{
    private readonly List<(double X, double Y)> _points = [];
    private readonly List<(double X1, double Y1, double X2, double Y2)> _segments = [];
    private readonly List<Box> _rects = [];

    public void Point(double x, double y) { if (double.IsFinite(x) && double.IsFinite(y)) _points.Add((x, y)); }
    public void Segment(double x1, double y1, double x2, double y2)
    {
        if (double.IsFinite(x1) && double.IsFinite(y1) && double.IsFinite(x2) && double.IsFinite(y2)) _segments.Add((x1, y1, x2, y2));
    }
    public void Rect(Box b) => _rects.Add(b);

    /// <summary>True when anything drawn touches the box.</summary>
    public bool Hits(Box b)
    {
        foreach (var (x, y) in _points) if (b.Contains(x, y)) return true;
        foreach (var r in _rects) if (r.Intersects(b)) return true;
        foreach (var s in _segments) if (SegmentHits(s, b)) return true;
        return false;
    }

    // Liang–Barsky clipping: the segment meets the box iff the parametric interval stays non-empty.
    private static bool SegmentHits((double X1, double Y1, double X2, double Y2) s, Box b)
    {
        double t0 = 0, t1 = 1, dx = s.X2 - s.X1, dy = s.Y2 - s.Y1;
        ReadOnlySpan<double> p = [-dx, dx, -dy, dy];
        ReadOnlySpan<double> q = [s.X1 - b.X, b.Right - s.X1, s.Y1 - b.Y, b.Bottom - s.Y1];
        for (int i = 0; i < 4; i++)
        {
            if (p[i] == 0) { if (q[i] < 0) return false; continue; }
            double t = q[i] / p[i];
            if (p[i] < 0) t0 = Math.Max(t0, t); else t1 = Math.Min(t1, t);
            if (t0 > t1) return false;
        }
        return true;
    }
}
