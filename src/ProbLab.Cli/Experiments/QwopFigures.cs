// Pictures of the QWOP walker for the report and `problab qwop`: a stick figure (the 5 sticks of
// QwopSimulator.Edges, leg A blue, leg B red, the head as a circle) standing on the ground line y = 0; a
// filmstrip of frames evenly spaced in time; a chronophotograph of the whole run on one track; an animated
// SVG (SMIL) of the gait whose static attributes are frame 0, so viewers without SMIL still show the start.
// World coordinates have y = height (up); SVG y grows downwards, so every y is flipped through a Camera.
using System.Globalization;
using ProbLab.Reports;
using ProbLab.Search;

namespace ProbLab.Cli.Experiments;

/// <summary>SVG drawings of QWOP trajectories.</summary>
public static class QwopFigures
{
    /// <summary>The exam report's best distance (simulated annealing), drawn as a marker on the track.</summary>
    public const double ExamBest = 8.0988;

    private const double HeadRadius = 0.1; // world units (the torso is 0.91 long)
    private const string LegA = "#4e79a7", LegB = "#e15759", Torso = "#333333", Ground = "#8c8c8c", Muted = "#666666";
    private static readonly string[] EdgeColors = [LegA, LegA, LegB, LegB, Torso];

    /// <summary>World → pixel mapping: x' = left + s·(x − x0), y' = baseline − s·y (the ground y = 0 sits at <see cref="Baseline"/>).</summary>
    private readonly record struct Camera(double Left, double X0, double Baseline, double Scale)
    {
        public double X(double x) => Left + Scale * (x - X0);
        public double Y(double y) => Baseline - Scale * y;
    }

    /// <summary>Draws one frame of the walker: the sticks, joints and the head circle.</summary>
    private static void DrawBody(SvgBuilder svg, QwopTrajectory t, int frame, Camera cam, double opacity = 1, double width = 3)
    {
        var edges = QwopSimulator.Edges;
        for (int e = 0; e < edges.Count; e++)
        {
            var (a, b) = edges[e];
            svg.Line(cam.X(t.X(frame, a)), cam.Y(t.Y(frame, a)), cam.X(t.X(frame, b)), cam.Y(t.Y(frame, b)),
                Paint.Line(EdgeColors[e], width, opacity: opacity));
        }
        if (opacity >= 1)
            foreach (int p in new[] { 0, 1, 3 }) // hip and knees
                svg.Circle(cam.X(t.X(frame, p)), cam.Y(t.Y(frame, p)), width * 0.7, Paint.Solid(Torso));
        svg.Circle(cam.X(t.X(frame, 5)), cam.Y(t.Y(frame, 5)), HeadRadius * cam.Scale,
            new Paint(Fill: "#ffffff", Stroke: Torso, StrokeWidth: width * 0.7, Opacity: opacity));
    }

    /// <summary>Ground line at y = 0 from world x0 to x1, shaded below, with ticks every 0.5 and labels at integers.</summary>
    private static void DrawGround(SvgBuilder svg, Camera cam, double x0, double x1, double depth, bool labels = true)
    {
        double y = cam.Y(0);
        svg.Rect(cam.X(x0), y, cam.X(x1) - cam.X(x0), depth, Paint.Solid("#eeeeee"));
        svg.Line(cam.X(x0), y, cam.X(x1), y, Paint.Line(Ground, 1.5));
        for (double x = Math.Ceiling(x0 * 2) / 2; x <= x1; x += 0.5)
        {
            bool major = Math.Abs(x - Math.Round(x)) < 1e-9;
            svg.Line(cam.X(x), y, cam.X(x), y + (major ? 6 : 3), Paint.Line(Ground, 1));
            if (labels && major)
                svg.Text(cam.X(x), y + 16, Num(x == 0 ? 0 : x, "0"), new TextStyle(10, Muted, TextAnchor.Middle)); // never "-0"
        }
    }

    private static string Num(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>
    /// A filmstrip: <paramref name="frames"/> frames evenly spaced in time from the start to the last sub-step, in
    /// reading order (left to right, then down), each panel centred on the hip with the ground at height 0 and its
    /// ruler in world x, labelled with the time and the head's x.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">frames or columns below 1.</exception>
    public static string Filmstrip(QwopTrajectory t, int frames = 10, int columns = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        int[] idx = t.EvenlySpacedFrames(frames);
        const double panelW = 176, panelH = 200, gap = 6, scale = 62, halfWidth = 1.35;
        int rows = (idx.Length + columns - 1) / columns;
        int cols = Math.Min(columns, idx.Length);
        var svg = new SvgBuilder(cols * panelW + (cols - 1) * gap, rows * panelH + (rows - 1) * gap);
        for (int i = 0; i < idx.Length; i++)
        {
            int f = idx[i];
            double left = (i % columns) * (panelW + gap), top = (i / columns) * (panelH + gap);
            double centre = t.X(f, 0);
            var cam = new Camera(left + panelW / 2, centre, top + panelH - 34, scale);
            svg.Rect(left, top, panelW, panelH, new Paint(Fill: "#ffffff", Stroke: "#dddddd"));
            using (svg.Group(clipId: svg.ClipRect(left, top, panelW, panelH)))
            {
                DrawGround(svg, cam, centre - halfWidth, centre + halfWidth, 34);
                DrawBody(svg, t, f, cam);
            }
            string time = Num(QwopTrajectory.Time(f), "0.0");
            svg.Text(left + 6, top + 15, $"t = {time}", new TextStyle(11, Torso, Weight: "bold"));
            svg.Text(left + panelW - 6, top + 15, $"head x = {Num(t.X(f, 5), "0.00")}", new TextStyle(11, Torso, TextAnchor.End));
        }
        return svg.ToString();
    }

    // The whole run on one track: pixel scale so the course fits the width; world x range and height.
    private static (Camera Cam, double X0, double X1, double Height) Track(QwopTrajectory t, double width, double maxScale)
    {
        double lo = 0, hi = 0, top = 2.0;
        for (int f = 0; f < t.FrameCount; f++)
            for (int p = 0; p < QwopSimulator.PointCount; p++)
            {
                lo = Math.Min(lo, t.X(f, p));
                hi = Math.Max(hi, t.X(f, p));
                top = Math.Max(top, t.Y(f, p));
            }
        double x0 = Math.Floor(lo - 0.3), x1 = Math.Ceiling(hi + 0.4);
        double scale = Math.Min(maxScale, (width - 20) / (x1 - x0));
        double height = (top + HeadRadius + 0.35) * scale + 60;
        return (new Camera(10, x0, height - 34, scale), x0, x1, height);
    }

    // Vertical dashed marker from y = top down to the ground at world x, labelled just above its top.
    private static void Marker(SvgBuilder svg, Camera cam, double x, double top, string label, string color, TextAnchor anchor)
    {
        svg.Line(cam.X(x), top, cam.X(x), cam.Y(0), Paint.Line(color, 1.2, dash: "4 3"));
        double dx = anchor switch { TextAnchor.End => -3, TextAnchor.Start => 3, _ => 0 };
        svg.Text(cam.X(x) + dx, top - 3, label, new TextStyle(10, color, anchor));
    }

    /// <summary>
    /// A chronophotograph: the walker every <paramref name="every"/> sub-steps (one control segment by default) on one
    /// track in world x, older frames fainter, the head's path as a dotted line, and markers at the final head x and at
    /// the exam report's best distance.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">every below 1.</exception>
    public static string Chronophotograph(QwopTrajectory t, int every = 10, double width = 960)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        var (cam, x0, x1, height) = Track(t, width, 90);
        var svg = new SvgBuilder(width, height);
        DrawGround(svg, cam, x0, x1, 34);
        DrawMarkers(svg, t, cam, x0, x1, 16);
        svg.Polyline(Enumerable.Range(0, t.FrameCount).Select(f => (cam.X(t.X(f, 5)), cam.Y(t.Y(f, 5)))).ToList(),
            Paint.Line("#999999", 1, dash: "2 3"));
        var frames = Enumerable.Range(0, t.SubSteps / every + 1).Select(k => k * every).ToList();
        if (frames[^1] != t.SubSteps) frames.Add(t.SubSteps);
        for (int i = 0; i < frames.Count; i++)
            DrawBody(svg, t, frames[i], cam, opacity: i == frames.Count - 1 ? 1 : 0.2 + 0.5 * i / frames.Count, width: 2);
        return svg.ToString();
    }

    // Markers at the final head x and (when on the track and not on top of it) the exam's best distance; labels
    // of nearby markers point away from each other so they do not overlap.
    private static void DrawMarkers(SvgBuilder svg, QwopTrajectory t, Camera cam, double x0, double x1, double top)
    {
        const string finalColor = "#59a14f", examColor = "#b07aa1";
        string finalLabel = $"final head x {Num(t.Distance, "0.00")}";
        if (!(ExamBest > x0 && ExamBest < x1 && Math.Abs(ExamBest - t.Distance) > 0.05))
        {
            Marker(svg, cam, t.Distance, top, finalLabel, finalColor, TextAnchor.Middle);
            return;
        }
        bool near = Math.Abs(ExamBest - t.Distance) * cam.Scale < 150;
        bool examLeft = ExamBest < t.Distance;
        Marker(svg, cam, ExamBest, top, $"exam best {Num(ExamBest, "0.00")}", examColor,
            !near ? TextAnchor.Middle : examLeft ? TextAnchor.End : TextAnchor.Start);
        Marker(svg, cam, t.Distance, top, finalLabel, finalColor,
            !near ? TextAnchor.Middle : examLeft ? TextAnchor.Start : TextAnchor.End);
    }

    /// <summary>
    /// An animated SVG of the gait (SMIL, <paramref name="secondsPerSubStep"/> of playback per 0.1 of simulated time,
    /// looping): the sticks and the head move smoothly between sub-steps, a label shows the time and the head's x per
    /// control segment, faint ghosts every 20 sub-steps and the head's path stay in the background. The static
    /// attributes are frame 0, so a viewer without SMIL shows the start pose.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">secondsPerSubStep not positive.</exception>
    public static string Animation(QwopTrajectory t, double secondsPerSubStep = 0.05, double width = 960, string? title = null)
    {
        if (!(secondsPerSubStep > 0)) throw new ArgumentOutOfRangeException(nameof(secondsPerSubStep), secondsPerSubStep, "must be positive");
        var (cam, x0, x1, height) = Track(t, width, 90);
        var svg = new SvgBuilder(width, height + 20);
        cam = cam with { Baseline = cam.Baseline + 20 };
        DrawGround(svg, cam, x0, x1, 34);
        DrawMarkers(svg, t, cam, x0, x1, 36);
        svg.Polyline(Enumerable.Range(0, t.FrameCount).Select(f => (cam.X(t.X(f, 5)), cam.Y(t.Y(f, 5)))).ToList(),
            Paint.Line("#bbbbbb", 1, dash: "2 3"));
        for (int f = 20; f < t.FrameCount - 1; f += 20) DrawBody(svg, t, f, cam, opacity: 0.12, width: 2);

        // Pad to whole segments and hold the last pose for one more segment, so the per-segment labels and the
        // smooth motion share one duration and stay in step on every loop.
        int segments = (t.SubSteps + 9) / 10 + 1;
        int[] frameOf = Enumerable.Range(0, 10 * segments + 1).Select(k => Math.Min(k, t.SubSteps)).ToArray();
        double duration = 10 * segments * secondsPerSubStep;
        var edges = QwopSimulator.Edges;
        for (int e = 0; e < edges.Count; e++)
        {
            var (a, b) = edges[e];
            SvgAnimation Anim(string attr, int point, bool isX) =>
                SvgAnimation.Values(attr, frameOf.Select(f => isX ? cam.X(t.X(f, point)) : cam.Y(t.Y(f, point))).ToArray(), duration);
            svg.Line(cam.X(t.X(0, a)), cam.Y(t.Y(0, a)), cam.X(t.X(0, b)), cam.Y(t.Y(0, b)), Paint.Line(EdgeColors[e], 3.5),
                [Anim("x1", a, true), Anim("y1", a, false), Anim("x2", b, true), Anim("y2", b, false)]);
        }
        svg.Circle(cam.X(t.X(0, 5)), cam.Y(t.Y(0, 5)), HeadRadius * cam.Scale, new Paint(Fill: "#ffffff", Stroke: Torso, StrokeWidth: 2.5),
        [
            SvgAnimation.Values("cx", frameOf.Select(f => cam.X(t.X(f, 5))).ToArray(), duration),
            SvgAnimation.Values("cy", frameOf.Select(f => cam.Y(t.Y(f, 5))).ToArray(), duration),
        ]);
        var labelStyle = new TextStyle(12, Torso, Weight: "bold");
        svg.FrameSequence(segments, 10 * secondsPerSubStep, (s, k) =>
        {
            int f = Math.Min(10 * k, t.SubSteps);
            string end = k == segments - 1 ? (t.Fell ? "  (fell: run over)" : "  (end of plan)") : "";
            s.Text(10, 16, $"t = {Num(QwopTrajectory.Time(f), "0.0")}   head x = {Num(t.X(f, 5), "0.00")}{end}", labelStyle);
        });
        if (title is not null) svg.Text(width - 10, 16, title, new TextStyle(12, Muted, TextAnchor.End));
        return svg.ToString();
    }

    /// <summary>The trajectory as CSV: frame, time, then x and y of each body point (hip_x, hip_y, knee_a_x, ...).</summary>
    public static string TrajectoryCsv(QwopTrajectory t)
    {
        var sb = new System.Text.StringBuilder("frame,time");
        foreach (string name in QwopSimulator.PointNames)
        {
            string n = name.Replace(' ', '_');
            sb.Append(',').Append(n).Append("_x,").Append(n).Append("_y");
        }
        sb.Append('\n');
        for (int f = 0; f < t.FrameCount; f++)
        {
            sb.Append(f).Append(',').Append(Num(QwopTrajectory.Time(f), "R"));
            for (int p = 0; p < QwopSimulator.PointCount; p++)
                sb.Append(',').Append(Num(t.X(f, p), "R")).Append(',').Append(Num(t.Y(f, p), "R"));
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
