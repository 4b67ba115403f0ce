// ImageGrid: tiles many small images into one (e.g. 100 MNIST digits as a 10x10 sheet, VAE samples,
// diffusion steps), with padding, a background colour and optional nearest-neighbour upscaling.
namespace ProbLab.Reports;

/// <summary>Composes tiles into one grid image: <c>ImageGrid.FromBatch(x.Data, 100, 1, 28, 28, columns: 10, scale: 2)</c>.</summary>
public static class ImageGrid
{
    /// <summary>
    /// Lays tiles out row by row in <paramref name="columns"/> columns, each cell as large as the largest tile,
    /// with <paramref name="padding"/> pixels between and around cells (before scaling), then upscales by
    /// <paramref name="scale"/>. Mixed formats are converted to the richest format present.
    /// </summary>
    /// <exception cref="ArgumentException">When there are no tiles, columns &lt; 1, padding &lt; 0 or scale &lt; 1.</exception>
    public static RasterImage Compose(IReadOnlyList<RasterImage> tiles, int columns, int padding = 2, int scale = 1, Color? background = null)
    {
        if (tiles.Count == 0) throw new ArgumentException("ImageGrid needs at least one tile");
        if (columns < 1) throw new ArgumentException($"ImageGrid columns must be >= 1, got {columns}");
        if (padding < 0) throw new ArgumentException($"ImageGrid padding must be >= 0, got {padding}");
        if (scale < 1) throw new ArgumentException($"ImageGrid scale must be >= 1, got {scale}");
        columns = Math.Min(columns, tiles.Count);
        int rows = (tiles.Count + columns - 1) / columns;
        int cw = tiles.Max(t => t.Width), chh = tiles.Max(t => t.Height);
        var format = RichestFormat(tiles);
        var grid = new RasterImage(columns * cw + (columns + 1) * padding, rows * chh + (rows + 1) * padding, format);
        Fill(grid, background ?? Color.White);
        int ch = grid.Channels;
        for (int i = 0; i < tiles.Count; i++)
        {
            var t = tiles[i].Convert(format);
            // Centre smaller tiles in their cell.
            int ox = padding + (i % columns) * (cw + padding) + (cw - t.Width) / 2;
            int oy = padding + (i / columns) * (chh + padding) + (chh - t.Height) / 2;
            for (int y = 0; y < t.Height; y++)
                t.Pixels.AsSpan(y * t.Width * ch, t.Width * ch).CopyTo(grid.Pixels.AsSpan(((oy + y) * grid.Width + ox) * ch));
        }
        return scale == 1 ? grid : grid.Upscale(scale);
    }

    /// <summary>
    /// A grid from a batch tensor's data laid out (N, C, H, W) with C = 1 (gray) or 3 (RGB), values mapped from
    /// [min, max] to [0, 255]; <paramref name="count"/> images are taken from the start of the batch.
    /// </summary>
    /// <exception cref="ArgumentException">When C is not 1 or 3, the data are too short, or a value is not finite.</exception>
    public static RasterImage FromBatch(ReadOnlySpan<float> nchw, int count, int channels, int height, int width,
        int columns, int padding = 2, int scale = 1, float min = 0, float max = 1, Color? background = null)
    {
        if (channels != 1 && channels != 3) throw new ArgumentException($"ImageGrid.FromBatch: channels must be 1 or 3, got {channels}");
        int per = channels * height * width;
        if (count < 1 || (long)count * per > nchw.Length)
            throw new ArgumentException($"ImageGrid.FromBatch: {count} images of {channels}x{height}x{width} need {(long)count * per} values, got {nchw.Length}");
        var tiles = new RasterImage[count];
        for (int i = 0; i < count; i++)
        {
            var slice = nchw.Slice(i * per, per);
            tiles[i] = channels == 1 ? RasterImage.FromGray(slice, width, height, min, max) : RasterImage.FromRgb(slice, width, height, ChannelLayout.Chw, min, max);
        }
        return Compose(tiles, columns, padding, scale, background ?? (channels == 1 ? Color.Parse("#808080") : Color.White));
    }

    private static PixelFormat RichestFormat(IReadOnlyList<RasterImage> tiles)
    {
        bool color = tiles.Any(t => t.Channels >= 3), alpha = tiles.Any(t => t.Format is PixelFormat.GrayAlpha or PixelFormat.Rgba);
        return color ? (alpha ? PixelFormat.Rgba : PixelFormat.Rgb) : (alpha ? PixelFormat.GrayAlpha : PixelFormat.Gray);
    }

    private static void Fill(RasterImage img, Color c)
    {
        int ch = img.Channels;
        byte gray = (byte)Math.Round(0.2126 * c.R + 0.7152 * c.G + 0.0722 * c.B);
        for (int p = 0; p < img.Width * img.Height; p++)
        {
            var d = img.Pixels.AsSpan(p * ch, ch);
            if (ch >= 3) { d[0] = c.R; d[1] = c.G; d[2] = c.B; } else d[0] = gray;
            if (ch == 2 || ch == 4) d[ch - 1] = 255;
        }
    }
}
