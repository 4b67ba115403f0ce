// Synthetic stand-in for MNIST: digits 0-9 drawn as pen strokes (polylines, arcs as short segments) in a
// unit box, then deformed per image the way handwriting varies: control-point jitter, scale, rotation, slant
// and shift, and a random pen width. Rendering is anti-aliased by distance to the nearest segment
// (intensity 1 inside the pen radius, a 1-pixel linear edge), inside the central 20×20 box of a 28×28 image
// like MNIST's preprocessing. Classes are balanced by cycling labels, then shuffled.
using ProbLab.Tensors;

namespace ProbLab.Data.Synthetic;

/// <summary>Deterministic MNIST-like 28×28 digit images with labels 0..9.</summary>
public static class MnistSynthetic
{
    /// <summary>Seed of the default stand-in (train uses it, test uses it + 1).</summary>
    public const ulong DefaultSeed = 0x4D_4E_49_53; // "MNIS"

    private const int Size = 28;

    // Strokes per digit in a unit box (x right, y down). Each stroke is a polyline.
    private static readonly (double X, double Y)[][][] Glyphs = BuildGlyphs();

    /// <summary>Renders <paramref name="count"/> images (labels cycle 0..9, then shuffled) with <paramref name="rng"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not positive.</exception>
    public static MnistSplit Generate(Rng rng, int count, string name = "synthetic")
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "need at least one image");
        var labels = new int[count];
        for (int i = 0; i < count; i++) labels[i] = i % 10;
        rng.Shuffle<int>(labels);
        var pixels = new byte[count * Size * Size];
        for (int i = 0; i < count; i++) Render(rng, labels[i], pixels.AsSpan(i * Size * Size, Size * Size));
        return new MnistSplit(name, pixels, labels);
    }

    /// <summary>Draws one digit into a 28×28 byte image (row-major).</summary>
    public static void Render(Rng rng, int digit, Span<byte> image)
    {
        // Per-image affine map from the unit box to pixel coordinates: centre at 14, 20 px box, then
        // scale, rotation and slant (shear of x by y), plus a shift of up to ±1.5 px.
        double scale = 20 * rng.Uniform(0.75, 1.0), rot = rng.Uniform(-0.2, 0.2), slant = rng.Uniform(-0.3, 0.3);
        double dx = rng.Uniform(-1.5, 1.5), dy = rng.Uniform(-1.5, 1.5);
        double cos = Math.Cos(rot), sin = Math.Sin(rot);
        double radius = rng.Uniform(0.9, 1.6); // pen half-width in pixels
        var segments = new List<(double X0, double Y0, double X1, double Y1)>();
        foreach (var stroke in Glyphs[digit])
        {
            (double X, double Y)? prev = null;
            foreach (var (ux, uy) in stroke)
            {
                double jx = ux - 0.5 + rng.Normal(0, 0.025), jy = uy - 0.5 + rng.Normal(0, 0.025);
                double sx = jx + slant * jy;
                double px = 14 + dx + scale * (cos * sx - sin * jy), py = 14 + dy + scale * (sin * sx + cos * jy);
                if (prev is { } p) segments.Add((p.X, p.Y, px, py));
                prev = (px, py);
            }
        }
        image.Clear();
        foreach (var s in segments) Stamp(image, s, radius);
    }

    // Max-composites one anti-aliased segment: intensity = clamp(radius + 0.5 − distance, 0, 1).
    private static void Stamp(Span<byte> image, (double X0, double Y0, double X1, double Y1) s, double radius)
    {
        int x0 = Math.Max(0, (int)Math.Floor(Math.Min(s.X0, s.X1) - radius - 1));
        int x1 = Math.Min(Size - 1, (int)Math.Ceiling(Math.Max(s.X0, s.X1) + radius + 1));
        int y0 = Math.Max(0, (int)Math.Floor(Math.Min(s.Y0, s.Y1) - radius - 1));
        int y1 = Math.Min(Size - 1, (int)Math.Ceiling(Math.Max(s.Y0, s.Y1) + radius + 1));
        double vx = s.X1 - s.X0, vy = s.Y1 - s.Y0, len2 = vx * vx + vy * vy;
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++)
            {
                // Pixel centre (x + 0.5, y + 0.5); distance to the segment via the clamped projection.
                double qx = x + 0.5 - s.X0, qy = y + 0.5 - s.Y0;
                double t = len2 > 0 ? Math.Clamp((qx * vx + qy * vy) / len2, 0, 1) : 0;
                double ex = qx - t * vx, ey = qy - t * vy;
                double v = Math.Clamp(radius + 0.5 - Math.Sqrt(ex * ex + ey * ey), 0, 1);
                byte b = (byte)Math.Round(255 * v);
                ref byte dst = ref image[y * Size + x];
                if (b > dst) dst = b;
            }
    }

    private static (double, double)[] Arc(double cx, double cy, double rx, double ry, double fromDeg, double toDeg, int n = 12)
    {
        var pts = new (double, double)[n + 1];
        for (int i = 0; i <= n; i++)
        {
            double a = (fromDeg + (toDeg - fromDeg) * i / n) * Math.PI / 180;
            pts[i] = (cx + rx * Math.Cos(a), cy + ry * Math.Sin(a)); // angles clockwise on screen (y down)
        }
        return pts;
    }

    private static (double X, double Y)[][][] BuildGlyphs() =>
    [
        [Arc(0.5, 0.5, 0.3, 0.44, 0, 360, 20)],                                                    // 0
        [[(0.35, 0.2), (0.52, 0.06), (0.52, 0.94)]],                                                // 1
        [[.. Arc(0.5, 0.3, 0.27, 0.23, 200, 360, 8), (0.72, 0.45), (0.2, 0.94), (0.84, 0.94)]],     // 2
        [Arc(0.48, 0.28, 0.26, 0.22, 200, 450, 10), Arc(0.48, 0.71, 0.3, 0.23, 270, 520, 10)],      // 3
        [[(0.66, 0.94), (0.66, 0.06), (0.16, 0.64), (0.86, 0.64)]],                                 // 4
        [[(0.8, 0.08), (0.3, 0.08), (0.26, 0.45), .. Arc(0.5, 0.66, 0.3, 0.27, 235, 505, 12)]],     // 5
        [[(0.72, 0.08), (0.42, 0.3), (0.24, 0.62)], Arc(0.5, 0.7, 0.26, 0.23, 0, 360, 14)],         // 6
        [[(0.16, 0.08), (0.84, 0.08), (0.42, 0.94)]],                                               // 7
        [Arc(0.5, 0.27, 0.22, 0.2, 0, 360, 14), Arc(0.5, 0.7, 0.27, 0.24, 0, 360, 14)],             // 8
        [Arc(0.48, 0.3, 0.25, 0.22, 0, 360, 14), [(0.73, 0.3), (0.62, 0.94)]],                      // 9
    ];
}
