// Cross-algorithm agreement (ADF = EP on one game; one-game Gibbs → exact moments; EP ≈ league Gibbs means)
// and simulate-then-recover checks (rank correlation of inferred vs true skills, home advantage).
using ProbLab.Data;
using ProbLab.Probabilistic.Distributions;
using ProbLab.Probabilistic.TrueSkill;
using ProbLab.Tensors;

namespace ProbLab.Tests.Probabilistic.TrueSkill;

public class InferenceTests
{
    private static MatchData OneGame(MatchOutcome o = MatchOutcome.AWins)
        => MatchData.FromMatches("one game", ["a", "b"], [new Match(0, 1, o)]);

    // Standard error of a chain's mean by batch means (50 batches), which accounts for autocorrelation.
    private static double BatchSe(ReadOnlySpan<double> x)
    {
        int batches = 50, len = x.Length / batches;
        double grand = 0;
        var means = new double[batches];
        for (int b = 0; b < batches; b++)
        {
            double s = 0;
            for (int i = 0; i < len; i++) s += x[b * len + i];
            means[b] = s / len; grand += means[b];
        }
        grand /= batches;
        double v = 0;
        foreach (double m in means) v += (m - grand) * (m - grand);
        return Math.Sqrt(v / (batches - 1) / batches);
    }

    [Fact]
    public void AdfEqualsEpOnASingleGame()
    {
        var model = TrueSkillModel.Default with { HomeSigma = 1, HomeMean = 0.5 };
        var adf = new AssumedDensityFiltering(model).Infer(OneGame());
        var ep = new ExpectationPropagation(model, new EpOptions { Tolerance = 1e-12 }).Run(OneGame());
        Assert.True(ep.Converged);
        Assert.True(ep.Iterations <= 3, $"EP took {ep.Iterations} sweeps on one game");
        for (int i = 0; i < 2; i++)
        {
            Check.Close(adf.Means[i], ep.Posterior.Means[i], atol: 1e-12, rtol: 1e-12, name: $"mean {i}");
            Check.Close(adf.Variances[i], ep.Posterior.Variances[i], atol: 0, rtol: 1e-11, name: $"var {i}");
        }
        Check.Close(adf.Home.Mean, ep.Posterior.Home.Mean, atol: 1e-12, rtol: 1e-12, name: "home");
    }

    [Theory]
    [InlineData(MatchOutcome.AWins, 0.0)]
    [InlineData(MatchOutcome.BWins, 2.0)]
    [InlineData(MatchOutcome.Draw, 0.0)]
    public void OneGameGibbsConvergesToTheExactMoments(MatchOutcome outcome, double home)
    {
        // For one game, moment matching gives the exact posterior mean and variance of each skill (course Q8).
        var model = TrueSkillModel.Default with { HomeMean = home, Draws = DrawHandling.Margin, DrawMargin = 2 };
        var exact = new AssumedDensityFiltering(model).Infer(OneGame(outcome));
        var sampler = GameGibbsSampler.ForMatch(model, model.SkillPrior, model.SkillPrior, new Match(0, 1, outcome))!;
        int n = 200_000;
        var sa = new double[n]; var sb = new double[n]; var t = new double[n];
        var rng = new Rng(5);
        var start = sampler.Init();
        for (int i = 0; i < 100; i++) start = sampler.Step(rng, start).State;   // burn-in
        sampler.Sample(rng, start, sa, sb, t);
        Check.Close(exact.Means[0], sa.Average(), atol: 5 * BatchSe(sa), rtol: 0, name: "mean A");
        Check.Close(exact.Means[1], sb.Average(), atol: 5 * BatchSe(sb), rtol: 0, name: "mean B");
        double meanA = sa.Average(), varA = sa.Select(x => (x - meanA) * (x - meanA)).Average();
        Check.Close(exact.Variances[0], varA, atol: 0, rtol: 0.03, name: "var A");
        int outside = t.Count(x => !(outcome == MatchOutcome.AWins ? x > 2 : outcome == MatchOutcome.BWins ? x < -2 : Math.Abs(x) <= 2));
        Assert.Equal(0, outside);
        var m = sampler.Moments(new Rng(6), 50_000, 50);
        Check.Close(exact.Means[0], m.MeanA, atol: 0.15, rtol: 0, name: "Moments mean A");
        // Observing anything about sA − sB shrinks its variance vA + vB − 2·Cov, so the posterior correlation is positive.
        Assert.True(m.Cov > 0, $"posterior covariance {m.Cov} should be positive");
    }

    [Fact]
    public void GibbsStepAndBulkSampleFollowTheSamePath()
    {
        var s = new GameGibbsSampler(Gaussian.FromMeanAndVariance(0, 1), Gaussian.FromMeanAndVariance(0, 1), 1, 0, double.PositiveInfinity);
        var r1 = new Rng(7); var r2 = new Rng(7);
        var state = s.Init();
        var sa = new double[20]; var sb = new double[20]; var t = new double[20];
        s.Sample(r2, state, sa, sb, t);
        for (int i = 0; i < 20; i++)
        {
            var (next, info) = s.Step(r1, state);
            Assert.Equal(sa[i], next.SkillA);
            Assert.Equal(t[i], next.Performance);
            double expected = Gaussian.FromMeanAndVariance(0, 1).LogProb(next.SkillA) + Gaussian.FromMeanAndVariance(0, 1).LogProb(next.SkillB)
                + Gaussian.FromMeanAndVariance(next.SkillA - next.SkillB, 1).LogProb(next.Performance);
            Check.Close(expected, info.LogJoint, atol: 1e-12, rtol: 1e-12, name: "log joint");
            state = next;
        }
        Assert.Throws<ArgumentException>(() => new GameGibbsSampler(Gaussian.PointMass(0), Gaussian.FromMeanAndVariance(0, 1), 1, 0, 1));
        Assert.Throws<ArgumentException>(() => new GameGibbsSampler(Gaussian.FromMeanAndVariance(0, 1), Gaussian.FromMeanAndVariance(0, 1), 1, 2, 1));
        Assert.Null(GameGibbsSampler.ForMatch(TrueSkillModel.Default, Gaussian.FromMeanAndVariance(0, 1), Gaussian.FromMeanAndVariance(0, 1), new Match(0, 1, MatchOutcome.Draw)));
    }

    [Fact]
    public void EpMeansAgreeWithLongRunGibbsOnASmallLeague()
    {
        var model = TrueSkillModel.Default with { HomeMean = 1 };
        var league = LeagueSimulator.Simulate(new LeagueOptions { Players = 8, Seasons = 2, Model = model }, new Rng(21));
        var ep = new ExpectationPropagation(model, new EpOptions { Tolerance = 1e-9, MaxIterations = 2000 }).Run(league.Matches);
        Assert.True(ep.Converged);
        var gibbs = new GibbsSampler(model, new Rng(22), new GibbsOptions { Samples = 20_000, BurnIn = 500 }).Run(league.Matches);
        for (int i = 0; i < 8; i++)
        {
            var column = Enumerable.Range(0, gibbs.SampleCount).Select(s => gibbs.Samples![s * gibbs.Dimension + i]).ToArray();
            double se = BatchSe(column);
            // EP's mean is an approximation, so allow its (small) bias on top of the Monte Carlo error.
            Check.Close(gibbs.Posterior.Means[i], ep.Posterior.Means[i], atol: 5 * se + 0.1, rtol: 0, name: $"mean {i}");
            // Factorised EP cannot see the joint shift of all skills (constrained only by the prior), so its marginals are narrower.
            Assert.True(ep.Posterior.Variances[i] < gibbs.Posterior.Variances[i], $"EP var {ep.Posterior.Variances[i]} vs Gibbs {gibbs.Posterior.Variances[i]}");
        }
    }

    [Fact]
    public void LeagueGibbsLearnsTheHomeAdvantageAndRejectsDrift()
    {
        var truth = TrueSkillModel.Default with { HomeMean = 4 };
        var league = LeagueSimulator.Simulate(new LeagueOptions { Players = 10, Seasons = 4, Model = truth }, new Rng(31));
        var model = TrueSkillModel.Default with { HomeSigma = 5 };
        var g = new GibbsSampler(model, new Rng(32), new GibbsOptions { Samples = 3000, BurnIn = 200, KeepSamples = false }).Run(league.Matches);
        Assert.Null(g.Samples);
        var ep = new ExpectationPropagation(model).Run(league.Matches);
        Check.Close(4, g.Posterior.Home.Mean, atol: 4 * g.Posterior.Home.StdDev, rtol: 0, name: "Gibbs h");
        Check.Close(g.Posterior.Home.Mean, ep.Posterior.Home.Mean, atol: 0.3, rtol: 0, name: "EP h vs Gibbs h");
        Assert.Throws<ArgumentException>(() => new GibbsSampler(model with { Tau = 0.1 }, new Rng(1)));
        Assert.Throws<ArgumentException>(() => new ExpectationPropagation(model with { Tau = 0.1 }));
        Assert.Throws<ArgumentException>(() => new GibbsSampler(model, new Rng(1), new GibbsOptions { MaxVariables = 5 }).Run(league.Matches));
    }

    [Fact]
    public void InferenceRecoversTrueSkillRanks()
    {
        var league = LeagueSimulator.Simulate(new LeagueOptions { Players = 20, Seasons = 4 }, new Rng(41));
        var adf = new AssumedDensityFiltering(TrueSkillModel.Default).Infer(league.Matches);
        var ep = new ExpectationPropagation(TrueSkillModel.Default).Infer(league.Matches);
        double rAdf = RankCorrelation.Spearman(adf.Means, league.InitialSkills), rEp = RankCorrelation.Spearman(ep.Means, league.InitialSkills);
        Assert.True(rAdf > 0.85, $"ADF Spearman {rAdf}");
        Assert.True(rEp > 0.9, $"EP Spearman {rEp}");

        var big = LeagueSimulator.Simulate(new LeagueOptions { Players = 300, Schedule = Schedule.Random, Matches = 30_000 }, new Rng(42));
        var adfBig = new AssumedDensityFiltering(TrueSkillModel.Default).Infer(big.Matches);
        double r = RankCorrelation.Spearman(adfBig.Means, big.InitialSkills);
        Assert.True(r > 0.93, $"ADF Spearman on 300 players / 30k games {r}");
    }

    [Fact]
    public void EpIsOrderFreeWhileAdfIsNot()
    {
        var league = LeagueSimulator.Simulate(new LeagueOptions { Players = 10, Seasons = 1 }, new Rng(51));
        var order = new Rng(52).Permutation(league.Matches.Count);
        var shuffled = league.Matches.Select(order);
        var opts = new EpOptions { Tolerance = 1e-10, MaxIterations = 5000 };
        var ep1 = new ExpectationPropagation(TrueSkillModel.Default, opts).Infer(league.Matches);
        var ep2 = new ExpectationPropagation(TrueSkillModel.Default, opts).Infer(shuffled);
        var adf1 = new AssumedDensityFiltering(TrueSkillModel.Default).Infer(league.Matches);
        var adf2 = new AssumedDensityFiltering(TrueSkillModel.Default).Infer(shuffled);
        double maxAdfDiff = 0;
        for (int i = 0; i < 10; i++)
        {
            Check.Close(ep1.Means[i], ep2.Means[i], atol: 1e-6, rtol: 0, name: $"EP mean {i}");
            Check.Close(ep1.Variances[i], ep2.Variances[i], atol: 1e-6, rtol: 0, name: $"EP var {i}");
            maxAdfDiff = Math.Max(maxAdfDiff, Math.Abs(adf1.Means[i] - adf2.Means[i]));
        }
        Assert.True(maxAdfDiff > 0.1, $"ADF should depend on the order, max diff {maxAdfDiff}");
    }

    [Fact]
    public void AdfLearnsHomeAdvantageDrawsAndDrift()
    {
        var truth = TrueSkillModel.Default with { HomeMean = 3, Draws = DrawHandling.Margin, DrawMargin = 1.5 };
        var league = LeagueSimulator.Simulate(new LeagueOptions { Players = 100, Schedule = Schedule.Random, Matches = 20_000, Model = truth }, new Rng(61));
        Assert.InRange(league.Matches.DrawCount / (double)league.Matches.Count, 0.05, 0.3);
        var fit = new AssumedDensityFiltering(truth with { HomeMean = 0, HomeSigma = 5 }).Run(league.Matches);
        Check.Close(3, fit.Posterior.Home.Mean, atol: 0.5, rtol: 0, name: "learned home advantage");
        Assert.True(double.IsFinite(fit.Predictions.LogLoss3));
        Assert.Equal(20_000, fit.Posterior.Games.ToArray().Sum() / 2);   // draws are used under DrawHandling.Margin
        var baseline = new AssumedDensityFiltering(TrueSkillModel.Default).Run(league.Matches);
        Assert.True(fit.Predictions.LogLoss < baseline.Predictions.LogLoss, "the true model should predict better than the baseline");
        // Drift keeps every variance at least τ² after each game... and makes the final variance larger than without drift.
        var drift = new AssumedDensityFiltering(TrueSkillModel.Default with { Tau = 0.5 }).Infer(league.Matches);
        for (int i = 0; i < 100; i++) Assert.True(drift.Variances[i] > baseline.Posterior.Variances[i]);
    }

    [Fact]
    public void AdfWithGibbsUpdatesApproximatesAnalyticAdf()
    {
        var league = LeagueSimulator.Simulate(new LeagueOptions { Players = 6, Seasons = 1 }, new Rng(71));
        var analytic = new AssumedDensityFiltering(TrueSkillModel.Default).Infer(league.Matches);
        var gibbs = new AssumedDensityFiltering(TrueSkillModel.Default, new AdfOptions { GibbsSamples = 20_000, GibbsBurnIn = 50, Rng = new Rng(72) }).Infer(league.Matches);
        Assert.Equal("ADF-Gibbs", gibbs.Algorithm);
        for (int i = 0; i < 6; i++) Check.Close(analytic.Means[i], gibbs.Means[i], atol: 0.4, rtol: 0, name: $"mean {i}");
        Assert.Throws<ArgumentException>(() => new AssumedDensityFiltering(TrueSkillModel.Default, new AdfOptions { GibbsSamples = 10 }));
        Assert.Throws<ArgumentException>(() => new AssumedDensityFiltering(TrueSkillModel.Default with { HomeSigma = 1 }, new AdfOptions { GibbsSamples = 10, Rng = new Rng(1) }));
    }

    [Fact]
    public void OneStepAheadPredictionsAreScoredByHand()
    {
        // Game 1: two unseen players → tie → predict A; A wins (correct). Game 2: b vs a after a's win → predict a (B side); a wins again.
        // Game 3: a draw, skipped by the baseline and not scored by the rate.
        var data = MatchData.FromMatches("hand", ["a", "b"], [new Match(0, 1, MatchOutcome.AWins), new Match(1, 0, MatchOutcome.BWins), new Match(0, 1, MatchOutcome.Draw)]);
        var run = new AssumedDensityFiltering(TrueSkillModel.Default, new AdfOptions { RecordGames = true, TracePlayers = [0] }).Run(data);
        Assert.Equal(3, run.Predictions.Matches);
        Assert.Equal(2, run.Predictions.Decisive);
        Assert.Equal(2, run.Predictions.Correct);
        Assert.Equal(1.0, run.Predictions.Rate);
        Assert.Equal(0.5, run.Predictions.AlwaysARate);
        Check.Close(0.5, run.Games![0].PAWins, atol: 1e-15, rtol: 0, name: "first game is a coin flip");
        double p2 = run.Games[1].PBWins;
        Check.Close((-Math.Log(0.5) - Math.Log(p2)) / 2, run.Predictions.LogLoss, atol: 1e-14, rtol: 0, name: "log-loss");
        Check.Close((0.25 + (1 - p2) * (1 - p2)) / 2, run.Predictions.Brier, atol: 1e-14, rtol: 0, name: "Brier");
        Assert.True(double.IsNaN(run.Predictions.LogLoss3));
        Assert.Equal(2, run.Traces[0].Length);   // the skipped draw adds no trace point
        Assert.Equal(2, run.Posterior.Games[0]);
    }

    [Fact]
    public void RankingSortsAndFilters()
    {
        var post = new RatingPosterior("test", ["x", "y", "z"], [20, 30, 29], [1, 16, 0.25], [5, 1, 9], Gaussian.PointMass(0));
        Assert.Equal(["y", "z", "x"], post.Ranking().Select(r => r.Name));
        Assert.Equal(["z", "y", "x"], post.Ranking(RankBy.Conservative).Select(r => r.Name));   // μ − 3σ: 27.5, 18, 17
        Assert.Equal(["z", "x"], post.Ranking(minGames: 2).Select(r => r.Name));
        Assert.Equal(1, post.Ranking(top: 1).Single().Rank);
        Check.Close(27.5, post.Ranking(RankBy.Conservative)[0].Conservative, atol: 1e-12, rtol: 0, name: "μ − 3σ");
        Assert.Throws<KeyNotFoundException>(() => post.Skill("nobody"));
        Assert.True(post.WinProbability(1, 0, TrueSkillModel.Default) > 0.5);
    }
}
