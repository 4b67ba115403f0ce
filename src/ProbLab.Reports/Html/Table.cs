// Table: a header plus rows of values, rendered as an HTML table (numbers right-aligned with tabular
// digits), plain aligned text (console) or Markdown. Cells are objects: strings, numbers (formatted by a
// per-column .NET format string or Markup.FormatNumber), bools, or null (shown as an em dash).
using System.Globalization;
using System.Text;

namespace ProbLab.Reports;

/// <summary>Column alignment; Auto right-aligns columns whose cells are all numeric.</summary>
public enum Align { Auto, Left, Right, Center }

/// <summary>A data table: <c>var t = new Table("method", "log-lik", "time (s)"); t.AddRow("EP", -1234.5, 0.12); t.SetFormat(1, "F2");</c>.</summary>
public sealed class Table
{
    private readonly List<object?[]> _rows = [];
    private readonly string?[] _formats;
    private readonly Align[] _aligns;

    /// <summary>Column headers.</summary>
    public IReadOnlyList<string> Headers { get; }
    /// <summary>Caption shown above the table (inline markup allowed).</summary>
    public string? Caption { get; set; }
    /// <summary>The rows added so far.</summary>
    public IReadOnlyList<IReadOnlyList<object?>> Rows => _rows;

    /// <summary>Creates a table with the given column headers.</summary>
    /// <exception cref="ArgumentException">When no header is given.</exception>
    public Table(params string[] headers)
    {
        if (headers.Length == 0) throw new ArgumentException("table needs at least one column");
        Headers = headers;
        _formats = new string?[headers.Length];
        _aligns = new Align[headers.Length];
    }

    /// <summary>Appends a row with one cell per column; returns this table.</summary>
    /// <exception cref="ArgumentException">When the cell count differs from the column count.</exception>
    public Table AddRow(params object?[] cells)
    {
        if (cells.Length != Headers.Count)
            throw new ArgumentException($"table row {_rows.Count + 1} has {cells.Length} cells, expected {Headers.Count} ({string.Join(", ", Headers)})");
        _rows.Add(cells);
        return this;
    }

    /// <summary>Sets a .NET numeric format string (e.g. "F3", "E2", "P1", "N0") for a column's numbers.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the column index is out of range.</exception>
    public Table SetFormat(int column, string format)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, Headers.Count);
        _formats[column] = format;
        return this;
    }

    /// <summary>Sets a column's alignment.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the column index is out of range.</exception>
    public Table SetAlign(int column, Align align)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, Headers.Count);
        _aligns[column] = align;
        return this;
    }

    private static bool IsNumber(object? v) => v is double or float or decimal or int or long or short or byte or uint or ulong or ushort or sbyte;

    /// <summary>Display text of a cell.</summary>
    public string CellText(int row, int column)
    {
        object? v = _rows[row][column];
        string? fmt = _formats[column];
        if (fmt != null && IsNumber(v))
        {
            if (v is double d && !double.IsFinite(d)) return Markup.FormatNumber(d);
            if (v is float f && !float.IsFinite(f)) return Markup.FormatNumber(f);
            return ((IFormattable)v!).ToString(fmt, CultureInfo.InvariantCulture);
        }
        return Markup.FormatValue(v);
    }

    /// <summary>Effective alignment of a column (Auto resolved).</summary>
    public Align ColumnAlign(int column)
    {
        if (_aligns[column] != Align.Auto) return _aligns[column];
        bool any = false;
        foreach (var r in _rows)
        {
            if (r[column] == null) continue;
            if (!IsNumber(r[column])) return Align.Left;
            any = true;
        }
        return any ? Align.Right : Align.Left;
    }

    private static string AlignClass(Align a) => a switch { Align.Right => " class=\"num\"", Align.Center => " class=\"center\"", _ => "" };

    /// <summary>The table as an HTML &lt;table&gt; (caption included, no number).</summary>
    public string ToHtml() => ToHtml(null, null);

    internal string ToHtml(int? number, string? id)
    {
        var sb = new StringBuilder();
        sb.Append("<table class=\"data\"");
        if (id != null) sb.Append(" id=\"").Append(Markup.Escape(id)).Append('"');
        sb.Append('>');
        if (Caption != null || number != null)
        {
            sb.Append("<caption>");
            if (number != null) sb.Append("<span class=\"label\">Table ").Append(number.Value).Append(".</span> ");
            sb.Append(Markup.Inline(Caption)).Append("</caption>");
        }
        var aligns = Enumerable.Range(0, Headers.Count).Select(ColumnAlign).ToArray();
        sb.Append("<thead><tr>");
        for (int c = 0; c < Headers.Count; c++) sb.Append("<th").Append(AlignClass(aligns[c])).Append('>').Append(Markup.Escape(Headers[c])).Append("</th>");
        sb.Append("</tr></thead>\n<tbody>\n");
        for (int r = 0; r < _rows.Count; r++)
        {
            sb.Append("<tr>");
            for (int c = 0; c < Headers.Count; c++) sb.Append("<td").Append(AlignClass(aligns[c])).Append('>').Append(CellHtml(CellText(r, c))).Append("</td>");
            sb.Append("</tr>\n");
        }
        sb.Append("</tbody></table>");
        return sb.ToString();
    }

    // A cell's text, escaped, with a number and its percent sign kept on one line ("100 %" from invariant-culture P formats).
    private static string CellHtml(string text) => Markup.Escape(text).Replace(" %", "&#160;%", StringComparison.Ordinal);

    /// <summary>The table as aligned plain text for a console, with a rule under the header.</summary>
    public string ToText()
    {
        var cells = Enumerable.Range(0, _rows.Count).Select(r => Enumerable.Range(0, Headers.Count).Select(c => CellText(r, c)).ToArray()).ToList();
        var widths = Enumerable.Range(0, Headers.Count).Select(c => Math.Max(Headers[c].Length, cells.Count == 0 ? 0 : cells.Max(r => r[c].Length))).ToArray();
        var sb = new StringBuilder();
        if (Caption != null) sb.Append(Caption).Append('\n');
        void Row(IReadOnlyList<string> row)
        {
            for (int c = 0; c < row.Count; c++)
            {
                if (c > 0) sb.Append("  ");
                sb.Append(ColumnAlign(c) == Align.Right ? row[c].PadLeft(widths[c]) : row[c].PadRight(widths[c]));
            }
            sb.Append('\n');
        }
        Row(Headers);
        sb.Append(string.Join("  ", widths.Select(w => new string('-', w)))).Append('\n');
        foreach (var r in cells) Row(r);
        return sb.ToString();
    }

    /// <summary>The table as GitHub-flavoured Markdown (pipes in cells escaped).</summary>
    public string ToMarkdown()
    {
        static string Cell(string s) => s.Replace("|", "\\|");
        var sb = new StringBuilder();
        sb.Append("| ").Append(string.Join(" | ", Headers.Select(Cell))).Append(" |\n|");
        for (int c = 0; c < Headers.Count; c++) sb.Append(ColumnAlign(c) == Align.Right ? " ---: |" : " --- |");
        sb.Append('\n');
        for (int r = 0; r < _rows.Count; r++)
            sb.Append("| ").Append(string.Join(" | ", Enumerable.Range(0, Headers.Count).Select(c => Cell(CellText(r, c))))).Append(" |\n");
        return sb.ToString();
    }
}
