// BarChart: grouped vertical bars over named categories (e.g. log-likelihood of ADF/EP/Gibbs per dataset),
// with optional error bars and value labels. Bars start at zero (or at the axis bottom on a log axis);
// a non-finite value leaves its slot empty.
namespace ProbLab.Reports;

/// <summary>Grouped bars: <c>var b = new BarChart("ADF", "EP", "Gibbs"); b.Add("accuracy", [0.61, 0.64, 0.63]);</c>.</summary>
public sealed class BarChart : XYChart
{
    private sealed record Group(string? Name, double[] Values, double[]? Errors, string? Color);
    private readonly List<Group> _groups = [];

    /// <summary>Category names along the x axis.</summary>
    public IReadOnlyList<string> Categories { get; }
    /// <summary>Write each bar's value above it.</summary>
    public bool ShowValues { get; set; }
    /// <summary>Formatter for value labels (default: up to 3 significant decimals).</summary>
    public Func<double, string> ValueFormat { get; set; } = v => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Creates a bar chart over the given categories.</summary>
    /// <exception cref="ArgumentException">When no category is given.</exception>
    public BarChart(params string[] categories)
    {
        if (categories.Length == 0) throw new ArgumentException("bar chart needs at least one category");
        Categories = categories;
        X.Grid = false;
    }

    /// <summary>Adds one bar per category for a named group (optional symmetric error bars, e.g. ± sd).</summary>
    /// <exception cref="ArgumentException">When the number of values (or errors) differs from the number of categories.</exception>
    public void Add<T>(string? name, IEnumerable<T> values, IEnumerable<T>? errors = null, string? color = null) where T : System.Numerics.INumberBase<T>
    {
        var v = Seq.ToDoubles(values);
        var e = errors == null ? null : Seq.ToDoubles(errors);
        if (v.Length != Categories.Count) throw new ArgumentException($"bar group '{name}': {v.Length} values for {Categories.Count} categories");
        if (e != null && e.Length != v.Length) throw new ArgumentException($"bar group '{name}': {e.Length} errors for {v.Length} values");
        _groups.Add(new Group(name, v, e, color));
    }

    private string ColorOf(int g) => _groups[g].Color ?? Palette.Categorical(g).Hex;

    internal override double XPadding => 0;
    internal override bool IncludeZeroY => !Y.IsLog;
    internal override double YPadding => ShowValues ? 0.1 : 0.04;

    internal override (double[] Values, string[] Labels)? CategoryTicks(bool xAxis)
        => xAxis ? (Enumerable.Range(0, Categories.Count).Select(i => (double)i).ToArray(), Categories.ToArray()) : null;

    internal override void CollectExtent(DataExtent e)
    {
        e.AddX(-0.5); e.AddX(Categories.Count - 0.5);
        foreach (var g in _groups)
            for (int i = 0; i < g.Values.Length; i++)
            {
                double err = g.Errors?[i] ?? 0;
                e.AddY(g.Values[i] + Math.Abs(err)); e.AddY(g.Values[i] - Math.Abs(err)); e.AddY(g.Values[i]);
            }
    }

    internal override IEnumerable<LegendEntry> LegendEntries()
    {
        if (_groups.Count < 2 && string.IsNullOrEmpty(_groups.FirstOrDefault()?.Name)) yield break;
        for (int g = 0; g < _groups.Count; g++)
            if (!string.IsNullOrEmpty(_groups[g].Name)) yield return new LegendEntry(_groups[g].Name!, ColorOf(g), LegendSymbol.Patch, Opacity: 0.9);
    }

    internal override void DrawData(PlotContext ctx)
    {
        int k = Math.Max(1, _groups.Count);
        double band = Math.Abs(ctx.X(1) - ctx.X(0)), groupW = band * 0.78, barW = groupW / k;
        double baseY = Y.IsLog ? ctx.Plot.Bottom : ctx.Y(0);
        var errPaint = new Paint(Stroke: "#333333", StrokeWidth: 1.2);
        for (int g = 0; g < _groups.Count; g++)
        {
            var grp = _groups[g];
            var paint = new Paint(Fill: ColorOf(g), FillOpacity: 0.9);
            for (int i = 0; i < grp.Values.Length; i++)
            {
                double y = ctx.Y(grp.Values[i]);
                if (double.IsNaN(y)) continue;
                double x0 = ctx.X(i) - groupW / 2 + g * barW + barW * 0.06, w = barW * 0.88;
                ctx.Svg.Rect(x0, Math.Min(y, baseY), w, Math.Abs(baseY - y), paint, cornerRadius: Math.Min(1.5, w / 6));
                ctx.Occupancy.Rect(new Box(x0, Math.Min(y, baseY), w, Math.Abs(baseY - y)));
                double top = y;
                if (grp.Errors is { } errs && double.IsFinite(errs[i]))
                {
                    double ylo = ctx.Y(grp.Values[i] - Math.Abs(errs[i])), yhi = ctx.Y(grp.Values[i] + Math.Abs(errs[i])), cx = x0 + w / 2;
                    if (!double.IsNaN(ylo) && !double.IsNaN(yhi))
                    {
                        ctx.Svg.Line(cx, ylo, cx, yhi, errPaint);
                        ctx.Svg.Line(cx - w * 0.2, ylo, cx + w * 0.2, ylo, errPaint);
                        ctx.Svg.Line(cx - w * 0.2, yhi, cx + w * 0.2, yhi, errPaint);
                        top = Math.Min(top, yhi);
                    }
                }
                if (ShowValues)
                {
                    bool up = grp.Values[i] >= 0 || Y.IsLog;
                    ctx.Svg.Text(x0 + w / 2, up ? Math.Min(top, baseY) - 4 : Math.Max(y, baseY) + 12, ValueFormat(grp.Values[i]), new TextStyle(10, Theme.MutedText, TextAnchor.Middle));
                }
            }
        }
    }
}
