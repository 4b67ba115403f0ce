// The TrueSkill report chapters: the quick presets run on the synthetic stand-ins when no data folder exists
// (and say so), produce every figure and table without NaN, and on the real files (skipped without
// PROBLAB_DATA) show the baseline numbers the issue asks for.
using System.Text.Json;
using System.Text.RegularExpressions;
using ProbLab.Cli.Experiments;
using ProbLab.Tests.Probabilistic;

namespace ProbLab.Tests.Cli;

[Collection("cli")]
public class TrueSkillExperimentTests
{
    private static readonly string[] Names = ["trueskill-game", "trueskill-seriea", "trueskill-chess", "trueskill-extensions", "trueskill-recovery"];

    [Fact]
    public void QuickPresetsRunOnTheStandInsAndSaySo()
    {
        using var tmp = new TempDir();
        var run = CliRunner.Run(tmp, ["report", "--quick", "--only", string.Join(",", Names), "--json", "--out", tmp["out"]], ExperimentRegistry.All);
        Assert.True(run.Code == 0, run.Stderr);
        using var doc = JsonDocument.Parse(run.Stdout);
        var exps = doc.RootElement.GetProperty("experiments").EnumerateArray().ToList();
        Assert.Equal(Names, exps.Select(e => e.GetProperty("name").GetString()));
        var data = exps.SelectMany(e => e.GetProperty("data").EnumerateArray().Select(d => d.GetString()!)).ToList();
        Assert.Contains(data, d => d.StartsWith("seriea: SYNTHETIC stand-in", StringComparison.Ordinal));
        Assert.Contains(data, d => d.StartsWith("chess: SYNTHETIC stand-in", StringComparison.Ordinal));
        Assert.Contains("data: seriea: SYNTHETIC stand-in", run.Stderr);

        string html = File.ReadAllText(tmp["out/index.html"]);
        Assert.DoesNotContain("NaN", html);
        Assert.DoesNotContain("∞", html);
        foreach (var heading in new[] { "Gibbs trace and burn-in", "Histograms and Gaussian fits", "Prior vs posterior", "Message passing vs Gibbs",
                     "Final ranking (ADF in file order)", "Shuffled match order", "One-step-ahead predictions", "ADF vs expectation propagation vs Gibbs",
                     "Top players", "Extensions and their gains", "Recovery of known skills" })
            Assert.Contains(heading, html);
        Assert.True(Regex.Matches(html, "<svg").Count >= 18, "expected at least 18 figures");
        // At least four histogram panels (one per sample count) with their timing.
        Assert.True(Regex.Matches(html, @"N = [\d,]+ \([\d.]+ ms\)").Count >= 4);
        // The synthetic season has a home advantage, so the learned h is positive.
        var h = Regex.Match(html, @"[Tt]he learned h is (-?[\d.]+) ± ");
        Assert.True(h.Success && double.Parse(h.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, "learned home advantage");
    }

    [RealDataFact]
    public void RealDataChaptersShowTheBaselineNumbers()
    {
        using var tmp = new TempDir();
        var run = CliRunner.Run(tmp, ["report", "--quick", "--only", "trueskill-seriea,trueskill-chess", "--out", tmp["out"]], ExperimentRegistry.All,
            problabData: RealData.Root);
        Assert.True(run.Code == 0, run.Stderr);
        string html = File.ReadAllText(tmp["out/index.html"]);
        Assert.Contains("0.6581 (179/272)", html);   // Serie A baseline, μ = 25, σ = 25/3, σt = 25/6
        Assert.Contains("0.6047 (11019/18223)", html);   // chess baseline, chronological order
        Assert.DoesNotContain("SYNTHETIC", html);
    }
}
