// Minimal reader of the gzipped MNIST IDX files (train-images-idx3-ubyte.gz etc.) for the VAE and VIB
// models until the shared Data/ loader is merged; IDX: big-endian magic (0x0803 images, 0x0801 labels),
// item count, dims, then one byte per value. Pixels are scaled to [0, 1].
using System.Buffers.Binary;
using System.IO.Compression;

namespace ProbLab.Models;

/// <summary>MNIST images as (N, 784) floats in [0, 1] with their labels.</summary>
public sealed record MnistImages(float[] Pixels, int[] Labels)
{
    /// <summary>Pixels per image (28·28).</summary>
    public const int Dim = 784;

    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>The images as a (N, 784) tensor sharing this record's storage.</summary>
    public Tensor ToTensor() => new(Pixels, Count, Dim);

    /// <summary>The first <paramref name="n"/> images (copied).</summary>
    public MnistImages Take(int n) => Range(0, Math.Min(n, Count));

    /// <summary>Images [start, start + n) (copied).</summary>
    public MnistImages Range(int start, int n) =>
        new(Pixels.AsSpan(start * Dim, n * Dim).ToArray(), Labels.AsSpan(start, n).ToArray());
}

/// <summary>Reads the four gzipped MNIST IDX files from a folder.</summary>
public static class MnistGz
{
    /// <summary>Loads the train or test split from <paramref name="dir"/> (a folder with the .gz files).</summary>
    /// <exception cref="FileNotFoundException">A file is missing (one-line message naming it).</exception>
    /// <exception cref="InvalidDataException">A file is malformed (one-line message naming it).</exception>
    public static MnistImages Load(string dir, bool train)
    {
        string prefix = train ? "train" : "t10k";
        var images = ReadIdx(Path.Combine(dir, $"{prefix}-images-idx3-ubyte.gz"), 0x0803);
        var labels = ReadIdx(Path.Combine(dir, $"{prefix}-labels-idx1-ubyte.gz"), 0x0801);
        if (images.Dims[0] != labels.Dims[0] || images.Dims.Length != 3 || images.Dims[1] * images.Dims[2] != MnistImages.Dim)
            throw new InvalidDataException($"{dir}: {prefix} images ({string.Join("x", images.Dims)}) and labels ({labels.Dims[0]}) do not match");
        var px = new float[images.Data.Length];
        for (int i = 0; i < px.Length; i++) px[i] = images.Data[i] / 255f;
        var lab = new int[labels.Data.Length];
        for (int i = 0; i < lab.Length; i++)
        {
            lab[i] = labels.Data[i];
            if (lab[i] > 9) throw new InvalidDataException($"{dir}: {prefix} label {lab[i]} at item {i} is not a digit");
        }
        return new MnistImages(px, lab);
    }

    /// <summary>The MNIST folder: <paramref name="dataDir"/>/mnist, else $PROBLAB_DATA/mnist.</summary>
    /// <exception cref="DirectoryNotFoundException">No folder was given and PROBLAB_DATA is not set or lacks mnist/.</exception>
    public static string ResolveDir(string? dataDir)
    {
        string? root = dataDir ?? Environment.GetEnvironmentVariable("PROBLAB_DATA");
        if (string.IsNullOrEmpty(root)) throw new DirectoryNotFoundException("MNIST not found: pass --data-dir or set PROBLAB_DATA to a folder containing mnist/");
        string dir = Path.Combine(root, "mnist");
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"MNIST not found: {dir} does not exist");
        return dir;
    }

    private sealed record Idx(int[] Dims, byte[] Data);

    private static Idx ReadIdx(string path, int magic)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"MNIST file not found: {path}");
        byte[] raw;
        try
        {
            using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
            using var ms = new MemoryStream();
            gz.CopyTo(ms);
            raw = ms.ToArray();
        }
        catch (InvalidDataException e) { throw new InvalidDataException($"{path}: not a gzip file ({e.Message})"); }
        if (raw.Length < 8 || BinaryPrimitives.ReadInt32BigEndian(raw) != magic)
            throw new InvalidDataException($"{path}: bad IDX magic (expected 0x{magic:x8})");
        int rank = magic & 0xff;
        var dims = new int[rank];
        long size = 1;
        for (int d = 0; d < rank; d++)
        {
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(raw.AsSpan(4 + 4 * d));
            size *= dims[d];
        }
        int header = 4 + 4 * rank;
        if (raw.Length - header != size) throw new InvalidDataException($"{path}: {raw.Length - header} data bytes, header says {size}");
        return new Idx(dims, raw.AsSpan(header).ToArray());
    }
}
