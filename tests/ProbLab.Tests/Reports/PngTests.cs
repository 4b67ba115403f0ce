// PNG: CRC-32 known values, encoder output checked by an independent decoder written here (chunk CRCs with
// a bitwise CRC, IHDR fields, filter bytes, unfiltering, pixels), library decode round trip, corrupt input,
// float → byte conversion, nearest upscaling and image grids.
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using ProbLab.Reports;
using ProbLab.Tensors;

namespace ProbLab.Tests.Reports;

public class PngTests
{
    [Fact]
    public void Crc32KnownValues()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0u, Crc32.Compute([]));
        Assert.Equal(0xAE426082u, Crc32.Compute("IEND"u8)); // the constant CRC of every PNG's IEND chunk
        var data = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog");
        Assert.Equal(0x414FA339u, Crc32.Compute(data));
        Assert.Equal(Crc32.Compute(data), Crc32.Append(Crc32.Compute(data.AsSpan(0, 10)), data.AsSpan(10)));
    }

    /// <summary>Bit-at-a-time CRC-32, independent of the table-driven library version.</summary>
    private static uint BitwiseCrc(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFF;
        foreach (byte b in data) { c ^= b; for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (uint)-(int)(c & 1)); }
        return ~c;
    }

    /// <summary>Minimal independent PNG reader for what our encoder writes; returns the pixels and the filter bytes used.</summary>
    private static (int W, int H, int ColorType, byte[] Pixels, byte[] Filters) TestDecode(byte[] png)
    {
        Assert.Equal(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }, png[..8]);
        int pos = 8, w = 0, h = 0, ct = 0;
        var idat = new MemoryStream();
        var types = new List<string>();
        while (pos < png.Length)
        {
            int len = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            string type = Encoding.ASCII.GetString(png, pos + 4, 4);
            types.Add(type);
            Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + len)), BitwiseCrc(png.AsSpan(pos + 4, 4 + len)));
            var data = png.AsSpan(pos + 8, len);
            if (type == "IHDR")
            {
                w = BinaryPrimitives.ReadInt32BigEndian(data); h = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(8, data[8]); ct = data[9];
                Assert.Equal(0, data[10]); Assert.Equal(0, data[11]); Assert.Equal(0, data[12]);
            }
            if (type == "IDAT") idat.Write(data);
            pos += 12 + len;
        }
        Assert.Equal(["IHDR", "IDAT", "IEND"], types);
        Assert.Equal(png.Length, pos);
        using var z = new ZLibStream(new MemoryStream(idat.ToArray()), CompressionMode.Decompress);
        var raw = new MemoryStream(); z.CopyTo(raw);
        var bytes = raw.ToArray();
        int bpp = ct switch { 0 => 1, 2 => 3, 4 => 2, 6 => 4, _ => throw new InvalidDataException() }, stride = w * bpp;
        Assert.Equal(h * (stride + 1), bytes.Length);
        var px = new byte[h * stride]; var filters = new byte[h];
        for (int y = 0; y < h; y++)
        {
            byte f = bytes[y * (stride + 1)];
            Assert.InRange(f, 0, 4);
            filters[y] = f;
            for (int i = 0; i < stride; i++)
            {
                int a = i >= bpp ? px[y * stride + i - bpp] : 0, b = y > 0 ? px[(y - 1) * stride + i] : 0, c = i >= bpp && y > 0 ? px[(y - 1) * stride + i - bpp] : 0;
                int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                int pred = f switch { 0 => 0, 1 => a, 2 => b, 3 => (a + b) / 2, _ => pa <= pb && pa <= pc ? a : pb <= pc ? b : c };
                px[y * stride + i] = (byte)(bytes[y * (stride + 1) + 1 + i] + pred);
            }
        }
        return (w, h, ct, px, filters);
    }

    public static TheoryData<PixelFormat, int, int> Shapes()
    {
        var d = new TheoryData<PixelFormat, int, int>();
        foreach (var f in new[] { PixelFormat.Gray, PixelFormat.GrayAlpha, PixelFormat.Rgb, PixelFormat.Rgba })
            foreach (var (w, h) in new[] { (1, 1), (3, 7), (17, 5), (64, 33) }) d.Add(f, w, h);
        return d;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EncodedPngDecodesToTheSamePixels(PixelFormat format, int w, int h)
    {
        var rng = new Rng(w * 100 + h);
        var img = new RasterImage(w, h, format);
        // Half smooth gradient, half noise, so different rows pick different filters.
        for (int i = 0; i < img.Pixels.Length; i++) img.Pixels[i] = (byte)(i / img.Channels % w < w / 2 ? (i * 7) % 256 : rng.NextInt(256));
        byte[] png = Png.Encode(img);
        var (dw, dh, ct, px, _) = TestDecode(png);
        Assert.Equal((w, h), (dw, dh));
        Assert.Equal(format switch { PixelFormat.Gray => 0, PixelFormat.Rgb => 2, PixelFormat.GrayAlpha => 4, _ => 6 }, ct);
        Assert.Equal(img.Pixels, px);
        var back = Png.Decode(png);
        Assert.Equal((w, h, format), (back.Width, back.Height, back.Format));
        Assert.Equal(img.Pixels, back.Pixels);
    }

    [Fact]
    public void AdaptiveFilteringUsesSeveralFilterTypes()
    {
        var img = new RasterImage(64, 64, PixelFormat.Rgb);
        var rng = new Rng(1);
        for (int y = 0; y < 64; y++)
            for (int x = 0; x < 64; x++)
                for (int c = 0; c < 3; c++)
                    img[x, y, c] = (byte)(y % 3 == 0 ? rng.NextInt(256) : y % 3 == 1 ? x * 4 : y * 4 + c);
        var (_, _, _, px, filters) = TestDecode(Png.Encode(img));
        Assert.Equal(img.Pixels, px);
        Assert.True(filters.Distinct().Count() >= 2, $"filters used: {string.Join(",", filters.Distinct())}");
    }

    [Fact]
    public void CorruptPngsAreRejected()
    {
        var png = Png.Encode(RasterImage.FromGray(new float[] { 0, 0.5f, 1, 0.25f }, 2, 2));
        var badCrc = (byte[])png.Clone();
        badCrc[20] ^= 0xFF; // inside IHDR data
        Assert.Contains("CRC", Assert.Throws<FormatException>(() => Png.Decode(badCrc)).Message);
        Assert.Throws<FormatException>(() => Png.Decode(png.AsSpan(0, png.Length - 12))); // no IEND
        Assert.Throws<FormatException>(() => Png.Decode(Encoding.ASCII.GetBytes("GIF89a....")));
    }

    [Fact]
    public void FloatsMapToBytesWithClamping()
    {
        var img = RasterImage.FromGray(new float[] { 0, 1, 0.5f, -1, 2, 0.2f }, 3, 2);
        Assert.Equal(new byte[] { 0, 255, 128, 0, 255, 51 }, img.Pixels);
        var signed = RasterImage.FromGray(new float[] { -1, 0, 1 }, 3, 1, min: -1, max: 1);
        Assert.Equal(new byte[] { 0, 128, 255 }, signed.Pixels);
        var e = Assert.Throws<ArgumentException>(() => RasterImage.FromGray(new float[] { 0, 0, 0, float.NaN }, 2, 2));
        Assert.Contains("value[3]", e.Message);
        Assert.Throws<ArgumentException>(() => RasterImage.FromGray(new float[3], 2, 2));
        Assert.Throws<ArgumentException>(() => new RasterImage(0, 5, PixelFormat.Gray));
    }

    [Fact]
    public void ChwAndHwcGiveTheSameImage()
    {
        int w = 5, h = 3; var rng = new Rng(4);
        var hwc = new float[3 * w * h]; for (int i = 0; i < hwc.Length; i++) hwc[i] = (float)rng.NextDouble();
        var chw = new float[hwc.Length];
        for (int p = 0; p < w * h; p++) for (int c = 0; c < 3; c++) chw[c * w * h + p] = hwc[p * 3 + c];
        Assert.Equal(RasterImage.FromRgb(hwc, w, h, ChannelLayout.Hwc).Pixels, RasterImage.FromRgb(chw, w, h, ChannelLayout.Chw).Pixels);
    }

    [Fact]
    public void UpscaleIsNearestNeighbour()
    {
        var img = new RasterImage(3, 2, PixelFormat.Rgb);
        for (int i = 0; i < img.Pixels.Length; i++) img.Pixels[i] = (byte)(i * 11);
        var big = img.Upscale(3);
        Assert.Equal((9, 6), (big.Width, big.Height));
        for (int y = 0; y < 6; y++) for (int x = 0; x < 9; x++) for (int c = 0; c < 3; c++) Assert.Equal(img[x / 3, y / 3, c], big[x, y, c]);
        Assert.Throws<ArgumentException>(() => img.Upscale(0));
    }

    [Fact]
    public void ImageGridPlacesTilesWithPadding()
    {
        var tiles = Enumerable.Range(0, 100).Select(k => RasterImage.FromGray(Enumerable.Repeat(k / 99f, 28 * 28).ToArray(), 28, 28)).ToList();
        var grid = ImageGrid.Compose(tiles, columns: 10, padding: 2, background: Color.Parse("#808080"));
        Assert.Equal((302, 302, PixelFormat.Gray), (grid.Width, grid.Height, grid.Format));
        for (int k = 0; k < 100; k++)
        {
            int ox = 2 + (k % 10) * 30, oy = 2 + (k / 10) * 30;
            Assert.Equal(tiles[k].Pixels[0], grid[ox, oy, 0]);
            Assert.Equal(tiles[k].Pixels[0], grid[ox + 27, oy + 27, 0]);
        }
        Assert.Equal(128, grid[0, 0, 0]);   // padding is background
        Assert.Equal(128, grid[31, 5, 0]);
        var scaled = ImageGrid.Compose(tiles, 10, 2, scale: 2);
        Assert.Equal((604, 604), (scaled.Width, scaled.Height));
        Assert.Throws<ArgumentException>(() => ImageGrid.Compose([], 3));
    }

    [Fact]
    public void FromBatchReadsNchwTensors()
    {
        var batch = new float[4 * 3 * 2 * 2];
        for (int i = 0; i < batch.Length; i++) batch[i] = i % 12 / 11f;
        var grid = ImageGrid.FromBatch(batch, 4, 3, 2, 2, columns: 2, padding: 1);
        Assert.Equal((7, 7, PixelFormat.Rgb), (grid.Width, grid.Height, grid.Format));
        Assert.Equal(RasterImage.FromRgb(batch.AsSpan(0, 12), 2, 2, ChannelLayout.Chw)[1, 1, 2], grid[2, 2, 2]);
        Assert.Throws<ArgumentException>(() => ImageGrid.FromBatch(batch, 5, 3, 2, 2, 2));
        Assert.Throws<ArgumentException>(() => ImageGrid.FromBatch(batch, 4, 2, 2, 2, 2));
    }

    [Fact]
    public void ColorMapImagesAreTransparentWhereNotFinite()
    {
        var img = RasterImage.FromColorMap([0, 0.5, double.NaN, 1], 2, 2, ColorMap.Greys);
        Assert.Equal(PixelFormat.Rgba, img.Format);
        Assert.Equal((0, 255), (img[0, 0, 0], img[0, 0, 3]));
        Assert.Equal((255, 255), (img[1, 1, 0], img[1, 1, 3]));
        Assert.Equal(0, img[0, 1, 3]);
    }
}
