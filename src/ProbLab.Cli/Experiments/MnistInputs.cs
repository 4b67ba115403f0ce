// MNIST as flat (N, 784) tensors in [0, 1] for the VAE and VIB commands and experiments, with optional
// size limits (quick presets) and a validation split carved from the end of the training set. Falls back to
// the synthetic stand-in (MnistData.Load) and records the provenance line either way.
using ProbLab.Data;
using ProbLab.Models;
using Tensor = ProbLab.Tensors.Tensor;

namespace ProbLab.Cli.Experiments;

/// <summary>Flattened MNIST splits: train, validation (possibly empty) and test.</summary>
public sealed record MnistInputs(LabelledData Train, LabelledData? Validation, LabelledData Test, DataSource Source)
{
    /// <summary>Pixels per image.</summary>
    public const int Dim = 28 * 28;

    /// <summary>
    /// Loads MNIST (or the stand-in), keeps the first <paramref name="trainLimit"/> training images (0: all) after
    /// holding out the last <paramref name="validation"/> ones, and the first <paramref name="testLimit"/> test images (0: all).
    /// </summary>
    /// <exception cref="ArgumentException">The validation split leaves no training images (one-line message).</exception>
    public static MnistInputs Load(DataDirs dirs, int trainLimit, int testLimit, int validation, CancellationToken cancel)
    {
        var ds = MnistData.Load(dirs, cancel: cancel);
        int n = ds.Train.Count;
        if (validation < 0 || validation >= n)
            throw new ArgumentException($"validation size {validation} must be in [0, {n}) for {n} training images");
        var all = ds.Train.ToFloats();
        int nTrain = trainLimit > 0 ? Math.Min(trainLimit, n - validation) : n - validation;
        var train = Slice(all, ds.Train.Labels, 0, nTrain);
        var val = validation > 0 ? Slice(all, ds.Train.Labels, n - validation, validation) : null;
        int nTest = testLimit > 0 ? Math.Min(testLimit, ds.Test.Count) : ds.Test.Count;
        var test = Slice(ds.Test.ToFloats(), ds.Test.Labels, 0, nTest);
        return new MnistInputs(train, val, test, ds.Source);
    }

    private static LabelledData Slice(float[] pixels, int[] labels, int start, int count) =>
        new(new Tensor(pixels.AsSpan(start * Dim, count * Dim).ToArray(), count, Dim), labels.AsSpan(start, count).ToArray());
}
