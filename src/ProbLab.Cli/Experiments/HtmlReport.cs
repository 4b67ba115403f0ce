// HtmlReport: renders a ReportDocument as one self-contained HTML page (inline CSS and SVG, PNGs as data
// URIs; no scripts, no external files). Header: preset, seed, threads, total time, then a contents table
// with per-experiment timings and every data-provenance line (synthetic stand-ins flagged). Each chapter
// shows its resolved config and data lines, then its sections. When ProbLab.Reports lands, RenderBlock is
// where its Report/Section/chart API takes over.
using System.Globalization;
using System.Net;
using System.Text;
using ProbLab.Data;

namespace ProbLab.Cli.Experiments;

/// <summary>One finished experiment: timings, config and provenance for the report.</summary>
public sealed record ExperimentResult(string Name, string Title, double Seconds, object? Config, IReadOnlyList<DataSource> Data, IReadOnlyList<ReportSection> Sections);

/// <summary>Everything one report shows.</summary>
public sealed record ReportDocument(Preset Preset, long Seed, int Threads, double Seconds, IReadOnlyList<ExperimentResult> Experiments);

/// <summary>Renders reports to HTML.</summary>
public static class HtmlReport
{
    private const string Css = """
        body{font:15px/1.5 system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}
        h1{margin-bottom:0}h2{border-bottom:1px solid #ccc;margin-top:2em}
        table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #ddd;padding:.2em .6em;text-align:left}
        th{background:#f4f4f4}.meta{color:#666}.synthetic{color:#b00;font-weight:600}figure{margin:1em 0}
        figcaption{color:#555;font-size:90%}svg{max-width:100%;height:auto}code{background:#f4f4f4;padding:0 .2em}
        """;

    /// <summary>The complete HTML page.</summary>
    public static string Render(ReportDocument doc)
    {
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>ProbLab report</title><style>")
         .Append(Css).Append("</style></head><body>\n<h1>ProbLab report</h1>\n");
        h.Append(Inv($"<p class=\"meta\">preset <b>{doc.Preset.ToString().ToLowerInvariant()}</b> · seed <b>{doc.Seed}</b> · threads {doc.Threads} · total {doc.Seconds:F1} s</p>\n"));
        RenderContents(h, doc);
        foreach (var exp in doc.Experiments) RenderExperiment(h, exp);
        h.Append("</body></html>\n");
        return h.ToString();
    }

    private static void RenderContents(StringBuilder h, ReportDocument doc)
    {
        h.Append("<table><tr><th>experiment</th><th>time</th><th>data</th></tr>\n");
        foreach (var e in doc.Experiments)
            h.Append(Inv($"<tr><td><a href=\"#{Esc(e.Name)}\">{Esc(e.Title)}</a></td><td>{e.Seconds:F1} s</td><td>{DataCell(e.Data)}</td></tr>\n"));
        h.Append("</table>\n");
    }

    private static string DataCell(IReadOnlyList<DataSource> data) =>
        data.Count == 0 ? "generated in-process" : string.Join("<br>", data.Select(DataLine));

    private static string DataLine(DataSource s) =>
        s.IsSynthetic ? $"<span class=\"synthetic\">{Esc(s.ToString())}</span>" : Esc(s.ToString());

    private static void RenderExperiment(StringBuilder h, ExperimentResult e)
    {
        h.Append($"<h2 id=\"{Esc(e.Name)}\">{Esc(e.Title)}</h2>\n");
        h.Append(Inv($"<p class=\"meta\"><code>{Esc(e.Name)}</code> · {e.Seconds:F2} s</p>\n"));
        if (e.Data.Count > 0) h.Append("<p>").Append(string.Join("<br>", e.Data.Select(s => "Data: " + DataLine(s)))).Append("</p>\n");
        if (e.Config is { } cfg)
        {
            h.Append("<table><tr><th>config</th><th>value</th></tr>\n");
            foreach (var (k, v) in ConfigText.ToPairs(cfg)) h.Append($"<tr><td>{Esc(k)}</td><td>{Esc(v)}</td></tr>\n");
            h.Append("</table>\n");
        }
        foreach (var s in e.Sections)
        {
            h.Append($"<h3>{Esc(s.Title)}</h3>\n");
            foreach (var b in s.Blocks) RenderBlock(h, b);
        }
    }

    private static void RenderBlock(StringBuilder h, ReportBlock block)
    {
        switch (block)
        {
            case Paragraph p: h.Append($"<p>{Esc(p.Text)}</p>\n"); break;
            case Table t: RenderTable(h, t); break;
            case LineChart c: Figure(h, InterimCharts.Line(c), ""); break;       // the chart draws its own title
            case ScatterChart c: Figure(h, InterimCharts.Scatter(c), ""); break;
            case SvgFigure f: Figure(h, f.Svg, f.Caption); break;
            case PngImage img:
                string width = img.DisplayWidth is { } w ? $" width=\"{w}\"" : "";
                h.Append($"<figure><img{width} alt=\"{Esc(img.Caption)}\" src=\"data:image/png;base64,{Convert.ToBase64String(img.Png)}\"><figcaption>{Esc(img.Caption)}</figcaption></figure>\n");
                break;
            default: throw new NotSupportedException($"report block {block.GetType().Name} has no renderer");
        }
    }

    private static void Figure(StringBuilder h, string svg, string caption) =>
        h.Append("<figure>").Append(svg).Append(caption.Length > 0 ? $"<figcaption>{Esc(caption)}</figcaption>" : "").Append("</figure>\n");

    private static void RenderTable(StringBuilder h, Table t)
    {
        h.Append("<table>");
        if (t.Caption.Length > 0) h.Append($"<caption>{Esc(t.Caption)}</caption>");
        h.Append("<tr>").Append(string.Concat(t.Header.Select(c => $"<th>{Esc(c)}</th>"))).Append("</tr>\n");
        foreach (var row in t.Rows) h.Append("<tr>").Append(string.Concat(row.Select(c => $"<td>{Esc(c)}</td>"))).Append("</tr>\n");
        h.Append("</table>\n");
    }

    /// <summary>HTML-escapes text.</summary>
    public static string Esc(string s) => WebUtility.HtmlEncode(s);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
