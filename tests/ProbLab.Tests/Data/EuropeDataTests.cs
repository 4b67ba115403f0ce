// Europe CSV loader, standardisation, stand-in fallback, and (with PROBLAB_DATA) the real row counts.
using ProbLab.Data;
using ProbLab.Data.Synthetic;
using ProbLab.Tensors;

namespace ProbLab.Tests.Data;

public class EuropeDataTests
{
    private const string Fixture = ",long,lat,country\n502389,20.1446,51.216784,24\n640953,33.918319,45.942072,32\n12,-3.2959739999999997,40.5,0\n";

    private static DataDirs Dirs(TempDir tmp, string? dataDir = null) => new(dataDir, null, tmp["cache"]);

    [Fact]
    public void ReadsCoordinatesAndLabels()
    {
        using var tmp = new TempDir();
        var split = EuropeData.Read(tmp.Write("train.csv", Fixture));
        Assert.Equal(3, split.Count);
        Check.Close([20.1446f, 51.216784f, 33.918319f, 45.942072f, -3.2959739999999997f, 40.5f], split.Coords, 0, 0, "coords");
        Assert.Equal([24, 32, 0], split.Labels);
        Assert.Equal([3, 2], split.Features().Shape);
    }

    [Theory]
    [InlineData("1,NaN,40,3", 3, "long", "not a finite number")]
    [InlineData("1,10,-Infinity,3", 3, "lat", "not a finite number")]
    [InlineData("1,10,95,3", 3, "lat", "outside [-90, 90]")]
    [InlineData("1,10,40,33", 3, "country", "outside [0, 32]")]
    [InlineData("1,10,40,2.0", 3, "country", "not an integer")]
    [InlineData("1,10,40", 3, null, "fields")]
    public void BadRowsNameFileLineAndField(string row, int line, string? field, string detail)
    {
        using var tmp = new TempDir();
        string p = tmp.Write("train.csv", ",long,lat,country\n5,1,2,3\n" + row + "\n");
        DataAssert.Fails(() => EuropeData.Read(p), p, line, field, detail);
    }

    [Fact]
    public void WrongHeaderAndEmptyFilesAreRejected()
    {
        using var tmp = new TempDir();
        string hdr = tmp.Write("h.csv", "long,lat,country\n1,2,3\n");
        DataAssert.Fails(() => EuropeData.Read(hdr), hdr, 1, null, ",long,lat,country");
        string empty = tmp.Write("e.csv", "");
        DataAssert.Fails(() => EuropeData.Read(empty), empty, null, null, "empty");
        string only = tmp.Write("o.csv", ",long,lat,country\n");
        DataAssert.Fails(() => EuropeData.Read(only), only, null, null, "no data rows");
    }

    [Fact]
    public void StandardizerMatchesUnbiasedNaiveStatistics()
    {
        float[] x = [1, 10, 2, 20, 4, 40, 7, 70, 11, 110]; // (5, 2)
        var s = Standardizer.Fit(x, 2);
        double m0 = (1 + 2 + 4 + 7 + 11) / 5.0;
        double v0 = new[] { 1.0, 2, 4, 7, 11 }.Sum(v => (v - m0) * (v - m0)) / 4; // N − 1
        Check.Close(m0, s.Mean[0], 1e-12, 0, "mean0");
        Check.Close(10 * m0, s.Mean[1], 1e-12, 1e-12, "mean1");
        Check.Close(Math.Sqrt(v0), s.Std[0], 1e-12, 1e-12, "std0");
        Check.Close(10 * Math.Sqrt(v0), s.Std[1], 1e-12, 1e-12, "std1");
        var z = s.Transform(x);
        var back = Standardizer.Fit(z, 2);
        Check.Close(0, back.Mean[0], 1e-6, 0, "z mean");
        Check.Close(1, back.Std[1], 1e-6, 0, "z std");
        Check.Close(x, s.Inverse(z), 1e-5, 1e-6, "inverse");
        Assert.Throws<ArgumentException>(() => Standardizer.Fit([1, 2], 2));           // one row
        Assert.Throws<ArgumentException>(() => Standardizer.Fit([1, 2, 1, 3], 2));     // constant column
    }

    [Fact]
    public void LoadUsesRealFolderWhenPresent()
    {
        using var tmp = new TempDir();
        tmp.Write("data/europe/train.csv", Fixture);
        tmp.Write("data/europe/test.csv", Fixture);
        var ds = EuropeData.Load(Dirs(tmp, tmp["data"]));
        Assert.False(ds.Source.IsSynthetic);
        Assert.Equal(tmp["data/europe"], ds.Source.Path);
        Assert.Null(ds.Validation);
        Assert.Equal(3, ds.Test.Count);
        DataAssert.OneLine(ds.Source.ToString(), "europe", "real data");
    }

    [Fact]
    public void LoadFailsLoudlyWhenFolderIsIncomplete()
    {
        using var tmp = new TempDir();
        tmp.Write("data/europe/train.csv", Fixture);
        var e = Assert.Throws<FileNotFoundException>(() => EuropeData.Load(Dirs(tmp, tmp["data"])));
        DataAssert.OneLine(e.Message, "test.csv");
    }

    [Fact]
    public void LoadFallsBackToDeterministicStandIn()
    {
        using var tmp = new TempDir();
        var ds = EuropeData.Load(Dirs(tmp));
        Assert.True(ds.Source.IsSynthetic);
        DataAssert.OneLine(ds.Source.ToString(), "europe", "SYNTHETIC", "no canonical URL");
        Assert.Equal(106_897, ds.Train.Count);
        Assert.Equal(13_363, ds.Test.Count);
        Assert.Equal(2 * ds.Train.Count, ds.Train.Coords.Length);
        Assert.Equal(Enumerable.Range(0, 33), ds.Train.Labels.Distinct().Order());
        Assert.All(ds.Train.Coords, v => Assert.True(float.IsFinite(v)));
        var again = EuropeData.Load(Dirs(tmp));
        Assert.Equal(ds.Train.Coords, again.Train.Coords);
        Assert.Equal(ds.Test.Labels, again.Test.Labels);
        // Map-shaped: most points fall in Europe's bounding box, as in the real data.
        int inside = 0;
        for (int i = 0; i < ds.Test.Count; i++)
            if (ds.Test.Coords[2 * i] is > -12 and < 42 && ds.Test.Coords[2 * i + 1] is > 34 and < 72) inside++;
        Assert.True(inside > 0.97 * ds.Test.Count, $"{inside} of {ds.Test.Count} points inside Europe's box");
    }

    [Fact]
    public void StandInDependsOnlyOnItsRng()
    {
        var a = EuropeSynthetic.Generate(new Rng(5), 100, 10, 20);
        var b = EuropeSynthetic.Generate(new Rng(5), 100, 10, 20);
        var c = EuropeSynthetic.Generate(new Rng(6), 100, 10, 20);
        Assert.Equal(a.Train.Coords, b.Train.Coords);
        Assert.NotEqual(a.Train.Coords, c.Train.Coords);
        Assert.Equal((100, 10, 20), (a.Train.Count, a.Validation.Count, a.Test.Count));
    }

    [DataFact("europe")]
    public void RealDataHasDocumentedRowCountsAndStatistics()
    {
        string dir = DataFactAttribute.Dir("europe");
        var train = EuropeData.Read(Path.Combine(dir, "train.csv"));
        var test = EuropeData.Read(Path.Combine(dir, "test.csv"));
        Assert.Equal(106_897, train.Count);
        Assert.Equal(13_363, test.Count);
        Assert.Equal(33, train.Labels.Distinct().Count());
        var s = Standardizer.Fit(train.Coords, 2); // SOURCES/REFERENCE: long 14.557 ± 10.598, lat 48.987 ± 5.996
        Check.Close(14.557, s.Mean[0], 1e-3, 0, "long mean");
        Check.Close(48.987, s.Mean[1], 1e-3, 0, "lat mean");
        Check.Close(10.598, s.Std[0], 1e-3, 0, "long std");
        Check.Close(5.996, s.Std[1], 1e-3, 0, "lat std");
    }
}
