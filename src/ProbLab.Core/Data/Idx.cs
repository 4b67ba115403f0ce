// IDX file reader (the MNIST format, LeCun et al.). Layout: a big-endian int32 magic number 0x0000TTDD
// (two zero bytes, a type byte TT, the number of dimensions DD), then DD big-endian int32 sizes, then the
// values in row-major order. Only unsigned bytes (TT = 0x08) are supported, which is what MNIST uses:
// 0x00000803 = 2051 for images (N, rows, cols) and 0x00000801 = 2049 for labels (N).
// Files may be gzip-compressed (detected by the 1f 8b signature, not the extension). The data length must
// equal the product of the sizes exactly: truncated files and trailing bytes are both errors.
using System.Buffers.Binary;
using System.IO.Compression;

namespace ProbLab.Data;

/// <summary>An IDX array of unsigned bytes: its magic number, dimensions and row-major data.</summary>
public sealed record IdxArray(string File, int Magic, int[] Dims, byte[] Data);

/// <summary>Reader for IDX files (raw or gzip).</summary>
public static class Idx
{
    /// <summary>Magic number of MNIST image files (ubyte, 3 dimensions).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of MNIST label files (ubyte, 1 dimension).</summary>
    public const int LabelsMagic = 0x00000801;

    private const int MaxDataBytes = int.MaxValue - 64;

    /// <summary>Reads an IDX ubyte file, checking the magic number against <paramref name="expectedMagic"/> when given.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">Wrong magic, unsupported type, bad sizes, truncated data, trailing bytes or corrupt gzip.</exception>
    public static IdxArray Read(string path, int? expectedMagic = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        using var file = File.OpenRead(path);
        bool gzip = IsGzip(file);
        long? rawLength = gzip ? null : file.Length;
        using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        try
        {
            return ReadStream(path, stream, rawLength, expectedMagic);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(path, null, "gzip", DataFormatException.OneLine($"corrupt gzip stream ({e.Message})"), e);
        }
    }

    private static bool IsGzip(FileStream file)
    {
        Span<byte> sig = stackalloc byte[2];
        int n = file.Read(sig);
        file.Position = 0;
        return n == 2 && sig[0] == 0x1f && sig[1] == 0x8b;
    }

    private static IdxArray ReadStream(string path, Stream stream, long? rawLength, int? expectedMagic)
    {
        Span<byte> word = stackalloc byte[4];
        if (ReadFully(stream, word) < 4) throw new DataFormatException(path, null, "magic number", "file is shorter than the 4-byte IDX magic number");
        int magic = BinaryPrimitives.ReadInt32BigEndian(word);
        CheckMagic(path, magic, expectedMagic);
        int rank = magic & 0xFF;
        var dims = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++)
        {
            if (ReadFully(stream, word) < 4) throw new DataFormatException(path, null, $"dimension {d}", $"file ends inside the header (size of dimension {d} missing)");
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(word);
            if (dims[d] < 0) throw new DataFormatException(path, null, $"dimension {d}", $"negative size {dims[d]}");
            count *= dims[d];
            if (count > MaxDataBytes) throw new DataFormatException(path, null, "header", $"sizes {string.Join("×", dims[..(d + 1)])} exceed 2 GiB");
        }
        long headerBytes = 4 + 4L * rank;
        if (rawLength is { } len && len != headerBytes + count)
            throw new DataFormatException(path, null, "data", SizeMismatch(dims, count, len - headerBytes));
        var data = new byte[count];
        int got = ReadFully(stream, data);
        if (got < count) throw new DataFormatException(path, null, "data", $"truncated: {SizeMismatch(dims, count, got)}");
        if (stream.ReadByte() >= 0) throw new DataFormatException(path, null, "data", $"has bytes after the {count:N0} the header declares ({Shape(dims)})");
        return new IdxArray(path, magic, dims, data);
    }

    private static void CheckMagic(string path, int magic, int? expectedMagic)
    {
        if (expectedMagic is { } want && magic != want)
            throw new DataFormatException(path, null, "magic number",
                $"magic number 0x{magic:X8} ({magic}), expected 0x{want:X8} ({want}); not an IDX {(want == ImagesMagic ? "image" : want == LabelsMagic ? "label" : "ubyte")} file");
        if ((magic >> 16) != 0) throw new DataFormatException(path, null, "magic number", $"magic number 0x{magic:X8} does not start with two zero bytes; not an IDX file");
        int type = (magic >> 8) & 0xFF, rank = magic & 0xFF;
        if (type != 0x08) throw new DataFormatException(path, null, "magic number", $"IDX value type 0x{type:X2} is not supported (only unsigned bytes, 0x08)");
        if (rank < 1 || rank > 4) throw new DataFormatException(path, null, "magic number", $"IDX rank {rank} is not supported (1..4)");
    }

    private static string SizeMismatch(int[] dims, long expected, long actual) =>
        $"header declares {Shape(dims)} = {expected:N0} data bytes but the file holds {actual:N0}";

    private static string Shape(int[] dims) => string.Join("×", dims);

    private static int ReadFully(Stream s, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = s.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}
