// Assertions shared by the data tests: an error message is one line and names what it should.
using ProbLab.Data;

namespace ProbLab.Tests.Data;

public static class DataAssert
{
    /// <summary>Asserts <paramref name="message"/> is a single non-empty line containing every <paramref name="parts"/>.</summary>
    public static void OneLine(string message, params string[] parts)
    {
        Assert.False(string.IsNullOrWhiteSpace(message), "message is empty");
        Assert.DoesNotContain('\n', message);
        Assert.DoesNotContain('\r', message);
        foreach (var p in parts) Assert.Contains(p, message);
    }

    /// <summary>Runs <paramref name="act"/>, expects a DataFormatException at <paramref name="file"/>, line <paramref name="row"/>.</summary>
    public static DataFormatException Fails(Action act, string file, int? row, string? field = null, params string[] parts)
    {
        var e = Assert.Throws<DataFormatException>(act);
        Assert.Equal(file, e.File);
        Assert.Equal(row, e.Row);
        if (field is not null) Assert.Equal(field, e.Field);
        OneLine(e.Message, [file, .. row is { } r ? new[] { $"line {r}" } : [], .. parts]);
        return e;
    }
}
