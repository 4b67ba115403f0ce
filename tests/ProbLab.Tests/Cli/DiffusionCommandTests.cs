// `problab diffusion spiral|latent`: --json prints one object with the documented fields (tiny configs, so
// the runs take seconds), the report is written unless --no-report, and bad input gives one stderr line with
// exit code 2 (usage) or 1 (a VAE checkpoint with another latent size) and nothing on stdout.
// The latent command runs on the synthetic MNIST stand-in (no data folder is set).
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

    private static readonly string[] TinyLatent =
        ["diffusion", "latent", "--train-limit", "300", "--test-limit", "100", "--vae-epochs", "1", "--score-steps", "30", "--steps", "20",
         "--per-class", "2", "--sweep", "0,3"];

    [Fact]
    public void LatentJsonHasVaeDensitiesGridAndSweep()
    {
        using var tmp = new TempDir();
        var run = CliRunner.Run(tmp, [.. TinyLatent, "--guidance", "2", "--json", "--out", tmp["out"]]);
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Single(run.Stdout.Trim().Split('\n'));
        using var doc = JsonDocument.Parse(run.Stdout);
        var root = doc.RootElement;
        Assert.Equal("problab diffusion latent", root.GetProperty("command").GetString());
        Assert.True(root.GetProperty("data")[0].GetProperty("synthetic").GetBoolean());
        Assert.Equal(2, root.GetProperty("vae").GetProperty("latent").GetInt32());
        Assert.True(double.IsFinite(root.GetProperty("vae").GetProperty("testNegElbo").GetDouble()));
        Assert.InRange(root.GetProperty("classifierAccuracy").GetDouble(), 0, 1);
        var parzen = root.GetProperty("parzenLogDensity");
        Assert.True(double.IsFinite(parzen.GetProperty("diffusion").GetProperty("mean").GetDouble()));
        Assert.True(parzen.GetProperty("prior").GetProperty("stdError").GetDouble() > 0);
        Assert.Equal(10, root.GetProperty("grid").GetProperty("classifierAccuracyPerClass").GetArrayLength());
        var grid = root.GetProperty("grid");
        Assert.Equal(2.0, grid.GetProperty("w").GetDouble());
        Assert.Equal(20, grid.GetProperty("samples").GetInt32()); // 10 digits × 2
        Assert.Equal([0.0, 3.0], root.GetProperty("sweep").EnumerateArray().Select(g => g.GetProperty("w").GetDouble()));
        Assert.All(root.GetProperty("sweep").EnumerateArray(), g => Assert.InRange(g.GetProperty("classifierAccuracy").GetDouble(), 0, 1));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("compare").ValueKind);
        Assert.True(File.Exists(Path.Combine(tmp["out"], "index.html")));
    }

    [Fact]
    public void LatentRefusesAVaeCheckpointWithAnotherLatentSize()
    {
        using var tmp = new TempDir();
        var save = CliRunner.Run(tmp, ["vae", "--epochs", "1", "--latent", "3", "--train-limit", "128", "--test-limit", "64", "--save", tmp["ckpt"]]);
        Assert.True(save.Code == 0, save.Stderr);
        var run = CliRunner.Run(tmp, [.. TinyLatent, "--vae", tmp["ckpt"], "--no-report"]);
        Assert.Contains("latent size 3", CliRunner.AssertOneLineError(run, 1));
    }

    [Fact]
    public void LatentCompareRunsGuidanceInASecondLatent()
    {
        // Main latent 3 (the report's scatters use the principal-axes view), comparison latent 1 (guidance only).
        using var tmp = new TempDir();
        var run = CliRunner.Run(tmp, [.. TinyLatent, "--latent", "3", "--compare-latent", "1", "--json", "--out", tmp["out"]]);
        Assert.True(run.Code == 0, run.Stderr);
        using var doc = JsonDocument.Parse(run.Stdout);
        var root = doc.RootElement;
        Assert.Equal(3, root.GetProperty("vae").GetProperty("latent").GetInt32());
        var cmp = root.GetProperty("compare");
        Assert.Equal(1, cmp.GetProperty("vae").GetProperty("latent").GetInt32());
        Assert.Equal(20, cmp.GetProperty("grid").GetProperty("samples").GetInt32());
        Assert.Equal(10, cmp.GetProperty("grid").GetProperty("classifierAccuracyPerClass").GetArrayLength());
        Assert.Equal(2, cmp.GetProperty("sweep").GetArrayLength());
        Assert.Equal(10, cmp.GetProperty("neighbourAccuracyPerClass").GetArrayLength());
        Assert.Equal(10, cmp.GetProperty("mainNeighbourAccuracyPerClass").GetArrayLength());
        Assert.All(cmp.GetProperty("reconstructionAccuracyPerClass").EnumerateArray().Concat(cmp.GetProperty("mainReconstructionAccuracyPerClass").EnumerateArray()),
            v => Assert.InRange(v.GetDouble(), 0, 1));
        Assert.Equal(10, cmp.GetProperty("reconstructionAccuracyPerClass").GetArrayLength());
        string html = File.ReadAllText(Path.Combine(tmp["out"], "index.html"));
        Assert.Contains("Guidance in a wider latent: d_z = 3 vs d_z = 1", html);
        Assert.Contains("projected on the two leading principal axes", html);
    }

    [Fact]
    public void OnlyTheFullPresetRunsTheWiderLatent()
    {
        var cfg = new ProbLab.Cli.Experiments.DiffusionLatentConfig();
        Assert.Equal(0, cfg.CompareLatent);
        Assert.Equal(16, ProbLab.Cli.Experiments.DiffusionLatentConfig.Full.CompareLatent);
        Assert.Equal(0, ProbLab.Cli.Experiments.DiffusionLatentConfig.Quick.CompareLatent);
        Assert.Equal(2, ProbLab.Cli.Experiments.DiffusionLatentConfig.Quick.Latent);
    }

    [Theory]
    [InlineData("--latent 0", "problab: invalid value '0' for --latent: must be between 1 and 4096")]
    [InlineData("--compare-latent -1", "problab: invalid value '-1' for --compare-latent: must be between 0 and 4096")]
    [InlineData("--guidance -1", "problab: --guidance must be ≥ 0 (w = 0 is the plain conditional score), got -1")]
    [InlineData("--sweep 0,-2", "problab: invalid value '0,-2' for --sweep: guidance weights must be ≥ 0, got -2")]
    [InlineData("--guidance-from 1.5", "problab: invalid value '1.5' for --guidance-from: must be between 0 and 1")]
    [InlineData("--steps 0", "problab: invalid value '0' for --steps: must be between 1 and 100000")]
    public void LatentBadInputIsOneLineUsageError(string args, string expected)
    {
        using var tmp = new TempDir();
        var run = CliRunner.Run(tmp, ["diffusion", "latent", .. args.Split(' '), "--no-report"]);
        Assert.Equal(expected, CliRunner.AssertOneLineError(run, 2));
    }
}
