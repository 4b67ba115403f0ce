// The sample classifier that judges generated digits: it must learn the synthetic MNIST stand-in well
// (held-out accuracy ≥ 90% after 3 epochs on 3000 images; the stand-in's digits are clean strokes) and
// reject mismatched inputs with one-line errors.
using ProbLab.Data.Synthetic;
using ProbLab.Models.Diffusion;
using ProbLab.Tensors;

namespace ProbLab.Tests.Models.Diffusion;

public class SampleClassifierTests
{
    [Fact]
    public void LearnsSyntheticDigits()
    {
        var train = MnistSynthetic.Generate(new Rng(1), 3000);
        var test = MnistSynthetic.Generate(new Rng(2), 500);
        var clf = new SampleClassifier([784, 128, 10], new Rng(3));
        var losses = clf.Fit(new Tensor(train.ToFloats(), train.Count, 784), train.Labels, 3, new Rng(4));
        Assert.True(losses[^1] < losses[0], $"loss {losses[0]:F3} → {losses[^1]:F3}");
        double acc = clf.Accuracy(new Tensor(test.ToFloats(), test.Count, 784), test.Labels);
        Assert.True(acc >= 0.9, $"held-out accuracy {acc:F3}");
    }

    [Fact]
    public void BadInputGivesOneLineErrors()
    {
        var clf = new SampleClassifier([4, 3], new Rng(1));
        MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => clf.Fit(Tensor.Zeros(2, 4), [0], 1, new Rng(1))));
        MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => clf.Fit(Tensor.Zeros(2, 5), [0, 1], 1, new Rng(1))));
        MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => clf.Fit(Tensor.Zeros(2, 4), [0, 3], 1, new Rng(1))));
        MixtureTests.AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => new SampleClassifier([4], new Rng(1))));
    }
}
