// League simulator: determinism, schedule structure, and rank correlation helpers.
using ProbLab.Probabilistic.TrueSkill;
using ProbLab.Tensors;

namespace ProbLab.Tests.Probabilistic.TrueSkill;

public class SimulatorTests
{
    [Theory]
    [InlineData(20)]
    [InlineData(7)]
    public void RoundRobinMeetsEveryOrderedPairOncePerSeason(int players)
    {
        var league = LeagueSimulator.Simulate(new LeagueOptions { Players = players, Seasons = 2 }, new Rng(1));
        var m = league.Matches;
        Assert.Equal(2 * players * (players - 1), m.Count);
        var pairs = new Dictionary<(int, int), int>();
        for (int i = 0; i < m.Count; i++) pairs[(m.PlayerA[i], m.PlayerB[i])] = pairs.GetValueOrDefault((m.PlayerA[i], m.PlayerB[i])) + 1;
        Assert.Equal(players * (players - 1), pairs.Count);
        Assert.All(pairs.Values, c => Assert.Equal(2, c));
        // Each player is at home in half of its games.
        for (int p = 0; p < players; p++) Assert.Equal(2 * (players - 1), m.PlayerA.ToArray().Count(x => x == p));
    }

    [Fact]
    public void SameSeedSameLeague()
    {
        var opts = new LeagueOptions { Players = 50, Schedule = Schedule.Random, Matches = 500, Model = TrueSkillModel.Default with { Tau = 0.3, MarginStep = 2 } };
        var a = LeagueSimulator.Simulate(opts, new Rng(3));
        var b = LeagueSimulator.Simulate(opts, new Rng(3));
        Assert.Equal(a.InitialSkills, b.InitialSkills);
        Assert.Equal(a.FinalSkills, b.FinalSkills);
        Assert.NotEqual(a.InitialSkills, a.FinalSkills);   // drift moved them
        for (int i = 0; i < 500; i++)
        {
            Assert.Equal(a.Matches[i], b.Matches[i]);
            Assert.NotEqual(a.Matches[i].A, a.Matches[i].B);
            Assert.True(a.Matches[i].ScoreA >= 0);
        }
        Assert.Equal("P01", a.Matches.Names[0]);
        Assert.Throws<ArgumentException>(() => LeagueSimulator.Simulate(new LeagueOptions { Players = 1 }, new Rng(1)));
    }

    [Fact]
    public void SimulatedWinRatesFollowTheModel()
    {
        // Strong home advantage: side A should win about P(t > 0) averaged over skill draws.
        var model = TrueSkillModel.Default with { HomeMean = 5 };
        var league = LeagueSimulator.Simulate(new LeagueOptions { Players = 500, Schedule = Schedule.Random, Matches = 50_000, Model = model }, new Rng(5));
        double expected = ProbLab.Probabilistic.Distributions.SpecialFunctions.NormalCdf(5 / Math.Sqrt(2 * model.Sigma * model.Sigma + model.NoiseVariance));
        Check.Close(expected, league.Matches.AWinCount / 50_000.0, atol: 0.01, rtol: 0, name: "home win rate");
    }

    [Fact]
    public void RankCorrelationsOnKnownCases()
    {
        double[] x = [1, 2, 3, 4, 5];
        Check.Close(1, RankCorrelation.Spearman(x, [10, 20, 30, 40, 50]), atol: 1e-15, rtol: 0, name: "perfect");
        Check.Close(-1, RankCorrelation.Spearman(x, [5, 4, 3, 2, 1]), atol: 1e-15, rtol: 0, name: "reversed");
        Check.Close(1, RankCorrelation.Spearman(x, [1, 4, 9, 16, 25]), atol: 1e-15, rtol: 0, name: "monotone");
        // One swapped pair of five: ρ = 1 − 6·Σd²/(n(n²−1)) = 1 − 6·2/120 = 0.9; τ = (9 − 1)/10 = 0.8.
        Check.Close(0.9, RankCorrelation.Spearman(x, [1, 2, 4, 3, 5]), atol: 1e-15, rtol: 0, name: "one swap ρ");
        Check.Close(0.8, RankCorrelation.Kendall(x, [1, 2, 4, 3, 5]), atol: 1e-15, rtol: 0, name: "one swap τ");
        // Ties use mid-ranks: y = [1, 1, 2] has ranks [1.5, 1.5, 3].
        Check.Close(RankCorrelation.Pearson([1, 2, 3], [1.5, 1.5, 3]), RankCorrelation.Spearman([1, 2, 3], [1, 1, 2]), atol: 1e-15, rtol: 0, name: "ties");
        Assert.True(double.IsNaN(RankCorrelation.Spearman([1, 2, 3], [7, 7, 7])));
        Assert.Throws<ArgumentException>(() => RankCorrelation.Spearman([1], [1]));
        Assert.Throws<ArgumentException>(() => RankCorrelation.Kendall([1, 2], [1]));
    }
}
