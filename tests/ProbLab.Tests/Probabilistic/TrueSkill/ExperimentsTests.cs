// The report-facing studies: shapes and internal consistency on simulated data (always run), the acceptance
// claims on the real datasets ([RealDataFact], skipped without PROBLAB_DATA), and a benchmark smoke run.
using ProbLab.Data;
using ProbLab.Probabilistic.TrueSkill;
using ProbLab.Probabilistic.TrueSkill.Experiments;
using ProbLab.Tensors;

namespace ProbLab.Tests.Probabilistic.TrueSkill;

public class ExperimentsTests
{
    [Fact]
    public void GibbsStudyReportsTraceFitsAndExactMoments()
    {
        var r = GibbsStudy.Run(new GibbsStudyOptions { TraceLength = 300, SampleSizes = [100, 20_000], Bins = 30 }, new Rng(1));
        Assert.Equal(300, r.Trace.SkillA.Length);
        Assert.InRange(r.BurnIn, 0, 150);
        Assert.Equal(1.0, r.AutocorrelationA[0], 12);
        Assert.Equal(2, r.Fits.Count);
        Assert.All(r.Fits, f => Assert.Equal(f.Samples, f.HistogramA.Counts.Sum()));
        var exact = new AssumedDensityFiltering(TrueSkillModel.Default).Infer(MatchData.FromMatches("g", ["a", "b"], [new Match(0, 1, MatchOutcome.AWins)]));
        Check.Close(exact.Means[0], r.ExactA.Mean, atol: 1e-12, rtol: 0, name: "exact mean A");
        Check.Close(0, r.Fits[1].MeanErrorA, atol: 0.3, rtol: 0, name: "20k-sample mean error");
        Check.Close(0.5, r.WinProbability, atol: 1e-15, rtol: 0, name: "prior win probability");
        Assert.True(r.PosteriorCorrelation > 0);
        Assert.Throws<ArgumentException>(() => GibbsStudy.Run(new GibbsStudyOptions { Outcome = MatchOutcome.Draw }, new Rng(1)));
    }

    [Fact]
    public void HistogramsAndChainDiagnostics()
    {
        var h = Histogram.Build([0.1, 0.2, 0.9, -5, 7], 0, 1, 4);
        Assert.Equal([3, 0, 0, 2], h.Counts);   // out-of-range values are clamped into the end bins
        Check.Close(1, h.Density.Sum() * h.Width, atol: 1e-15, rtol: 0, name: "density integrates to 1");
        Assert.Equal([0.125, 0.375, 0.625, 0.875], h.Centers);
        Assert.Throws<ArgumentException>(() => Histogram.Build([1], 1, 1, 3));
        var rng = new Rng(2);
        var iid = Enumerable.Range(0, 20_000).Select(_ => rng.Normal()).ToArray();
        Assert.InRange(ChainDiagnostics.EffectiveSampleSize(iid), 15_000, 25_000);
        var ar = new double[20_000];
        for (int i = 1; i < ar.Length; i++) ar[i] = 0.9 * ar[i - 1] + rng.Normal();
        Assert.InRange(ChainDiagnostics.EffectiveSampleSize(ar), 20_000 * 0.1 / 1.9 * 0.6, 20_000 * 0.1 / 1.9 * 1.6);   // n(1 − ρ)/(1 + ρ)
        var ramp = Enumerable.Range(0, 1000).Select(i => i < 100 ? 50 - 0.5 * i : rng.Normal()).ToArray();
        Assert.InRange(ChainDiagnostics.SuggestBurnIn(ramp), 95, 100);
    }

    [Fact]
    public void LeagueStudyOnASimulatedSeason()
    {
        var league = LeagueSimulator.Simulate(new LeagueOptions { Players = 12, Model = TrueSkillModel.Default with { HomeMean = 2, Draws = DrawHandling.Margin, DrawMargin = 2 } }, new Rng(3)).Matches;
        var opts = new SerieAStudyOptions { Shuffles = 3, GibbsSamplesPerGame = 200, JointGibbs = new GibbsOptions { Samples = 300, BurnIn = 50, KeepSamples = false }, TracedTeams = 3 };
        var r = SerieAStudy.Run(league, opts, new Rng(4));
        Assert.Equal(12, r.AdfRanking.Count);
        Assert.Equal(12, r.AdfGibbsRanking!.Count);
        Assert.Equal(12, r.ShuffledRanking.Count);
        Assert.Equal(12, r.ShuffleSpread.Count);
        Assert.Equal(12, r.Algorithms.Count);
        Assert.Equal(3, r.SkillTraces.Count);
        Assert.Equal(r.Prediction.Decisive, r.RunningAccuracy.Length);
        Check.Close(r.Prediction.Rate, r.RunningAccuracy[^1], atol: 1e-15, rtol: 0, name: "final running accuracy");
        Assert.Equal(r.Data.Matches, r.Data.AWins + r.Data.Draws + r.Data.BWins);
        Assert.All(r.ShuffleSpread, s => Assert.InRange(s.MeanRank, 1, 12));
        Assert.True(r.Ep.Converged);
        var adf = new AssumedDensityFiltering(TrueSkillModel.Default).Run(league);
        Assert.Equal(adf.Predictions, r.Prediction);
    }

    [Fact]
    public void ExtensionStudyRewardsInformativeRatings()
    {
        // A stand-in for the chess data: a simulated league whose "ratings" are the true skills on an Elo-like scale.
        var truth = TrueSkillModel.Default with { HomeMean = 1.5 };
        var sim = LeagueSimulator.Simulate(new LeagueOptions { Players = 400, Schedule = Schedule.Random, Matches = 3000, Model = truth }, new Rng(5));
        var m = sim.Matches;
        int[] Rating(ReadOnlySpan<int> side) => side.ToArray().Select(p => (int)Math.Round(1500 + (sim.InitialSkills[p] - 25) * 40)).ToArray();
        var chess = new ChessData(m, Rating(m.PlayerA), Rating(m.PlayerB), Enumerable.Repeat(true, m.Count).ToArray(),
            Enumerable.Range(0, m.Count).Select(i => (double)i).ToArray(), Enumerable.Range(0, m.Count).Select(i => $"g{i}").ToArray(),
            new ChessCleaning(m.Count, 0, 0, m.Count, 0, 0, 0, 0, m.Count, m.DrawCount, m.AWinCount, m.Count - m.AWinCount - m.DrawCount));
        var league = LeagueSimulator.Simulate(new LeagueOptions { Players = 10, Seasons = 2, Model = truth with { MarginStep = 2 } }, new Rng(6)).Matches;
        var r = ExtensionStudy.Run(league, chess, new ExtensionStudyOptions());
        Assert.Equal(["baseline", "draws", "home", "drift", "margin", "combined"], r.Rows.Where(x => x.Dataset == ExtensionStudy.SerieA).Select(x => x.Variant));
        Assert.Equal(["baseline", "draws", "home", "drift", "combined", "ratings"], r.Rows.Where(x => x.Dataset == ExtensionStudy.Chess).Select(x => x.Variant));
        Assert.Equal(0, r.Baseline[ExtensionStudy.Chess].Gain);
        Assert.Equal("ratings", r.Best[ExtensionStudy.Chess].Variant);
        Assert.True(r.Best[ExtensionStudy.Chess].Prediction.Rate > r.Baseline[ExtensionStudy.Chess].Prediction.Rate + 0.03);
        Assert.False(r.BestFromResultsOnly[ExtensionStudy.Chess].UsesRatings);
    }

    [Fact]
    public void RecoveryImprovesWithMoreMatches()
    {
        var r = RecoveryStudy.Run(new RecoveryStudyOptions { Players = 30, MatchCounts = [150, 1500], Gibbs = new GibbsOptions { Samples = 300, BurnIn = 50, KeepSamples = false } }, new Rng(7));
        Assert.Equal(6, r.Rows.Count);
        foreach (string alg in new[] { "ADF", "EP", "Gibbs" })
        {
            var rows = r.Rows.Where(x => x.Algorithm == alg).ToArray();
            Assert.True(rows[1].Spearman > rows[0].Spearman, $"{alg}: {rows[0].Spearman} → {rows[1].Spearman}");
            Assert.True(rows[1].CentredRmse < rows[0].CentredRmse, $"{alg} RMSE should fall");
            Assert.True(rows[1].Spearman > 0.9);
        }
    }

    [Fact]
    public void BenchmarkSmokeRun()
    {
        string dir = Path.Combine(Path.GetTempPath(), "problab-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var r = TrueSkillBenchmark.Run(new TrueSkillBenchmarkOptions { AdfMatches = 20_000, Players = 500, GibbsSweeps = 50_000, EpMatches = 2000, LogMatches = 20_000, WorkDirectory = dir }, new Rng(8));
            foreach (var t in new[] { r.AdfUpdates, r.GibbsSweeps, r.EpGameUpdates, r.LogWrite!, r.LogParse!, r.LogRate!, r.LogParseAndRate! })
                Assert.True(t.WallSeconds > 0 && t.Items > 0 && double.IsFinite(t.PerSecond), $"bad timing {t}");
            Assert.True(r.LogBytes > 20_000 * 10);
            Assert.Empty(Directory.GetFiles(dir));   // the temporary log is deleted
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
