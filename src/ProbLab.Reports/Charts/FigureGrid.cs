// FigureGrid: several charts as panels of one SVG (e.g. six snapshots at epochs 1, 10, ..., 50), plus two
// simple panel kinds: ImageView (a raster image with a title, e.g. a sample sheet) and DrawingPanel
// (free drawing with SvgBuilder, e.g. one stick-figure frame of a filmstrip).
namespace ProbLab.Reports;

/// <summary>A grid of panels in one SVG: <c>var g = new FigureGrid(3) { Title = "Samples" }; g.Add(chart1).Add(chart2); g.ToSvg()</c>.</summary>
public sealed class FigureGrid : Chart
{
    private readonly List<Chart> _panels = [];

    /// <summary>Number of columns.</summary>
    public int Columns { get; }
    /// <summary>Width of one panel in pixels.</summary>
    public double PanelWidth { get; set; } = 300;
    /// <summary>Height of one panel in pixels.</summary>
    public double PanelHeight { get; set; } = 230;
    /// <summary>Gap between panels in pixels.</summary>
    public double Gap { get; set; } = 6;

    /// <summary>Creates an empty grid with the given number of columns.</summary>
    /// <exception cref="ArgumentException">When columns &lt; 1.</exception>
    public FigureGrid(int columns)
    {
        if (columns < 1) throw new ArgumentException($"FigureGrid columns must be >= 1, got {columns}");
        Columns = columns;
    }

    /// <summary>The panels in order (row by row).</summary>
    public IReadOnlyList<Chart> Panels => _panels;

    /// <summary>Appends a panel; returns this grid for chaining.</summary>
    public FigureGrid Add(Chart panel)
    {
        ArgumentNullException.ThrowIfNull(panel);
        if (ReferenceEquals(panel, this)) throw new ArgumentException("a FigureGrid cannot contain itself");
        _panels.Add(panel);
        return this;
    }

    private double TitleHeight => Title != null ? 30 : 0;
    private int Rows => Math.Max(1, (_panels.Count + Columns - 1) / Columns);
    private int UsedColumns => Math.Max(1, Math.Min(Columns, _panels.Count));

    /// <summary>The grid's own size: columns × PanelWidth by rows × PanelHeight plus gaps and title.</summary>
    protected override (double Width, double Height) CanvasSize()
        => (UsedColumns * PanelWidth + (UsedColumns - 1) * Gap, TitleHeight + Rows * PanelHeight + (Rows - 1) * Gap);

    /// <inheritdoc/>
    public override void Render(SvgBuilder svg, Box area)
    {
        var (w, h) = CanvasSize();
        double s = Math.Min(area.Width / w, area.Height / h); // shrink uniformly when given less room
        double pw = PanelWidth * s, ph = PanelHeight * s, gap = Gap * s, top = area.Y + TitleHeight * s;
        if (Title != null) svg.Text(area.X + w * s / 2, area.Y + 19 * s, Title, Theme.TitleStyle with { FontSize = Theme.TitleSize * Math.Max(s, 0.7) });
        for (int i = 0; i < _panels.Count; i++)
        {
            var box = new Box(area.X + (i % Columns) * (pw + gap), top + (i / Columns) * (ph + gap), pw, ph);
            _panels[i].Render(svg, box);
        }
    }
}

/// <summary>A panel showing a raster image with a title, scaled to fit with crisp pixels (e.g. a sample grid at one epoch).</summary>
public sealed class ImageView(RasterImage image) : Chart
{
    /// <summary>The image shown.</summary>
    public RasterImage Image { get; } = image;
    /// <summary>Caption under the image (null: none).</summary>
    public string? Caption { get; set; }

    /// <inheritdoc/>
    public override void Render(SvgBuilder svg, Box area)
    {
        double top = area.Y + (Title != null ? 26 : 4), bottom = area.Bottom - (Caption != null ? 20 : 4);
        double availW = area.Width - 8, availH = bottom - top;
        double s = Math.Min(availW / Image.Width, availH / Image.Height);
        if (!(s > 0)) return;
        double w = Image.Width * s, h = Image.Height * s, x = area.CenterX - w / 2;
        if (Title != null) svg.Text(area.CenterX, area.Y + 17, Theme.Fit(Title, 13, area.Width - 6), Theme.TitleStyle with { FontSize = 13 });
        svg.Image(x, top, w, h, Image.ToDataUri(), pixelated: true);
        svg.Rect(x, top, w, h, new Paint(Fill: "none", Stroke: "#dddddd", StrokeWidth: 0.8));
        if (Caption != null) svg.Text(area.CenterX, bottom + 14, Theme.Fit(Caption, 11, area.Width - 6), Theme.TickStyle with { Anchor = TextAnchor.Middle });
    }
}

/// <summary>A panel drawn by a callback in its own box (e.g. one stick-figure frame); the callback gets the canvas and the box below the title.</summary>
public sealed class DrawingPanel(Action<SvgBuilder, Box> draw) : Chart
{
    /// <inheritdoc/>
    public override void Render(SvgBuilder svg, Box area)
    {
        double top = Title != null ? 26 : 0;
        if (Title != null) svg.Text(area.CenterX, area.Y + 17, Theme.Fit(Title, 13, area.Width - 6), Theme.TitleStyle with { FontSize = 13 });
        var inner = new Box(area.X, area.Y + top, area.Width, area.Height - top);
        string clip = svg.ClipRect(inner.X, inner.Y, inner.Width, inner.Height);
        using (svg.Group(clipId: clip)) draw(svg, inner);
    }
}
