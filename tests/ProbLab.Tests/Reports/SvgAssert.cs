// Structural checks on generated SVG: it parses as XML, every coordinate-like attribute is a finite number,
// drawn paths/polylines are non-empty, and ids are unique with every url(#id) reference resolvable.
using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit.Sdk;

namespace ProbLab.Tests.Reports;

internal static partial class SvgAssert
{
    public static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    private static readonly HashSet<string> NumericAttributes =
        ["x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "width", "height", "stroke-width", "opacity", "fill-opacity", "stroke-opacity", "font-size", "offset"];

    [GeneratedRegex(@"-?\d+(\.\d+)?([eE][-+]?\d+)?")]
    private static partial Regex NumberPattern();

    /// <summary>Parses the SVG and runs every structural check; returns the document for further assertions.</summary>
    public static XDocument Valid(string svg)
    {
        XDocument doc;
        try { doc = XDocument.Parse(svg); }
        catch (System.Xml.XmlException e) { throw new XunitException($"SVG does not parse: {e.Message}"); }
        if (doc.Root?.Name != Ns + "svg") throw new XunitException($"root element is {doc.Root?.Name}, expected svg");
        if (svg.Contains("NaN") || svg.Contains("Infinity") || svg.Contains("∞")) throw new XunitException("SVG text contains NaN or Infinity");
        foreach (var el in doc.Descendants())
        {
            foreach (var a in el.Attributes())
            {
                string name = a.Name.LocalName;
                if (NumericAttributes.Contains(name) && el.Name.LocalName != "svg")
                    RequireFinite(a.Value, $"{el.Name.LocalName}.{name}");
                if (name is "points" or "d" || (name == "values" && el.Name.LocalName.StartsWith("animate")))
                {
                    if (el.Name.LocalName is "polyline" or "polygon" or "path" && name != "values" && a.Value.Trim().Length == 0)
                        throw new XunitException($"{el.Name.LocalName} has an empty {name}");
                    foreach (Match m in NumberPattern().Matches(a.Value)) RequireFinite(m.Value, $"{el.Name.LocalName}.{name}");
                }
            }
        }
        CheckIds(doc);
        return doc;
    }

    private static void RequireFinite(string text, string what)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            throw new XunitException($"{what} = '{text}' is not a finite number");
    }

    [GeneratedRegex(@"url\(#([^)]+)\)")]
    private static partial Regex UrlRef();

    /// <summary>Ids are unique and every url(#id) / href="#id" points at an existing id.</summary>
    public static void CheckIds(XContainer doc)
    {
        var ids = new HashSet<string>();
        foreach (var el in doc.Descendants())
            if (el.Attribute("id") is { } id && !ids.Add(id.Value)) throw new XunitException($"duplicate id '{id.Value}'");
        foreach (var el in doc.Descendants())
            foreach (var a in el.Attributes())
            {
                foreach (Match m in UrlRef().Matches(a.Value))
                    if (!ids.Contains(m.Groups[1].Value)) throw new XunitException($"reference url(#{m.Groups[1].Value}) has no target");
                if (a.Name.LocalName == "href" && a.Value.StartsWith('#') && !ids.Contains(a.Value[1..]))
                    throw new XunitException($"link {a.Value} has no target");
            }
    }

    /// <summary>All text element contents of the document.</summary>
    public static List<string> Texts(XDocument doc) => doc.Descendants(Ns + "text").Select(t => t.Value).ToList();

    /// <summary>Parses a tick label (typographic minus allowed).</summary>
    public static double ParseLabel(string s) => double.Parse(s.Replace('\u2212', '-'), NumberStyles.Float, CultureInfo.InvariantCulture);

    public static double Attr(XElement e, string name) => double.Parse(e.Attribute(name)!.Value, CultureInfo.InvariantCulture);
}
