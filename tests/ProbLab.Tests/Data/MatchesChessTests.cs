// Lichess loader: duplicate ids (exact and re-spelled copies), self-play, chronological order with the
// reverse-file-order tie-break, the rated filter, errors; and the documented counts on the real file.
using System.Text;
using ProbLab.Data;
using ProbLab.Tests.Probabilistic;

namespace ProbLab.Tests.Data;

public class MatchesChessTests
{
    private const string Header = "id,rated,created_at,last_move_at,turns,victory_status,winner,increment_code,white_id,white_rating,black_id,black_rating,moves,opening_eco,opening_name,opening_ply";

    private static string Row(string id, string rated, string created, string winner, string white, string black, int wr = 1500, int br = 1500)
        => $"{id},{rated},{created},{created},10,resign,{winner},10+0,{white},{wr},{black},{br},e4 e5,C20,\"King's Pawn Game: Wayward Queen, Attack\",2";

    private static ChessData Load(string text, ChessLoadOptions? o = null) => ChessGames.Load(new MemoryStream(Encoding.ASCII.GetBytes(text)), "games.csv", o);

    [Fact]
    public void CleansAndOrdersGames()
    {
        string text = string.Join("\r\n",
            Header,
            Row("g1", "TRUE", "1.50421E+12", "white", "ann", "bob"),            // pos 0, imprecise time
            Row("g2", "FALSE", "1.50421E+12", "black", "bob", "cid"),           // pos 1, same rounded time: tie
            Row("g3", "True", "1504000000000", "draw", "ann", "cid", 1600, 1400), // pos 2, earliest
            Row("g1", "True", "1504210000123", "white", "ann", "bob"),          // same game re-spelled, precise time
            Row("g3", "True", "1504000000000", "draw", "ann", "cid", 1600, 1400), // exact duplicate row
            Row("g4", "TRUE", "1504300000000", "white", "dan", "dan"),          // self-play
            "");
        var d = Load(text);
        Assert.Equal(new ChessCleaning(Rows: 6, DuplicateRows: 2, ExactDuplicateRows: 1, DistinctGames: 4, ImpreciseTimeOnly: 1, SelfPlay: 1,
            Unrated: 1, UnratedDropped: 0, Kept: 3, Draws: 1, WhiteWins: 1, BlackWins: 1), d.Cleaning);
        // g3 (1.504000e12) first; g1 now has the precise 1504210000123 > g2's rounded 1.50421e12 = 1504210000000.
        Assert.Equal(["g3", "g2", "g1"], d.GameId);
        Assert.Equal(1504210000123, d.CreatedAt[2]);
        var m = d.Matches;
        Assert.Equal(["ann", "cid", "bob"], m.Names);
        Assert.Equal(new Match(0, 1, MatchOutcome.Draw), m[0]);
        Assert.Equal(new Match(2, 1, MatchOutcome.BWins), m[1]);
        Assert.Equal((1600, 1400), (d.WhiteRating[0], d.BlackRating[0]));
        Assert.Equal([true, false, true], d.Rated);
        var rated = Load(text, new ChessLoadOptions { RatedOnly = true });
        Assert.Equal(["g3", "g1"], rated.GameId);
        Assert.Equal(1, rated.Cleaning.UnratedDropped);
    }

    [Fact]
    public void TiesKeepTheNewestFilePositionFirst()
    {
        // Three games with the same rounded timestamp: the file lists them newest first, so the order is reversed.
        string text = string.Join("\n", Header, Row("a", "TRUE", "1.5E+12", "white", "p", "q"), Row("b", "TRUE", "1.5E+12", "white", "p", "q"),
            Row("c", "TRUE", "1.5E+12", "white", "p", "q"));
        Assert.Equal(["c", "b", "a"], Load(text).GameId);
    }

    [Theory]
    [InlineData("id,rated,created_at\n", "missing column 'winner'")]
    [InlineData("ROW:rated=maybe", "field 'rated' is 'maybe'")]
    [InlineData("ROW:winner=nobody", "field 'winner' is 'nobody'")]
    [InlineData("ROW:created=soon", "field 'created_at' is 'soon'")]
    public void BadRowsNameTheLineAndField(string spec, string expected)
    {
        string text = spec.StartsWith("ROW:") ? Header + "\n" + spec[4..] switch
        {
            "rated=maybe" => Row("x", "maybe", "1", "white", "p", "q"),
            "winner=nobody" => Row("x", "TRUE", "1", "nobody", "p", "q"),
            _ => Row("x", "TRUE", "soon", "white", "p", "q"),
        } + "\n" : spec;
        var e = Assert.Throws<FormatException>(() => Load(text));
        Assert.StartsWith("games.csv", e.Message);
        Assert.Contains(expected, e.Message);
        if (spec.StartsWith("ROW:")) Assert.Contains("line 2", e.Message);
    }

    [RealDataFact]
    public void RealFileHasTheDocumentedCounts()
    {
        var d = ChessGames.Load(RealData.File("chess", "games.csv"));
        var c = d.Cleaning;
        Assert.Equal(20_058, c.Rows);
        Assert.Equal(19_113, c.DistinctGames);
        Assert.Equal(297 + 132, c.ExactDuplicateRows);   // 297 duplicate groups, some with several copies
        Assert.Equal(2, c.SelfPlay);
        Assert.Equal(19_111, c.Kept);
        Assert.Equal(c.Kept, c.Draws + c.WhiteWins + c.BlackWins);
        Assert.Equal(8_754, c.ImpreciseTimeOnly);
        for (int i = 1; i < d.CreatedAt.Length; i++) Assert.True(d.CreatedAt[i] >= d.CreatedAt[i - 1], $"not chronological at {i}");
    }

    [RealDataFact]
    public void RealSerieAHasTheDocumentedCounts()
    {
        var m = MatchesCsv.Read(RealData.File("seriea", "SerieA.csv"));
        Assert.Equal(380, m.Count);
        Assert.Equal(20, m.PlayerCount);
        Assert.Equal(108, m.DrawCount);
        Assert.Equal(166, m.AWinCount);
    }
}
