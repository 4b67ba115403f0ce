// ScatterChart: point clouds with a single colour, categorical colours (up to 40 distinguishable classes,
// e.g. mixture components) or numeric colours (with a colour bar); a grey background layer (data behind
// model samples), lines/trajectories and covariance ellipses in data coordinates, optional equal aspect.
// Points with a non-finite (or, on log axes, non-positive) coordinate are dropped.
namespace ProbLab.Reports;

/// <summary>One layer of points in a <see cref="ScatterChart"/> or over a <see cref="Heatmap"/>; set its style after adding it.</summary>
public sealed class ScatterSeries
{
    internal ScatterSeries(string? name, double[] x, double[] y) { Name = name; X = x; Y = y; }

    /// <summary>Legend label (null or empty: not in the legend).</summary>
    public string? Name { get; set; }
    /// <summary>X coordinates.</summary>
    public double[] X { get; }
    /// <summary>Y coordinates.</summary>
    public double[] Y { get; }
    /// <summary>CSS colour for single-colour series (null: next palette colour).</summary>
    public string? Color { get; set; }
    /// <summary>Marker radius in pixels.</summary>
    public double Size { get; set; } = 3;
    /// <summary>Fill opacity in [0, 1].</summary>
    public double Opacity { get; set; } = 0.8;
    /// <summary>Marker shape.</summary>
    public MarkerShape Marker { get; set; } = MarkerShape.Circle;
    /// <summary>Thin white outline that separates overlapping points (default on for foreground series).</summary>
    public bool Outline { get; set; } = true;
    /// <summary>Outline colour (white by default; points over heatmaps use a dark outline).</summary>
    public string OutlineColor { get; set; } = "#ffffff";

    internal int[]? Labels;
    internal string[]? CategoryNames;
    internal double[]? Values;
    internal ColorMap? Map;
    internal string? ValueLabel;

    // Colours the points by class label; `owner` ("scatter series", "heatmap points") prefixes the one-line errors.
    internal void SetCategories(string owner, IEnumerable<int> labels, IReadOnlyList<string>? classNames)
    {
        var lab = labels.ToArray();
        Seq.SameLength(owner + " labels", Name ?? "", X.Length, lab.Length);
        int bad = Array.FindIndex(lab, l => l < 0);
        if (bad >= 0) throw new ArgumentException($"{owner} '{Name}': label[{bad}] = {lab[bad]} is negative");
        Labels = lab;
        CategoryNames = classNames?.ToArray();
    }

    internal (double Min, double Max) ValueRange()
    {
        var finite = Values!.Where(double.IsFinite).ToArray();
        return finite.Length == 0 ? (0, 1) : (finite.Min(), finite.Max());
    }

    private string PointColor(int i, string seriesColor, (double Min, double Max) range)
    {
        if (Labels != null) return Palette.Categorical(Labels[i]).Hex;
        if (Values != null)
        {
            double t = ColorBar.Normalize(Values[i], range.Min, range.Max, false);
            return double.IsNaN(t) ? "#cccccc" : Map!.At(t).Hex;
        }
        return seriesColor;
    }

    internal void Draw(PlotContext ctx, string seriesColor)
    {
        int n = Math.Min(X.Length, Y.Length);
        var outline = Outline ? OutlineColor : null;
        var range = Values != null ? ValueRange() : (0, 1);
        for (int i = 0; i < n; i++)
        {
            double px = ctx.X(X[i]), py = ctx.Y(Y[i]);
            if (double.IsNaN(px) || double.IsNaN(py)) continue;
            var paint = new Paint(Fill: PointColor(i, seriesColor, range), FillOpacity: Opacity, Stroke: outline, StrokeWidth: OutlineColor == "#ffffff" ? 0.5 : 0.7, StrokeOpacity: 0.8);
            Markers.Draw(ctx.Svg, Marker, px, py, Size, paint);
            ctx.Occupancy.Point(px, py);
        }
    }

    internal IEnumerable<LegendEntry> Entries(string seriesColor)
    {
        if (Labels != null)
        {
            foreach (int c in Labels.Distinct().Order())
            {
                string label = CategoryNames != null && c < CategoryNames.Length ? CategoryNames[c] : (Name != null ? $"{Name} {c}" : c.ToString(System.Globalization.CultureInfo.InvariantCulture));
                yield return new LegendEntry(label, Palette.Categorical(c).Hex, LegendSymbol.Marker, Marker: Marker, Opacity: Opacity);
            }
        }
        else if (Values == null && !string.IsNullOrEmpty(Name))
            yield return new LegendEntry(Name, seriesColor, LegendSymbol.Marker, Marker: Marker, Opacity: Opacity);
    }
}

/// <summary>A scatter plot: <c>var s = new ScatterChart { EqualAspect = true }; s.AddBackground(dx, dy); s.AddCategorical("comp", x, y, labels);</c>.</summary>
public sealed class ScatterChart : XYChart
{
    private readonly List<object> _layers = []; // ScatterSeries or PathLayer, drawn in insertion order
    private int _colorIndex;

    private sealed record PathLayer(string? Name, double[] X, double[] Y, string Color, double Width, string? Dash, bool Closed, double FillOpacity);

    /// <summary>Equal pixels per unit on both axes (for maps and 2-D densities); shorthand for AspectRatio = 1.</summary>
    public bool EqualAspect { get => AspectRatio == 1; set => AspectRatio = value ? 1 : null; }

    private ScatterSeries AddSeries<TX, TY>(string? name, IEnumerable<TX> x, IEnumerable<TY> y)
        where TX : System.Numerics.INumberBase<TX> where TY : System.Numerics.INumberBase<TY>
    {
        var xs = Seq.ToDoubles(x); var ys = Seq.ToDoubles(y);
        Seq.SameLength("scatter series", name ?? "", xs.Length, ys.Length);
        var s = new ScatterSeries(name, xs, ys);
        _layers.Add(s);
        return s;
    }

    /// <summary>Adds single-colour points (next palette colour unless Color is set).</summary>
    public ScatterSeries Add<TX, TY>(string? name, IEnumerable<TX> x, IEnumerable<TY> y)
        where TX : System.Numerics.INumberBase<TX> where TY : System.Numerics.INumberBase<TY>
    {
        var s = AddSeries(name, x, y);
        s.Color = Palette.Categorical(_colorIndex++).Hex;
        return s;
    }

    /// <summary>Adds small grey context points (e.g. the data behind model samples); not in the legend unless named.</summary>
    public ScatterSeries AddBackground<TX, TY>(IEnumerable<TX> x, IEnumerable<TY> y, string? name = null)
        where TX : System.Numerics.INumberBase<TX> where TY : System.Numerics.INumberBase<TY>
    {
        var s = AddSeries(name, x, y);
        s.Color = Palette.Background.Hex; s.Size = 2; s.Opacity = 0.45; s.Outline = false;
        return s;
    }

    /// <summary>Adds points coloured by integer class label (palette colour of the label); legend shows one entry per class, named by <paramref name="classNames"/> if given.</summary>
    /// <exception cref="ArgumentException">When lengths differ or a label is negative.</exception>
    public ScatterSeries AddCategorical<TX, TY>(string? name, IEnumerable<TX> x, IEnumerable<TY> y, IEnumerable<int> labels, IReadOnlyList<string>? classNames = null)
        where TX : System.Numerics.INumberBase<TX> where TY : System.Numerics.INumberBase<TY>
    {
        var s = AddSeries(name, x, y);
        s.SetCategories("scatter series", labels, classNames);
        return s;
    }

    /// <summary>Adds points coloured by a numeric value through a colour map (default viridis), with a colour bar; NaN values are drawn light grey.</summary>
    public ScatterSeries AddValues<TX, TY, TV>(string? name, IEnumerable<TX> x, IEnumerable<TY> y, IEnumerable<TV> values, ColorMap? map = null, string? valueLabel = null)
        where TX : System.Numerics.INumberBase<TX> where TY : System.Numerics.INumberBase<TY> where TV : System.Numerics.INumberBase<TV>
    {
        var s = AddSeries(name, x, y);
        var v = Seq.ToDoubles(values);
        Seq.SameLength("scatter series values", name ?? "", s.X.Length, v.Length);
        s.Values = v; s.Map = map ?? ColorMap.Viridis; s.ValueLabel = valueLabel;
        return s;
    }

    /// <summary>Adds a polyline in data coordinates (trajectory, decision boundary, contour); non-finite points break the line.</summary>
    public void AddLine<TX, TY>(string? name, IEnumerable<TX> x, IEnumerable<TY> y, string? color = null, double width = 1.6, string? dash = null, bool closed = false)
        where TX : System.Numerics.INumberBase<TX> where TY : System.Numerics.INumberBase<TY>
    {
        var xs = Seq.ToDoubles(x); var ys = Seq.ToDoubles(y);
        Seq.SameLength("scatter line", name ?? "", xs.Length, ys.Length);
        _layers.Add(new PathLayer(name, xs, ys, color ?? Palette.Categorical(_colorIndex++).Hex, width, dash, closed, 0));
    }

    /// <summary>
    /// Adds the nSigma ellipse of a 2-D Gaussian with mean (cx, cy) and covariance [[varX, covXY], [covXY, varY]]:
    /// the points mean + nSigma·(√λ₁ cos t·v₁ + √λ₂ sin t·v₂) for the eigenpairs (λ, v) of the covariance.
    /// </summary>
    /// <exception cref="ArgumentException">When the covariance is not positive semi-definite or not finite.</exception>
    public void AddCovarianceEllipse(string? name, double cx, double cy, double varX, double covXY, double varY,
        double nSigma = 2, string? color = null, double fillOpacity = 0.08)
    {
        if (!SvgFormat.AllFinite([cx, cy, varX, covXY, varY, nSigma]) || varX < 0 || varY < 0 || covXY * covXY > varX * varY * (1 + 1e-9))
            throw new ArgumentException($"ellipse '{name}': covariance [[{varX}, {covXY}], [{covXY}, {varY}]] is not a finite PSD matrix");
        // Eigen-decomposition of a symmetric 2x2: λ = m ± sqrt(((a−c)/2)² + b²), angle θ = ½·atan2(2b, a − c).
        double m = (varX + varY) / 2, d = Math.Sqrt((varX - varY) * (varX - varY) / 4 + covXY * covXY);
        double l1 = m + d, l2 = Math.Max(m - d, 0), theta = 0.5 * Math.Atan2(2 * covXY, varX - varY);
        double c = Math.Cos(theta), s = Math.Sin(theta), a = nSigma * Math.Sqrt(l1), b = nSigma * Math.Sqrt(l2);
        var xs = new double[97]; var ys = new double[97];
        for (int i = 0; i < xs.Length; i++)
        {
            double t = 2 * Math.PI * i / (xs.Length - 1);
            xs[i] = cx + a * Math.Cos(t) * c - b * Math.Sin(t) * s;
            ys[i] = cy + a * Math.Cos(t) * s + b * Math.Sin(t) * c;
        }
        _layers.Add(new PathLayer(name, xs, ys, color ?? Palette.Categorical(_colorIndex++).Hex, 1.6, null, true, fillOpacity));
    }

    internal override double XPadding => 0.04;
    internal override double YPadding => 0.04;
    internal override bool NiceY => false;

    internal override void CollectExtent(DataExtent e)
    {
        foreach (var l in _layers)
            if (l is ScatterSeries s) e.AddAll(s.X, s.Y); else if (l is PathLayer p) e.AddAll(p.X, p.Y);
    }

    internal override IEnumerable<LegendEntry> LegendEntries()
    {
        foreach (var l in _layers)
        {
            if (l is ScatterSeries s) foreach (var e in s.Entries(s.Color ?? "#333333")) yield return e;
            else if (l is PathLayer p && !string.IsNullOrEmpty(p.Name))
                yield return new LegendEntry(p.Name!, p.Color, LegendSymbol.Line, p.Dash);
        }
    }

    internal override ColorBar? GetColorBar()
    {
        var s = _layers.OfType<ScatterSeries>().FirstOrDefault(x => x.Values != null);
        if (s == null) return null;
        var (lo, hi) = s.ValueRange();
        if (lo == hi) { lo -= 0.5; hi += 0.5; }
        return new ColorBar(s.Map!, lo, hi, s.ValueLabel ?? s.Name, false);
    }

    internal override void DrawData(PlotContext ctx)
    {
        foreach (var l in _layers)
        {
            if (l is ScatterSeries s) s.Draw(ctx, s.Color ?? "#333333");
            else if (l is PathLayer p) DrawPath(ctx, p);
        }
    }

    private static void DrawPath(PlotContext ctx, PathLayer p)
    {
        foreach (var run in ctx.MapRuns(p.X, p.Y))
        {
            if (p.Closed && run.Count >= 3)
                ctx.Svg.Polygon(run, new Paint(Fill: p.Color, FillOpacity: p.FillOpacity, Stroke: p.Color, StrokeWidth: p.Width, Dash: p.Dash, LineJoin: "round"));
            else
                ctx.Svg.Path(new PathData().Polyline(run), Paint.Line(p.Color, p.Width, p.Dash));
            for (int i = 1; i < run.Count; i++) ctx.Occupancy.Segment(run[i - 1].X, run[i - 1].Y, run[i].X, run[i].Y);
        }
    }
}
