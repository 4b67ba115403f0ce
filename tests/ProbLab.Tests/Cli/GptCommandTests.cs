// `gpt train`, `gpt sample`, `bench gpt-nano` and the gpt report chapter: JSON shape, checkpoint round trip
// through the CLI, and bad input → one line on stderr with a non-zero exit. Tiny models on the synthetic
// Shakespeare stand-in (no PROBLAB_DATA), so each run takes well under a second of training.
using System.Text.Json;
using ProbLab.Cli.Experiments;
using ProbLab.Tests.Data;

namespace ProbLab.Tests.Cli;

[Collection("cli")]
public class GptCommandTests
{
    private static readonly string[] Tiny =
        ["--epochs", "1", "--samples-per-epoch", "64", "--batch-size", "16", "--test-samples", "32", "--block-size", "8", "--layers", "1",
         "--heads", "2", "--embd", "12", "--tokens", "6", "--samples", "1"];

    [Fact]
    public void TrainJsonHasEpochMetricsAndSamples()
    {
        using var tmp = new TempDir();
        var run = CliRunner.Run(tmp, ["gpt", "train", .. Tiny, "--json"]);
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Single(run.Stdout.Trim().Split('\n'));
        using var doc = JsonDocument.Parse(run.Stdout);
        var root = doc.RootElement;
        Assert.True(root.GetProperty("data")[0].GetProperty("synthetic").GetBoolean());
        Assert.Equal(8, root.GetProperty("config").GetProperty("blockSize").GetInt32());
        Assert.True(root.GetProperty("parameters").GetInt64() > 0);
        var epoch = root.GetProperty("epochs")[0];
        Assert.Equal(1, epoch.GetProperty("epoch").GetInt32());
        Assert.Equal(4, epoch.GetProperty("step").GetInt32()); // 64 windows in batches of 16
        Assert.True(double.IsFinite(epoch.GetProperty("testLoss").GetDouble()));
        var sample = epoch.GetProperty("samples")[0].GetString()!;
        Assert.StartsWith("the ", sample);
        Assert.Equal(4 + 6, sample.Length);
        Assert.Single(epoch.GetProperty("topKSamples").EnumerateArray());
    }

    [Fact]
    public void TrainCheckpointThenSample()
    {
        using var tmp = new TempDir();
        var train = CliRunner.Run(tmp, ["gpt", "train", .. Tiny, "--checkpoint", tmp["ckpt"]]);
        Assert.True(train.Code == 0, train.Stderr);
        Assert.Contains("test loss", train.Stdout);
        var sample = CliRunner.Run(tmp, ["gpt", "sample", "--checkpoint", tmp["ckpt"], "--prompt", "the king", "--tokens", "12", "--top-k", "3", "--samples", "2", "--json"]);
        Assert.True(sample.Code == 0, sample.Stderr);
        using var doc = JsonDocument.Parse(sample.Stdout);
        var texts = doc.RootElement.GetProperty("samples").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(2, texts.Count);
        Assert.All(texts, t => { Assert.StartsWith("the king", t); Assert.Equal(8 + 12, t.Length); });
        // Same seed, same samples.
        var again = CliRunner.Run(tmp, ["gpt", "sample", "--checkpoint", tmp["ckpt"], "--prompt", "the king", "--tokens", "12", "--top-k", "3", "--samples", "2", "--json"]);
        Assert.Equal(sample.Stdout, again.Stdout);
        // Resume one more epoch from the checkpoint.
        var resumed = CliRunner.Run(tmp, ["gpt", "train", .. Tiny[2..], "--epochs", "2", "--checkpoint", tmp["ckpt"], "--resume", "--json"]);
        Assert.True(resumed.Code == 0, resumed.Stderr);
        using var r = JsonDocument.Parse(resumed.Stdout);
        Assert.Equal(2, r.RootElement.GetProperty("epochs").GetArrayLength());
    }

    [Fact]
    public void SampleRejectsBadInputWithOneLine()
    {
        using var tmp = new TempDir();
        Assert.True(CliRunner.Run(tmp, ["gpt", "train", .. Tiny, "--checkpoint", tmp["ckpt"]]).Code == 0);
        string oov = CliRunner.AssertOneLineError(CliRunner.Run(tmp, ["gpt", "sample", "--checkpoint", tmp["ckpt"], "--prompt", "héllo"]), 2);
        Assert.Contains("'é'", oov);
        Assert.Contains("--prompt", oov);
        string empty = CliRunner.AssertOneLineError(CliRunner.Run(tmp, ["gpt", "sample", "--checkpoint", tmp["ckpt"], "--prompt", ""]), 2);
        Assert.Contains("must not be empty", empty);
        string missing = CliRunner.AssertOneLineError(CliRunner.Run(tmp, ["gpt", "sample", "--checkpoint", tmp["nothing"]]), 1);
        Assert.Contains("no checkpoint", missing);
        CliRunner.AssertOneLineError(CliRunner.Run(tmp, ["gpt", "sample"]), 2);
    }

    [Fact]
    public void TrainRejectsBadOptions()
    {
        using var tmp = new TempDir();
        Assert.Contains("multiple of --heads", CliRunner.AssertOneLineError(CliRunner.Run(tmp, ["gpt", "train", "--embd", "10", "--heads", "3"]), 2));
        Assert.Contains("--resume needs --checkpoint", CliRunner.AssertOneLineError(CliRunner.Run(tmp, ["gpt", "train", "--resume"]), 2));
        CliRunner.AssertOneLineError(CliRunner.Run(tmp, ["gpt", "train", "--block-size", "0"]), 2);
        string resumeNothing = CliRunner.AssertOneLineError(CliRunner.Run(tmp, ["gpt", "train", .. Tiny, "--checkpoint", tmp["none"], "--resume"]), 1);
        Assert.Contains("no checkpoint", resumeNothing);
    }

    [Fact]
    public void BenchGptNanoJson()
    {
        using var tmp = new TempDir();
        var run = CliRunner.Run(tmp, ["bench", "gpt-nano", "--steps", "2", "--warmup", "1", "--batch-size", "4", "--json"]);
        Assert.True(run.Code == 0, run.Stderr);
        using var doc = JsonDocument.Parse(run.Stdout);
        var root = doc.RootElement;
        Assert.True(root.GetProperty("msPerStep").GetDouble() > 0);
        Assert.True(root.GetProperty("tokensPerSecond").GetDouble() > 0);
        Assert.Equal(91_632, root.GetProperty("parameters").GetInt64());
        Assert.Equal(10, root.GetProperty("blockSize").GetInt32());
    }

    [Fact]
    public void ReportQuickPresetWritesTheGptChapter()
    {
        using var tmp = new TempDir();
        var run = CliRunner.Run(tmp, ["report", "--quick", "--only", "gpt", "--json", "--out", tmp["out"]], ExperimentRegistry.All);
        Assert.True(run.Code == 0, run.Stderr);
        string html = File.ReadAllText(tmp["out/index.html"]);
        foreach (var title in new[] { "Training: loss and accuracy", "Generations after each epoch", "Initialisation scale of a tied embedding", "KV cache", "Training speed" })
            Assert.Contains(title, html);
        Assert.Contains("speedup", html);
        Assert.DoesNotContain("NaN", html);
        Assert.Contains("<path", html);
    }
}
