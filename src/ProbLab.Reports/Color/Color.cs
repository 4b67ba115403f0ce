// Color: an 8-bit sRGB colour with hex parsing/printing and interpolation in linear light.
using System.Globalization;

namespace ProbLab.Reports;

/// <summary>An opaque 8-bit sRGB colour; <see cref="Hex"/> gives the CSS form "#rrggbb".</summary>
public readonly record struct Color(byte R, byte G, byte B)
{
    /// <summary>White (#ffffff).</summary>
    public static readonly Color White = new(255, 255, 255);
    /// <summary>Black (#000000).</summary>
    public static readonly Color Black = new(0, 0, 0);

    /// <summary>CSS hex form "#rrggbb" (lower case).</summary>
    public string Hex => $"#{R:x2}{G:x2}{B:x2}";

    /// <summary>The hex form, so a Color can be passed where CSS text is expected via ToString().</summary>
    public override string ToString() => Hex;

    /// <summary>Parses "#rgb" or "#rrggbb" (the '#' is optional).</summary>
    /// <exception cref="FormatException">When the text is not a 3- or 6-digit hex colour.</exception>
    public static Color Parse(string hex)
    {
        string h = hex.StartsWith('#') ? hex[1..] : hex;
        if (h.Length == 3) h = string.Concat(h[0], h[0], h[1], h[1], h[2], h[2]);
        if (h.Length != 6 || !uint.TryParse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint v))
            throw new FormatException($"colour '{hex}' is not of the form #rrggbb or #rgb");
        return new Color((byte)(v >> 16), (byte)(v >> 8), (byte)v);
    }

    /// <summary>Parses "#rgb" or "#rrggbb" without throwing; false for anything else (e.g. CSS names like "red").</summary>
    public static bool TryParse(string? hex, out Color color)
    {
        color = default;
        if (hex == null) return false;
        string h = hex.StartsWith('#') ? hex[1..] : hex;
        if (h.Length != 3 && h.Length != 6) return false;
        if (!h.All(char.IsAsciiHexDigit)) return false;
        color = Parse(hex);
        return true;
    }

    /// <summary>Interpolates between two colours in linear-light RGB (t = 0 gives a, t = 1 gives b); t is clamped to [0, 1].</summary>
    public static Color Lerp(Color a, Color b, double t)
    {
        t = double.IsNaN(t) ? 0 : Math.Clamp(t, 0, 1);
        // Mixing in linear light avoids the muddy dark midpoints of naive sRGB interpolation.
        static byte Mix(byte x, byte y, double t) => ToSrgb(ToLinear(x) * (1 - t) + ToLinear(y) * t);
        return new Color(Mix(a.R, b.R, t), Mix(a.G, b.G, t), Mix(a.B, b.B, t));
    }

    /// <summary>This colour blended towards black by <paramref name="amount"/> in [0, 1].</summary>
    public Color Darken(double amount) => Lerp(this, Black, amount);

    /// <summary>This colour blended towards white by <paramref name="amount"/> in [0, 1] (0.5 = halfway).</summary>
    public Color Lighten(double amount) => Lerp(this, White, amount);

    /// <summary>sRGB byte to linear light in [0, 1] (IEC 61966-2-1 transfer function).</summary>
    internal static double ToLinear(byte c)
    {
        double s = c / 255.0;
        return s <= 0.04045 ? s / 12.92 : Math.Pow((s + 0.055) / 1.055, 2.4);
    }

    internal static byte ToSrgb(double lin)
    {
        lin = Math.Clamp(lin, 0, 1);
        double s = lin <= 0.0031308 ? 12.92 * lin : 1.055 * Math.Pow(lin, 1 / 2.4) - 0.055;
        return (byte)Math.Round(s * 255);
    }

    /// <summary>Relative luminance in [0, 1] (WCAG); used to pick black or white text over a cell.</summary>
    public double Luminance => 0.2126 * ToLinear(R) + 0.7152 * ToLinear(G) + 0.0722 * ToLinear(B);
}
