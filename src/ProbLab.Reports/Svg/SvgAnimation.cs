// SMIL animation children for SVG elements (<animate>, <animateTransform>, <set>), used for animated stick
// figures, morphing paths and flip-book frame sequences. Values are validated (finite) when built.
using System.Text;

namespace ProbLab.Reports;

/// <summary>Kinds of <c>animateTransform</c>.</summary>
public enum TransformKind { Translate, Rotate, Scale }

/// <summary>One SMIL animation attached to an element, e.g. <c>SvgAnimation.Values("x2", [10, 40, 10], 2.0)</c>.</summary>
public sealed class SvgAnimation
{
    private readonly string _element;
    private readonly List<(string Name, string Value)> _attrs = [];

    private SvgAnimation(string element) => _element = element;

    private static void CheckTiming(double durationSeconds, int count)
    {
        if (!(durationSeconds > 0) || !double.IsFinite(durationSeconds))
            throw new ArgumentException($"SVG animation duration must be positive and finite, got {durationSeconds}");
        if (count < 1) throw new ArgumentException("SVG animation needs at least one value");
    }

    private SvgAnimation Common(double durationSeconds, bool repeat, bool discrete, IReadOnlyList<double>? keyTimes, int count)
    {
        _attrs.Add(("dur", SvgFormat.Num(durationSeconds, 4, "animation.dur") + "s"));
        if (repeat) _attrs.Add(("repeatCount", "indefinite"));
        if (discrete) _attrs.Add(("calcMode", "discrete"));
        if (keyTimes != null)
        {
            if (keyTimes.Count != count) throw new ArgumentException($"SVG animation has {count} values but {keyTimes.Count} key times");
            for (int i = 0; i < keyTimes.Count; i++)
                if (!(keyTimes[i] >= 0 && keyTimes[i] <= 1) || (i > 0 && keyTimes[i] < keyTimes[i - 1]))
                    throw new ArgumentException($"SVG animation key time {i} = {keyTimes[i]} must be non-decreasing in [0, 1]");
            _attrs.Add(("keyTimes", string.Join(";", keyTimes.Select(k => SvgFormat.Num(k, 5, "animation.keyTimes")))));
        }
        return this;
    }

    /// <summary>Animates a numeric attribute (x1, cx, r, opacity, ...) through <paramref name="values"/> over the duration.</summary>
    /// <exception cref="ArgumentException">On non-finite values, a non-positive duration or mismatched key times.</exception>
    public static SvgAnimation Values(string attribute, IReadOnlyList<double> values, double durationSeconds,
        bool repeat = true, bool discrete = false, IReadOnlyList<double>? keyTimes = null, int decimals = 2)
    {
        CheckTiming(durationSeconds, values.Count);
        var a = new SvgAnimation("animate");
        a._attrs.Add(("attributeName", attribute));
        a._attrs.Add(("values", string.Join(";", values.Select(v => SvgFormat.Num(v, decimals, "animate." + attribute)))));
        return a.Common(durationSeconds, repeat, discrete, keyTimes, values.Count);
    }

    /// <summary>Animates a point list (polyline/polygon "points") through one point list per keyframe; all frames need the same length.</summary>
    /// <exception cref="ArgumentException">On non-finite coordinates or frames of different lengths.</exception>
    public static SvgAnimation Points(IReadOnlyList<IReadOnlyList<(double X, double Y)>> frames, double durationSeconds,
        bool repeat = true, bool discrete = false, IReadOnlyList<double>? keyTimes = null)
    {
        CheckTiming(durationSeconds, frames.Count);
        int n = frames[0].Count;
        var sb = new StringBuilder();
        for (int f = 0; f < frames.Count; f++)
        {
            if (frames[f].Count != n) throw new ArgumentException($"SVG points animation frame {f} has {frames[f].Count} points, frame 0 has {n}");
            if (f > 0) sb.Append(';');
            SvgBuilder.AppendPoints(sb, frames[f], 2, "animate.points");
        }
        var a = new SvgAnimation("animate");
        a._attrs.Add(("attributeName", "points"));
        a._attrs.Add(("values", sb.ToString()));
        return a.Common(durationSeconds, repeat, discrete, keyTimes, frames.Count);
    }

    /// <summary>Morphs a path's "d" through keyframe paths (they must share the same command structure to interpolate).</summary>
    public static SvgAnimation PathData(IReadOnlyList<PathData> frames, double durationSeconds,
        bool repeat = true, bool discrete = false, IReadOnlyList<double>? keyTimes = null)
    {
        CheckTiming(durationSeconds, frames.Count);
        var a = new SvgAnimation("animate");
        a._attrs.Add(("attributeName", "d"));
        a._attrs.Add(("values", string.Join(";", frames.Select(p => p.ToString()))));
        return a.Common(durationSeconds, repeat, discrete, keyTimes, frames.Count);
    }

    /// <summary>animateTransform: each keyframe is the argument list of the transform (rotate: angle[, cx, cy]; translate: x, y; scale: sx[, sy]).</summary>
    /// <exception cref="ArgumentException">On non-finite or empty keyframes.</exception>
    public static SvgAnimation Transform(TransformKind kind, IReadOnlyList<double[]> keyframes, double durationSeconds,
        bool repeat = true, bool discrete = false, IReadOnlyList<double>? keyTimes = null, bool additive = false)
    {
        CheckTiming(durationSeconds, keyframes.Count);
        var a = new SvgAnimation("animateTransform");
        a._attrs.Add(("attributeName", "transform"));
        a._attrs.Add(("type", kind.ToString().ToLowerInvariant()));
        a._attrs.Add(("values", string.Join(";", keyframes.Select(k =>
        {
            if (k.Length == 0) throw new ArgumentException("SVG animateTransform keyframe is empty");
            return string.Join(" ", k.Select(v => SvgFormat.Num(v, 3, "animateTransform.values")));
        }))));
        if (additive) a._attrs.Add(("additive", "sum"));
        return a.Common(durationSeconds, repeat, discrete, keyTimes, keyframes.Count);
    }

    /// <summary>Discrete animation of a non-numeric attribute (e.g. "visibility" or "fill") through string values.</summary>
    public static SvgAnimation Discrete(string attribute, IReadOnlyList<string> values, double durationSeconds,
        IReadOnlyList<double>? keyTimes = null, bool repeat = true)
    {
        CheckTiming(durationSeconds, values.Count);
        var a = new SvgAnimation("animate");
        a._attrs.Add(("attributeName", attribute));
        a._attrs.Add(("values", string.Join(";", values)));
        return a.Common(durationSeconds, repeat, discrete: true, keyTimes, values.Count);
    }

    internal void Write(StringBuilder sb)
    {
        sb.Append('<').Append(_element);
        foreach (var (name, value) in _attrs) Paint.Attr(sb, name, value);
        sb.Append("/>");
    }
}
