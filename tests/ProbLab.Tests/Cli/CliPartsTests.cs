// Pieces of the CLI framework: progress sinks, config printing, exception messages.
using ProbLab.Cli;
using ProbLab.Data;
using Spectre.Console;

namespace ProbLab.Tests.Cli;

public class CliPartsTests
{
    private sealed record DemoConfig
    {
        public int PointsPerClass { get; init; } = 100;
        public int[] Hidden { get; init; } = [64, 32];
        public float LearningRate { get; init; } = 0.01f;
        public string[] Only { get; init; } = [];
    }

    [Fact]
    public void ConfigLinesUseOptionNames()
    {
        var lines = ConfigText.ToLines(new DemoConfig()).ToArray();
        Assert.Equal(["  points-per-class = 100", "  hidden           = 64,32", "  learning-rate    = 0.01", "  only             = []"], lines);
        Assert.Equal(100, ConfigText.ToJson(new DemoConfig())["pointsPerClass"]!.GetValue<int>());
    }

    [Fact]
    public void PlainProgressWritesOccasionalAndFinalLines()
    {
        var err = new StringWriter();
        using (var task = new PlainProgress(err, TimeSpan.Zero).Start("train", 4))
            for (int i = 0; i < 4; i++) task.Advance(1, 0.5);
        var lines = err.ToString().Trim().Split('\n');
        Assert.Equal(5, lines.Length); // one per step (interval 0) and the final one
        Assert.StartsWith("train: 1/4 (25%) loss 0.5, ", lines[0]);
        Assert.Contains("ETA", lines[0]);
        Assert.Matches(@"^train: 4/4 \(100%\) loss 0\.5, [\d.]+ it/s in [\d.]+s\s*$", lines[4]);
        var quiet = new StringWriter();
        using (var task = new PlainProgress(quiet, TimeSpan.FromHours(1)).Start("x", 0))
            task.Advance(3);
        Assert.Single(quiet.ToString().Trim().Split('\n')); // only the final line
    }

    [Fact]
    public void ProgressHonoursCancellation()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        using var task = new SilentProgress(cts.Token).Start("x", 10);
        Assert.Throws<OperationCanceledException>(() => task.Advance());
    }

    [Fact]
    public void SpectreProgressRunsOnAnyConsole()
    {
        var sw = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(sw), Ansi = AnsiSupport.Yes, Interactive = InteractionSupport.Yes, ColorSystem = ColorSystemSupport.NoColors,
        });
        using (var task = new SpectreProgress(console).Start("fit [model]", 5))
            for (int i = 0; i < 5; i++) task.Advance(1, 1.0 / (i + 1));
        Assert.Contains("fit [model]", sw.ToString()); // markup in labels is escaped, not interpreted
    }

    [Fact]
    public void ExceptionMessagesAreOneLineWithoutDotNetSuffixes()
    {
        Assert.Equal("thread count must be at least 1 (value = 0)",
            ErrorText.ForException(new ArgumentOutOfRangeException("value", 0, "thread count must be at least 1")));
        Assert.Equal("bad shape", ErrorText.ForException(new ArgumentException("bad shape", "x")));
        Assert.Equal("a.csv, line 2, field 'x': broken really", ErrorText.ForException(new DataFormatException("a.csv", 2, "x", "broken\nreally")));
        Assert.Equal("internal error: NullReferenceException: boom", ErrorText.ForException(new NullReferenceException("boom")));
    }
}
