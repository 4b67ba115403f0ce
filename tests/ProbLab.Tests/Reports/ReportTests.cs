// HTML report: the whole page parses as XML (XHTML-compatible output), sections/TOC/figures/tables are
// numbered and linked, every inline SVG is valid with page-unique ids, nothing external is referenced,
// markup is escaped, saving is atomic, and output is deterministic.
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ProbLab.Reports;

namespace ProbLab.Tests.Reports;

public class ReportTests
{
    private static readonly XNamespace Svg = SvgAssert.Ns;

    /// <summary>The demo page, built once for all tests of this class (building it is the slow part).</summary>
    private static readonly Lazy<string> DemoHtml = new(() => DemoReport.Build().ToHtml());

    private static XDocument ParsePage(string html)
    {
        Assert.StartsWith("<!DOCTYPE html>", html);
        return XDocument.Parse(html["<!DOCTYPE html>".Length..]);
    }

    private static IEnumerable<XElement> Html(XDocument doc, string name) => doc.Descendants(name);

    [Fact]
    public void DemoPageIsWellFormedAndNumbered()
    {
        var doc = ParsePage(DemoHtml.Value);
        Assert.Equal("ProbLab report layer — demo", Html(doc, "title").Single().Value);
        var h2 = Html(doc, "h2").Select(h => h.Value).ToList();
        Assert.Equal(["1 Line charts", "2 Scatter plots", "3 Histograms and bars", "4 Heatmaps", "5 Multi-panel figures", "6 Tables and text"], h2);
        Assert.Contains("5.2 Animation", Html(doc, "h3").Select(h => h.Value));

        // Figures numbered 1..N in order, each with its caption.
        var captions = Html(doc, "figcaption").Select(c => c.Value).ToList();
        Assert.Equal(15, captions.Count);
        for (int i = 0; i < captions.Count; i++) Assert.StartsWith($"Figure {i + 1}.", captions[i]);
        Assert.Contains(captions, c => c.Contains("Mean ± 1 sd over 5 seeds."));
        Assert.Equal("Table 1. Inference methods on the synthetic league.", Html(doc, "caption").Single().Value);

        // TOC links resolve; all ids on the page (HTML and inline SVG) are unique and references resolve.
        var ids = doc.Descendants().Select(e => e.Attribute("id")?.Value).Where(v => v != null).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        foreach (var a in Html(doc, "a").Select(a => a.Attribute("href")!.Value).Where(h => h.StartsWith('#'))) Assert.Contains(a[1..], ids);
        Assert.Equal(8, Html(doc, "nav").Single().Descendants("a").Count()); // 6 sections + 2 subsections
        SvgAssert.CheckIds(doc);
    }

    [Fact]
    public void EveryInlineSvgIsValidAndFinite()
    {
        string html = DemoHtml.Value;
        var svgs = Regex.Matches(html, "<svg .*?</svg>", RegexOptions.Singleline).Select(m => m.Value).ToList();
        Assert.Equal(13, svgs.Count); // 13 SVG figures + 2 PNG images = 15 figures
        foreach (var s in svgs)
        {
            var doc = SvgAssert.Valid(s);
            Assert.True(doc.Descendants().Count() > 5);
        }
        Assert.Contains("Learned density", html);
        Assert.Contains("warm-up end", html);
    }

    [Fact]
    public void PageIsSelfContained()
    {
        var doc = ParsePage(DemoHtml.Value);
        Assert.Empty(Html(doc, "script"));
        Assert.Empty(Html(doc, "link"));
        Assert.Single(Html(doc, "style"));
        foreach (var img in Html(doc, "img")) Assert.StartsWith("data:image/png;base64,", img.Attribute("src")!.Value);
        foreach (var img in doc.Descendants(Svg + "image")) Assert.StartsWith("data:image/png;base64,", img.Attribute("href")!.Value);
        Assert.DoesNotContain("url(http", doc.ToString());
        Assert.DoesNotContain("@import", Html(doc, "style").Single().Value);
    }

    [Fact]
    public void ImagesAreEmbeddedPngs()
    {
        var doc = ParsePage(DemoHtml.Value);
        var img = Html(doc, "img").First();
        var png = Png.Decode(Convert.FromBase64String(img.Attribute("src")!.Value["data:image/png;base64,".Length..]));
        Assert.Equal((604, 604), (png.Width, png.Height)); // 10x10 digits of 28 px, padding 2, scale 2
        Assert.Equal("330", img.Attribute("width")!.Value);
        Assert.Contains("pixelated", img.Attribute("class")!.Value);
    }

    [Fact]
    public void MetadataConfigAndNotesAppearInTheHeader()
    {
        var doc = ParsePage(DemoHtml.Value);
        var header = Html(doc, "header").Single();
        var meta = header.Descendants("dt").Select(d => d.Value).ToList();
        Assert.Contains("command", meta); Assert.Contains("seed", meta); Assert.Contains("machine", meta);
        Assert.Contains("Configuration (5 keys)", header.Descendants("summary").Single().Value);
        Assert.Contains(header.Descendants("dd"), d => d.Value == "0.0003");
        var note = doc.Descendants("div").First(d => d.Attribute("class")?.Value == "note warning");
        Assert.Contains("Synthetic stand-in data used", note.Value);
    }

    [Fact]
    public void MarkupIsEscapedAndOnlyTheSafeSubsetRenders()
    {
        Assert.Equal("<p>a &lt;script&gt;alert(1)&lt;/script&gt; &amp; b</p>\n", Markup.ToHtml("a <script>alert(1)</script> & b"));
        Assert.Equal("x <em>em</em> <strong>st</strong> <code>&lt;c&gt;</code>", Markup.Inline("x *em* **st** `<c>`"));
        Assert.Equal("<a href=\"https://example.org/?a=1&amp;b=2\">link</a>", Markup.Inline("[link](https://example.org/?a=1&b=2)"));
        Assert.Equal("[x](javascript:alert(1))", Markup.Inline("[x](javascript:alert(1))"));
        Assert.Equal("2 * 3 = 6 and a*", Markup.Inline("2 * 3 = 6 and a*"));
        Assert.Equal("<p>one two</p>\n<ul>\n<li>a</li>\n<li><em>b</em></li>\n</ul>\n<ol>\n<li>c</li>\n</ol>\n<p>end</p>\n",
            Markup.ToHtml("one\ntwo\n- a\n* *b*\n1. c\n\nend"));
        Assert.Equal("", Markup.ToHtml("   "));
    }

    [Theory]
    [InlineData(0.0003, "0.0003")]
    [InlineData(1234.5678, "1235")]
    [InlineData(2.0, "2")]
    [InlineData(0.1234567, "0.1235")]
    [InlineData(1.5e-7, "1.5e-7")]
    [InlineData(double.NaN, "NaN")]
    public void NumbersFormatToAboutFourSignificantDigits(double v, string expected) => Assert.Equal(expected, Markup.FormatNumber(v));

    [Fact]
    public void TablesFormatAlignAndValidate()
    {
        var t = new Table("name", "value", "n") { Caption = "cap" };
        t.AddRow("a", 1.23456, 10).AddRow("b <i>", double.NaN, null).SetFormat(1, "F2");
        Assert.Equal(Align.Left, t.ColumnAlign(0));
        Assert.Equal(Align.Right, t.ColumnAlign(1));
        Assert.Equal("1.23", t.CellText(0, 1));
        Assert.Equal("NaN", t.CellText(1, 1));
        Assert.Equal("—", t.CellText(1, 2));
        var html = XElement.Parse(t.ToHtml());
        Assert.Equal("b <i>", html.Descendants("td").ElementAt(3).Value);
        Assert.Equal("num", html.Descendants("th").ElementAt(1).Attribute("class")!.Value);
        var text = t.ToText().Split('\n');
        Assert.Equal("name   value   n", text[1]);
        Assert.Equal("a       1.23  10", text[3]);
        Assert.StartsWith("| name | value | n |\n| --- | ---: | ---: |", t.ToMarkdown());
        var e = Assert.Throws<ArgumentException>(() => t.AddRow("only one"));
        Assert.Contains("row 3", e.Message);
    }

    [Fact]
    public void PercentCellsDoNotBreakBeforeTheSign()
    {
        // Invariant-culture P formats write "100 %"; in HTML the number and its sign stay on one line, elsewhere the text is unchanged.
        var t = new Table("digit", "share").AddRow("4", (0.56).ToString("P0", System.Globalization.CultureInfo.InvariantCulture)).AddRow("9", 0.881).SetFormat(1, "P1");
        var cells = XElement.Parse(t.ToHtml()).Descendants("td").Select(td => td.Value).ToArray();
        Assert.Equal("56\u00a0%", cells[1]);
        Assert.Equal("88.1\u00a0%", cells[3]);
        Assert.Equal("56 %", t.CellText(0, 1));
    }

    [Fact]
    public void SaveIsAtomicAndLeavesNoTempFile()
    {
        string dir = Path.Combine(Path.GetTempPath(), "problab-report-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            var r = new Report("first");
            r.AddSection("S").Paragraph("hello");
            string path = r.Save(dir);
            Assert.Equal(Path.Combine(dir, "index.html"), path);
            new Report("second").Save(dir); // overwrite
            Assert.Equal(["index.html"], Directory.GetFiles(dir).Select(Path.GetFileName));
            Assert.Contains("<title>second</title>", File.ReadAllText(path));

            // A directory where the file should go: the write fails, names the path, and leaves no temp file.
            Directory.CreateDirectory(Path.Combine(dir, "blocked", "index.html"));
            var e = Assert.Throws<IOException>(() => r.Save(Path.Combine(dir, "blocked")));
            Assert.Contains("index.html", e.Message);
            Assert.Empty(Directory.GetFiles(Path.Combine(dir, "blocked")));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void OutputIsDeterministic() => Assert.Equal(DemoHtml.Value, DemoReport.Build(7).ToHtml());

    [Fact]
    public void BadInputsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new Report(" "));
        var s = new Report("r").AddSection("s");
        Assert.Throws<ArgumentException>(() => s.Figure("<div/>"));
        Assert.Throws<FormatException>(() => s.Image(new byte[] { 1, 2, 3 }));
        Assert.Throws<ArgumentException>(() => s.AddSection("a").AddSection("b").AddSection("c").AddSection("d"));
    }
}
