// `problab qwop simulate|search` and `problab bench qwop`: the JSON shapes of issue 5, simulate agreeing bit for bit
// with QwopSimulator.Simulate, a small search being deterministic for a seed (and across thread counts), the files
// --out and --trace write, and bad plans giving one stderr line naming the position and a non-zero exit.
using System.Globalization;
using System.Text.Json;
using ProbLab.Search;

namespace ProbLab.Tests.Cli;

[Collection("cli")]
public class QwopCommandTests
{
    // A plan with values of both signs, some outside [−1, 1] (clipped by the simulator).
    private static readonly double[] Plan = Enumerable.Range(0, 40).Select(i => Math.Round(1.3 * Math.Sin(0.7 * i + 3.6), 6)).ToArray();

    private static string Text(double[] plan) => string.Join(",", plan.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    private static JsonElement Json(CliRun run)
    {
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Single(run.Stdout.Trim().Split('\n'));
        using var doc = JsonDocument.Parse(run.Stdout);
        return doc.RootElement.Clone();
    }

    [Fact]
    public void SimulateJsonIsTheSimulatorsDistance()
    {
        using var tmp = new TempDir();
        var root = Json(CliRunner.Run(tmp, ["qwop", "simulate", "--plan", Text(Plan), "--json"]));
        var trace = QwopSimulator.Trace(Plan);
        Assert.Equal(QwopSimulator.Simulate(Plan), root.GetProperty("distance").GetDouble()); // exact: JSON doubles round-trip
        Assert.Equal(trace.SubSteps, root.GetProperty("subSteps").GetInt32());
        Assert.Equal(trace.Fell, root.GetProperty("fell").GetBoolean());
        Assert.Equal("problab qwop simulate", root.GetProperty("command").GetString());

        // The same plan from a file, one value per line inside a JSON array (what `search --json` prints).
        string file = tmp.Write("plan.json", "[\n" + string.Join(",\n", Plan.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "\n]\n");
        var fromFile = Json(CliRunner.Run(tmp, ["qwop", "simulate", "--plan-file", file, "--json"]));
        Assert.Equal(root.GetProperty("distance").GetDouble(), fromFile.GetProperty("distance").GetDouble());
    }

    [Fact]
    public void SimulateWritesTheTrajectoryAsCsvOrJson()
    {
        using var tmp = new TempDir();
        var run = CliRunner.Run(tmp, ["qwop", "simulate", "--plan", Text(Plan), "--trace", tmp["t.csv"]]);
        Assert.True(run.Code == 0, run.Stderr);
        var trace = QwopSimulator.Trace(Plan);
        string[] lines = File.ReadAllLines(tmp["t.csv"]);
        Assert.Equal("frame,time,hip_x,hip_y,knee_A_x,knee_A_y,foot_A_x,foot_A_y,knee_B_x,knee_B_y,foot_B_x,foot_B_y,head_x,head_y", lines[0]);
        Assert.Equal(trace.FrameCount + 1, lines.Length);
        double[] last = lines[^1].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(trace.SubSteps, (int)last[0]);
        Assert.Equal(trace.Distance, last[12]); // head x of the last frame is the distance
        Assert.Matches(@"^distance -?\d+\.\d{6} \(\d+ sub-steps", run.Stdout);

        Assert.Equal(0, CliRunner.Run(tmp, ["qwop", "simulate", "--plan", Text(Plan), "--trace", tmp["t.json"]]).Code);
        using var doc = JsonDocument.Parse(File.ReadAllText(tmp["t.json"]));
        var frames = doc.RootElement.GetProperty("frames");
        Assert.Equal(trace.FrameCount, frames.GetArrayLength());
        Assert.Equal(12, frames[0].GetArrayLength());
        Check.Close(trace.Positions[12 * 5 + 3], frames[5][3].GetDouble(), 0, 0, "frame 5, knee A y");
        Assert.Equal(5, doc.RootElement.GetProperty("edges").GetArrayLength());
        Assert.Equal(["t.csv", "t.json"], tmp.Files()); // no temp files left
    }

    [Theory]
    [InlineData("39", 2, "--plan has 39 values; a QWOP plan needs exactly 40")]
    [InlineData("41", 2, "--plan has 41 values; a QWOP plan needs exactly 40")]
    [InlineData("abc@3", 2, "--plan: value 3 (line 1) 'abc' is not a number")]
    [InlineData("NaN@40", 2, "--plan: value 40 (line 1) is NaN; plan values must be finite numbers")]
    [InlineData("Infinity@7", 2, "--plan: value 7 (line 1) is Infinity; plan values must be finite numbers")]
    [InlineData("empty@5", 2, "--plan: empty value at position 5 (line 1)")]
    public void BadInlinePlansAreOneLineUsageErrors(string spec, int code, string message)
    {
        using var tmp = new TempDir();
        var values = Plan.Select(v => v.ToString("R", CultureInfo.InvariantCulture)).ToList();
        if (int.TryParse(spec, out int n)) values = Enumerable.Range(0, n).Select(i => values[i % 40]).ToList();
        else
        {
            string[] parts = spec.Split('@');
            values[int.Parse(parts[1]) - 1] = parts[0] == "empty" ? "" : parts[0];
        }
        var run = CliRunner.Run(tmp, ["qwop", "simulate", "--plan", string.Join(",", values), "--trace", tmp["t.csv"], "--json"]);
        Assert.Equal($"problab: {message}", CliRunner.AssertOneLineError(run, code));
        Assert.Empty(tmp.Files()); // nothing written
    }

    [Fact]
    public void BadPlanFilesAreOneLineRuntimeErrors()
    {
        using var tmp = new TempDir();
        string bad = tmp.Write("bad.txt", string.Join("\n", Plan.Take(4).Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "\nx1\n");
        string line = CliRunner.AssertOneLineError(CliRunner.Run(tmp, ["qwop", "simulate", "--plan-file", bad]), 1);
        Assert.Equal($"problab: {bad}: value 5 (line 5) 'x1' is not a number", line);
        string shortFile = tmp.Write("short.txt", "0.1, 0.2");
        Assert.Equal($"problab: {shortFile}: has 2 values; a QWOP plan needs exactly 40",
            CliRunner.AssertOneLineError(CliRunner.Run(tmp, ["qwop", "simulate", "--plan-file", shortFile]), 1));
        Assert.Contains("cannot read plan file", CliRunner.AssertOneLineError(CliRunner.Run(tmp, ["qwop", "simulate", "--plan-file", tmp["missing.txt"]]), 1));
        Assert.Contains("exactly one of --plan or --plan-file", CliRunner.AssertOneLineError(CliRunner.Run(tmp, ["qwop", "simulate"]), 2));
        Assert.Contains("exactly one of --plan or --plan-file",
            CliRunner.AssertOneLineError(CliRunner.Run(tmp, ["qwop", "simulate", "--plan", Text(Plan), "--plan-file", bad]), 2));
    }

    private static string[] Search(string method, long seed, params string[] extra) =>
        ["qwop", "search", "--method", method, "--evaluations", "3000", "--seed", seed.ToString(CultureInfo.InvariantCulture), "--json", .. extra];

    [Theory]
    [InlineData("mcmc")]
    [InlineData("anneal")]
    [InlineData("evolve")]
    [InlineData("cmaes")]
    public void SearchJsonHasTheIssuesShapeAndIsDeterministic(string method)
    {
        using var tmp = new TempDir();
        var a = Json(CliRunner.Run(tmp, Search(method, 7)));
        double[] plan = a.GetProperty("bestPlan").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(40, plan.Length);
        Assert.All(plan, v => Assert.InRange(v, -1, 1));
        Assert.Equal(QwopSimulator.Simulate(plan), a.GetProperty("bestDistance").GetDouble()); // the printed plan walks that far
        Assert.InRange(a.GetProperty("evaluations").GetInt64(), 3000 - 128, 3000);
        Assert.True(a.GetProperty("seconds").GetDouble() >= 0);
        Assert.Equal(method, a.GetProperty("method").GetString());
        var bests = a.GetProperty("trace").EnumerateArray().Select(r => r.GetProperty("best").GetDouble()).ToArray();
        Assert.Equal(a.GetProperty("bestDistance").GetDouble(), bests[^1]);
        for (int i = 1; i < bests.Length; i++) Assert.True(bests[i] >= bests[i - 1], "best-so-far must not decrease");

        var b = Json(CliRunner.Run(tmp, Search(method, 7)));
        Assert.Equal(a.GetProperty("bestDistance").GetDouble(), b.GetProperty("bestDistance").GetDouble());
        Assert.Equal(plan, b.GetProperty("bestPlan").EnumerateArray().Select(e => e.GetDouble()).ToArray());
        var c = Json(CliRunner.Run(tmp, Search(method, 8)));
        Assert.NotEqual(plan, c.GetProperty("bestPlan").EnumerateArray().Select(e => e.GetDouble()).ToArray());
    }

    [Fact]
    public void ParallelRestartsGiveTheSameResultForAnyThreadCount()
    {
        using var tmp = new TempDir();
        var one = Json(CliRunner.Run(tmp, Search("anneal", 2, "--restarts", "3", "--threads", "1")));
        var three = Json(CliRunner.Run(tmp, Search("anneal", 2, "--restarts", "3", "--threads", "3")));
        Assert.Equal(one.GetProperty("bestDistance").GetDouble(), three.GetProperty("bestDistance").GetDouble());
        Assert.Equal(3, three.GetProperty("restarts").GetInt32());
    }

    [Fact]
    public void SearchOutWritesThePlanTheAnimationAndTheTrajectory()
    {
        using var tmp = new TempDir();
        var run = CliRunner.Run(tmp, ["qwop", "search", "--evaluations", "2000", "--out", tmp["out"]]);
        Assert.True(run.Code == 0, run.Stderr);
        string sep = Path.DirectorySeparatorChar.ToString();
        Assert.Equal([$"out{sep}best-plan.txt", $"out{sep}gait.svg", $"out{sep}trajectory.csv"], tmp.Files("out"));
        double[] plan = QwopPlan.ParseFile(tmp["out/best-plan.txt"]);
        var m = System.Text.RegularExpressions.Regex.Match(run.Stdout, @"cmaes: best distance (-?\d+\.\d{4}) after ([\d,]+) evaluations");
        Assert.True(m.Success, run.Stdout);
        Check.Close(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), QwopSimulator.Simulate(plan), 5e-5, 0, "distance of the saved plan");
        string svg = File.ReadAllText(tmp["out/gait.svg"]);
        Assert.StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"", svg);
        Assert.Contains("<animate", svg);
        Assert.Contains($"wrote {tmp["out/gait.svg"]}", run.Stdout);
    }

    [Theory]
    [InlineData("--method foo", "invalid value 'foo' for --method: expected one of mcmc, anneal, evolve, cmaes")]
    [InlineData("--evaluations 0", "invalid value '0' for --evaluations: must be at least 1")]
    [InlineData("--restarts 0", "invalid value '0' for --restarts: must be between 1 and 1024")]
    [InlineData("--evaluations 5 --restarts 6", "--restarts 6 is more than --evaluations 5 (each restart needs at least one)")]
    public void BadSearchOptionsAreUsageErrors(string args, string message)
    {
        using var tmp = new TempDir();
        var run = CliRunner.Run(tmp, ["qwop", "search", .. args.Split(' '), "--out", tmp["out"]]);
        Assert.Equal($"problab: {message}", CliRunner.AssertOneLineError(run, 2));
        Assert.Empty(tmp.Files("out"));
    }

    [Fact]
    public void BenchQwopReportsBatchedAndSingleRates()
    {
        using var tmp = new TempDir();
        var root = Json(CliRunner.Run(tmp, ["bench", "qwop", "--repeats", "1", "--json"]));
        var results = root.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([true, false], results.Select(r => r.GetProperty("batched").GetBoolean()));
        foreach (var r in results)
        {
            Assert.Equal("full", r.GetProperty("workload").GetString());
            Assert.Equal(200, r.GetProperty("meanSubSteps").GetDouble()); // the full-length workload never falls
            Assert.True(r.GetProperty("simulationsPerSecond").GetDouble() > 0);
            Assert.True(r.GetProperty("bestSimulationsPerSecond").GetDouble() >= r.GetProperty("simulationsPerSecond").GetDouble());
            Assert.True(r.GetProperty("cpuSeconds").GetDouble() >= 0);
            Assert.True(r.GetProperty("simulations").GetInt64() > 0);
        }
        Assert.Equal(1, results[1].GetProperty("laneWidth").GetInt32());
        Assert.Contains("--workload", CliRunner.AssertOneLineError(CliRunner.Run(tmp, ["bench", "qwop", "--workload", "walk"]), 2));
    }
}
