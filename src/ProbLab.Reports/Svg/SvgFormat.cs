// Number and text formatting for SVG/HTML output: invariant culture, limited precision, XML escaping.
// Policy: a non-finite number never reaches the output. Primitives throw ArgumentException naming the
// element and attribute; charts drop non-finite data points before they get here (documented per chart).
using System.Globalization;
using System.Text;

namespace ProbLab.Reports;

/// <summary>Invariant, precision-limited number formatting and XML escaping shared by the SVG and HTML writers.</summary>
public static class SvgFormat
{
    private static readonly string[] Formats = ["0", "0.#", "0.##", "0.###", "0.####", "0.#####", "0.######"];

    /// <summary>Formats a finite number with at most <paramref name="decimals"/> (0..6) decimals, no exponent, "-0" printed as "0".</summary>
    /// <exception cref="ArgumentException">When <paramref name="value"/> is NaN or infinite.</exception>
    public static string Num(double value, int decimals = 2, string what = "value")
    {
        if (!double.IsFinite(value)) throw new ArgumentException($"SVG {what} is {value}; only finite numbers can be written");
        decimals = Math.Clamp(decimals, 0, Formats.Length - 1);
        double r = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        if (r == 0) return "0"; // also turns -0 into 0
        // Very large magnitudes would print dozens of digits with "0.##"; "R" keeps them exact and short.
        if (Math.Abs(r) >= 1e15) return r.ToString("R", CultureInfo.InvariantCulture);
        return r.ToString(Formats[decimals], CultureInfo.InvariantCulture);
    }

    /// <summary>Appends <see cref="Num"/> of <paramref name="value"/> to <paramref name="sb"/>.</summary>
    public static StringBuilder AppendNum(this StringBuilder sb, double value, int decimals = 2, string what = "value")
        => sb.Append(Num(value, decimals, what));

    /// <summary>Escapes &amp;, &lt;, &gt;, quotes and drops control characters that XML 1.0 forbids.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                default:
                    // XML 1.0 allows only tab, LF and CR below U+0020; others would make the SVG unparseable.
                    if (c >= ' ' || c == '\t' || c == '\n' || c == '\r') sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>True when every value is finite (helper for callers that validate before drawing).</summary>
    public static bool AllFinite(ReadOnlySpan<double> values)
    {
        foreach (double v in values) if (!double.IsFinite(v)) return false;
        return true;
    }
}
