// The usage-error contract: unknown options/commands and bad values give ONE stderr line and exit 2,
// with no help dump and nothing on stdout. Lists of commands and experiments in the expected messages are
// taken from the live command tree and registry ({commands}, {bench}, {experiments}), so adding a command
// does not edit this file.
using ProbLab.Cli;
using ProbLab.Cli.Experiments;

namespace ProbLab.Tests.Cli;

[Collection("cli")]
public class ParseErrorTests
{
    [Theory]
    [InlineData("bench gemm --bogus", "problab: unknown option '--bogus' for 'problab bench gemm' (see 'problab bench gemm --help')")]
    [InlineData("--bogus report", "problab: unknown option '--bogus' for 'problab report' (see 'problab report --help')")]
    [InlineData("frobnicate", "problab: unknown command 'frobnicate' for 'problab' (expected one of: {commands})")]
    [InlineData("bench nope", "problab: unknown command 'nope' for 'problab bench' (expected one of: {bench})")]
    [InlineData("bench gemm extra", "problab: unexpected argument 'extra' for 'problab bench gemm'")]
    [InlineData("", "problab: 'problab' needs a command: {commands} (see 'problab --help')")]
    [InlineData("bench", "problab: 'problab bench' needs a command: {bench} (see 'problab bench --help')")]
    [InlineData("bench gemm --threads 0", "problab: invalid value '0' for --threads: must be between 1 and 1024")]
    [InlineData("--threads many bench gemm", "problab: invalid value 'many' for --threads: expected an integer")]
    [InlineData("bench gemm --seed abc", "problab: invalid value 'abc' for --seed: expected an integer")]
    [InlineData("bench gemm --seed", "problab: option '--seed' needs a value")]
    [InlineData("bench gemm --sizes 64,x", "problab: invalid value '64,x' for --sizes: 'x' is not an integer (expected a comma-separated list like 1,2,3)")]
    [InlineData("bench gemm --sizes 0", "problab: invalid value '0' for --sizes: 0 is not between 1 and 8192")]
    [InlineData("report --quick --full", "problab: --quick and --full cannot be used together")]
    [InlineData("report --only nosuch", "problab: unknown experiment 'nosuch' in --only (known: {experiments})")]
    [InlineData("data --only cifar", "problab: --only: unknown dataset 'cifar' (known: europe, mnist, shakespeare, seriea, chess, deepul)")]
    public void UsageErrorsAreOneLineWithExitCode2(string args, string expected)
    {
        using var tmp = new TempDir();
        var run = CliRunner.Run(tmp, args.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(Expand(expected), CliRunner.AssertOneLineError(run, 2));
        Assert.Single(run.ErrLines); // no header, no help text
    }

    private static string Expand(string expected)
    {
        var root = new CliApp(CliHost.ForTests(new Dictionary<string, string>(), null), TextWriter.Null, TextWriter.Null).BuildRoot();
        string Names(IEnumerable<System.CommandLine.Command> cs) => string.Join(", ", cs.Select(c => c.Name));
        return expected
            .Replace("{commands}", Names(root.Subcommands))
            .Replace("{bench}", Names(root.Subcommands.Single(c => c.Name == "bench").Subcommands))
            .Replace("{experiments}", string.Join(", ", ExperimentRegistry.All.Select(e => e.Name)));
    }

    [Fact]
    public void MissingDataDirIsAUsageError()
    {
        using var tmp = new TempDir();
        var run = CliRunner.Run(tmp, ["data", "--data-dir", tmp["nowhere"]]);
        string line = CliRunner.AssertOneLineError(run, 2);
        Assert.Contains("nowhere", line);
        Assert.Contains("not a directory", line);
    }

    [Fact]
    public void DownloadIsRefusedWhenTheHostHasNoDownloader()
    {
        using var tmp = new TempDir();
        var run = CliRunner.Run(tmp, ["data", "--download"]);
        Assert.Equal("problab: --download is not available in this environment", CliRunner.AssertOneLineError(run, 2));
    }

    [Fact]
    public void HelpGoesToStdoutWithExitCode0()
    {
        using var tmp = new TempDir();
        var run = CliRunner.Run(tmp, ["bench", "gemm", "--help"]);
        Assert.Equal(0, run.Code);
        Assert.Contains("Usage:", run.Stdout);
        Assert.Contains("--sizes", run.Stdout);
        Assert.Contains("--seed", run.Stdout); // recursive global options are listed on subcommands
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public void GlobalOptionsWorkBeforeOrAfterTheCommand()
    {
        using var tmp = new TempDir();
        var before = CliRunner.Run(tmp, ["--seed", "7", "--json", "bench", "gemm", "--sizes", "4", "--repeats", "1"]);
        var after = CliRunner.Run(tmp, ["bench", "gemm", "--sizes", "4", "--repeats", "1", "--seed=7", "--json"]);
        Assert.Equal(0, before.Code);
        Assert.Equal(0, after.Code);
        Assert.Contains("\"seed\":7", before.Stdout);
        Assert.Contains("\"seed\":7", after.Stdout);
    }
}
