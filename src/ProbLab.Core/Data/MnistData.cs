// MNIST loader: pairs an IDX image file (N, 28, 28) with its IDX label file (N), from the "mnist" folder
// (gzip or raw; for each file the raw name is tried, then name + ".gz"). Pixels stay bytes 0..255; use
// ToFloats() for values in [0, 1] (x / 255, as torchvision's ToTensor). Without real files, Load() returns
// the rendered-stroke stand-in (MnistSynthetic).
using ProbLab.Data.Synthetic;
using ProbLab.Tensors;

namespace ProbLab.Data;

/// <summary>One MNIST split: <see cref="Count"/> images of 28×28 bytes, row-major (N, 28, 28), and labels 0..9.</summary>
public sealed record MnistSplit(string Name, byte[] Pixels, int[] Labels)
{
    /// <summary>Image height.</summary>
    public const int Rows = 28;

    /// <summary>Image width.</summary>
    public const int Cols = 28;

    /// <summary>Number of images N.</summary>
    public int Count => Labels.Length;

    /// <summary>Pixels scaled to [0, 1] as float (N·28·28), i.e. byte / 255.</summary>
    public float[] ToFloats()
    {
        var x = new float[Pixels.Length];
        for (int i = 0; i < x.Length; i++) x[i] = Pixels[i] / 255f;
        return x;
    }

    /// <summary>The images as a tensor (N, 1, 28, 28) with values in [0, 1].</summary>
    public Tensor Images() => new(ToFloats(), Count, 1, Rows, Cols);
}

/// <summary>Train and test splits with their provenance.</summary>
public sealed record MnistDataset(MnistSplit Train, MnistSplit Test, DataSource Source);

/// <summary>Loader for MNIST IDX files.</summary>
public static class MnistData
{
    /// <summary>Reads an image file and a label file into one split, checking magic numbers, 28×28 size, counts and labels 0..9.</summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="DataFormatException">A file is malformed, the sizes are not 28×28, the counts differ, or a label exceeds 9.</exception>
    public static MnistSplit Read(string imagesPath, string labelsPath, string name)
    {
        var images = Idx.Read(imagesPath, Idx.ImagesMagic);
        if (images.Dims[1] != MnistSplit.Rows || images.Dims[2] != MnistSplit.Cols)
            throw new DataFormatException(imagesPath, null, "dimensions", $"images are {images.Dims[1]}×{images.Dims[2]}, expected 28×28");
        var labels = Idx.Read(labelsPath, Idx.LabelsMagic);
        if (labels.Dims[0] != images.Dims[0])
            throw new DataFormatException(labelsPath, null, "dimension 0", $"{labels.Dims[0]} labels but {imagesPath} has {images.Dims[0]} images");
        var y = new int[labels.Data.Length];
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = labels.Data[i];
            if (y[i] > 9) throw new DataFormatException(labelsPath, null, $"label {i}", $"label {y[i]} is not a digit 0..9");
        }
        return new MnistSplit(name, images.Data, y);
    }

    /// <summary>The path of <paramref name="baseName"/> (raw) or <paramref name="baseName"/>.gz in <paramref name="dir"/>.</summary>
    /// <exception cref="FileNotFoundException">Neither exists; the message names both.</exception>
    public static string FindFile(string dir, string baseName)
    {
        string raw = Path.Combine(dir, baseName), gz = raw + ".gz";
        if (File.Exists(raw)) return raw;
        if (File.Exists(gz)) return gz;
        throw new FileNotFoundException($"{gz}: file not found (nor {baseName})", gz);
    }

    /// <summary>Real MNIST from the "mnist" folder, else the synthetic stand-in with the given sizes.</summary>
    /// <exception cref="FileNotFoundException">The folder exists but a file is missing.</exception>
    /// <exception cref="DataFormatException">A file is malformed.</exception>
    public static MnistDataset Load(DataDirs dirs, int syntheticTrain = 10_000, int syntheticTest = 2_000, CancellationToken cancel = default)
    {
        string? dir = dirs.Locate(Datasets.Mnist, cancel);
        if (dir is null)
        {
            var train = MnistSynthetic.Generate(new Rng(MnistSynthetic.DefaultSeed), syntheticTrain, "train");
            var test = MnistSynthetic.Generate(new Rng(MnistSynthetic.DefaultSeed + 1), syntheticTest, "test");
            return new MnistDataset(train, test, DataSource.Synthetic("mnist",
                $"{train.Count}/{test.Count} train/test 28×28 rendered stroke digits with random pen, slant and jitter", dirs.MissingReason(Datasets.Mnist)));
        }
        var trainSplit = Read(FindFile(dir, "train-images-idx3-ubyte"), FindFile(dir, "train-labels-idx1-ubyte"), "train");
        var testSplit = Read(FindFile(dir, "t10k-images-idx3-ubyte"), FindFile(dir, "t10k-labels-idx1-ubyte"), "test");
        return new MnistDataset(trainSplit, testSplit, DataSource.Real("mnist", dir, $"{trainSplit.Count}/{testSplit.Count} train/test images"));
    }
}
