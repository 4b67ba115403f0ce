// PNG encoder and decoder for 8-bit gray, gray+alpha, RGB and RGBA, non-interlaced (PNG spec, 2nd ed.,
// W3C 2003). Encoding picks each row's filter by the minimum sum of absolute differences heuristic
// (spec section 12.8), deflates with System.IO.Compression.ZLibStream and checksums chunks with our Crc32.
// Decoding verifies every chunk CRC and undoes all five filter types, so it reads other writers' PNGs
// (e.g. chromium screenshots) of these formats too.
using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;

namespace ProbLab.Reports;

/// <summary>PNG encoding and decoding: <c>byte[] png = Png.Encode(img); RasterImage back = Png.Decode(png);</c>.</summary>
public static class Png
{
    /// <summary>The 8-byte PNG signature.</summary>
    public static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static byte ColorType(PixelFormat f) => f switch
    {
        PixelFormat.Gray => 0, PixelFormat.Rgb => 2, PixelFormat.GrayAlpha => 4, PixelFormat.Rgba => 6,
        _ => throw new ArgumentException($"unknown pixel format {f}"),
    };

    /// <summary>Encodes an image as a complete PNG file (signature, IHDR, one IDAT, IEND).</summary>
    public static byte[] Encode(RasterImage image)
    {
        using var ms = new MemoryStream();
        ms.Write(Signature);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), image.Height);
        ihdr[8] = 8;                          // bit depth
        ihdr[9] = ColorType(image.Format);
        ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0; // deflate, adaptive filtering, no interlace
        WriteChunk(ms, "IHDR", ihdr);
        WriteChunk(ms, "IDAT", Deflate(FilterRows(image)));
        WriteChunk(ms, "IEND", []);
        return ms.ToArray();
    }

    private static void WriteChunk(Stream s, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, data.Length);
        Encoding.ASCII.GetBytes(type, header[4..]);
        s.Write(header);
        s.Write(data);
        // The CRC covers the chunk type and data, not the length (spec 5.3).
        uint crc = Crc32.Append(Crc32.Compute(header[4..]), data);
        Span<byte> crcBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crcBytes, crc);
        s.Write(crcBytes);
    }

    private static byte[] Deflate(byte[] raw)
    {
        using var ms = new MemoryStream();
        using (var z = new ZLibStream(ms, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw);
        return ms.ToArray();
    }

    /// <summary>Filters every scanline: output rows are [filter type byte, filtered bytes].</summary>
    // AggressiveOptimization: these loops run once per image, so tiered JIT would leave them in slow tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static byte[] FilterRows(RasterImage img)
    {
        int bpp = img.Channels, stride = img.Width * bpp;
        var outBuf = new byte[img.Height * (stride + 1)];
        var candidate = new byte[stride];
        var zeros = new byte[stride]; // the row above the first row is all zeros (spec 9.2)
        for (int y = 0; y < img.Height; y++)
        {
            var cur = img.Pixels.AsSpan(y * stride, stride);
            var prev = y > 0 ? img.Pixels.AsSpan((y - 1) * stride, stride) : zeros;
            var dst = outBuf.AsSpan(y * (stride + 1) + 1, stride);
            long bestScore = long.MaxValue;
            for (byte type = 0; type <= 4; type++)
            {
                long score = ApplyFilter(type, cur, prev, candidate, bpp);
                if (score < bestScore) { bestScore = score; outBuf[y * (stride + 1)] = type; candidate.CopyTo(dst); }
            }
        }
        return outBuf;
    }

    /// <summary>Applies one filter to a row; returns the sum of |signed bytes| (lower usually compresses better).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long ApplyFilter(byte type, ReadOnlySpan<byte> cur, ReadOnlySpan<byte> prev, Span<byte> dst, int bpp)
    {
        int n = cur.Length;
        // One loop per filter type keeps the per-byte work branch-free; a (left) and c (upper-left) are 0 for i < bpp.
        switch (type)
        {
            case 0: cur.CopyTo(dst); break;
            case 1: for (int i = 0; i < n; i++) dst[i] = (byte)(cur[i] - (i >= bpp ? cur[i - bpp] : 0)); break;
            case 2: for (int i = 0; i < n; i++) dst[i] = (byte)(cur[i] - prev[i]); break;
            case 3: for (int i = 0; i < n; i++) dst[i] = (byte)(cur[i] - (((i >= bpp ? cur[i - bpp] : 0) + prev[i]) >> 1)); break;
            default:
                for (int i = 0; i < n; i++)
                    dst[i] = (byte)(cur[i] - (i >= bpp ? Paeth(cur[i - bpp], prev[i], prev[i - bpp]) : Paeth(0, prev[i], 0)));
                break;
        }
        long score = 0;
        foreach (byte v in dst[..n]) score += v < 128 ? v : 256 - v;
        return score;
    }

    /// <summary>Paeth predictor (spec 9.4): whichever of left, up, upper-left is closest to left + up − upper-left.</summary>
    internal static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>Decodes an 8-bit, non-interlaced gray, gray+alpha, RGB or RGBA PNG.</summary>
    /// <exception cref="FormatException">On a bad signature, CRC mismatch, truncated data or an unsupported variant (the message names it).</exception>
    public static RasterImage Decode(ReadOnlySpan<byte> png)
    {
        if (png.Length < 8 || !png[..8].SequenceEqual(Signature)) throw new FormatException("PNG: bad signature");
        int pos = 8, width = 0, height = 0;
        PixelFormat format = PixelFormat.Gray;
        bool seenHeader = false, seenEnd = false;
        using var idat = new MemoryStream();
        while (pos < png.Length && !seenEnd)
        {
            if (pos + 12 > png.Length) throw new FormatException($"PNG: truncated chunk header at byte {pos}");
            int len = BinaryPrimitives.ReadInt32BigEndian(png[pos..]);
            if (len < 0 || pos + 12 + (long)len > png.Length) throw new FormatException($"PNG: chunk at byte {pos} has bad length {len}");
            var typeAndData = png.Slice(pos + 4, 4 + len);
            string type = Encoding.ASCII.GetString(typeAndData[..4]);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png[(pos + 8 + len)..]);
            if (Crc32.Compute(typeAndData) != crc) throw new FormatException($"PNG: CRC mismatch in {type} chunk at byte {pos}");
            var data = typeAndData[4..];
            switch (type)
            {
                case "IHDR":
                    (width, height, format) = ParseHeader(data);
                    seenHeader = true;
                    break;
                case "IDAT": idat.Write(data); break;
                case "IEND": seenEnd = true; break;
                default:
                    // Ancillary chunks (lower-case first letter) may be skipped; critical ones we do not know may not.
                    if (char.IsUpper(type[0])) throw new FormatException($"PNG: unsupported critical chunk {type}");
                    break;
            }
            pos += 12 + len;
        }
        if (!seenHeader) throw new FormatException("PNG: missing IHDR");
        if (!seenEnd) throw new FormatException("PNG: missing IEND");
        return Unfilter(Inflate(idat.ToArray()), width, height, format);
    }

    private static (int, int, PixelFormat) ParseHeader(ReadOnlySpan<byte> d)
    {
        if (d.Length != 13) throw new FormatException($"PNG: IHDR has {d.Length} bytes, expected 13");
        int w = BinaryPrimitives.ReadInt32BigEndian(d), h = BinaryPrimitives.ReadInt32BigEndian(d[4..]);
        if (d[8] != 8) throw new FormatException($"PNG: bit depth {d[8]} unsupported (only 8)");
        if (d[12] != 0) throw new FormatException("PNG: interlaced images unsupported");
        var f = d[9] switch
        {
            0 => PixelFormat.Gray, 2 => PixelFormat.Rgb, 4 => PixelFormat.GrayAlpha, 6 => PixelFormat.Rgba,
            _ => throw new FormatException($"PNG: colour type {d[9]} unsupported (only 0, 2, 4, 6)"),
        };
        if (w <= 0 || h <= 0 || (long)w * h > 1 << 28) throw new FormatException($"PNG: bad size {w}x{h}");
        return (w, h, f);
    }

    private static byte[] Inflate(byte[] data)
    {
        try
        {
            using var z = new ZLibStream(new MemoryStream(data), CompressionMode.Decompress);
            using var outMs = new MemoryStream();
            z.CopyTo(outMs);
            return outMs.ToArray();
        }
        catch (InvalidDataException e) { throw new FormatException($"PNG: corrupt IDAT stream ({e.Message})", e); }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static RasterImage Unfilter(byte[] raw, int width, int height, PixelFormat format)
    {
        int bpp = (int)format, stride = width * bpp;
        if (raw.Length < (long)height * (stride + 1)) throw new FormatException($"PNG: image data has {raw.Length} bytes, expected {(long)height * (stride + 1)}");
        var img = new RasterImage(width, height, format);
        var px = img.Pixels;
        for (int y = 0; y < height; y++)
        {
            int type = raw[y * (stride + 1)];
            if (type > 4) throw new FormatException($"PNG: row {y} has unknown filter type {type}");
            int src = y * (stride + 1) + 1, dst = y * stride;
            for (int i = 0; i < stride; i++)
            {
                int a = i >= bpp ? px[dst + i - bpp] : 0, b = y > 0 ? px[dst - stride + i] : 0, c = i >= bpp && y > 0 ? px[dst - stride + i - bpp] : 0;
                int predicted = type switch { 0 => 0, 1 => a, 2 => b, 3 => (a + b) >> 1, _ => Paeth(a, b, c) };
                px[dst + i] = (byte)(raw[src + i] + predicted);
            }
        }
        return img;
    }
}
