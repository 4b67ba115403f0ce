// `problab trueskill update|gibbs|adf|ep|simulate`, `rate` and `bench trueskill`: JSON shapes, the one-game
// update against the course's closed form (and a draw against numerically integrated truncated moments),
// usage and data errors as one line with the right exit code, and atomic output files.
using System.Globalization;
using System.Text.Json;
using ProbLab.Data;
using ProbLab.Probabilistic.Distributions;

namespace ProbLab.Tests.Cli;

[Collection("cli")]
public class TrueSkillCommandTests
{
    private const string League = "team1,team2,score1,score2\nA,B,2,0\nB,C,1,1\nC,A,0,1\nA,D,3,1\nD,B,0,2\nC,D,2,2\nB,A,1,0\nD,C,0,1\n";

    private static JsonElement Json(CliRun run)
    {
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Single(run.Stdout.Trim().Split('\n'));
        Assert.DoesNotContain("NaN", run.Stdout);
        Assert.DoesNotContain("Infinity", run.Stdout);
        return JsonDocument.Parse(run.Stdout).RootElement.Clone();
    }

    private static string[] Args(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Theory]
    [InlineData("win")]
    [InlineData("loss")]
    public void UpdateEqualsTheClosedForm(string outcome)
    {
        using var tmp = new TempDir();
        double m1 = 30, s1 = 5, m2 = 24, s2 = 4, st = 3;
        var root = Json(CliRunner.Run(tmp, Args($"trueskill update --mu1 {m1} --sigma1 {s1} --mu2 {m2} --sigma2 {s2} --perf-sd {st} --outcome {outcome} --json")));
        // Course Q7: c² = σ1² + σ2² + σt², z = y(μ1 − μ2)/c, v = φ(z)/Φ(z), w = v(v + z); μ1' = μ1 + y σ1²/c v, σ1'² = σ1²(1 − σ1²/c² w).
        double y = outcome == "win" ? 1 : -1, c = Math.Sqrt(s1 * s1 + s2 * s2 + st * st), z = y * (m1 - m2) / c;
        double v = Math.Exp(-0.5 * z * z) / Math.Sqrt(2 * Math.PI) / SpecialFunctions.NormalCdf(z), w = v * (v + z);
        Check.Close(m1 + y * s1 * s1 / c * v, root.GetProperty("player1").GetProperty("mu").GetDouble(), 1e-9, 1e-9, "mu1");
        Check.Close(m2 - y * s2 * s2 / c * v, root.GetProperty("player2").GetProperty("mu").GetDouble(), 1e-9, 1e-9, "mu2");
        Check.Close(s1 * Math.Sqrt(1 - s1 * s1 / (c * c) * w), root.GetProperty("player1").GetProperty("sigma").GetDouble(), 1e-9, 1e-9, "sigma1");
        Check.Close(s2 * Math.Sqrt(1 - s2 * s2 / (c * c) * w), root.GetProperty("player2").GetProperty("sigma").GetDouble(), 1e-9, 1e-9, "sigma2");
        Check.Close(SpecialFunctions.NormalCdf((m1 - m2) / c), root.GetProperty("prediction").GetProperty("player1Wins").GetDouble(), 1e-12, 1e-12, "P(win)");
        Assert.Equal("problab trueskill update", root.GetProperty("command").GetString());
    }

    [Fact]
    public void DrawUpdateMatchesIntegratedTruncatedMoments()
    {
        using var tmp = new TempDir();
        double m1 = 27, s1 = 6, m2 = 22, s2 = 3, st = 4, eps = 1.5;
        var root = Json(CliRunner.Run(tmp, Args($"trueskill update --mu1 {m1} --sigma1 {s1} --mu2 {m2} --sigma2 {s2} --perf-sd {st} --outcome draw --draw-margin {eps} --json")));
        // t ~ N(m, v) truncated to [−ε, ε], moments by the midpoint rule; then the regression of each skill on t (exact for one game).
        double m = m1 - m2, vt = s1 * s1 + s2 * s2 + st * st, z0 = 0, z1 = 0, z2 = 0;
        const int n = 200_000;
        for (int i = 0; i < n; i++)
        {
            double t = -eps + (i + 0.5) * 2 * eps / n, p = Math.Exp(-0.5 * (t - m) * (t - m) / vt);
            z0 += p; z1 += p * t; z2 += p * t * t;
        }
        double mean = z1 / z0, dm = mean - m, dv = z2 / z0 - mean * mean - vt;
        Check.Close(m1 + s1 * s1 / vt * dm, root.GetProperty("player1").GetProperty("mu").GetDouble(), 1e-6, 1e-7, "mu1");
        Check.Close(m2 - s2 * s2 / vt * dm, root.GetProperty("player2").GetProperty("mu").GetDouble(), 1e-6, 1e-7, "mu2");
        Check.Close(Math.Sqrt(s1 * s1 + Math.Pow(s1 * s1 / vt, 2) * dv), root.GetProperty("player1").GetProperty("sigma").GetDouble(), 1e-6, 1e-7, "sigma1");
        Check.Close(Math.Sqrt(s2 * s2 + Math.Pow(s2 * s2 / vt, 2) * dv), root.GetProperty("player2").GetProperty("sigma").GetDouble(), 1e-6, 1e-7, "sigma2");
    }

    [Theory]
    [InlineData("trueskill update --outcome draw", "problab: --outcome draw needs --draw-margin > 0")]
    [InlineData("trueskill update --outcome maybe", "problab: invalid value 'maybe' for --outcome: expected one of win, loss, draw")]
    [InlineData("trueskill update", "problab: Option '--outcome' is required")]
    [InlineData("trueskill update --outcome win --sigma1 0", "problab: invalid value '0' for --sigma1: must be positive")]
    [InlineData("trueskill update --outcome win --perf-sd -1", "problab: invalid value '-1' for --perf-sd")]
    [InlineData("trueskill gibbs --outcome win --samples 1", "problab: invalid value '1' for --samples")]
    [InlineData("trueskill simulate --players 5", "problab: 'problab trueskill simulate' needs --out FILE")]
    [InlineData("trueskill simulate --players 1 --out x.csv", "problab: invalid value '1' for --players")]
    [InlineData("trueskill adf", "problab: Option '--data' is required")]
    [InlineData("rate --matches x.csv --method best", "problab: invalid value 'best' for --method: expected one of adf, ep")]
    public void UsageErrorsAreOneLineWithExitCode2(string args, string expected)
    {
        using var tmp = new TempDir();
        string line = CliRunner.AssertOneLineError(CliRunner.Run(tmp, Args(args)), 2);
        Assert.StartsWith(expected, line);
    }

    [Fact]
    public void GibbsFitAgreesWithMessagePassingWithinMonteCarloError()
    {
        using var tmp = new TempDir();
        var root = Json(CliRunner.Run(tmp, Args("trueskill gibbs --outcome win --samples 40000 --burn-in 20 --seed 3 --json")));
        var fit = root.GetProperty("fit");
        var exact = root.GetProperty("exact");
        Assert.Equal(40000, root.GetProperty("samples").GetInt32());
        Assert.True(root.GetProperty("effectiveSamples").GetDouble() > 5000);
        foreach (var (p, se) in new[] { ("player1", "mu1"), ("player2", "mu2") })
        {
            double tol = 5 * root.GetProperty("standardError").GetProperty(se).GetDouble();
            Check.Close(exact.GetProperty(p).GetProperty("mu").GetDouble(), fit.GetProperty(p).GetProperty("mu").GetDouble(), tol, 0, p + ".mu");
            Check.Close(exact.GetProperty(p).GetProperty("sigma").GetDouble(), fit.GetProperty(p).GetProperty("sigma").GetDouble(), 0.1, 0, p + ".sigma");
        }
        double rho = fit.GetProperty("correlation").GetDouble();
        Assert.True(rho > 0.2 && rho < 0.6, $"posterior correlation {rho}");
        // Same seed, same numbers.
        var again = Json(CliRunner.Run(tmp, Args("trueskill gibbs --outcome win --samples 40000 --burn-in 20 --seed 3 --json")));
        Assert.Equal(fit.GetProperty("player1").GetProperty("mu").GetDouble(), again.GetProperty("fit").GetProperty("player1").GetProperty("mu").GetDouble());
    }

    [Fact]
    public void AdfJsonHasPredictionsAndRatings()
    {
        using var tmp = new TempDir();
        string file = tmp.Write("league.csv", League);
        var root = Json(CliRunner.Run(tmp, ["trueskill", "adf", "--data", file, "--prior-mean", "25", "--prior-sd", "8.333", "--perf-sd", "4.1667", "--json"]));
        int correct = root.GetProperty("correct").GetInt32(), decisive = root.GetProperty("decisive").GetInt32();
        Assert.Equal(6, decisive);   // 8 matches, 2 draws
        Check.Close((double)correct / decisive, root.GetProperty("predictionRate").GetDouble(), 1e-12, 0, "rate");
        var ratings = root.GetProperty("ratings").EnumerateArray().ToList();
        Assert.Equal(4, ratings.Count);
        var mus = ratings.Select(r => r.GetProperty("mu").GetDouble()).ToArray();
        Assert.Equal(mus.OrderByDescending(x => x), mus);
        Assert.All(ratings, r => Assert.True(r.GetProperty("sigma").GetDouble() is > 0 and < 8.333));
        Assert.Equal(["A", "B", "C", "D"], ratings.Select(r => r.GetProperty("name").GetString()!).Order());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("home").ValueKind);
        Assert.False(root.GetProperty("data")[0].GetProperty("synthetic").GetBoolean());
    }

    [Fact]
    public void RankByConservativeOrdersByMuMinusThreeSigma()
    {
        using var tmp = new TempDir();
        string file = tmp.Write("league.csv", League);
        var root = Json(CliRunner.Run(tmp, ["rate", "--matches", file, "--rank-by", "conservative", "--json"]));
        var cons = root.GetProperty("ratings").EnumerateArray().Select(r => r.GetProperty("conservative").GetDouble()).ToArray();
        Assert.Equal(cons.OrderByDescending(x => x), cons);
        foreach (var r in root.GetProperty("ratings").EnumerateArray())
            Check.Close(r.GetProperty("mu").GetDouble() - 3 * r.GetProperty("sigma").GetDouble(), r.GetProperty("conservative").GetDouble(), 1e-12, 1e-12, "mu - 3 sigma");
        Assert.Equal("conservative", root.GetProperty("config").GetProperty("rankBy").GetString());
    }

    [Fact]
    public void AdfShuffleDependsOnTheSeedAndEpDoesNot()
    {
        using var tmp = new TempDir();
        string file = tmp.Write("league.csv", League);
        double Mu(JsonElement root, string name) => root.GetProperty("ratings").EnumerateArray().First(r => r.GetProperty("name").GetString() == name).GetProperty("mu").GetDouble();
        var a1 = Json(CliRunner.Run(tmp, ["trueskill", "adf", "--data", file, "--shuffle", "--seed", "1", "--json"]));
        var a1Again = Json(CliRunner.Run(tmp, ["trueskill", "adf", "--data", file, "--shuffle", "--seed", "1", "--json"]));
        var a2 = Json(CliRunner.Run(tmp, ["trueskill", "adf", "--data", file, "--shuffle", "--seed", "2", "--json"]));
        Assert.Equal(Mu(a1, "A"), Mu(a1Again, "A"));
        Assert.NotEqual(Mu(a1, "A"), Mu(a2, "A"));
        var e0 = Json(CliRunner.Run(tmp, ["trueskill", "ep", "--data", file, "--tolerance", "1e-9", "--json"]));
        var e1 = Json(CliRunner.Run(tmp, ["trueskill", "ep", "--data", file, "--tolerance", "1e-9", "--shuffle", "--seed", "1", "--json"]));
        Assert.True(e0.GetProperty("converged").GetBoolean());
        foreach (var name in new[] { "A", "B", "C", "D" }) Check.Close(Mu(e0, name), Mu(e1, name), 1e-6, 0, "EP mu " + name);
    }

    [Fact]
    public void RateMapsColumnsLearnsHomeAndWritesTheRankingAtomically()
    {
        using var tmp = new TempDir();
        string file = tmp.Write("mine.csv", "Date,Home Side,Visitors,Res\n1,x,y,H\n2,y,z,D\n3,z,x,A\n4,x,z,H\n5,y,x,A\n");
        string outFile = tmp["out/ratings.csv"];
        var root = Json(CliRunner.Run(tmp, ["rate", "--matches", file, "--team1-col", "home side", "--team2-col", "Visitors", "--result-col", "Res",
            "--home-sd", "2", "--out", outFile, "--json"]));
        Assert.Equal("adf", root.GetProperty("method").GetString());
        Assert.Equal(4, root.GetProperty("decisive").GetInt32());
        Assert.True(root.GetProperty("home").GetProperty("sigma").GetDouble() < 2);
        var lines = File.ReadAllLines(outFile);
        Assert.Equal("rank,name,mu,sigma,conservative,games", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.Equal(root.GetProperty("ratings")[0].GetProperty("name").GetString(), lines[1].Split(',')[1]);
        Assert.Single(Directory.GetFiles(tmp["out"]));   // no temporary file left behind
        var ep = Json(CliRunner.Run(tmp, ["rate", "--matches", file, "--team1-col", "home side", "--team2-col", "Visitors", "--result-col", "Res", "--method", "ep", "--json"]));
        Assert.Equal("ep", ep.GetProperty("method").GetString());
        Assert.Equal(3, ep.GetProperty("ratings").GetArrayLength());
    }

    [Theory]
    [InlineData("team1,team2,score1,score2\nA,B,1,0\n", "--team1-col home", "bad.csv, line 1, field 'home': no such column in the header 'team1,team2,score1,score2'")]
    [InlineData("team1,team2,score1,score2\nA,B,1,0\nA,C,two,0\n", "", "bad.csv, line 3: field 3 (score) 'two' is not a non-negative integer")]
    [InlineData("team1,team2,result\nA,B,1\nC,C,0\n", "", "bad.csv, line 3: 'C' is listed as both sides")]
    [InlineData("", "", "bad.csv: the file is empty (no header row)")]
    [InlineData("team1,team2,result\n", "", "bad.csv: the file has a header but no matches")]
    [InlineData("team1,team2,result\nA,B,win\n", "", "bad.csv, line 2: field 3 (result) 'win' is not one of")]
    public void BadMatchFilesFailWithOneLineNamingTheRowAndWriteNothing(string text, string extra, string expected)
    {
        using var tmp = new TempDir();
        string file = tmp.Write("bad.csv", text);
        string outFile = tmp["ratings.csv"];
        var run = CliRunner.Run(tmp, ["rate", "--matches", file, "--out", outFile, .. Args(extra)]);
        string line = CliRunner.AssertOneLineError(run, 1);
        Assert.StartsWith("problab: " + expected, line);
        Assert.Equal(["bad.csv"], Directory.GetFiles(tmp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void MissingMatchFileIsOneLine()
    {
        using var tmp = new TempDir();
        string line = CliRunner.AssertOneLineError(CliRunner.Run(tmp, ["trueskill", "ep", "--data", tmp["none.csv"]]), 1);
        Assert.Contains("match file not found", line);
    }

    [Fact]
    public void SimulateWritesAReadableLeagueAtomically()
    {
        using var tmp = new TempDir();
        string outFile = tmp["sim/league.csv"], truth = tmp["sim/truth.csv"];
        var root = Json(CliRunner.Run(tmp, ["trueskill", "simulate", "--players", "30", "--matches", "500", "--draw-margin", "1", "--home-advantage", "2",
            "--out", outFile, "--truth", truth, "--seed", "4", "--json"]));
        Assert.Equal(500, root.GetProperty("matches").GetInt32());
        Assert.True(root.GetProperty("draws").GetInt32() > 0);
        var m = MatchesCsv.Read(outFile);
        Assert.Equal(500, m.Count);
        Assert.Equal(root.GetProperty("aWins").GetInt32(), m.AWinCount);
        Assert.Equal(31, File.ReadAllLines(truth).Length);
        Assert.Equal(["league.csv", "truth.csv"], Directory.GetFiles(tmp["sim"]).Select(Path.GetFileName).Order());
        // The same seed writes the same bytes.
        string again = tmp["again.csv"];
        Json(CliRunner.Run(tmp, ["trueskill", "simulate", "--players", "30", "--matches", "500", "--draw-margin", "1", "--home-advantage", "2", "--out", again, "--seed", "4", "--json"]));
        Assert.Equal(File.ReadAllBytes(outFile), File.ReadAllBytes(again));
    }

    [Fact]
    public void SimulateOntoADirectoryFailsAndLeavesNoTemporaryFile()
    {
        using var tmp = new TempDir();
        Directory.CreateDirectory(tmp["taken"]);
        var run = CliRunner.Run(tmp, ["trueskill", "simulate", "--players", "5", "--matches", "20", "--out", tmp["taken"]]);
        Assert.Equal(1, run.Code);
        Assert.Single(run.ErrLines, l => l.StartsWith("problab: ", StringComparison.Ordinal));
        Assert.Equal(["taken"], Directory.GetFileSystemEntries(tmp.Path).Select(Path.GetFileName).Where(n => n != "cache"));
        Assert.Empty(Directory.GetFileSystemEntries(tmp["taken"]));
    }

    [Fact]
    public void LichessGamesAreDetectedAndCleaned()
    {
        using var tmp = new TempDir();
        string file = tmp.Write("games.csv",
            "id,rated,created_at,winner,white_id,white_rating,black_id,black_rating\n" +
            "g2,TRUE,2000,black,ann,1500,bob,1500\ng1,TRUE,1000,white,ann,1500,bob,1500\ng1,True,1000,white,ann,1500,bob,1500\n" +
            "g3,FALSE,3000,white,cat,1500,cat,1500\ng4,TRUE,4000,draw,bob,1500,cat,1500\n");
        var root = Json(CliRunner.Run(tmp, ["trueskill", "adf", "--data", file, "--json"]));
        Assert.Equal(3, root.GetProperty("matches").GetInt32());   // duplicate id and self-play dropped
        Assert.Equal(2, root.GetProperty("decisive").GetInt32());
        Assert.Contains("Lichess", root.GetProperty("data")[0].GetProperty("description").GetString());
        string line = CliRunner.AssertOneLineError(CliRunner.Run(tmp, ["trueskill", "adf", "--data", file, "--team1-col", "white_id"]), 2);
        Assert.Contains("column options apply to --format csv", line);
    }

    [Fact]
    public void BenchTrueSkillJsonReportsEveryWorkload()
    {
        using var tmp = new TempDir();
        var root = Json(CliRunner.Run(tmp, Args("bench trueskill --adf-matches 20000 --players 1000 --gibbs-sweeps 20000 --ep-matches 2000 --log-matches 20000 --json")));
        Assert.True(root.GetProperty("adf").GetProperty("updatesPerSecond").GetDouble() > 0);
        Assert.Equal(20000, root.GetProperty("adf").GetProperty("items").GetInt64());
        Assert.True(root.GetProperty("gibbs").GetProperty("sweepsPerSecond").GetDouble() > 0);
        Assert.Equal(20 * 2000, root.GetProperty("ep").GetProperty("items").GetInt64());
        var log = root.GetProperty("log");
        Assert.Equal(20000, log.GetProperty("matches").GetInt32());
        Assert.True(log.GetProperty("bytes").GetInt64() > 20000 * 6);
        Assert.True(log.GetProperty("parseAndRateSeconds").GetDouble() > 0);
        Assert.Equal(15, log.GetProperty("targetSeconds").GetDouble());
    }

    [Fact]
    public void PlainOutputPrintsTheRankingTable()
    {
        using var tmp = new TempDir();
        string file = tmp.Write("league.csv", League);
        var run = CliRunner.Run(tmp, ["rate", "--matches", file, "--top", "2"]);
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Contains("one-step-ahead prediction: ", run.Stdout);
        Assert.Contains("(2 more players; --top 0 prints all)", run.Stdout);
        Assert.StartsWith("problab rate | seed 0", run.ErrLines[0]);
        Assert.Contains("data: matches: real data, 8 matches between 4 players", run.Stderr);
        var rows = run.Stdout.Split('\n').Where(l => l.TrimStart().StartsWith("1 ", StringComparison.Ordinal) || l.TrimStart().StartsWith("2 ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, rows.Length);
        _ = double.Parse(rows[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)[2], CultureInfo.InvariantCulture);
    }
}
