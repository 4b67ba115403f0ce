// RasterImage: an 8-bit image (gray, gray+alpha, RGB or RGBA), row-major with interleaved channels,
// built from float arrays (MNIST digits, VAE samples, CHW or HWC tensors) or through a colour map, and
// encoded as PNG. Sizes are always given as (width, height), in PNG's order. Non-finite input values throw.
using System.Runtime.CompilerServices;

namespace ProbLab.Reports;

/// <summary>Channel layout of 8-bit pixels; the numeric value is the number of channels.</summary>
public enum PixelFormat { Gray = 1, GrayAlpha = 2, Rgb = 3, Rgba = 4 }

/// <summary>How colour channels are stored in a float array: planar (C, H, W) as in PyTorch, or interleaved (H, W, C).</summary>
public enum ChannelLayout { Chw, Hwc }

/// <summary>An 8-bit raster image: <c>var img = RasterImage.FromGray(digit, 28, 28); byte[] png = img.ToPng();</c>.</summary>
public sealed class RasterImage
{
    /// <summary>Width in pixels.</summary>
    public int Width { get; }
    /// <summary>Height in pixels.</summary>
    public int Height { get; }
    /// <summary>Pixel format.</summary>
    public PixelFormat Format { get; }
    /// <summary>Channels per pixel (1..4).</summary>
    public int Channels => (int)Format;
    /// <summary>Pixel bytes: row-major, channels interleaved, length Width·Height·Channels.</summary>
    public byte[] Pixels { get; }

    /// <summary>A black (and fully transparent, if it has alpha) image.</summary>
    /// <exception cref="ArgumentException">When a size is not positive or the image would exceed 2^28 pixels.</exception>
    public RasterImage(int width, int height, PixelFormat format)
    {
        Validate(width, height, format);
        Width = width; Height = height; Format = format;
        Pixels = new byte[width * height * (int)format];
    }

    /// <summary>Wraps existing pixel bytes (not copied).</summary>
    /// <exception cref="ArgumentException">When the byte count does not match width·height·channels.</exception>
    public RasterImage(int width, int height, PixelFormat format, byte[] pixels)
    {
        Validate(width, height, format);
        if (pixels.Length != width * height * (int)format)
            throw new ArgumentException($"image {width}x{height} {format} needs {width * height * (int)format} bytes, got {pixels.Length}");
        Width = width; Height = height; Format = format;
        Pixels = pixels;
    }

    private static void Validate(int width, int height, PixelFormat format)
    {
        if (width <= 0 || height <= 0 || (long)width * height > 1 << 28)
            throw new ArgumentException($"image size {width}x{height} must be positive and at most 2^28 pixels");
        if (!Enum.IsDefined(format)) throw new ArgumentException($"unknown pixel format {format}");
    }

    /// <summary>Byte of channel c at pixel (x, y).</summary>
    public byte this[int x, int y, int c]
    {
        get => Pixels[(y * Width + x) * Channels + c];
        set => Pixels[(y * Width + x) * Channels + c] = value;
    }

    private static byte ToByte(float v, float min, float max, int index, string what)
    {
        if (!float.IsFinite(v)) throw new ArgumentException($"{what}: value[{index}] is {v}; image values must be finite");
        double t = (v - min) / (double)(max - min);
        return (byte)Math.Round(Math.Clamp(t, 0, 1) * 255);
    }

    private static void CheckRange(float min, float max, string what)
    {
        if (!(max > min) || !float.IsFinite(min) || !float.IsFinite(max)) throw new ArgumentException($"{what}: value range [{min}, {max}] must be finite with max > min");
    }

    /// <summary>A gray image from height·width floats (row-major), mapping [min, max] to [0, 255] and clamping outside.</summary>
    /// <exception cref="ArgumentException">On a length mismatch or a non-finite value (message gives its index).</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static RasterImage FromGray(ReadOnlySpan<float> values, int width, int height, float min = 0, float max = 1)
    {
        CheckRange(min, max, "FromGray");
        if (values.Length != width * height) throw new ArgumentException($"FromGray: {values.Length} values for a {width}x{height} image");
        var img = new RasterImage(width, height, PixelFormat.Gray);
        for (int i = 0; i < values.Length; i++) img.Pixels[i] = ToByte(values[i], min, max, i, "FromGray");
        return img;
    }

    /// <summary>An RGB image from 3·height·width floats in CHW (planar) or HWC (interleaved) layout, mapping [min, max] to [0, 255].</summary>
    /// <exception cref="ArgumentException">On a length mismatch or a non-finite value.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static RasterImage FromRgb(ReadOnlySpan<float> values, int width, int height, ChannelLayout layout, float min = 0, float max = 1)
    {
        CheckRange(min, max, "FromRgb");
        int n = width * height;
        if (values.Length != 3 * n) throw new ArgumentException($"FromRgb: {values.Length} values for a 3x{height}x{width} image");
        var img = new RasterImage(width, height, PixelFormat.Rgb);
        for (int p = 0; p < n; p++)
            for (int c = 0; c < 3; c++)
            {
                int src = layout == ChannelLayout.Chw ? c * n + p : p * 3 + c;
                img.Pixels[p * 3 + c] = ToByte(values[src], min, max, src, "FromRgb");
            }
        return img;
    }

    /// <summary>
    /// An RGBA image of row-major values (row 0 at the top) through a colour map over [min, max] (default: the finite data range);
    /// non-finite values become transparent pixels.
    /// </summary>
    /// <exception cref="ArgumentException">On a length mismatch.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static RasterImage FromColorMap(ReadOnlySpan<double> values, int width, int height, ColorMap map, double? min = null, double? max = null)
    {
        if (values.Length != width * height) throw new ArgumentException($"FromColorMap: {values.Length} values for a {width}x{height} image");
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (double v in values) if (double.IsFinite(v)) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
        lo = min ?? (double.IsFinite(lo) ? lo : 0); hi = max ?? (double.IsFinite(hi) ? hi : 1);
        var lut = map.Table(256);
        var img = new RasterImage(width, height, PixelFormat.Rgba);
        for (int i = 0; i < values.Length; i++)
        {
            double t = ColorBar.Normalize(values[i], lo, hi, false);
            if (double.IsNaN(t)) continue; // stays transparent
            var c = lut[(int)Math.Round(t * 255)];
            img.Pixels[4 * i] = c.R; img.Pixels[4 * i + 1] = c.G; img.Pixels[4 * i + 2] = c.B; img.Pixels[4 * i + 3] = 255;
        }
        return img;
    }

    /// <summary>A copy enlarged by an integer factor with nearest-neighbour sampling (crisp pixels).</summary>
    /// <exception cref="ArgumentException">When factor &lt; 1.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public RasterImage Upscale(int factor)
    {
        if (factor < 1) throw new ArgumentException($"upscale factor must be >= 1, got {factor}");
        if (factor == 1) return new RasterImage(Width, Height, Format, (byte[])Pixels.Clone());
        var img = new RasterImage(Width * factor, Height * factor, Format);
        int ch = Channels, rowBytes = img.Width * ch;
        for (int y = 0; y < Height; y++)
        {
            var dstRow = img.Pixels.AsSpan(y * factor * rowBytes, rowBytes);
            for (int x = 0; x < Width; x++)
                for (int k = 0; k < factor; k++)
                    Pixels.AsSpan((y * Width + x) * ch, ch).CopyTo(dstRow.Slice((x * factor + k) * ch, ch));
            for (int k = 1; k < factor; k++) dstRow.CopyTo(img.Pixels.AsSpan((y * factor + k) * rowBytes, rowBytes));
        }
        return img;
    }

    /// <summary>This image converted to <paramref name="format"/> (gray → colour replicates, colour → gray uses Rec. 709 luma, missing alpha is opaque).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public RasterImage Convert(PixelFormat format)
    {
        if (format == Format) return this;
        var img = new RasterImage(Width, Height, format);
        int n = Width * Height, si = Channels, di = (int)format;
        bool srcColor = si >= 3, dstColor = di >= 3, srcAlpha = si == 2 || si == 4, dstAlpha = di == 2 || di == 4;
        for (int p = 0; p < n; p++)
        {
            var s = Pixels.AsSpan(p * si, si);
            byte r = s[0], g = srcColor ? s[1] : s[0], b = srcColor ? s[2] : s[0], a = srcAlpha ? s[si - 1] : (byte)255;
            var d = img.Pixels.AsSpan(p * di, di);
            if (dstColor) { d[0] = r; d[1] = g; d[2] = b; }
            else d[0] = srcColor ? (byte)Math.Round(0.2126 * r + 0.7152 * g + 0.0722 * b) : r;
            if (dstAlpha) d[di - 1] = a;
        }
        return img;
    }

    /// <summary>PNG file bytes of this image.</summary>
    public byte[] ToPng() => Png.Encode(this);

    /// <summary>A "data:image/png;base64,..." URI for embedding in HTML or SVG.</summary>
    public string ToDataUri() => "data:image/png;base64," + System.Convert.ToBase64String(ToPng());

    /// <summary>Writes the PNG to <paramref name="path"/> atomically.</summary>
    public void SavePng(string path) => AtomicFile.WriteAllBytes(path, ToPng());
}
