// DataDirs: resolution order, stand-in fallback, and downloads through a fake downloader (never the network).
using System.Security.Cryptography;
using System.Text;
using ProbLab.Data;

namespace ProbLab.Tests.Data;

public class DataDirsTests
{
    private sealed class FakeDownloader(Func<string, byte[]> content) : IDownloader
    {
        public List<string> Urls { get; } = [];

        public void Download(string url, string destinationPath, CancellationToken cancel)
        {
            Urls.Add(url);
            File.WriteAllBytes(destinationPath, content(url));
        }
    }

    private static DatasetInfo TwoFiles(byte[] a, byte[] b) => new("toy", "toy data",
    [
        new("a.txt", "https://example.invalid/a.txt", Convert.ToHexStringLower(MD5.HashData(a))),
        new("b.txt", "https://example.invalid/b.txt", Convert.ToHexStringLower(MD5.HashData(b))),
    ]);

    [Fact]
    public void DataDirBeatsEnvironmentWhichBeatsCache()
    {
        using var tmp = new TempDir();
        foreach (var root in new[] { "flag", "env", "cache" }) Directory.CreateDirectory(tmp[$"{root}/europe"]);
        Assert.Equal(tmp["flag/europe"], new DataDirs(tmp["flag"], tmp["env"], tmp["cache"]).Find("europe"));
        var env = new DataDirs(null, tmp["env"], tmp["cache"]);
        Assert.Equal(tmp["env/europe"], env.Find("europe"));
        Assert.Equal("$PROBLAB_DATA", env.RootOrigin);
        Assert.Equal(tmp["cache/europe"], new DataDirs(null, "", tmp["cache"]).Find("europe"));
        Assert.Equal(tmp["cache/europe"], new DataDirs(tmp["empty"], null, tmp["cache"]).Find("europe")); // the cache is searched after the root
        Assert.Null(new DataDirs(tmp["flag"], null, tmp["nocache"]).Find("mnist"));
    }

    [Fact]
    public void FromEnvironmentUsesXdgCacheHome()
    {
        using var tmp = new TempDir();
        var dirs = DataDirs.FromEnvironment(null, null, name => name switch { "XDG_CACHE_HOME" => tmp["xdg"], "PROBLAB_DATA" => tmp["data"], _ => null });
        Assert.Equal(tmp["xdg/problab"], dirs.CacheDir);
        Assert.Equal(tmp["data"], dirs.Root);
        Assert.False(dirs.DownloadsEnabled);
    }

    [Fact]
    public void WithoutDownloaderNothingIsFetched()
    {
        using var tmp = new TempDir();
        var dirs = new DataDirs(null, null, tmp["cache"]);
        Assert.Null(dirs.Locate(Datasets.Mnist));
        Assert.False(Directory.Exists(tmp["cache"]));
        DataAssert.OneLine(dirs.MissingReason(Datasets.Mnist), "--download", tmp["cache"]);
        DataAssert.OneLine(dirs.MissingReason(Datasets.Europe), "no canonical URL");
    }

    [Fact]
    public void DownloadGoesToCacheAfterChecksums()
    {
        using var tmp = new TempDir();
        byte[] a = Encoding.ASCII.GetBytes("alpha"), b = Encoding.ASCII.GetBytes("beta");
        var fake = new FakeDownloader(url => url.EndsWith("a.txt") ? a : b);
        var dirs = new DataDirs(tmp["root"], null, tmp["cache"], fake);
        string? dir = dirs.Locate(TwoFiles(a, b));
        Assert.Equal(tmp["cache/toy"], dir);
        Assert.Equal(["cache/toy/a.txt", "cache/toy/b.txt"], tmp.Files().Select(f => f.Replace('\\', '/')));
        Assert.Equal(2, fake.Urls.Count);
        Assert.Equal(dir, dirs.Locate(TwoFiles(a, b))); // found now, not fetched again
        Assert.Equal(2, fake.Urls.Count);
    }

    [Fact]
    public void ChecksumMismatchLeavesNoPartialDataset()
    {
        using var tmp = new TempDir();
        byte[] a = Encoding.ASCII.GetBytes("alpha"), b = Encoding.ASCII.GetBytes("beta");
        var fake = new FakeDownloader(url => url.EndsWith("a.txt") ? a : Encoding.ASCII.GetBytes("tampered"));
        var dirs = new DataDirs(null, null, tmp["cache"], fake);
        var e = Assert.Throws<IOException>(() => dirs.Locate(TwoFiles(a, b)));
        DataAssert.OneLine(e.Message, "b.txt", "MD5");
        Assert.Empty(tmp.Files());
        Assert.Empty(Directory.GetDirectories(tmp["cache"]));
    }

    [Fact]
    public void NetworkFailureIsOneLineAndLeavesNothing()
    {
        using var tmp = new TempDir();
        var failing = new FakeDownloader(url => throw new IOException($"could not download {url}: Name or service not known"));
        var dirs = new DataDirs(null, null, tmp["cache"], failing);
        var e = Assert.Throws<IOException>(() => dirs.Locate(Datasets.Shakespeare));
        DataAssert.OneLine(e.Message, "tinyshakespeare");
        Assert.Empty(Directory.GetFileSystemEntries(tmp["cache"]));
    }

    [Fact]
    public void CatalogKnowsEveryDatasetByName()
    {
        Assert.Equal(["europe", "mnist", "shakespeare", "seriea", "chess", "deepul"], Datasets.All.Select(d => d.Name));
        Assert.True(Datasets.Get("MNIST").IsDownloadable);
        Assert.True(Datasets.Shakespeare.IsDownloadable);
        Assert.All(Datasets.All.Where(d => !d.IsDownloadable), d => Assert.EndsWith("no canonical URL", d.NoUrlNote));
        var e = Assert.Throws<ArgumentException>(() => Datasets.Get("cifar"));
        DataAssert.OneLine(e.Message, "cifar", "europe");
    }

    [Fact]
    public void AtomicWriteLeavesOldFileOrNewFileNeverPartial()
    {
        using var tmp = new TempDir();
        string p = tmp["out/r.txt"];
        AtomicFile.WriteAllText(p, "first");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(p, s => { s.Write("half"u8); throw new InvalidOperationException("boom"); }));
        Assert.Equal("first", File.ReadAllText(p));
        Assert.Equal(["out/r.txt"], tmp.Files().Select(f => f.Replace('\\', '/')));
        AtomicFile.WriteAllBytes(p, "second"u8.ToArray());
        Assert.Equal("second", File.ReadAllText(p));
    }
}
