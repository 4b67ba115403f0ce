// Small experiments for testing `problab report` without training anything.
using ProbLab.Cli.Experiments;
using ProbLab.Data;
using ProbLab.Kernels;
using ProbLab.Reports;

namespace ProbLab.Tests.Cli;

/// <summary>An experiment whose body is a lambda.</summary>
public sealed class LambdaExperiment(string name, Action<ExperimentContext, Preset, Section> run) : IExperiment
{
    public string Name => name;
    public string Title => $"{name} title";
    public void Run(ExperimentContext ctx, Preset preset, Section chapter) => run(ctx, preset, chapter);
}

/// <summary>Returns one section with every block kind, records a config and a synthetic data line, and remembers what it saw.</summary>
public sealed class TrivialExperiment(string name = "trivial") : IExperiment
{
    public sealed record TrivialConfig(int Steps, string Mode);

    public Preset? SeenPreset { get; private set; }
    public int SeenThreads { get; private set; }
    public ulong FirstDraw { get; private set; }

    public string Name => name;
    public string Title => $"{name} title";

    public void Run(ExperimentContext ctx, Preset preset, Section chapter)
    {
        SeenPreset = preset;
        SeenThreads = Parallelism.MaxThreads;
        FirstDraw = ctx.Rng.NextUInt64();
        ctx.RecordConfig(new TrivialConfig(preset == Preset.Quick ? 3 : 30, "demo"));
        ctx.RecordData(DataSource.Synthetic("toy", "12 generated points", "no folder for toy"));
        using (var task = ctx.Progress.Start(name, 3))
            for (int i = 0; i < 3; i++) task.Advance(1, 1.0 / (i + 1));
        var line = new LineChart { Title = "loss" };
        line.Y.Scale = AxisScale.Log;
        line.Add("train", new[] { 1, 2, 3 }, new[] { 1, double.NaN, 0.25 });
        var scatter = new ScatterChart { Title = "points" };
        scatter.AddCategorical("p", new[] { 0.0, 1 }, new[] { 1.0, 0 }, new[] { 0, 1 });
        chapter.AddSection("Results <&>")
            .Paragraph("plain text with <b>markup</b> that must be escaped")
            .Table(new Table("k", "v") { Caption = "numbers" }.AddRow("a", 1).AddRow("b", 2))
            .Figure(line, "loss curve")
            .Figure(scatter, "points")
            .Figure("<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"1\"/></svg>", "custom")
            .Image(RasterImage.FromGray(new float[] { 0, 0.5f, 1, 0.25f }, 2, 2), "pixels");
    }
}
