// DataFormatException: the one exception type for malformed input files (CSV, IDX, text). Its message is
// always ONE line naming the file, then the 1-based line and the field when known, then what is wrong:
//   "europe/train.csv, line 17, field 'lat': 'abc' is not a number"
// The CLI prints the message as `problab: <message>` and exits 1; callers never need a stack trace.
namespace ProbLab.Data;

/// <summary>A data file is malformed; the one-line message names the file, the 1-based line and the field when known.</summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Path of the offending file, as it was given to the loader.</summary>
    public string File { get; }

    /// <summary>1-based line number in a text file (the header is line 1), or null for binary files and whole-file problems.</summary>
    public int? Row { get; }

    /// <summary>Column, header field or binary field name (e.g. "lat", "magic number"), or null.</summary>
    public string? Field { get; }

    /// <summary>What is wrong, without the location prefix.</summary>
    public string Detail { get; }

    /// <summary>Creates the exception; the message is built from the location and <paramref name="detail"/>, flattened to one line.</summary>
    public DataFormatException(string file, int? row, string? field, string detail, Exception? inner = null)
        : base(Format(file, row, field, detail), inner)
    {
        File = file;
        Row = row;
        Field = field;
        Detail = detail;
    }

    /// <summary>Whole-file problem (empty file, wrong magic number, truncation).</summary>
    public DataFormatException(string file, string detail, Exception? inner = null) : this(file, null, null, detail, inner) { }

    private static string Format(string file, int? row, string? field, string detail)
    {
        string where = file;
        if (row is { } r) where += $", line {r}";
        if (field is not null) where += $", field '{field}'";
        return OneLine($"{where}: {detail}");
    }

    /// <summary>Replaces line breaks and tabs by spaces so a message always fits on one terminal line.</summary>
    public static string OneLine(string text)
    {
        if (text.AsSpan().IndexOfAny('\r', '\n', '\t') < 0) return text;
        var parts = text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join(' ', parts);
    }
}
