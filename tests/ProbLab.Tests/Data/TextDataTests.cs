// Text loading, the character vocabulary, and the tiny-Shakespeare course split.
using ProbLab.Data;

namespace ProbLab.Tests.Data;

public class TextDataTests
{
    [Fact]
    public void CanonicalSplitMatchesTheCourseFiles()
    {
        var text = string.Create(ShakespeareData.CanonicalLength, 0, (span, _) => { for (int i = 0; i < span.Length; i++) span[i] = (char)('a' + i % 26); });
        var split = ShakespeareData.Split(text);
        Assert.Equal(55_770, split.Test.Length);            // test_shakespeare.txt
        Assert.Equal(1_059_624, split.Train.Length);        // train_shakespeare.txt
        Assert.Equal(text[ShakespeareData.TestStart..ShakespeareData.TestEnd], split.Test);
        Assert.Equal(text[..ShakespeareData.TestStart] + text[ShakespeareData.TestEnd..], split.Train);
    }

    [Fact]
    public void SplitEqualsPythonIntFloorForManyLengths()
    {
        for (int n = 20; n < 3000; n += 7)
        {
            var text = new string('x', n);
            var split = ShakespeareData.Split(text);
            int start = (int)(0.9 * n), end = (int)(0.95 * n); // what the course's Python computes
            Assert.Equal(end - start, split.Test.Length);
            Assert.Equal(n - (end - start), split.Train.Length);
        }
        Assert.Throws<ArgumentException>(() => ShakespeareData.Split("short"));
    }

    [Fact]
    public void VocabIsSortedAndRoundTrips()
    {
        var vocab = CharVocab.FromText("hello, World!\n");
        Assert.Equal("\n !,Wdehlor", string.Concat(vocab.Chars));
        int[] ids = vocab.Encode("hello");
        Assert.Equal([7, 6, 8, 8, 9], ids);
        Assert.Equal("hello", vocab.Decode(ids));
        var e = Assert.Throws<ArgumentException>(() => vocab.Encode("help"));
        DataAssert.OneLine(e.Message, "'p'", "position 3");
        Assert.Throws<ArgumentOutOfRangeException>(() => vocab.Decode([0, 11]));
        Assert.Throws<ArgumentException>(() => CharVocab.FromText(""));
    }

    [Fact]
    public void ReadUtf8RejectsEmptyInvalidAndMissingFiles()
    {
        using var tmp = new TempDir();
        Assert.Equal("héllo\nwörld", TextData.ReadUtf8(tmp.Write("ok.txt", "\uFEFFhéllo\nwörld")));
        string empty = tmp.Write("empty.txt", "");
        DataAssert.Fails(() => TextData.ReadUtf8(empty), empty, null, null, "empty");
        string bad = tmp.Write("bad.txt", [(byte)'a', (byte)'\n', (byte)'b', 0xFF, (byte)'c']);
        DataAssert.Fails(() => TextData.ReadUtf8(bad), bad, 2, null, "invalid UTF-8", "offset 3");
        var e = Assert.Throws<FileNotFoundException>(() => TextData.ReadUtf8(tmp["none.txt"]));
        DataAssert.OneLine(e.Message, "none.txt");
    }

    [Fact]
    public void LoadUsesTrainVocabularyAndFallsBackToStandIn()
    {
        using var tmp = new TempDir();
        tmp.Write("d/shakespeare/input.txt", string.Concat(Enumerable.Repeat("First Citizen:\nBefore we proceed.\n\n", 40)) + "zq");
        var ds = ShakespeareData.Load(new DataDirs(tmp["d"], null, tmp["cache"]));
        Assert.False(ds.Source.IsSynthetic);
        Assert.Equal(ds.Split.Train.Distinct().Count(), ds.Vocab.Size);
        var syn = ShakespeareData.Load(new DataDirs(null, null, tmp["cache"]), syntheticChars: 5000);
        var syn2 = ShakespeareData.Load(new DataDirs(null, null, tmp["cache"]), syntheticChars: 5000);
        Assert.True(syn.Source.IsSynthetic);
        DataAssert.OneLine(syn.Source.ToString(), "shakespeare", "SYNTHETIC", "--download");
        Assert.Equal(syn.Split, syn2.Split);
        string all = syn.Split.Train + syn.Split.Test;
        Assert.True(all.Length >= 5000);
        Assert.Contains(":\n", all);
        Assert.All(all, c => Assert.True(c == '\n' || (c >= ' ' && c < 127), $"non-ASCII character U+{(int)c:X4}"));
        syn.Vocab.Encode(syn.Split.Train); // every train character has an id
    }

    [DataFact("shakespeare")]
    public void RealShakespeareSplitAndVocabulary()
    {
        var ds = ShakespeareData.Load(new DataDirs(Path.GetDirectoryName(DataFactAttribute.Dir("shakespeare")), null, Path.GetTempPath()));
        Assert.Equal(1_059_624, ds.Split.Train.Length);
        Assert.Equal(55_770, ds.Split.Test.Length);
        Assert.Equal(65, ds.Vocab.Size);
        Assert.Equal('\n', ds.Vocab.Chars[0]);
        Assert.Equal(' ', ds.Vocab.Chars[1]);
        Assert.StartsWith("First Citizen:", ds.Split.Train);
    }
}
