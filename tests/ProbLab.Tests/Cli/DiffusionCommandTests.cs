// `problab diffusion spiral|latent`: --json prints one object with the documented fields (tiny configs, so
// the runs take seconds), the report is written unless --no-report, and bad input gives one stderr line with
// exit code 2 (usage) and nothing on stdout.
using System.Text.Json;

namespace ProbLab.Tests.Cli;

[Collection("cli")]
public class DiffusionCommandTests
{
    private static readonly string[] TinySpiral =
        ["diffusion", "spiral", "--steps", "40", "--samples", "120", "--hyvarinen-steps", "10", "--denoising-steps", "10", "--exam-steps", "5"];

    [Fact]
    public void SpiralJsonHasScheduleSamplersAndLearnedScores()
    {
        using var tmp = new TempDir();
        var run = CliRunner.Run(tmp, [.. TinySpiral, "--json", "--out", tmp["out"]]);
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Single(run.Stdout.Trim().Split('\n'));
        using var doc = JsonDocument.Parse(run.Stdout);
        var root = doc.RootElement;
        Assert.Equal("problab diffusion spiral", root.GetProperty("command").GetString());
        Assert.Equal(40, root.GetProperty("config").GetProperty("steps").GetInt32());
        Assert.Equal(12.0, root.GetProperty("schedule").GetProperty("beta1").GetDouble());
        Check.Close(Math.Exp(-(0.1 + 0.5 * 11.9)), root.GetProperty("schedule").GetProperty("alphaBarK").GetDouble(), atol: 1e-6, name: "ᾱ_K");
        Assert.True(root.GetProperty("exact").GetProperty("meanDistance").GetDouble() < 0.1);
        var learned = root.GetProperty("learned").EnumerateArray().ToList();
        Assert.Equal(["hyvarinen", "denoising", "hyvarinen"], learned.Select(l => l.GetProperty("objective").GetString()));
        Assert.All(learned, l => Assert.True(l.GetProperty("evalOptimum").GetDouble() < 0));
        Assert.Equal(5, learned[0].GetProperty("fisher").GetArrayLength());
        Check.Close(0.904, root.GetProperty("examSchedule").GetProperty("alphaBarK").GetDouble(), atol: 1e-3, name: "exam ᾱ_K");
        Assert.True(File.Exists(Path.Combine(tmp["out"], "index.html")));
    }

    [Fact]
    public void SpiralPlainPrintsOneLinePerSamplerAndHonoursNoReport()
    {
        using var tmp = new TempDir();
        var run = CliRunner.Run(tmp, [.. TinySpiral, "--scores", "denoising", "--no-report", "--out", tmp["out"]]);
        Assert.True(run.Code == 0, run.Stderr);
        var lines = run.Stdout.Trim().Split('\n');
        Assert.Equal(5, lines.Length); // header, p0, exact, denoising, exam schedule
        Assert.StartsWith("denoising score matching", lines[3]);
        Assert.False(Directory.Exists(tmp["out"]));
    }

    [Theory]
    [InlineData("--steps 0", "problab: invalid value '0' for --steps: must be between 1 and 100000")]
    [InlineData("--beta1=-1", "problab: invalid value '-1' for --beta1: must be between 0 and 1000")]
    [InlineData("--scores hyvarinen,bogus", "problab: --scores: unknown score 'bogus' (expected hyvarinen, denoising, exam or none)")]
    [InlineData("--beta0 0 --beta1 0", "problab: --beta0 and --beta1 are both 0: nothing diffuses")]
    public void SpiralBadInputIsOneLineUsageError(string args, string expected)
    {
        using var tmp = new TempDir();
        var run = CliRunner.Run(tmp, ["diffusion", "spiral", .. args.Split(' '), "--no-report"]);
        Assert.Equal(expected, CliRunner.AssertOneLineError(run, 2));
    }
}
