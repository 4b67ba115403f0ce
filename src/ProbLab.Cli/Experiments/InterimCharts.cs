// InterimCharts: minimal SVG rendering of the chart specs in ReportModel (line charts with optional log y,
// scatter plots over decision regions), so reports have figures before ProbLab.Reports is merged. Replace
// the two calls in HtmlReport.RenderBlock with ProbLab.Reports charts and delete this file then.
// Non-finite values are skipped (a NaN loss breaks the line instead of producing "NaN" coordinates).
using System.Globalization;
using System.Text;

namespace ProbLab.Cli.Experiments;

/// <summary>Small SVG chart renderer for the report's chart specs.</summary>
public static class InterimCharts
{
    private static readonly string[] Palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    private const double Left = 64, Right = 16, Top = 28, Bottom = 44;

    /// <summary>Colour of class/series <paramref name="k"/> (tab10, then golden-angle hues).</summary>
    public static string Color(int k) => k < Palette.Length ? Palette[k] : F($"hsl({(k * 137.508) % 360:F0},60%,50%)");

    /// <summary>An SVG line chart.</summary>
    public static string Line(LineChart c, double width = 640, double height = 360)
    {
        Func<double, double> fy = c.LogY ? Math.Log10 : v => v;
        var xs = c.Series.SelectMany(s => s.X).Where(double.IsFinite);
        var ys = c.Series.SelectMany(s => s.Y).Where(v => double.IsFinite(v) && (!c.LogY || v > 0)).Select(fy);
        var (x0, x1) = Extent(xs);
        var (y0, y1) = Extent(ys);
        var plot = new Frame(width, height, x0, x1, y0, y1);
        var svg = Begin(width, height, c.Title);
        Axes(svg, plot, c.XLabel, c.YLabel, c.LogY);
        for (int k = 0; k < c.Series.Count; k++)
        {
            var s = c.Series[k];
            var path = new StringBuilder();
            bool pen = false;
            for (int i = 0; i < Math.Min(s.X.Length, s.Y.Length); i++)
            {
                double y = s.Y[i];
                bool ok = double.IsFinite(s.X[i]) && double.IsFinite(y) && (!c.LogY || y > 0);
                if (!ok) { pen = false; continue; }
                path.Append(F($"{(pen ? 'L' : 'M')}{plot.Px(s.X[i]):F1},{plot.Py(fy(y)):F1}"));
                pen = true;
            }
            if (path.Length > 0) svg.Append(F($"<path d=\"{path}\" fill=\"none\" stroke=\"{Color(k)}\" stroke-width=\"1.5\"/>"));
        }
        if (c.Series.Count > 1)
            for (int k = 0; k < c.Series.Count; k++)
                svg.Append(F($"<text x=\"{width - Right - 4:F0}\" y=\"{Top + 14 + 14 * k:F0}\" text-anchor=\"end\" fill=\"{Color(k)}\" font-size=\"12\">{Esc(c.Series[k].Name)}</text>"));
        return svg.Append("</svg>").ToString();
    }

    /// <summary>An SVG scatter plot coloured by label, over the decision-region grid when given.</summary>
    public static string Scatter(ScatterChart c, double width = 520, double height = 520)
    {
        var (x0, x1) = c.Regions is { } g0 ? (g0.XMin, g0.XMax) : Extent(c.X.Where(double.IsFinite));
        var (y0, y1) = c.Regions is { } g1 ? (g1.YMin, g1.YMax) : Extent(c.Y.Where(double.IsFinite));
        var plot = new Frame(width, height, x0, x1, y0, y1);
        var svg = Begin(width, height, c.Title);
        if (c.Regions is { } g)
        {
            // One rect per run of equal cells in a row (rows counted from the bottom, y up), which keeps
            // the SVG small: a smooth decision boundary has few runs per row.
            double cw = (g.XMax - g.XMin) / g.Cols, ch = (g.YMax - g.YMin) / g.Rows;
            svg.Append("<g opacity=\"0.3\" shape-rendering=\"crispEdges\">");
            for (int r = 0; r < g.Rows; r++)
                for (int start = 0, end; start < g.Cols; start = end)
                {
                    int k = g.Classes[r * g.Cols + start];
                    for (end = start + 1; end < g.Cols && g.Classes[r * g.Cols + end] == k; end++) { }
                    double xa = plot.Px(g.XMin + start * cw), xb = plot.Px(g.XMin + end * cw);
                    double ya = plot.Py(g.YMin + (r + 1) * ch), yb = plot.Py(g.YMin + r * ch);
                    svg.Append(F($"<rect x=\"{xa:F1}\" y=\"{ya:F1}\" width=\"{xb - xa + 0.3:F1}\" height=\"{yb - ya + 0.3:F1}\" fill=\"{Color(k)}\"/>"));
                }
            svg.Append("</g>");
        }
        Axes(svg, plot, c.XLabel, c.YLabel, logY: false);
        for (int i = 0; i < c.X.Length; i++)
            if (double.IsFinite(c.X[i]) && double.IsFinite(c.Y[i]))
                svg.Append(F($"<circle cx=\"{plot.Px(c.X[i]):F1}\" cy=\"{plot.Py(c.Y[i]):F1}\" r=\"2.2\" fill=\"{Color(c.Labels[i])}\" stroke=\"#222\" stroke-width=\"0.3\"/>"));
        return svg.Append("</svg>").ToString();
    }

    // Maps data coordinates to the plot area inside the margins.
    private readonly record struct Frame(double Width, double Height, double X0, double X1, double Y0, double Y1)
    {
        public double Px(double x) => Left + (x - X0) / (X1 - X0) * (Width - Left - Right);
        public double Py(double y) => Height - Bottom - (y - Y0) / (Y1 - Y0) * (Height - Top - Bottom);
    }

    private static StringBuilder Begin(double w, double h, string title) => new StringBuilder()
        .Append(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w:F0} {h:F0}\" width=\"{w:F0}\" height=\"{h:F0}\" font-family=\"sans-serif\">"))
        .Append(F($"<text x=\"{w / 2:F0}\" y=\"18\" text-anchor=\"middle\" font-size=\"14\">{Esc(title)}</text>"));

    private static void Axes(StringBuilder svg, Frame f, string xLabel, string yLabel, bool logY)
    {
        double bottom = f.Height - Bottom, right = f.Width - Right;
        svg.Append(F($"<path d=\"M{Left},{Top}V{bottom}H{right}\" fill=\"none\" stroke=\"#444\"/>"));
        foreach (double t in Ticks(f.X0, f.X1))
            svg.Append(F($"<text x=\"{f.Px(t):F1}\" y=\"{bottom + 16:F0}\" text-anchor=\"middle\" font-size=\"11\">{Num(t)}</text>"));
        foreach (double t in logY ? LogTicks(f.Y0, f.Y1) : Ticks(f.Y0, f.Y1))
            svg.Append(F($"<text x=\"{Left - 6}\" y=\"{f.Py(t) + 4:F1}\" text-anchor=\"end\" font-size=\"11\">{(logY ? Num(Math.Pow(10, t)) : Num(t))}</text>"));
        svg.Append(F($"<text x=\"{(Left + right) / 2:F0}\" y=\"{f.Height - 8:F0}\" text-anchor=\"middle\" font-size=\"12\">{Esc(xLabel)}</text>"));
        svg.Append(F($"<text transform=\"translate(14,{(Top + bottom) / 2:F0}) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\">{Esc(yLabel)}</text>"));
    }

    // Data extent, padded when empty or flat so the frame never divides by zero.
    private static (double Lo, double Hi) Extent(IEnumerable<double> values)
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (double v in values) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
        if (lo > hi) return (0, 1);
        if (hi - lo < 1e-12) return (lo - 0.5, hi + 0.5);
        return (lo, hi);
    }

    // About five "nice" ticks (steps of 1, 2 or 5 × 10^k) inside [lo, hi].
    private static IEnumerable<double> Ticks(double lo, double hi)
    {
        double raw = (hi - lo) / 5, mag = Math.Pow(10, Math.Floor(Math.Log10(raw))), norm = raw / mag;
        double step = (norm < 1.5 ? 1 : norm < 3.5 ? 2 : norm < 7.5 ? 5 : 10) * mag;
        for (double t = Math.Ceiling(lo / step) * step; t <= hi + step * 1e-9; t += step) yield return Math.Abs(t) < step * 1e-9 ? 0 : t;
    }

    // Ticks for a log10 axis (values are exponents): the decades inside the range, or 1-2-5 steps when it spans less than two.
    private static IEnumerable<double> LogTicks(double lo, double hi)
    {
        var decades = Enumerable.Range((int)Math.Ceiling(lo), Math.Max(0, (int)Math.Floor(hi) - (int)Math.Ceiling(lo) + 1)).Select(e => (double)e).ToList();
        if (decades.Count >= 2) return decades;
        var fine = new List<double>();
        for (int e = (int)Math.Floor(lo); e <= (int)Math.Ceiling(hi); e++)
            foreach (double m in new[] { 1.0, 2, 5 })
            {
                double t = e + Math.Log10(m);
                if (t >= lo - 1e-9 && t <= hi + 1e-9) fine.Add(t);
            }
        return fine.Count >= 2 ? fine : Ticks(lo, hi);
    }

    private static string Num(double v) => v.ToString(Math.Abs(v) >= 1e4 || (v != 0 && Math.Abs(v) < 1e-3) ? "0.#e0" : "0.###", CultureInfo.InvariantCulture);

    private static string Esc(string s) => System.Net.WebUtility.HtmlEncode(s);

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
