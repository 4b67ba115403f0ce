// `problab vae`, `kl` and `vib`: --json prints one object with the documented fields; bad input (a checkpoint
// with another latent size, bad option values, a broken MNIST folder) gives one stderr line and a non-zero exit.
// Data: without a folder the loaders use the synthetic MNIST stand-in, so these tests need no dataset.
using System.Text.Json;

namespace ProbLab.Tests.Cli;

[Collection("cli")]
public class LatentCommandTests
{
    [Fact]
    public void KlJsonHasFitsAndTheUniformExample()
    {
        using var tmp = new TempDir();
        var run = CliRunner.Run(tmp, ["kl", "--steps", "200", "--json"]);
        Assert.True(run.Code == 0, run.Stderr);
        using var doc = JsonDocument.Parse(run.Stdout);
        var root = doc.RootElement;
        Assert.Equal("problab kl", root.GetProperty("command").GetString());
        Assert.Equal(200, root.GetProperty("config").GetProperty("steps").GetInt32());
        var fits = root.GetProperty("fits").EnumerateArray().ToList();
        Assert.Equal(4, fits.Count);
        Assert.Equal("forward", fits[0].GetProperty("direction").GetString());
        Check.Close(Math.Sqrt(10), fits[0].GetProperty("std").GetDouble(), 0.3, 0, "forward fit std");
        Check.Close(3, Math.Abs(fits[1].GetProperty("mean").GetDouble()), 0.2, 0, "reverse fit on a mode");
        var uni = root.GetProperty("uniform");
        Check.Close(Math.Log(2), uni.GetProperty("forwardKl").GetDouble(), 1e-9, 0, "uniform forward KL");
        Assert.Equal("Infinity", uni.GetProperty("reverseKl").GetString());
    }

    [Fact]
    public void VaeJsonSummaryAndCheckpointWithWrongLatentSize()
    {
        using var tmp = new TempDir();
        string[] small = ["--train-limit", "256", "--test-limit", "64", "--hidden", "16", "--batch-size", "64"];
        var run = CliRunner.Run(tmp, ["vae", "--epochs", "2", "--latent", "3", "--save", tmp["ckpt"], "--json", .. small]);
        Assert.True(run.Code == 0, run.Stderr);
        using var doc = JsonDocument.Parse(run.Stdout);
        var root = doc.RootElement;
        Assert.Equal(2, root.GetProperty("epochs").GetArrayLength());
        var test = root.GetProperty("test");
        double negElbo = test.GetProperty("negElbo").GetDouble();
        Check.Close(test.GetProperty("recon").GetDouble() + test.GetProperty("kl").GetDouble(), negElbo, 1e-3, 0, "−ELBO = recon + KL");
        Assert.Equal(256, root.GetProperty("trainImages").GetInt32());
        Assert.True(root.GetProperty("data")[0].GetProperty("synthetic").GetBoolean());
        Assert.True(File.Exists(Path.Combine(tmp["ckpt"], "model.safetensors")));

        // Loading needs the same sizes: latent 2 against a latent-3 checkpoint is a one-line runtime error.
        var bad = CliRunner.Run(tmp, ["vae", "--epochs", "0", "--load", tmp["ckpt"], .. small]);
        string line = CliRunner.AssertOneLineError(bad, 1);
        Assert.Contains("latent size 3", line);

        // Evaluate-only from the checkpoint with matching sizes reproduces a finite −ELBO.
        var ok = CliRunner.Run(tmp, ["vae", "--epochs", "0", "--latent", "3", "--load", tmp["ckpt"], "--json", .. small]);
        Assert.True(ok.Code == 0, ok.Stderr);
        using var okDoc = JsonDocument.Parse(ok.Stdout);
        Assert.True(double.IsFinite(okDoc.RootElement.GetProperty("test").GetProperty("negElbo").GetDouble()));
    }

    [Fact]
    public void VibJsonHasOneResultPerBeta()
    {
        using var tmp = new TempDir();
        var run = CliRunner.Run(tmp, ["vib", "--betas", "1e-3,100", "--epochs", "1", "--train-limit", "300", "--validation", "100", "--hidden", "16", "--layers", "1", "--json"]);
        Assert.True(run.Code == 0, run.Stderr);
        using var doc = JsonDocument.Parse(run.Stdout);
        var results = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([0.001, 100.0], results.Select(r => Math.Round(r.GetProperty("beta").GetDouble(), 6)));
        Assert.All(results, r => Assert.InRange(r.GetProperty("validationError").GetDouble(), 0, 1));
        Assert.Equal(100, doc.RootElement.GetProperty("validationImages").GetInt32());
    }

    [Fact]
    public void BenchVaeReportsSecondsPerEpoch()
    {
        using var tmp = new TempDir();
        var run = CliRunner.Run(tmp, ["bench", "vae", "--steps", "2", "--hidden", "32", "--json"]);
        Assert.True(run.Code == 0, run.Stderr);
        using var doc = JsonDocument.Parse(run.Stdout);
        var root = doc.RootElement;
        Assert.True(root.GetProperty("secondsPerEpoch").GetDouble() > 0);
        Check.Close(root.GetProperty("secondsPerEpoch").GetDouble() / 469 * 1e3, root.GetProperty("msPerStep").GetDouble(), 1e-3, 1e-3, "ms per step");
    }

    [Theory]
    [InlineData("vae --epochs 0", "problab: --epochs 0 needs --load (there is nothing to evaluate)")]
    [InlineData("vae --latent 0", "problab: invalid value '0' for --latent: must be between 1 and 4096")]
    [InlineData("vib --betas 1e-3,abc", "problab: invalid value '1e-3,abc' for --betas: 'abc' is not a finite number (expected a comma-separated list like 0,1,7.5)")]
    [InlineData("vib --betas -1", "problab: invalid value '-1' for --betas: KL weights β must be ≥ 0, got -1")]
    [InlineData("kl --std 0", "problab: invalid value '0' for --std: must be between 0.001 and 1000")]
    public void BadValuesAreOneLineUsageErrors(string args, string expected)
    {
        using var tmp = new TempDir();
        var run = CliRunner.Run(tmp, args.Split(' '));
        Assert.Equal(expected, CliRunner.AssertOneLineError(run, 2));
    }

    [Fact]
    public void BrokenMnistFolderIsAOneLineError()
    {
        using var tmp = new TempDir();
        Directory.CreateDirectory(tmp["data/mnist"]); // the folder exists, so the real files are required
        var run = CliRunner.Run(tmp, ["vae", "--epochs", "1"], problabData: tmp["data"]);
        string line = CliRunner.AssertOneLineError(run, 1);
        Assert.Contains("train-images-idx3-ubyte", line);
    }

    [Fact]
    public void MissingCheckpointIsAOneLineError()
    {
        using var tmp = new TempDir();
        var run = CliRunner.Run(tmp, ["vae", "--epochs", "0", "--load", tmp["nothing"], "--train-limit", "64", "--test-limit", "16"]);
        Assert.Contains("no checkpoint found", CliRunner.AssertOneLineError(run, 1));
    }
}
