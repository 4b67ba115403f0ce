// Match CSV reader/writer: header roles, result spellings, quotes, CRLF/BOM, buffer boundaries, round trips,
// and one-line error messages that name the file, line and field.
using System.Text;
using ProbLab.Data;

namespace ProbLab.Tests.Data;

public class MatchesCsvTests
{
    private static MatchData Read(string text, string name = "t.csv") => MatchesCsv.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), name);

    [Fact]
    public void ReadsTheSerieAFormat()
    {
        var m = Read("yyyy-mm-dd,HH:MM,team1,team2,score1,score2\n2018-08-18,18:00,Chievo,Juventus,2,3\n2018-08-18,20:30,Lazio,Napoli,1,2\n2018-08-19,18:00,Juventus,Lazio,1,1\n");
        Assert.Equal(3, m.Count);
        Assert.Equal(["Chievo", "Juventus", "Lazio", "Napoli"], m.Names);
        Assert.Equal(new Match(0, 1, MatchOutcome.BWins, 2, 3), m[0]);
        Assert.Equal(new Match(1, 2, MatchOutcome.Draw, 1, 1), m[2]);
        Assert.True(m.HasScores);
        Assert.Equal(1, m.DrawCount);
        Assert.Equal(0, m.AWinCount);
        Assert.Equal(1, m.IndexOf("Juventus"));
        Assert.Throws<KeyNotFoundException>(() => m.IndexOf("Roma"));
    }

    [Fact]
    public void ReadsResultColumnsQuotesCrlfAndBom()
    {
        string text = "\uFEFFHomeTeam,AwayTeam,FTR\r\n\"Inter, Milan\",Roma,H\r\n Roma , \"Say \"\"hi\"\"\" ,A\r\nRoma,\"Inter, Milan\",D\r\n\r\n";
        var m = Read(text);
        Assert.Equal(["Inter, Milan", "Roma", "Say \"hi\""], m.Names);
        Assert.Equal([MatchOutcome.AWins, MatchOutcome.BWins, MatchOutcome.Draw], Enumerable.Range(0, 3).Select(i => m[i].Outcome));
        Assert.False(m.HasScores);
        var w = Read("white,black,winner\nx,y,white\ny,x,black\nx,y,1/2-1/2\nx,y,1\ny,x,-1\nx,y,0\nx,y,draw\n");
        Assert.Equal([1, -1, 0, 1, -1, 0, 0], Enumerable.Range(0, w.Count).Select(i => (int)w[i].Outcome));
    }

    [Fact]
    public void RoundTripsThroughWriteAcrossBufferBoundaries()
    {
        // 120k matches are about 2.5 MB, so lines straddle the reader's 1 MiB blocks.
        var rng = new ProbLab.Tensors.Rng(3);
        int n = 120_000, p = 700;
        var names = Enumerable.Range(0, p).Select(i => $"player,{i}" + new string('x', i % 13)).ToArray();
        var a = new int[n]; var b = new int[n]; var o = new sbyte[n]; var sa = new int[n]; var sb = new int[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = rng.NextInt(p); b[i] = (a[i] + 1 + rng.NextInt(p - 1)) % p;
            sa[i] = rng.NextInt(5); sb[i] = rng.NextInt(5); o[i] = (sbyte)Math.Sign(sa[i] - sb[i]);
        }
        string dir = Path.Combine(Path.GetTempPath(), "problab-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            foreach (bool scores in new[] { true, false })
            {
                var data = new MatchData("mem", names, a, b, o, scores ? sa : null, scores ? sb : null);
                string path = Path.Combine(dir, $"log{scores}.csv");
                MatchesCsv.Write(path, data);
                Assert.False(File.Exists(path + ".tmp"));
                var back = MatchesCsv.Read(path);
                Assert.Equal(n, back.Count);
                Assert.Equal(scores, back.HasScores);
                for (int i = 0; i < n; i += 997)
                {
                    Assert.Equal(names[a[i]], back.Names[back[i].A]);
                    Assert.Equal(names[b[i]], back.Names[back[i].B]);
                    Assert.Equal((MatchOutcome)o[i], back[i].Outcome);
                    if (scores) Assert.Equal((sa[i], sb[i]), (back[i].ScoreA, back[i].ScoreB));
                }
            }
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("team1,team2,score1,score2\n", "no matches")]
    [InlineData("date,a,b\n1,x,y\n", "line 1")]
    [InlineData("team1,team2,score1\nx,y,1\n", "only one side")]
    [InlineData("team1,team2\nx,y\n", "result column")]
    [InlineData("team1,team2,score1,score2\nx,y,1,two\n", "line 2: field 4 (score) 'two'")]
    [InlineData("team1,team2,score1,score2\nx,y,1,-1\n", "line 2: field 4")]
    [InlineData("team1,team2,score1,score2\nx,y,1,0\nx,y,1\n", "line 3: expected at least 4 fields, found 3")]
    [InlineData("team1,team2,result\nx,y,maybe\n", "line 2: field 3 (result) 'maybe'")]
    [InlineData("team1,team2,result\nx,,1\n", "line 2: field 2 (player name) is empty")]
    [InlineData("team1,team2,result\nx,x,1\n", "line 2: 'x' is listed as both sides")]
    [InlineData("team1,team2,result\n\"x,y,1\n", "line 2: field 1 has an unterminated quote")]
    [InlineData("team1,team2,result\n\"x\"z,y,1\n", "line 2: field 1 has text after its closing quote")]
    public void BadInputGivesOneLineErrorsNamingTheLine(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => Read(text, "bad.csv"));
        Assert.StartsWith("bad.csv", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void MissingFileAndInvalidArraysThrow()
    {
        Assert.Throws<FileNotFoundException>(() => MatchesCsv.Read(Path.Combine(Path.GetTempPath(), "no-such-problab-file.csv")));
        Assert.Throws<ArgumentException>(() => new MatchData("x", ["a", "b"], [0], [0], [1]));
        Assert.Throws<ArgumentException>(() => new MatchData("x", ["a", "b"], [0], [2], [1]));
        Assert.Throws<ArgumentException>(() => new MatchData("x", ["a", "b"], [0], [1], [2]));
        Assert.Throws<ArgumentException>(() => new MatchData("x", ["a", "b"], [0], [1], [1], [0], [1]));
        var m = new MatchData("x", ["a", "b", "c"], [0, 1, 2], [1, 2, 0], [1, 0, -1]);
        var sub = m.Select([2, 0]);
        Assert.Equal(2, sub.Count);
        Assert.Equal(new Match(2, 0, MatchOutcome.BWins), sub[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Select([3]));
    }
}
