// The engine demo: an MLP learns the K-arm spiral (CS231n's toy problem) with full-batch Adam and
// cross-entropy. The report shows the loss per step, train/test accuracy, and the learned decision
// regions over the plane. Quick: 3 arms, 300 steps (about a second); Full: 5 arms, wider net, 3000 steps.
using ProbLab.Data;
using ProbLab.Nn;
using ProbLab.Nn.Optim;
using ProbLab.Ops;
using ProbLab.Reports;
using ProbLab.Tensors;
using Tensor = ProbLab.Tensors.Tensor;

namespace ProbLab.Cli.Experiments;

/// <summary>MLP on a 2-D spiral: loss curve and decision regions.</summary>
public sealed class SpiralExperiment : IExperiment
{
    /// <summary>Config of the spiral demo.</summary>
    public sealed record SpiralConfig
    {
        /// <summary>Training points per arm (class).</summary>
        public int PointsPerClass { get; init; } = 100;

        /// <summary>Number of arms K (= classes).</summary>
        public int Classes { get; init; } = 3;

        /// <summary>Std of the angle noise in Spirals.Generate.</summary>
        public float Noise { get; init; } = 0.2f;

        /// <summary>Hidden layer widths of the ReLU MLP.</summary>
        public int[] Hidden { get; init; } = [64, 64];

        /// <summary>Full-batch Adam steps.</summary>
        public int Steps { get; init; } = 300;

        /// <summary>Adam learning rate.</summary>
        public float LearningRate { get; init; } = 1e-2f;

        /// <summary>Decision-region grid cells per side.</summary>
        public int GridSize { get; init; } = 80;

        /// <summary>The preset's config.</summary>
        public static SpiralConfig For(Preset preset) => preset == Preset.Quick ? new()
            : new() { PointsPerClass = 300, Classes = 5, Hidden = [128, 128], Steps = 3000, LearningRate = 5e-3f, GridSize = 120 };
    }

    /// <inheritdoc/>
    public string Name => "spiral";

    /// <inheritdoc/>
    public string Title => "Engine demo: an MLP learns a spiral";

    /// <inheritdoc/>
    public void Run(ExperimentContext ctx, Preset preset, Section chapter)
    {
        var cfg = SpiralConfig.For(preset);
        ctx.RecordConfig(cfg);
        var (x, y) = Spirals.Generate(cfg.PointsPerClass, cfg.Classes, ctx.Rng, cfg.Noise);          // (N, 2), N = K·points
        var (xTest, yTest) = Spirals.Generate(cfg.PointsPerClass, cfg.Classes, ctx.Rng, cfg.Noise);  // same law, fresh noise
        var mlp = new Mlp([2, .. cfg.Hidden, cfg.Classes], Activation.Relu, ctx.Rng);
        var opt = new Adam(mlp.NamedParameters(), cfg.LearningRate);
        var losses = new double[cfg.Steps];
        using (var task = ctx.Progress.Start("spiral", cfg.Steps))
            for (int step = 0; step < cfg.Steps; step++)
            {
                opt.ZeroGrad();
                var loss = mlp.Forward(x).CrossEntropy(y);
                loss.Backward();
                opt.Step();
                losses[step] = loss.Item();
                task.Advance(1, losses[step]);
            }
        double trainAcc = Accuracy(mlp, x, y), testAcc = Accuracy(mlp, xTest, yTest);

        var training = chapter.AddSection("Training");
        training.Paragraph($"{cfg.Classes} spiral arms of {cfg.PointsPerClass} points (angle noise {cfg.Noise}), an MLP 2-{string.Join("-", cfg.Hidden)}-{cfg.Classes} " +
                           $"with ReLU ({mlp.ParameterCount():N0} parameters), full-batch Adam (lr {cfg.LearningRate}) on the cross-entropy loss. " +
                           $"The loss starts near ln {cfg.Classes} = {Math.Log(cfg.Classes):F3}.");
        var metrics = new Table("metric", "value")
            .AddRow("initial loss", $"{losses[0]:F4}").AddRow("final loss", $"{losses[^1]:F4}")
            .AddRow("train accuracy", $"{trainAcc:P1}").AddRow("test accuracy (fresh sample)", $"{testAcc:P1}");
        training.Table(metrics);
        var curve = new LineChart { Title = "Training loss" };
        curve.X.Label = "step";
        curve.Y.Label = "cross-entropy";
        curve.Y.Scale = AxisScale.Log;
        curve.Add("train", Enumerable.Range(1, cfg.Steps), losses);
        training.Figure(curve, "Cross-entropy per full-batch Adam step (log scale).");

        var map = Regions(mlp, cfg.GridSize, 1.2, cfg.Classes);
        map.Title = "Predicted class over the plane";
        map.X.Label = "x₁";
        map.Y.Label = "x₂";
        map.AddCategoricalPoints("train", x.Data.Where((_, i) => i % 2 == 0), x.Data.Where((_, i) => i % 2 == 1), y);
        chapter.AddSection("Decision regions").Figure(map, "Decision regions of the trained MLP (light colours) with the training points on top.");
    }

    private static double Accuracy(Mlp mlp, Tensor x, int[] y)
    {
        using var _ = NoGrad.Scope();
        var pred = mlp.Forward(x).ArgMax();
        return pred.Zip(y).Count(t => t.First == t.Second) / (double)y.Length;
    }

    // Predicted class at each cell centre of a size×size grid over [−extent, extent]², drawn as a heatmap
    // whose colour map holds the lightened class palette (class k sits exactly on anchor k).
    private static Heatmap Regions(Mlp mlp, int size, double extent, int classes)
    {
        var grid = new float[2 * size * size]; // (size², 2)
        double cell = 2 * extent / size;
        for (int r = 0; r < size; r++)
            for (int c = 0; c < size; c++)
            {
                grid[2 * (r * size + c)] = (float)(-extent + (c + 0.5) * cell);
                grid[2 * (r * size + c) + 1] = (float)(-extent + (r + 0.5) * cell);
            }
        int[] predicted;
        using (NoGrad.Scope()) predicted = mlp.Forward(new Tensor(grid, size * size, 2)).ArgMax();
        var z = new double[size, size];
        for (int r = 0; r < size; r++)
            for (int c = 0; c < size; c++) z[r, c] = predicted[r * size + c];
        var anchors = Enumerable.Range(0, Math.Max(2, classes)).Select(k => Palette.Categorical(k).Lighten(0.6)).ToArray();
        return new Heatmap(z, (-extent, extent), (-extent, extent))
        {
            ColorMap = new ColorMap("classes", anchors), ZMin = 0, ZMax = Math.Max(1, classes - 1), ShowColorBar = false, AspectRatio = 1,
        };
    }
}
