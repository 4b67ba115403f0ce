// CsvFile: header checks, typed fields, and one-line errors naming file, line and field.
using ProbLab.Data;

namespace ProbLab.Tests.Data;

public class CsvFileTests
{
    private static readonly string[] Header = ["name", "x", "n"];

    private static List<(string Name, double X, int N)> ReadRows(string path) =>
        CsvFile.ReadAll(path, Header, c => (c.GetString(0), c.GetDouble(1), c.GetInt(2)));

    [Fact]
    public void ReadsTypedRowsAndTracksLines()
    {
        using var tmp = new TempDir();
        string p = tmp.Write("a.csv", "name,x,n\nalpha,1.5,3\n\n\"be,ta\",-2e-3,-7\r\n");
        var rows = ReadRows(p);
        Assert.Equal(2, rows.Count);
        Assert.Equal(("alpha", 1.5, 3), rows[0]);
        Assert.Equal(("be,ta", -2e-3, -7), rows[1]);
        using var csv = CsvFile.Open(p, Header);
        Assert.True(csv.Read()); Assert.Equal(2, csv.Line);
        Assert.True(csv.Read()); Assert.Equal(4, csv.Line); // the blank line 3 is skipped but counted
        Assert.False(csv.Read());
        Assert.Equal(1, csv.Column("x"));
    }

    [Fact]
    public void MissingFileNamesThePath()
    {
        using var tmp = new TempDir();
        var e = Assert.Throws<FileNotFoundException>(() => CsvFile.Open(tmp["nope.csv"], Header));
        DataAssert.OneLine(e.Message, "nope.csv");
    }

    [Fact]
    public void EmptyFileIsRejected()
    {
        using var tmp = new TempDir();
        string p = tmp.Write("empty.csv", "");
        DataAssert.Fails(() => CsvFile.Open(p, Header), p, null, null, "empty");
    }

    [Fact]
    public void HeaderOnlyFileIsRejectedByReadAll()
    {
        using var tmp = new TempDir();
        string p = tmp.Write("h.csv", "name,x,n\n");
        DataAssert.Fails(() => ReadRows(p), p, null, null, "no data rows");
    }

    [Fact]
    public void WrongHeaderNamesExpectedHeader()
    {
        using var tmp = new TempDir();
        string p = tmp.Write("h.csv", "name,y,n\na,1,2\n");
        DataAssert.Fails(() => ReadRows(p), p, 1, null, "name,x,n", "name,y,n");
    }

    [Fact]
    public void MalformedRowsNameTheirLine()
    {
        using var tmp = new TempDir();
        string few = tmp.Write("few.csv", "name,x,n\na,1,2\nb,3\n");
        DataAssert.Fails(() => ReadRows(few), few, 3, null, "2 fields", "3");
        string many = tmp.Write("many.csv", "name,x,n\na,1,2\nb,1,2\nc,3,4,5\n");
        DataAssert.Fails(() => ReadRows(many), many, 4);
        string quote = tmp.Write("quote.csv", "name,x,n\na\"b,1,2\n");
        DataAssert.Fails(() => ReadRows(quote), quote, 2, null, "malformed");
    }

    [Theory]
    [InlineData("NaN", "not a finite number")]
    [InlineData("nan", "not a finite number")]
    [InlineData("Infinity", "not a finite number")]
    [InlineData("-inf", "not a number")]
    [InlineData("1e999", "not a finite number")]
    [InlineData("abc", "'abc' is not a number")]
    [InlineData("", "is not a number")]
    [InlineData("1,5", "")]
    public void NonFiniteOrBadNumbersAreRejected(string value, string detail)
    {
        using var tmp = new TempDir();
        string field = value.Contains(',') ? $"\"{value}\"" : value;
        string p = tmp.Write("n.csv", $"name,x,n\nok,1,1\nbad,{field},2\n");
        DataAssert.Fails(() => ReadRows(p), p, 3, "x", detail);
    }

    [Theory]
    [InlineData("2.5")]
    [InlineData("1e3")]
    [InlineData("99999999999")]
    [InlineData("x")]
    public void BadIntegersAreRejected(string value)
    {
        using var tmp = new TempDir();
        string p = tmp.Write("i.csv", $"name,x,n\nbad,1,{value}\n");
        DataAssert.Fails(() => ReadRows(p), p, 2, "n", "not an integer");
    }

    [Fact]
    public void RangeAndBoolHelpers()
    {
        using var tmp = new TempDir();
        string p = tmp.Write("r.csv", "a,b\nTRUE,5\nFalse,11\nmaybe,1\n");
        using var csv = CsvFile.Open(p, ["a", "b"]);
        Assert.True(csv.Read()); Assert.True(csv.GetBool(0)); Assert.Equal(5, csv.GetIntInRange(1, 0, 10));
        Assert.True(csv.Read()); Assert.False(csv.GetBool(0));
        DataAssert.Fails(() => csv.GetIntInRange(1, 0, 10), p, 3, "b", "outside [0, 10]");
        Assert.True(csv.Read());
        DataAssert.Fails(() => csv.GetBool(0), p, 4, "a", "true/false");
        DataAssert.Fails(() => csv.Column("zzz"), p, 1, "zzz", "no column");
    }
}
