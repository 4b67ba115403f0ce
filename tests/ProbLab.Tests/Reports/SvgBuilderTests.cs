// SvgBuilder primitives: invariant limited-precision numbers, NaN rejection with a clear message, escaping,
// groups and clip paths, and SMIL animation (attribute animation and flip-book frame sequences).
using System.Globalization;
using ProbLab.Reports;

namespace ProbLab.Tests.Reports;

public class SvgBuilderTests
{
    [Theory]
    [InlineData(3.14159, 2, "3.14")]
    [InlineData(-0.001, 2, "0")]
    [InlineData(2.0, 2, "2")]
    [InlineData(-12.5, 1, "-12.5")]
    [InlineData(1234567.891, 0, "1234568")]
    public void NumbersAreInvariantAndShort(double v, int decimals, string expected) => Assert.Equal(expected, SvgFormat.Num(v, decimals));

    [Fact]
    public void NonFiniteCoordinatesThrowNamingTheAttribute()
    {
        var svg = new SvgBuilder(100, 100);
        var e = Assert.Throws<ArgumentException>(() => svg.Line(0, 0, double.NaN, 5, Paint.Line("#000000")));
        Assert.Contains("line.x2", e.Message);
        Assert.Throws<ArgumentException>(() => svg.Circle(double.PositiveInfinity, 0, 1, Paint.Solid("#000000")));
        Assert.Throws<ArgumentException>(() => new PathData().MoveTo(0, 0).LineTo(double.NaN, 1));
        Assert.Throws<ArgumentException>(() => svg.Polyline([(0, 0), (1, double.NegativeInfinity)], Paint.Line("#000000")));
        Assert.Throws<ArgumentException>(() => new SvgBuilder(0, 10));
    }

    [Fact]
    public void TextIsEscapedAndReadsBack()
    {
        var svg = new SvgBuilder(200, 50);
        string tricky = "a < b && c > \"d\" 'e' \u0001";
        svg.Text(10, 20, tricky, new TextStyle());
        var doc = SvgAssert.Valid(svg.ToString());
        Assert.Equal("a < b && c > \"d\" 'e' ", SvgAssert.Texts(doc).Single()); // the control character is dropped
    }

    [Fact]
    public void GroupsClipPathsAndGradientsAreWellFormed()
    {
        var svg = new SvgBuilder(120, 80);
        string clip = svg.ClipRect(10, 10, 100, 60);
        string grad = svg.LinearGradient([(0, Color.Black), (1, Color.White)], vertical: true);
        using (svg.Group(Transform.Translate(5, 5).ThenRotate(30, 10, 10).ThenScale(2, 2), clipId: clip))
        {
            svg.Rect(0, 0, 20, 10, new Paint(Fill: $"url(#{grad})"));
            svg.Ellipse(30, 30, 10, 5, 45, Paint.Line("#333333"));
            svg.Path(new PathData().MoveTo(0, 0).CubicTo(1, 2, 3, 4, 5, 6).QuadTo(7, 8, 9, 10).ArcTo(5, 5, 0, false, true, 20, 20).Close(), Paint.Line("#333333"));
        }
        var doc = SvgAssert.Valid(svg.ToString());
        var g = doc.Descendants(SvgAssert.Ns + "g").Single();
        Assert.Equal("translate(5 5) rotate(30 10 10) scale(2 2)", g.Attribute("transform")!.Value);
        Assert.Equal($"url(#{clip})", g.Attribute("clip-path")!.Value);
        Assert.StartsWith("pl-", clip);
    }

    [Fact]
    public void UnclosedGroupIsAnError()
    {
        var svg = new SvgBuilder(10, 10);
        svg.Group();
        Assert.Throws<InvalidOperationException>(() => svg.ToString());
        svg.EndGroup();
        Assert.Throws<InvalidOperationException>(() => svg.EndGroup());
    }

    [Fact]
    public void AttributeAnimationsAreChildrenOfTheirElement()
    {
        var svg = new SvgBuilder(100, 100);
        svg.Line(0, 0, 10, 10, Paint.Line("#000000"), [SvgAnimation.Values("x2", [10, 40, 10], 2, keyTimes: [0, 0.5, 1])]);
        svg.Polyline([(0, 0), (5, 5)], Paint.Line("#000000"), [SvgAnimation.Points([[(0, 0), (5, 5)], [(1, 1), (6, 4)]], 1)]);
        using (svg.Group(animations: [SvgAnimation.Transform(TransformKind.Rotate, [[0, 50, 50], [360, 50, 50]], 3)])) svg.Circle(50, 20, 3, Paint.Solid("#ff0000"));
        var doc = SvgAssert.Valid(svg.ToString());
        var anim = doc.Descendants(SvgAssert.Ns + "line").Single().Element(SvgAssert.Ns + "animate")!;
        Assert.Equal("x2", anim.Attribute("attributeName")!.Value);
        Assert.Equal("10;40;10", anim.Attribute("values")!.Value);
        Assert.Equal("2s", anim.Attribute("dur")!.Value);
        Assert.Equal("indefinite", anim.Attribute("repeatCount")!.Value);
        Assert.Equal("0,0 5,5;1,1 6,4", doc.Descendants(SvgAssert.Ns + "polyline").Single().Element(SvgAssert.Ns + "animate")!.Attribute("values")!.Value);
        Assert.Equal("rotate", doc.Descendants(SvgAssert.Ns + "animateTransform").Single().Attribute("type")!.Value);
    }

    [Fact]
    public void AnimationArgumentsAreValidated()
    {
        Assert.Throws<ArgumentException>(() => SvgAnimation.Values("x", [1, 2], 1, keyTimes: [0]));
        Assert.Throws<ArgumentException>(() => SvgAnimation.Values("x", [1, 2], 1, keyTimes: [0.5, 0.2]));
        Assert.Throws<ArgumentException>(() => SvgAnimation.Values("x", [1, double.NaN], 1));
        Assert.Throws<ArgumentException>(() => SvgAnimation.Values("x", [1, 2], 0));
        Assert.Throws<ArgumentException>(() => SvgAnimation.Points([[(0, 0)], [(0, 0), (1, 1)]], 1));
    }

    [Fact]
    public void FrameSequenceShowsEachFrameInItsSlot()
    {
        var svg = new SvgBuilder(50, 50);
        svg.FrameSequence(4, 0.25, (s, i) => s.Circle(10 + 10 * i, 25, 4, Paint.Solid("#000000")));
        var doc = SvgAssert.Valid(svg.ToString());
        var frames = doc.Descendants(SvgAssert.Ns + "g").ToList();
        Assert.Equal(4, frames.Count);
        Assert.Null(frames[0].Attribute("visibility")); // frame 0 is visible without SMIL
        for (int i = 0; i < 4; i++)
        {
            if (i > 0) Assert.Equal("hidden", frames[i].Attribute("visibility")!.Value);
            var a = frames[i].Element(SvgAssert.Ns + "animate")!;
            Assert.Equal("1s", a.Attribute("dur")!.Value);
            Assert.Equal("discrete", a.Attribute("calcMode")!.Value);
            var values = a.Attribute("values")!.Value.Split(';');
            var keys = a.Attribute("keyTimes")!.Value.Split(';').Select(k => double.Parse(k, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(values.Length, keys.Length);
            Assert.Equal(0, keys[0]);
            // The frame is visible exactly from i/4 until (i+1)/4.
            int vis = Array.IndexOf(values, "visible");
            Check.Close(i / 4.0, keys[vis], atol: 1e-9, rtol: 0, name: $"frame {i} start");
            double end = vis + 1 < keys.Length ? keys[vis + 1] : 1;
            Check.Close((i + 1) / 4.0, end, atol: 1e-9, rtol: 0, name: $"frame {i} end");
        }
        Assert.Throws<ArgumentException>(() => svg.FrameSequence(0, 1, (_, _) => { }));
    }

    [Fact]
    public void ColorsParseAndInterpolate()
    {
        Assert.Equal(new Color(0x4e, 0x79, 0xa7), Color.Parse("#4e79a7"));
        Assert.Equal("#aabbcc", Color.Parse("abc").Hex);
        Assert.Throws<FormatException>(() => Color.Parse("red"));
        Assert.False(Color.TryParse("red", out _));
        Assert.Equal(Color.Black, Color.Lerp(Color.Black, Color.White, 0));
        Assert.Equal(Color.White, Color.Lerp(Color.Black, Color.White, 1));
        // Linear-light midpoint of black and white is sRGB 188, not 128.
        Assert.Equal(188, Color.Lerp(Color.Black, Color.White, 0.5).R);
        Assert.Equal(ColorMap.Viridis.At(0), Color.Parse("#440154"));
        Assert.Equal(ColorMap.Viridis.At(1), Color.Parse("#fde725"));
        Assert.Equal(ColorMap.Viridis.At(double.NaN), ColorMap.Viridis.At(0));
    }
}
