// Small experiments for testing `problab report` without training anything.
using ProbLab.Cli.Experiments;
using ProbLab.Data;
using ProbLab.Kernels;

namespace ProbLab.Tests.Cli;

/// <summary>An experiment whose body is a lambda.</summary>
public sealed class LambdaExperiment(string name, Func<ExperimentContext, Preset, IReadOnlyList<ReportSection>> run) : IExperiment
{
    public string Name => name;
    public string Title => $"{name} title";
    public IReadOnlyList<ReportSection> Run(ExperimentContext ctx, Preset preset) => run(ctx, preset);
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

    public IReadOnlyList<ReportSection> Run(ExperimentContext ctx, Preset preset)
    {
        SeenPreset = preset;
        SeenThreads = Parallelism.MaxThreads;
        FirstDraw = ctx.Rng.NextUInt64();
        ctx.RecordConfig(new TrivialConfig(preset == Preset.Quick ? 3 : 30, "demo"));
        ctx.RecordData(DataSource.Synthetic("toy", "12 generated points", "no folder for toy"));
        using (var task = ctx.Progress.Start(name, 3))
            for (int i = 0; i < 3; i++) task.Advance(1, 1.0 / (i + 1));
        return
        [
            new ReportSection("Results <&>",
            [
                new Paragraph("plain text with <b>markup</b> that must be escaped"),
                new Table("numbers", ["k", "v"], [["a", "1"], ["b", "2"]]),
                new LineChart("loss", "step", "loss", [new Series("train", [1, 2, 3], [1, double.NaN, 0.25])], LogY: true),
                new ScatterChart("points", "x", "y", [0, 1], [1, 0], [0, 1], new ClassGrid(-1, 1, -1, 1, 2, 2, [0, 1, 1, 0])),
                new SvgFigure("custom", "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"1\"/></svg>"),
                new PngImage("pixels", [0x89, 0x50, 0x4E, 0x47]),
            ]),
        ];
    }
}
