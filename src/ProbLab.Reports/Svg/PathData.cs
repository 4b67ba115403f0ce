// PathData: a builder for the SVG path "d" attribute (M, L, C, Q, A, Z) with finite-coordinate checks.
using System.Text;

namespace ProbLab.Reports;

/// <summary>Builds an SVG path string, e.g. <c>new PathData().MoveTo(0, 0).LineTo(10, 5).Close()</c>.</summary>
public sealed class PathData
{
    private readonly StringBuilder _sb = new();
    private readonly int _decimals;

    /// <summary>Creates an empty path whose coordinates are written with <paramref name="decimals"/> decimals.</summary>
    public PathData(int decimals = 2) => _decimals = decimals;

    /// <summary>True when no command has been added.</summary>
    public bool IsEmpty => _sb.Length == 0;

    private PathData Cmd(char c, params ReadOnlySpan<double> xs)
    {
        if (_sb.Length > 0) _sb.Append(' ');
        _sb.Append(c);
        for (int i = 0; i < xs.Length; i++)
        {
            if (i > 0) _sb.Append(i % 2 == 1 ? ',' : ' ');
            _sb.Append(SvgFormat.Num(xs[i], _decimals, "path." + c));
        }
        return this;
    }

    /// <summary>M x y: starts a new subpath.</summary>
    /// <exception cref="ArgumentException">When a coordinate is not finite (true for every command).</exception>
    public PathData MoveTo(double x, double y) => Cmd('M', x, y);
    /// <summary>L x y: straight line.</summary>
    public PathData LineTo(double x, double y) => Cmd('L', x, y);
    /// <summary>C: cubic Bézier with control points (x1, y1), (x2, y2) ending at (x, y).</summary>
    public PathData CubicTo(double x1, double y1, double x2, double y2, double x, double y) => Cmd('C', x1, y1, x2, y2, x, y);
    /// <summary>Q: quadratic Bézier with control point (x1, y1) ending at (x, y).</summary>
    public PathData QuadTo(double x1, double y1, double x, double y) => Cmd('Q', x1, y1, x, y);

    /// <summary>A: elliptical arc to (x, y) with radii (rx, ry), x-axis rotation in degrees and SVG's two flags.</summary>
    public PathData ArcTo(double rx, double ry, double rotationDeg, bool largeArc, bool sweep, double x, double y)
    {
        Cmd('A', rx, ry);
        _sb.Append(' ').Append(SvgFormat.Num(rotationDeg, _decimals, "path.A")).Append(largeArc ? " 1" : " 0").Append(sweep ? " 1 " : " 0 ");
        _sb.Append(SvgFormat.Num(x, _decimals, "path.A")).Append(',').Append(SvgFormat.Num(y, _decimals, "path.A"));
        return this;
    }

    /// <summary>Z: closes the current subpath.</summary>
    public PathData Close() { if (_sb.Length > 0) _sb.Append(" Z"); return this; }

    /// <summary>Appends a polyline as M + L commands (no-op for an empty list).</summary>
    public PathData Polyline(IReadOnlyList<(double X, double Y)> points, bool close = false)
    {
        for (int i = 0; i < points.Count; i++)
            if (i == 0) MoveTo(points[i].X, points[i].Y); else LineTo(points[i].X, points[i].Y);
        if (close && points.Count > 0) Close();
        return this;
    }

    /// <summary>The "d" attribute text.</summary>
    public override string ToString() => _sb.ToString();
}
