// Trainer on a tiny learnable token stream: metric records, learning, and checkpoint resume that continues
// bit for bit (same losses, samples and weights as an uninterrupted run).
using ProbLab.Data;
using ProbLab.Models;
using ProbLab.Tensors;

namespace ProbLab.Tests.Models;

public class GptTrainerTests
{
    private static readonly GptConfig Cfg = new() { BlockSize = 6, VocabSize = 5, Layers = 1, Heads = 2, Embd = 8 };
    private static readonly GptTrainOptions Opt = new()
    {
        Epochs = 2, BatchSize = 16, LearningRate = 1e-2f, SamplesPerEpoch = 200, TestSamples = 40,
        Generations = 2, GenerationTokens = 7, TopK = 2, Seed = 3,
    };

    // A periodic stream 0,1,2,3,4,0,1,... with 5% noise: easy to learn, not trivially constant.
    private static int[] Stream(int n, ulong seed)
    {
        var rng = new Rng(seed);
        return Enumerable.Range(0, n).Select(i => rng.NextDouble() < 0.05 ? rng.NextInt(5) : i % 5).ToArray();
    }

    private static string Decode(int[] ids) => string.Concat(ids.Select(i => (char)('a' + i)));

    private static GptTrainer Trainer(Gpt model, GptTrainOptions opt) =>
        new(model, new TextWindows(Stream(2000, 1), 6), new TextWindows(Stream(300, 2), 6), opt, Decode, new[] { 0, 1 });

    [Fact]
    public void ProducesEpochMetricsAndLearns()
    {
        var result = Trainer(new Gpt(Cfg, new Rng(0)), Opt).Run();
        Assert.Equal(2, result.Epochs.Count);
        Assert.Equal(2 * 13, result.StepLosses.Count); // ⌈200 / 16⌉ steps per epoch
        var last = result.Epochs[^1];
        Assert.Equal(26, last.Step);
        Assert.Equal(2, last.Samples.Count);
        Assert.All(last.Samples.Concat(last.TopKSamples), s => Assert.Equal(2 + 7, s.Length));
        Assert.StartsWith("ab", last.Samples[0]);
        Assert.True(last.TestLoss < Math.Log(5), $"test loss {last.TestLoss} did not drop below ln 5");
        Assert.True(result.StepLosses[^1] < result.StepLosses[0]);
        Assert.InRange(last.TestAccuracy, 0, 1);
        Assert.InRange(last.TrainAccuracy, 0, 1);
    }

    [Fact]
    public void ResumeContinuesBitForBit()
    {
        string root = Path.Combine(Path.GetTempPath(), "problab-gpt-resume-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var straightModel = new Gpt(Cfg, new Rng(0));
            var straight = Trainer(straightModel, Opt with { CheckpointDir = Path.Combine(root, "a") }).Run();

            string dir = Path.Combine(root, "b");
            Trainer(new Gpt(Cfg, new Rng(0)), Opt with { Epochs = 1, CheckpointDir = dir }).Run();
            var resumedModel = new Gpt(Cfg, new Rng(77)); // different init: everything must come from the checkpoint
            var resumed = Trainer(resumedModel, Opt with { CheckpointDir = dir, Resume = true }).Run();

            Assert.Equal(straight.StepLosses, resumed.StepLosses);
            for (int e = 0; e < 2; e++)
            {
                var (s, r) = (straight.Epochs[e], resumed.Epochs[e]);
                Assert.Equal((s.Epoch, s.Step, s.TrainLoss, s.TrainAccuracy, s.TestLoss, s.TestAccuracy), (r.Epoch, r.Step, r.TrainLoss, r.TrainAccuracy, r.TestLoss, r.TestAccuracy));
                Assert.Equal(s.Samples, r.Samples);
                Assert.Equal(s.TopKSamples, r.TopKSamples);
            }
            Assert.Equal(straightModel.Parameters().SelectMany(p => p.Data), resumedModel.Parameters().SelectMany(p => p.Data));
        }
        finally { if (Directory.Exists(root)) Directory.Delete(root, recursive: true); }
    }

    [Fact]
    public void ResumeRejectsMissingOrMismatchedCheckpoints()
    {
        string dir = Path.Combine(Path.GetTempPath(), "problab-gpt-mismatch-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Assert.Throws<FileNotFoundException>(() => Trainer(new Gpt(Cfg, new Rng(0)), Opt with { CheckpointDir = dir, Resume = true }).Run());
            Trainer(new Gpt(Cfg, new Rng(0)), Opt with { Epochs = 1, CheckpointDir = dir }).Run();
            var other = new Gpt(Cfg with { Embd = 12 }, new Rng(0));
            var e = Assert.Throws<InvalidDataException>(() => Trainer(other, Opt with { CheckpointDir = dir, Resume = true }).Run());
            Assert.Contains("different GPT configuration", e.Message);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void OptionsAreValidated()
    {
        Assert.Contains("BatchSize", Assert.Throws<ArgumentException>(() => (Opt with { BatchSize = 0 }).Validate()).Message);
        Assert.Contains("Resume", Assert.Throws<ArgumentException>(() => (Opt with { Resume = true }).Validate()).Message);
        var e = Assert.Throws<ArgumentException>(() => new GptTrainer(new Gpt(Cfg with { BlockSize = 4 }, new Rng(0)),
            new TextWindows(Stream(100, 1), 6), new TextWindows(Stream(100, 2), 6), Opt, Decode, new[] { 0 }));
        Assert.Contains("block size", e.Message);
    }
}
