// Windowed next-token data: window contents and targets, counts, sampling ranges and errors.
using ProbLab.Data;
using ProbLab.Tensors;

namespace ProbLab.Tests.Data;

public class TextWindowsTests
{
    [Fact]
    public void WindowsAreShiftedByOne()
    {
        var tokens = Enumerable.Range(0, 20).ToArray();
        var w = new TextWindows(tokens, 4);
        Assert.Equal(16, w.Count);
        var x = new int[8];
        var y = new int[8];
        w.Fill(new[] { 0, 15 }, x, y);
        Assert.Equal(new[] { 0, 1, 2, 3, 15, 16, 17, 18 }, x);
        Assert.Equal(new[] { 1, 2, 3, 4, 16, 17, 18, 19 }, y);
        Assert.Throws<ArgumentOutOfRangeException>(() => w.Fill(new[] { 16 }, x, y));
    }

    [Fact]
    public void SamplingStaysInRange()
    {
        var w = new TextWindows(Enumerable.Range(0, 30).ToArray(), 5);
        var rng = new Rng(1);
        var with = w.SampleWithReplacement(rng, 1000);
        Assert.All(with, s => Assert.InRange(s, 0, w.Count - 1));
        Assert.Equal(w.Count, with.Distinct().Count()); // 1000 draws from 25 starts hit them all
        var without = w.SampleWithoutReplacement(rng, 10);
        Assert.Equal(10, without.Distinct().Count());
        Assert.Equal(w.Count, w.SampleWithoutReplacement(rng, 100).Length);
    }

    [Fact]
    public void RejectsTooShortSequences()
    {
        var e = Assert.Throws<ArgumentException>(() => new TextWindows(new[] { 1, 2, 3 }, 3));
        Assert.Contains("no window", e.Message);
        Assert.Throws<ArgumentException>(() => new TextWindows(new[] { 1, 2, 3 }, 0));
    }
}
