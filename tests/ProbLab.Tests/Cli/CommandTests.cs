// bench gemm and data: --json prints exactly one parseable object on stdout; plain mode prints a table.
using System.Text.Json;

namespace ProbLab.Tests.Cli;

[Collection("cli")]
public class CommandTests
{
    [Fact]
    public void BenchGemmJsonIsOneObjectWithResults()
    {
        using var tmp = new TempDir();
        var run = CliRunner.Run(tmp, ["bench", "gemm", "--sizes", "8,16", "--repeats", "1", "--threads", "2", "--json"]);
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Single(run.Stdout.Trim().Split('\n'));
        using var doc = JsonDocument.Parse(run.Stdout);
        var root = doc.RootElement;
        Assert.Equal(2, root.GetProperty("threads").GetInt32());
        Assert.Equal([8, 16], root.GetProperty("config").GetProperty("sizes").EnumerateArray().Select(e => e.GetInt32()));
        var results = root.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([8, 16], results.Select(r => r.GetProperty("n").GetInt32()));
        Assert.All(results, r => Assert.True(r.GetProperty("gflops").GetDouble() > 0));
        Assert.Contains("GFLOP/s", run.Stderr); // the human table moved to stderr
    }

    [Fact]
    public void BenchGemmPlainPrintsHeaderAndTable()
    {
        using var tmp = new TempDir();
        var run = CliRunner.Run(tmp, ["bench", "gemm", "--sizes", "8", "--repeats", "1"]);
        Assert.True(run.Code == 0, run.Stderr);
        var lines = run.Stdout.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^\s+8\s+\d+\.\d\d\s+\d+\.\d{3}$", lines[1]);
        Assert.StartsWith("problab bench gemm | seed 0 | threads 1 | data: cache ", run.ErrLines[0]);
        Assert.Contains("\n  sizes   = 8\n", run.Stderr.Replace("\r", ""));
    }

    [Fact]
    public void DataListsFoundAndMissingDatasets()
    {
        using var tmp = new TempDir();
        Directory.CreateDirectory(tmp["data/europe"]);
        var run = CliRunner.Run(tmp, ["data", "--json", "--only", "europe,mnist"], problabData: tmp["data"]);
        Assert.True(run.Code == 0, run.Stderr);
        using var doc = JsonDocument.Parse(run.Stdout);
        var ds = doc.RootElement.GetProperty("datasets").EnumerateArray().ToList();
        Assert.True(ds[0].GetProperty("found").GetBoolean());
        Assert.Equal(tmp["data/europe"], ds[0].GetProperty("path").GetString());
        Assert.False(ds[1].GetProperty("found").GetBoolean());
        Assert.Contains("--download", ds[1].GetProperty("note").GetString());
        Assert.False(Directory.Exists(tmp["cache/problab/mnist"])); // nothing downloaded
    }
}
