// The neutral report content experiments return: sections made of paragraphs, tables, chart specs
// (data, not drawings) and pre-rendered figures. HtmlReport renders it. This is the ONLY surface between
// experiments and the drawing code, so moving to ProbLab.Reports means mapping these few records to its
// Report/Section/chart API inside HtmlReport.Render (and InterimCharts can then be deleted).
namespace ProbLab.Cli.Experiments;

/// <summary>A titled part of an experiment's chapter.</summary>
public sealed record ReportSection(string Title, IReadOnlyList<ReportBlock> Blocks);

/// <summary>One element of a section.</summary>
public abstract record ReportBlock;

/// <summary>A paragraph of plain text (escaped on output).</summary>
public sealed record Paragraph(string Text) : ReportBlock;

/// <summary>A table of preformatted cells.</summary>
public sealed record Table(string Caption, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) : ReportBlock;

/// <summary>One named curve.</summary>
public sealed record Series(string Name, double[] X, double[] Y);

/// <summary>A line chart of one or more series (e.g. training loss per step).</summary>
public sealed record LineChart(string Title, string XLabel, string YLabel, IReadOnlyList<Series> Series, bool LogY = false) : ReportBlock;

/// <summary>Class ids on a regular grid over [XMin, XMax] × [YMin, YMax], row-major from the bottom row (Rows × Cols).</summary>
public sealed record ClassGrid(double XMin, double XMax, double YMin, double YMax, int Cols, int Rows, int[] Classes);

/// <summary>A 2-D scatter plot coloured by class, optionally over decision regions.</summary>
public sealed record ScatterChart(string Title, string XLabel, string YLabel, double[] X, double[] Y, int[] Labels, ClassGrid? Regions = null) : ReportBlock;

/// <summary>A pre-rendered SVG figure (inline in the HTML).</summary>
public sealed record SvgFigure(string Caption, string Svg) : ReportBlock;

/// <summary>A PNG image (embedded as a data URI).</summary>
public sealed record PngImage(string Caption, byte[] Png, int? DisplayWidth = null) : ReportBlock;
