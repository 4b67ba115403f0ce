// A train/test split of labelled points for the mixture experiments, already standardised. The course
// standardises with the training mean and (unbiased) std; its skeleton's __main__ standardised the test
// set with the test set's own statistics, kept here as an option (TestOwnStats) for comparison.
using ProbLab.Data;
using ProbLab.Tensors;

namespace ProbLab.Models.Mixtures;

/// <summary>Standardised train/test points (N, D) with integer class labels and the standardisation used.</summary>
public sealed record MixtureDataset(Tensor TrainX, int[] TrainLabels, Tensor TestX, int[] TestLabels, double[] Mean, double[] Std, bool TestOwnStats)
{
    /// <summary>Number of classes: 1 + the largest training label.</summary>
    public int Classes => TrainLabels.Length == 0 ? 0 : TrainLabels.Max() + 1;

    /// <summary>Standardises raw train/test points with the training statistics (or test with its own when <paramref name="testOwnStats"/>).</summary>
    /// <exception cref="ArgumentException">Empty sets, NaN/∞ values, mismatched shapes or label counts.</exception>
    public static MixtureDataset FromRaw(Tensor trainX, int[] trainLabels, Tensor testX, int[] testLabels, bool testOwnStats = false)
    {
        MixtureData.CheckPoints(trainX, "train");
        MixtureData.CheckPoints(testX, "test", trainX.Shape[1]);
        if (trainLabels.Length != trainX.Shape[0]) throw new ArgumentException($"train has {trainX.Shape[0]} rows but {trainLabels.Length} labels");
        if (testLabels.Length != testX.Shape[0]) throw new ArgumentException($"test has {testX.Shape[0]} rows but {testLabels.Length} labels");
        int d = trainX.Shape[1];
        var train = Standardizer.Fit(trainX.Data, d);
        var test = testOwnStats ? Standardizer.Fit(testX.Data, d) : train;
        return new MixtureDataset(new Tensor(train.Transform(trainX.Data), trainX.Shape[0], d), trainLabels,
            new Tensor(test.Transform(testX.Data), testX.Shape[0], d), testLabels, train.Mean, train.Std, testOwnStats);
    }

    /// <summary>The Europe train/test splits (long, lat), standardised as <see cref="FromRaw"/> does.</summary>
    public static MixtureDataset FromEurope(EuropeDataset europe, bool testOwnStats = false) =>
        FromRaw(europe.Train.Features(), europe.Train.Labels, europe.Test.Features(), europe.Test.Labels, testOwnStats);
}
