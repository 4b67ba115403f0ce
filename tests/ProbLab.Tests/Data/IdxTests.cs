// IDX/MNIST reader: raw and gzip files, magic numbers, size checks, truncation, and the stand-in.
using System.Buffers.Binary;
using System.IO.Compression;
using ProbLab.Data;
using ProbLab.Data.Synthetic;
using ProbLab.Tensors;

namespace ProbLab.Tests.Data;

public class IdxTests
{
    internal static byte[] IdxBytes(int magic, int[] dims, byte[] data)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int d = 0; d < dims.Length; d++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), dims[d]);
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    internal static byte[] Gzip(byte[] raw)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest)) gz.Write(raw);
        return ms.ToArray();
    }

    private static byte[] Pixels(int n) => Enumerable.Range(0, n * 28 * 28).Select(i => (byte)(i * 7 % 256)).ToArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsImagesAndLabels(bool gzip)
    {
        using var tmp = new TempDir();
        byte[] px = Pixels(3);
        byte[] img = IdxBytes(Idx.ImagesMagic, [3, 28, 28], px), lab = IdxBytes(Idx.LabelsMagic, [3], [7, 0, 9]);
        string ip = tmp.Write("img", gzip ? Gzip(img) : img), lp = tmp.Write("lab", gzip ? Gzip(lab) : lab);
        var split = MnistData.Read(ip, lp, "train");
        Assert.Equal(3, split.Count);
        Assert.Equal(px, split.Pixels);
        Assert.Equal([7, 0, 9], split.Labels);
        var f = split.ToFloats();
        Check.Close(px.Select(b => b / 255f).ToArray(), f, 0, 0, "floats");
        Assert.Equal([3, 1, 28, 28], split.Images().Shape);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WrongMagicNamesTheFile(bool gzip)
    {
        using var tmp = new TempDir();
        byte[] lab = IdxBytes(Idx.LabelsMagic, [3], [1, 2, 3]);
        string p = tmp.Write("labels-as-images", gzip ? Gzip(lab) : lab);
        var e = DataAssert.Fails(() => Idx.Read(p, Idx.ImagesMagic), p, null, "magic number", "0x00000801", "2051");
        Assert.Contains("image", e.Message);
    }

    [Fact]
    public void NonIdxAndUnsupportedTypesAreRejected()
    {
        using var tmp = new TempDir();
        string text = tmp.Write("t", "hello world, not idx");
        DataAssert.Fails(() => Idx.Read(text), text, null, "magic number", "not an IDX file");
        string floats = tmp.Write("f", IdxBytes(0x00000D01, [1], [0, 0, 0, 0]));
        DataAssert.Fails(() => Idx.Read(floats), floats, null, "magic number", "0x0D");
        string tiny = tmp.Write("s", new byte[] { 0, 0 });
        DataAssert.Fails(() => Idx.Read(tiny), tiny, null, "magic number", "shorter");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TruncatedFilesAreDetected(bool gzip)
    {
        using var tmp = new TempDir();
        byte[] full = IdxBytes(Idx.ImagesMagic, [2, 28, 28], Pixels(2));
        byte[] cut = full[..(full.Length - 100)];
        string p = tmp.Write("cut", gzip ? Gzip(cut) : cut);
        DataAssert.Fails(() => Idx.Read(p, Idx.ImagesMagic), p, null, "data", "2×28×28", "1,568");
        string header = tmp.Write("header", full[..10]);
        DataAssert.Fails(() => Idx.Read(header, Idx.ImagesMagic), header, null, "dimension 1", "header");
    }

    [Fact]
    public void TruncatedGzipStreamIsDetected()
    {
        using var tmp = new TempDir();
        byte[] gz = Gzip(IdxBytes(Idx.ImagesMagic, [20, 28, 28], Pixels(20)));
        string p = tmp.Write("cut.gz", gz[..(gz.Length / 2)]);
        var e = Assert.Throws<DataFormatException>(() => Idx.Read(p, Idx.ImagesMagic));
        Assert.Equal(p, e.File);
        DataAssert.OneLine(e.Message, p);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TrailingBytesAreRejected(bool gzip)
    {
        using var tmp = new TempDir();
        byte[] raw = [.. IdxBytes(Idx.LabelsMagic, [2], [1, 2]), 99];
        string p = tmp.Write("long", gzip ? Gzip(raw) : raw);
        DataAssert.Fails(() => Idx.Read(p, Idx.LabelsMagic), p, null, "data", gzip ? "after" : "holds 3");
    }

    [Fact]
    public void MnistChecksShapesCountsAndLabels()
    {
        using var tmp = new TempDir();
        string img = tmp.Write("img", IdxBytes(Idx.ImagesMagic, [2, 28, 28], Pixels(2)));
        string small = tmp.Write("small", IdxBytes(Idx.ImagesMagic, [1, 2, 2], [1, 2, 3, 4]));
        string lab3 = tmp.Write("lab3", IdxBytes(Idx.LabelsMagic, [3], [1, 2, 3]));
        string bad = tmp.Write("bad", IdxBytes(Idx.LabelsMagic, [2], [1, 12]));
        DataAssert.Fails(() => MnistData.Read(small, lab3, "x"), small, null, "dimensions", "2×2");
        DataAssert.Fails(() => MnistData.Read(img, lab3, "x"), lab3, null, "dimension 0", "3 labels");
        DataAssert.Fails(() => MnistData.Read(img, bad, "x"), bad, null, "label 1", "12");
        var e = Assert.Throws<FileNotFoundException>(() => MnistData.Read(tmp["missing"], lab3, "x"));
        DataAssert.OneLine(e.Message, "missing");
    }

    [Fact]
    public void LoadFindsRawOrGzipFilesAndReportsMissingOnes()
    {
        using var tmp = new TempDir();
        tmp.Write("d/mnist/train-images-idx3-ubyte.gz", Gzip(IdxBytes(Idx.ImagesMagic, [2, 28, 28], Pixels(2))));
        tmp.Write("d/mnist/train-labels-idx1-ubyte", IdxBytes(Idx.LabelsMagic, [2], [3, 4]));
        tmp.Write("d/mnist/t10k-images-idx3-ubyte", IdxBytes(Idx.ImagesMagic, [1, 28, 28], Pixels(1)));
        var dirs = new DataDirs(tmp["d"], null, tmp["cache"]);
        var e = Assert.Throws<FileNotFoundException>(() => MnistData.Load(dirs));
        DataAssert.OneLine(e.Message, "t10k-labels-idx1-ubyte");
        tmp.Write("d/mnist/t10k-labels-idx1-ubyte.gz", Gzip(IdxBytes(Idx.LabelsMagic, [1], [5])));
        var ds = MnistData.Load(dirs);
        Assert.False(ds.Source.IsSynthetic);
        Assert.Equal((2, 1), (ds.Train.Count, ds.Test.Count));
    }

    [Fact]
    public void StandInIsDeterministicBalancedAndDigitShaped()
    {
        using var tmp = new TempDir();
        var ds = MnistData.Load(new DataDirs(null, null, tmp["cache"]), syntheticTrain: 200, syntheticTest: 50);
        Assert.True(ds.Source.IsSynthetic);
        DataAssert.OneLine(ds.Source.ToString(), "mnist", "SYNTHETIC", "--download");
        Assert.Equal((200, 50), (ds.Train.Count, ds.Test.Count));
        Assert.Equal(200 * 784, ds.Train.Pixels.Length);
        Assert.All(Enumerable.Range(0, 10), d => Assert.Equal(20, ds.Train.Labels.Count(l => l == d)));
        var again = MnistSynthetic.Generate(new Rng(MnistSynthetic.DefaultSeed), 200, "train");
        Assert.Equal(ds.Train.Pixels, again.Pixels);
        Assert.Equal(ds.Train.Labels, again.Labels);
        // Like MNIST: dark background, ink confined to the middle, mean intensity in a plausible band.
        double mean = ds.Train.ToFloats().Average(v => (double)v);
        Assert.InRange(mean, 0.06, 0.25);
        for (int i = 0; i < ds.Train.Count; i++)
        {
            var img = ds.Train.Pixels.AsSpan(i * 784, 784);
            Assert.True(img.ContainsAnyExcept((byte)0), $"image {i} is blank");
            for (int x = 0; x < 28; x++) Assert.Equal(0, img[x]); // top row empty
        }
    }

    [DataFact("mnist")]
    public void RealMnistHasDocumentedCounts()
    {
        var dirs = new DataDirs(Path.GetDirectoryName(DataFactAttribute.Dir("mnist")), null, Path.GetTempPath());
        var ds = MnistData.Load(dirs);
        Assert.Equal((60_000, 10_000), (ds.Train.Count, ds.Test.Count));
        int[] trainCounts = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
        Assert.Equal(trainCounts, Enumerable.Range(0, 10).Select(d => ds.Train.Labels.Count(l => l == d)));
        double mean = ds.Train.Pixels.Average(b => (double)b) / 255;
        Check.Close(0.13066, mean, 1e-5, 0, "pixel mean");
    }
}
