// The two studies behind the CLI and the report, on tiny configs: every record is filled, snapshots are at the
// requested steps, metrics are consistent with their definitions, the exam schedule's ᾱ(1) is reported, and
// the latent study's metrics order as expected (prior draws farther from the data than held-out latents).
using ProbLab.Models.Diffusion;
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Tests.Models.Diffusion;

public class StudyTests
{
    [Fact]
    public void SpiralStudyFillsEveryRecord()
    {
        var tiny = new ScoreTrainingOptions { Steps = 20, BatchSize = 32 };
        var cfg = new SpiralStudyConfig
        {
            Steps = 50, Samples = 300, SnapshotSteps = [0, 5, 50], TrackedPaths = 3, EvalPoints = 100, EvalTimes = [0.1, 1.0],
            Learned =
            [
                LearnedScoreSpec.Hyvarinen(20) with { Net = new ScoreNetConfig { Hidden = [8], SpaceFeatures = 2 }, Training = tiny with { Objective = ScoreObjective.Hyvarinen } },
                LearnedScoreSpec.Denoising(20) with { Net = new ScoreNetConfig { Hidden = [8] }, Training = tiny with { Objective = ScoreObjective.Denoising } },
            ],
        };
        var stages = new List<string>();
        var r = SpiralStudy.Run(cfg, new Rng(1), new Progress(p => { if (!stages.Contains(p.Stage)) stages.Add(p.Stage); }));
        Assert.Equal([0, 5, 50], r.Forward.Steps);
        Assert.Equal([50, 5, 0], r.Exact.Trajectory.Steps);
        Assert.Equal([3, 51, 2], r.Exact.Trajectory.Paths.Shape);
        Check.Close(r.Data.MeanDistanceToCurve(r.Exact.Trajectory.Final), r.Exact.MeanDistance, atol: 0, name: "exact distance");
        Assert.True(r.Exact.MeanDistance < 0.07, $"exact-score samples at distance {r.Exact.MeanDistance:F3}");
        Check.Close(0.048, r.ReferenceDistance, atol: 0.008, name: "p0 distance");
        Assert.Equal(2, r.Learned.Count);
        foreach (var l in r.Learned)
        {
            Assert.Equal(20, l.History.Loss.Length);
            Assert.Equal(2, l.Fisher.Count);
            Assert.True(l.EvalOptimum < 0 && double.IsFinite(l.EvalLoss), $"{l.Spec.Name}: J = {l.EvalLoss}, J* = {l.EvalOptimum}");
            Assert.All(l.Fisher, f => Assert.True(f.Fisher >= 0 && f.Energy > 0));
        }
        Check.Close(Math.Exp(-0.1005), r.ExamSchedule.AlphaBarK, rtol: 1e-9, name: "exam ᾱ(1)");
        Assert.Contains("exact score", stages);
        Assert.Contains(stages, s => s.StartsWith("train: Hyvärinen", StringComparison.Ordinal));
    }

    [Fact]
    public void LatentStudyRunsOnSyntheticLatents()
    {
        // Three classes on a line, far apart, in non-unit units; "decoder" = identity; "classifier" = nearest mean.
        var rng = new Rng(2);
        Tensor Latents(int n, out int[] y)
        {
            var z = Tensor.Zeros(n, 2);
            y = new int[n];
            for (int i = 0; i < n; i++)
            {
                y[i] = i % 3;
                z.Data[2 * i] = (float)(10 * y[i] + rng.Normal());
                z.Data[2 * i + 1] = (float)(5 + rng.Normal());
            }
            return z;
        }
        var train = Latents(600, out var labels);
        var held = Latents(200, out _);
        var means = LatentStudy.ClassMeans(train, labels, 3);
        int[] Classify(Tensor x) => Enumerable.Range(0, x.Shape[0]).Select(i => (int)Math.Round(Math.Clamp(x.Data[2 * i] / 10, 0, 2))).ToArray();
        var small = new ScoreNetConfig { Hidden = [32, 32] };
        var training = new ScoreTrainingOptions { Objective = ScoreObjective.Denoising, Weighting = ScoreWeighting.NoiseVariance, Steps = 300, BatchSize = 64 };
        var cfg = new LatentStudyConfig
        {
            Steps = 60, Net = small, Training = training, ConditionalNet = small with { ClassEmbedding = 4 }, ConditionalTraining = training with { PUncond = 0.2 },
            GuidanceSweep = [0, 3], GridSamples = 12, LatentSamples = 200, PerClass = 6,
        };
        var r = LatentStudy.Run(cfg, train, labels, held, z => z.Mul(1f), Classify, new Rng(3));
        Assert.Equal([200, 2], r.DiffusionLatents.Shape);
        Assert.Equal([12, 2], r.DiffusionDecoded.Shape);
        Assert.Equal([12, 2], r.PriorDecoded.Shape);
        Assert.Equal(18, r.Grid.Requested.Length);
        Assert.Equal([0.0, 3.0], r.Sweep.Select(s => s.Weight));
        Check.Close(means[1, 0], r.ClassMeans[1, 0], atol: 1e-9, name: "class mean");
        // Prior draws N(0, I) in raw units sit near (0, 0), far from the data at x1 ≈ 0/10/20, x2 ≈ 5, so their KDE
        // log-density is far below held-out latents' (≈ 19 nats here). The tiny, briefly trained score net blurs the
        // thin blobs, so its samples are not as dense as real data; they must still close ≥ 70% of the prior's gap.
        double heldLd = r.HeldOutParzen.Mean, prior = r.PriorParzen.Mean, diff = r.DiffusionParzen.Mean;
        Assert.True(prior < heldLd - 5, $"prior {prior:F3} vs held-out {heldLd:F3}");
        Assert.True(heldLd - diff < 0.3 * (heldLd - prior), $"diffusion {diff:F3} vs held-out {heldLd:F3}, prior {prior:F3}");
        Assert.True(r.HeldOutParzen.StdError > 0 && r.HeldOutParzen.StdError < 0.5, $"standard error {r.HeldOutParzen.StdError}");
        Assert.Equal(18, r.Grid.Predicted!.Length);
        Check.Close(Enumerable.Range(0, 3).Average(c => r.Grid.ClassifierAccuracyOf(c)!.Value), r.Grid.ClassifierAccuracy!.Value, atol: 1e-12, name: "per-class mean");
        Assert.True(r.Grid.NearestMeanAccuracy > 0.9 && r.Grid.ClassifierAccuracy > 0.9, $"guided accuracy {r.Grid.NearestMeanAccuracy:F3}/{r.Grid.ClassifierAccuracy:F3}");
    }

    [Fact]
    public void ParzenLogDensityMatchesTheKernelSum()
    {
        // Two kernels at (0, 0) and (1, 0), h = 0.5: p̂(a) = ½[N(a | b1, h²I) + N(a | b2, h²I)], averaged in log over two points,
        // one of them 40 h away (every kernel underflows without the max subtracted).
        var b = Tensor.FromArray([0f, 0f, 1f, 0f], 2, 2);
        var a = Tensor.FromArray([0.25f, 0.5f, 20f, 0f], 2, 2);
        double N(double x, double y, double bx, double by) => Math.Exp(-((x - bx) * (x - bx) + (y - by) * (y - by)) / (2 * 0.25)) / (2 * Math.PI * 0.25);
        double near = Math.Log(0.5 * (N(0.25, 0.5, 0, 0) + N(0.25, 0.5, 1, 0)));
        double far = -(19.0 * 19.0) / (2 * 0.25) - Math.Log(2 * Math.PI * 0.25) + Math.Log(0.5 * (1 + Math.Exp(-(400.0 - 361.0) / 0.5)));
        Check.Close(0.5 * (near + far), LatentStudy.MeanParzenLogDensity(a, b, 0.5), atol: 1e-9, rtol: 1e-12, name: "mean log p̂");
    }

    private sealed class Progress(Action<StudyProgress> onReport) : IProgress<StudyProgress>
    {
        public void Report(StudyProgress value) => onReport(value);
    }
}
