// Section: an ordered list of report blocks (paragraphs, figures, images, tables, key-value blocks, notes,
// preformatted text) and subsections. Methods return the section so calls chain.
namespace ProbLab.Reports;

/// <summary>Kind of a highlighted note.</summary>
public enum NoteKind { Info, Warning, Error }

/// <summary>A report section: <c>report.AddSection("Training").Paragraph("Loss fell *fast*.").Figure(chart, "Training loss");</c>.</summary>
public sealed class Section
{
    internal readonly List<Block> Blocks = [];

    internal Section(string title, int depth)
    {
        if (string.IsNullOrWhiteSpace(title)) throw new ArgumentException("section title must not be empty");
        Title = title;
        Depth = depth;
    }

    /// <summary>Heading text.</summary>
    public string Title { get; }
    /// <summary>1 for top-level sections, 2 for subsections, ...</summary>
    public int Depth { get; }
    /// <summary>Direct subsections in order.</summary>
    public IEnumerable<Section> Subsections => Blocks.OfType<SubsectionBlock>().Select(b => b.Section);

    /// <summary>Adds paragraphs/lists written in the safe <see cref="Markup"/> subset.</summary>
    public Section Paragraph(string markup) { Blocks.Add(new ParagraphBlock(markup)); return this; }

    /// <summary>Adds a numbered figure rendered from a chart (inline SVG) with an optional caption (inline markup).</summary>
    public Section Figure(Chart chart, string? caption = null) { Blocks.Add(new FigureBlock(chart.ToSvg(), caption)); return this; }

    /// <summary>Adds a numbered figure from SVG text (e.g. a hand-built <see cref="SvgBuilder"/> drawing or animation).</summary>
    /// <exception cref="ArgumentException">When the text does not start with an &lt;svg element.</exception>
    public Section Figure(string svg, string? caption = null)
    {
        if (!svg.TrimStart().StartsWith("<svg", StringComparison.Ordinal)) throw new ArgumentException("figure SVG must start with <svg");
        Blocks.Add(new FigureBlock(svg, caption));
        return this;
    }

    /// <summary>Adds a numbered figure showing a raster image embedded as a PNG data URI; displayWidth in CSS pixels (null: natural width), pixelated keeps hard edges when scaled.</summary>
    public Section Image(RasterImage image, string? caption = null, int? displayWidth = null, bool pixelated = true)
    {
        Blocks.Add(new ImageBlock(image.ToPng(), image.Width, caption, displayWidth, pixelated));
        return this;
    }

    /// <summary>Adds a numbered figure from PNG bytes (validated by decoding the header).</summary>
    /// <exception cref="FormatException">When the bytes are not a PNG this library can read.</exception>
    public Section Image(byte[] png, string? caption = null, int? displayWidth = null, bool pixelated = true)
    {
        var img = Png.Decode(png);
        Blocks.Add(new ImageBlock(png, img.Width, caption, displayWidth, pixelated));
        return this;
    }

    /// <summary>Adds a numbered table.</summary>
    public Section Table(Table table) { Blocks.Add(new TableBlock(table)); return this; }

    /// <summary>Adds a key-value block (e.g. the resolved config) with an optional title; values use <see cref="Markup.FormatValue"/>.</summary>
    public Section KeyValues(string? title, IEnumerable<KeyValuePair<string, object?>> pairs)
    {
        Blocks.Add(new KeyValueBlock(title, pairs.Select(p => (p.Key, Markup.FormatValue(p.Value))).ToList()));
        return this;
    }

    /// <summary>Adds a key-value block from tuples: <c>KeyValues("Config", ("lr", 3e-4), ("steps", 2000))</c>.</summary>
    public Section KeyValues(string? title, params (string Key, object? Value)[] pairs)
        => KeyValues(title, pairs.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value)));

    /// <summary>Adds a highlighted note (e.g. "synthetic stand-in data used") in markup.</summary>
    public Section Note(string markup, NoteKind kind = NoteKind.Info) { Blocks.Add(new NoteBlock(markup, kind)); return this; }

    /// <summary>Adds preformatted monospace text (e.g. generated samples, a log excerpt) with an optional caption.</summary>
    public Section Preformatted(string text, string? caption = null) { Blocks.Add(new PreBlock(text, caption)); return this; }

    /// <summary>Adds a subsection (at this position among the blocks) and returns it.</summary>
    /// <exception cref="ArgumentException">When the title is empty or nesting exceeds 4 levels.</exception>
    public Section AddSection(string title)
    {
        if (Depth >= 4) throw new ArgumentException($"section '{title}' would be nested deeper than 4 levels");
        var s = new Section(title, Depth + 1);
        Blocks.Add(new SubsectionBlock(s));
        return s;
    }
}
