// `problab report`: runs experiments, writes one self-contained index.html atomically, and leaves nothing
// behind when an experiment fails or the run is interrupted.
using System.Text.Json;
using ProbLab.Cli.Experiments;
using ProbLab.Data;
using ProbLab.Kernels;

namespace ProbLab.Tests.Cli;

[Collection("cli")]
public class ReportCommandTests
{
    [Fact]
    public void QuickReportWritesOneSelfContainedFile()
    {
        using var tmp = new TempDir();
        var exp = new TrivialExperiment();
        var run = CliRunner.Run(tmp, ["report", "--quick", "--out", tmp["out"], "--seed", "5"], [exp]);
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Equal(Preset.Quick, exp.SeenPreset);
        Assert.Equal([$"out{Path.DirectorySeparatorChar}index.html"], tmp.Files("out")); // no temp files left
        Assert.Equal($"wrote {tmp["out/index.html"]}", run.Stdout.Trim());
        string html = File.ReadAllText(tmp["out/index.html"]);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<dt>seed</dt><dd>5</dd>", html);                // the seed
        Assert.Contains("<dt>steps</dt><dd>3</dd>", html);               // the resolved config
        Assert.Contains("toy: SYNTHETIC stand-in, 12 generated points", html); // provenance
        Assert.Matches(@"<dt>time</dt><dd>\d+\.\d\d s</dd>", html);        // timing per experiment
        Assert.Contains("Results &lt;&amp;&gt;", html);                   // escaping
        Assert.Contains("&lt;b&gt;markup&lt;/b&gt;", html);
        Assert.Contains("data:image/png;base64,iVBORw0KGgo", html);      // a real PNG, embedded
        Assert.Equal(3, CountOf(html, "<svg")); // line chart, scatter chart, custom figure
        Assert.DoesNotContain("NaN", html);
        Assert.DoesNotContain("src=\"http", html);                        // self-contained
        Assert.Contains("data: toy: SYNTHETIC stand-in", run.Stderr);     // announced on stderr too
        Assert.Contains("  steps", run.Stderr);                           // resolved config header
    }

    [Fact]
    public void FullPresetOnlyAndThreadsReachTheExperiment()
    {
        using var tmp = new TempDir();
        var a = new TrivialExperiment("a");
        var b = new TrivialExperiment("b");
        int before = Parallelism.MaxThreads;
        var run = CliRunner.Run(tmp, ["report", "--full", "--only", "b", "--threads", "3", "--out", tmp["out"]], [a, b]);
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Null(a.SeenPreset);
        Assert.Equal(Preset.Full, b.SeenPreset);
        Assert.Equal(3, b.SeenThreads);
        Assert.Equal(before, Parallelism.MaxThreads); // restored after the run
        Assert.Contains("<dt>steps</dt><dd>30</dd>", File.ReadAllText(tmp["out/index.html"]));
    }

    [Fact]
    public void EveryExperimentStartsFromTheSeed()
    {
        using var tmp = new TempDir();
        var a = new TrivialExperiment("a");
        var b = new TrivialExperiment("b");
        Assert.Equal(0, CliRunner.Run(tmp, ["report", "--out", tmp["out"], "--seed", "9"], [a, b]).Code);
        Assert.Equal(new ProbLab.Tensors.Rng(9L).NextUInt64(), a.FirstDraw);
        Assert.Equal(a.FirstDraw, b.FirstDraw);
    }

    [Fact]
    public void JsonModePrintsOneObjectAndNothingElse()
    {
        using var tmp = new TempDir();
        var run = CliRunner.Run(tmp, ["report", "--json", "--out", tmp["out"]], [new TrivialExperiment()]);
        Assert.True(run.Code == 0, run.Stderr);
        using var doc = JsonDocument.Parse(run.Stdout); // throws on trailing text
        Assert.Single(run.Stdout.Trim().Split('\n'));
        var root = doc.RootElement;
        Assert.Equal("problab report", root.GetProperty("command").GetString());
        Assert.Equal(tmp["out/index.html"], root.GetProperty("index").GetString());
        var exp = root.GetProperty("experiments")[0];
        Assert.Equal("trivial", exp.GetProperty("name").GetString());
        Assert.Equal(3, exp.GetProperty("config").GetProperty("steps").GetInt32());
        Assert.True(exp.GetProperty("seconds").GetDouble() >= 0);
        Assert.Contains("SYNTHETIC", exp.GetProperty("data")[0].GetString());
        Assert.DoesNotContain("  steps", run.Stderr); // no config header in --json mode
    }

    [Fact]
    public void MissingDataFileFailsWithOneLineAndNoReport()
    {
        using var tmp = new TempDir();
        Directory.CreateDirectory(tmp["data"]);
        var ok = new TrivialExperiment("first");
        var needsFile = new LambdaExperiment("needs-file", (ctx, _, chapter) =>
        {
            var split = EuropeData.Read(Path.Combine(ctx.Data.Root!, "europe", "train.csv"));
            chapter.Paragraph($"{split.Count}");
        });
        var run = CliRunner.Run(tmp, ["report", "--data-dir", tmp["data"], "--out", tmp["out"]], [ok, needsFile]);
        string line = CliRunner.AssertOneLineError(run, 1);
        Assert.Equal($"problab: {Path.Combine(tmp["data"], "europe", "train.csv")}: file not found", line);
        Assert.Empty(tmp.Files("out"));
    }

    [Fact]
    public void MalformedDataFailsWithFileLineAndField()
    {
        using var tmp = new TempDir();
        tmp.Write("data/europe/train.csv", ",long,lat,country\n1,10,50,3\n2,11,NaN,4\n");
        tmp.Write("data/europe/test.csv", ",long,lat,country\n1,10,50,3\n");
        var exp = new LambdaExperiment("europe", (ctx, _, _) =>
        {
            var ds = EuropeData.Load(ctx.Data, ctx.Cancel);
            ctx.RecordData(ds.Source);
        });
        var run = CliRunner.Run(tmp, ["report", "--out", tmp["out"]], [exp], problabData: tmp["data"]);
        string line = CliRunner.AssertOneLineError(run, 1);
        Assert.Equal($"problab: {tmp["data/europe/train.csv"]}, line 3, field 'lat': 'NaN' is not a finite number", line);
        Assert.False(Directory.Exists(tmp["out"]));
    }

    [Fact]
    public void LibraryArgumentErrorsAndBugsAreOneLine()
    {
        using var tmp = new TempDir();
        var badArg = new LambdaExperiment("bad-arg", (ctx, _, _) => { ctx.Rng.NextInt(0); });
        string line = CliRunner.AssertOneLineError(CliRunner.Run(tmp, ["report", "--out", tmp["out"]], [badArg]), 1);
        Assert.Equal("problab: upper bound must be positive (n = 0)", line);
        var bug = new LambdaExperiment("bug", (_, _, _) => throw new NullReferenceException("oops"));
        line = CliRunner.AssertOneLineError(CliRunner.Run(tmp, ["report", "--out", tmp["out"]], [bug]), 1);
        Assert.Equal("problab: internal error: NullReferenceException: oops", line);
        Assert.Empty(tmp.Files("out"));
    }

    [Fact]
    public void CtrlCExits130WithoutAReport()
    {
        using var tmp = new TempDir();
        using var cts = new CancellationTokenSource();
        var loop = new LambdaExperiment("loop", (ctx, _, _) =>
        {
            using var task = ctx.Progress.Start("loop", 1000);
            for (int i = 0; i < 1000; i++)
            {
                if (i == 10) cts.Cancel(); // what Ctrl-C does in Program.Main
                task.Advance();
            }
        });
        var run = CliRunner.Run(tmp, ["report", "--out", tmp["out"]], [loop], cancel: cts.Token);
        Assert.Equal("problab: interrupted", CliRunner.AssertOneLineError(run, 130));
        Assert.Empty(tmp.Files("out"));
    }

    [Fact]
    public void SpiralDemoQuickPresetLearns()
    {
        using var tmp = new TempDir();
        var run = CliRunner.Run(tmp, ["report", "--quick", "--only", "spiral", "--json", "--out", tmp["out"]], ExperimentRegistry.All);
        Assert.True(run.Code == 0, run.Stderr);
        using var doc = JsonDocument.Parse(run.Stdout);
        var exp = doc.RootElement.GetProperty("experiments")[0];
        Assert.Equal("spiral", exp.GetProperty("name").GetString());
        Assert.Equal(300, exp.GetProperty("config").GetProperty("steps").GetInt32());
        string html = File.ReadAllText(tmp["out/index.html"]);
        Assert.Contains("Decision regions", html);
        Assert.Contains("<rect", html);
        Assert.DoesNotContain("NaN", html);
        // The quick preset must actually learn: train accuracy in the metrics table.
        var acc = System.Text.RegularExpressions.Regex.Match(html, @"<td>train accuracy</td><td>([\d.]+)&#160;%</td>");
        Assert.True(acc.Success, "train accuracy row missing");
        Assert.True(double.Parse(acc.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 90, $"train accuracy {acc.Groups[1].Value}%");
    }

    private static int CountOf(string text, string part)
    {
        int n = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
