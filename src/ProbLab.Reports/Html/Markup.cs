// Markup: the tiny, safe text format of report paragraphs, notes and captions. Everything is HTML-escaped;
// then only this subset becomes markup:
//   blank line            → new paragraph        "- item" / "* item" lines → bullet list
//   "1. item" lines       → numbered list        `code`, **strong**, *emphasis*
//   [text](https://...)   → link (http/https only; links are not loaded, so the page stays self-contained)
// Unmatched markers are printed literally. Single newlines inside a paragraph become spaces.
using System.Globalization;
using System.Text;

namespace ProbLab.Reports;

/// <summary>HTML escaping and the report's tiny safe markup (paragraphs, lists, `code`, **strong**, *emphasis*, http(s) links).</summary>
public static class Markup
{
    /// <summary>Escapes text for HTML element content and attribute values.</summary>
    public static string Escape(string? text) => SvgFormat.Escape(text);

    /// <summary>Renders block markup (paragraphs and lists) to HTML.</summary>
    public static string ToHtml(string? markup)
    {
        if (string.IsNullOrWhiteSpace(markup)) return "";
        var sb = new StringBuilder();
        var lines = markup.Replace("\r\n", "\n").Split('\n');
        var para = new List<string>();
        string? listKind = null;
        void FlushPara()
        {
            if (para.Count > 0) sb.Append("<p>").Append(Inline(string.Join(" ", para))).Append("</p>\n");
            para.Clear();
        }
        void CloseList()
        {
            if (listKind != null) sb.Append("</").Append(listKind).Append(">\n");
            listKind = null;
        }
        foreach (var raw in lines)
        {
            string line = raw.Trim();
            string? item = null, kind = null;
            if (line.StartsWith("- ") || line.StartsWith("* ")) { item = line[2..]; kind = "ul"; }
            else if (NumberedItem(line) is string rest) { item = rest; kind = "ol"; }
            if (item != null)
            {
                FlushPara();
                if (listKind != kind) { CloseList(); sb.Append('<').Append(kind).Append(">\n"); listKind = kind; }
                sb.Append("<li>").Append(Inline(item)).Append("</li>\n");
            }
            else if (line.Length == 0) { FlushPara(); CloseList(); }
            else { CloseList(); para.Add(line); }
        }
        FlushPara(); CloseList();
        return sb.ToString();
    }

    private static string? NumberedItem(string line)
    {
        int i = 0;
        while (i < line.Length && char.IsAsciiDigit(line[i])) i++;
        return i > 0 && i < line.Length - 1 && line[i] == '.' && line[i + 1] == ' ' ? line[(i + 2)..] : null;
    }

    /// <summary>Renders inline markup (no paragraphs) to HTML: `code`, **strong**, *emphasis*, [text](http...).</summary>
    public static string Inline(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length + 16);
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] == '`' && Find(text, "`", i + 1) is int endCode and > 0)
            {
                sb.Append("<code>").Append(Escape(text[(i + 1)..endCode])).Append("</code>");
                i = endCode + 1;
            }
            else if (At(text, i, "**") && Find(text, "**", i + 2) is int endStrong and > 0 && endStrong > i + 2)
            {
                sb.Append("<strong>").Append(Inline(text[(i + 2)..endStrong])).Append("</strong>");
                i = endStrong + 2;
            }
            else if (text[i] == '*' && i + 1 < text.Length && text[i + 1] != ' ' && Find(text, "*", i + 1) is int endEm and > 0 && endEm > i + 1)
            {
                sb.Append("<em>").Append(Inline(text[(i + 1)..endEm])).Append("</em>");
                i = endEm + 1;
            }
            else if (text[i] == '[' && TryLink(text, i, out string? html, out int next))
            {
                sb.Append(html);
                i = next;
            }
            else { sb.Append(Escape(text[i].ToString())); i++; }
        }
        return sb.ToString();
    }

    private static bool At(string s, int i, string token) => string.CompareOrdinal(s, i, token, 0, token.Length) == 0;

    private static int Find(string s, string token, int from)
    {
        int j = s.IndexOf(token, from, StringComparison.Ordinal);
        return j < 0 ? -1 : j;
    }

    private static bool TryLink(string text, int i, out string? html, out int next)
    {
        html = null; next = i;
        int close = text.IndexOf(']', i + 1);
        if (close < 0 || close + 1 >= text.Length || text[close + 1] != '(') return false;
        int end = text.IndexOf(')', close + 2);
        if (end < 0) return false;
        string url = text[(close + 2)..end];
        if (!url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) && !url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) return false;
        html = $"<a href=\"{Escape(url)}\">{Inline(text[(i + 1)..close])}</a>";
        next = end + 1;
        return true;
    }

    /// <summary>Invariant display text of a value: numbers with about 4 significant digits, NaN/∞ spelled out, null as an em dash.</summary>
    public static string FormatValue(object? value) => value switch
    {
        null => "—",
        string s => s,
        bool b => b ? "true" : "false",
        double d => FormatNumber(d),
        float f => FormatNumber(f),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>A number with about 4 significant digits (integers exact, scientific below 1e-4 or from 1e6).</summary>
    public static string FormatNumber(double v)
    {
        if (double.IsNaN(v)) return "NaN";
        if (double.IsPositiveInfinity(v)) return "∞";
        if (double.IsNegativeInfinity(v)) return "−∞";
        if (v == Math.Round(v) && Math.Abs(v) < 1e15) return v.ToString("0", CultureInfo.InvariantCulture);
        double a = Math.Abs(v);
        if (a < 1e-4 || a >= 1e6) return v.ToString("0.###e+0", CultureInfo.InvariantCulture);
        int decimals = Math.Clamp(3 - (int)Math.Floor(Math.Log10(a)), 0, 7);
        return v.ToString(decimals == 0 ? "0" : "0." + new string('#', decimals), CultureInfo.InvariantCulture);
    }
}
