// `problab mixtures`: the JSON shape of the issue, the report it writes, and bad input (K < 1, unknown
// names, impossible combinations, malformed or NaN CSV) giving one stderr line and a non-zero exit.
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ProbLab.Tests.Cli;

[Collection("cli")]
public class MixturesCommandTests
{
    [Fact]
    public void JsonHasOneRunPerKWithPerEpochCurves()
    {
        using var tmp = new TempDir();
        var run = CliRunner.Run(tmp, ["mixtures", "--components", "1,3", "--epochs", "2", "--no-report", "--json", "--seed", "4"]);
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Single(run.Stdout.Trim().Split('\n'));
        using var doc = JsonDocument.Parse(run.Stdout);
        var root = doc.RootElement;
        Assert.Equal(4, root.GetProperty("seed").GetInt64());
        Assert.True(root.GetProperty("data")[0].GetProperty("synthetic").GetBoolean()); // no PROBLAB_DATA: the stand-in
        var runs = root.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal([1, 3], runs.Select(r => r.GetProperty("components").GetInt32()));
        foreach (var r in runs)
        {
            Assert.Equal("gmm", r.GetProperty("model").GetString());
            Assert.Equal("random", r.GetProperty("init").GetString());
            var train = r.GetProperty("trainLogLik").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var test = r.GetProperty("testLogLik").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            Assert.Equal(2, train.Length);
            Assert.Equal(2, test.Length);
            Assert.All(train.Concat(test), v => Assert.InRange(v, -10, 0));
            Assert.True(r.GetProperty("seconds").GetDouble() > 0);
        }
        Assert.False(Directory.Exists(tmp["mixtures-report"]));
        Assert.Contains("gmm K=3 random sgd", run.Stderr); // the human table went to stderr
    }

    [Fact]
    public void DefaultSeedIsTheCoursesAndAnExplicitSeedWins()
    {
        using var tmp = new TempDir();
        string[] args = ["mixtures", "--components", "2", "--epochs", "1", "--no-report", "--json"];
        long Seed(CliRun r)
        {
            Assert.True(r.Code == 0, r.Stderr);
            using var doc = JsonDocument.Parse(r.Stdout);
            return doc.RootElement.GetProperty("seed").GetInt64();
        }
        Assert.Equal(42, Seed(CliRunner.Run(tmp, args)));
        Assert.Equal(0, Seed(CliRunner.Run(tmp, [.. args, "--seed", "0"])));
    }

    [Fact]
    public void UniformRunWritesAReportWithItsAnalysis()
    {
        using var tmp = new TempDir();
        var run = CliRunner.Run(tmp, ["mixtures", "--model", "umm", "--components", "4", "--epochs", "2", "--out", tmp["out"]]);
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Equal([$"out{Path.DirectorySeparatorChar}index.html"], tmp.Files("out"));
        string html = File.ReadAllText(tmp["out/index.html"]);
        Assert.Contains("Why gradient descent struggles with uniform components", html);
        Assert.Contains("UMM K = 4: 1000 samples", html);
        Assert.DoesNotContain("NaN", html);
        // Inline SVGs must not share element ids (url(#id) resolves to the first match on the page).
        var ids = Regex.Matches(html, "id=\"(f\\d+-pl-[^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Matches(@"umm K=4 random sgd\s+-\d", run.Stdout);
    }

    [Theory]
    [InlineData("--components 0", "--components")]
    [InlineData("--components 1,x", "--components")]
    [InlineData("--model vae", "--model")]
    [InlineData("--init kmeans", "--init")]
    [InlineData("--epochs 0", "--epochs")]
    public void BadOptionsAreUsageErrors(string args, string mention)
    {
        using var tmp = new TempDir();
        var run = CliRunner.Run(tmp, ["mixtures", .. args.Split(' '), "--no-report"]);
        Assert.Contains(mention, CliRunner.AssertOneLineError(run, 2));
    }

    [Theory]
    [InlineData("--init class-means --components 5", "--components 33")]
    [InlineData("--method em --model umm", "--model gmm")]
    [InlineData("--method smoothed", "--model umm")]
    public void ImpossibleCombinationsAreUsageErrors(string args, string mention)
    {
        using var tmp = new TempDir();
        var run = CliRunner.Run(tmp, ["mixtures", .. args.Split(' '), "--no-report"]);
        Assert.Contains(mention, CliRunner.AssertOneLineError(run, 2));
    }

    [Theory]
    [InlineData("0,1.5,abc,3\n", "train.csv")]
    [InlineData("0,1.5,NaN,3\n", "train.csv")]
    [InlineData("", "no data rows")]
    public void BadDataFilesFailWithOneLine(string row, string mention)
    {
        using var tmp = new TempDir();
        tmp.Write("data/europe/train.csv", ",long,lat,country\n" + row);
        tmp.Write("data/europe/test.csv", ",long,lat,country\n0,2.5,48.1,11\n1,13.4,52.5,12\n");
        var run = CliRunner.Run(tmp, ["mixtures", "--components", "1", "--epochs", "1", "--no-report"], problabData: tmp["data"]);
        Assert.Contains(mention, CliRunner.AssertOneLineError(run, 1));
        Assert.False(Directory.Exists(tmp["mixtures-report"]));
    }
}
