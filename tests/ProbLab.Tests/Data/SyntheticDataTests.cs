// Synthetic stand-ins for match data: deterministic, the right sizes, and the advertised structure.
using ProbLab.Data.Synthetic;
using ProbLab.Tensors;

namespace ProbLab.Tests.Data;

public class SyntheticDataTests
{
    [Fact]
    public void FootballSeasonIsADoubleRoundRobin()
    {
        var s = FootballSynthetic.Generate();
        Assert.Equal(20, s.Teams.Count);
        Assert.Equal(380, s.Matches.Count);
        // Every ordered (home, away) pair exactly once; every team plays once per round date.
        Assert.Equal(380, s.Matches.Select(m => (m.Home, m.Away)).Distinct().Count());
        Assert.All(s.Matches.GroupBy(m => m.Date), g => Assert.Equal(20, g.SelectMany(m => new[] { m.Home, m.Away }).Distinct().Count()));
        Assert.Equal(38, s.Matches.Select(m => m.Date).Distinct().Count());
        Assert.All(s.Teams, t => Assert.Equal(19, s.Matches.Count(m => m.Home == t)));
        var again = FootballSynthetic.Generate();
        Assert.Equal(s.Matches, again.Matches);
        Assert.Equal(s.Strength, again.Strength);
    }

    [Fact]
    public void HomeAdvantageShowsOverManySeasons()
    {
        var rng = new Rng(11);
        int home = 0, away = 0;
        for (int i = 0; i < 20; i++)
            foreach (var m in FootballSynthetic.Generate(rng).Matches)
            {
                if (m.HomeGoals > m.AwayGoals) home++;
                else if (m.HomeGoals < m.AwayGoals) away++;
            }
        double rate = (double)home / (home + away); // real Serie A 2018/19: 0.61
        Assert.InRange(rate, 0.55, 0.68);
    }

    [Fact]
    public void SeasonCsvHasTheSerieALayout()
    {
        var csv = FootballSynthetic.Generate().ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("yyyy-mm-dd,HH:MM,team1,team2,score1,score2", csv[0]);
        Assert.Equal(381, csv.Length);
        Assert.Matches(@"^2018-08-18,\d\d:\d\d,\w+,\w+,\d+,\d+$", csv[1]);
    }

    [Fact]
    public void PoissonHasTheRightMean()
    {
        var rng = new Rng(2);
        int n = 20_000; double sum = 0;
        for (int i = 0; i < n; i++) sum += FootballSynthetic.Poisson(rng, 1.7);
        Check.Close(1.7, sum / n, 5 * Math.Sqrt(1.7 / n), 0, "mean");
        Assert.Throws<ArgumentOutOfRangeException>(() => FootballSynthetic.Poisson(rng, double.NaN));
    }

    [Fact]
    public void ChessGamesFollowTheEloModel()
    {
        var set = ChessSynthetic.Generate();
        Assert.Equal(4000, set.Games.Count);
        Assert.All(set.Games, g => Assert.NotEqual(g.White, g.Black));
        Assert.All(set.Games, g => Assert.Contains(g.Winner, new[] { "white", "black", "draw" }));
        double draws = set.Games.Count(g => g.Winner == "draw") / (double)set.Games.Count;
        Assert.InRange(draws, 0.03, 0.15);
        // The stronger player (by hidden skill) wins most decisive games.
        var idx = set.Players.Select((p, i) => (p, i)).ToDictionary(t => t.p, t => t.i);
        var decisive = set.Games.Where(g => g.Winner != "draw").ToList();
        int strongerWins = decisive.Count(g => (set.Skill[idx[g.White]] > set.Skill[idx[g.Black]]) == (g.Winner == "white"));
        Assert.True(strongerWins > 0.65 * decisive.Count, $"stronger player won {strongerWins} of {decisive.Count}");
        Assert.Equal(set.Games, ChessSynthetic.Generate().Games);
    }
}
