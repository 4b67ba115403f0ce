// CsvFile: a strict, typed row reader over CsvHelper for ProbLab's data files. It checks the header,
// requires every row to have the header's field count, and converts fields with the invariant culture.
// Every problem becomes a DataFormatException naming the file, the 1-based line (header = line 1) and the
// column: "train.csv, line 17, field 'lat': 'abc' is not a number". Numbers that a model will consume are
// read with GetDouble/GetFloat, which also reject NaN and ±infinity (a NaN coordinate poisons every loss).
using System.Globalization;
using CsvHelper;

namespace ProbLab.Data;

/// <summary>Forward-only reader of a comma-separated file with a header row and typed, validated field access.</summary>
public sealed class CsvFile : IDisposable
{
    private readonly CsvReader _reader;
    private readonly Dictionary<string, int> _columns;
    private bool _started;

    /// <summary>The path as given to <see cref="Open"/>; used in error messages.</summary>
    public string Path { get; }

    /// <summary>The header fields, in file order.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>1-based line of the current row in the file (the header is line 1).</summary>
    public int Line { get; private set; } = 1;

    /// <summary>Number of data rows read so far.</summary>
    public int RowsRead { get; private set; }

    private CsvFile(string path, CsvReader reader, IReadOnlyList<string> header)
    {
        Path = path;
        _reader = reader;
        Header = header;
        _columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < header.Count; i++) _columns.TryAdd(header[i], i);
    }

    /// <summary>Opens <paramref name="path"/> and checks its header; <paramref name="expectedHeader"/> null accepts any non-empty header.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist (message names it).</exception>
    /// <exception cref="DataFormatException">The file is empty or its header differs from <paramref name="expectedHeader"/>.</exception>
    public static CsvFile Open(string path, IReadOnlyList<string>? expectedHeader = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        var options = CsvReaderOptions.Default with
        {
            Separator = ',',
            HasHeader = true,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            FieldCountMismatch = CsvFieldCountHandling.Throw,
            MalformedData = CsvMalformedDataHandling.Throw,
            FormatProvider = CultureInfo.InvariantCulture,
        };
        var reader = CsvReader.FromFile(path, options);
        try
        {
            string[] header = Wrap(path, 1, () => reader.Headers.ToArray());
            if (header.Length == 0) throw new DataFormatException(path, "file is empty (no header row)");
            if (expectedHeader is not null && !header.SequenceEqual(expectedHeader))
                throw new DataFormatException(path, 1, null,
                    $"header is '{string.Join(",", header)}', expected '{string.Join(",", expectedHeader)}'");
            return new CsvFile(path, reader, header);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>Advances to the next data row; false at the end of the file.</summary>
    /// <exception cref="DataFormatException">The row has the wrong number of fields or broken quoting.</exception>
    public bool Read()
    {
        bool ok = Wrap(Path, Line + 1, _reader.Read);
        _started = true;
        if (!ok) return false;
        Line = (int)_reader.LineNumber;
        RowsRead++;
        return true;
    }

    /// <summary>Index of column <paramref name="name"/>.</summary>
    /// <exception cref="DataFormatException">The header has no such column.</exception>
    public int Column(string name) => _columns.TryGetValue(name, out int i) ? i
        : throw new DataFormatException(Path, 1, name, $"no column '{name}' in header '{string.Join(",", Header)}'");

    /// <summary>True when the header contains column <paramref name="name"/>.</summary>
    public bool HasColumn(string name) => _columns.ContainsKey(name);

    /// <summary>The raw text of field <paramref name="column"/> of the current row.</summary>
    public string GetString(int column)
    {
        if (!_started) throw new InvalidOperationException("call Read() before reading fields");
        return _reader.GetString(column) ?? "";
    }

    /// <summary>A finite double (invariant culture); NaN, ±infinity, empty and non-numeric text are rejected.</summary>
    /// <exception cref="DataFormatException">The field is not a finite number.</exception>
    public double GetDouble(int column)
    {
        string s = GetString(column);
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
            throw FieldError(column, $"'{Shorten(s)}' is not a number");
        if (!double.IsFinite(v)) throw FieldError(column, $"'{Shorten(s)}' is not a finite number");
        return v;
    }

    /// <summary>A finite float; values outside the float range are rejected like NaN.</summary>
    /// <exception cref="DataFormatException">The field is not a finite number representable as float.</exception>
    public float GetFloat(int column)
    {
        double v = GetDouble(column);
        float f = (float)v;
        if (!float.IsFinite(f)) throw FieldError(column, $"{v:R} overflows float32");
        return f;
    }

    /// <summary>An integer written without a fraction or exponent (e.g. "17", "-3").</summary>
    /// <exception cref="DataFormatException">The field is not an integer in the int range.</exception>
    public int GetInt(int column)
    {
        string s = GetString(column);
        if (!int.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite,
                CultureInfo.InvariantCulture, out int v))
            throw FieldError(column, $"'{Shorten(s)}' is not an integer");
        return v;
    }

    /// <summary>A 64-bit integer.</summary>
    /// <exception cref="DataFormatException">The field is not an integer in the long range.</exception>
    public long GetLong(int column)
    {
        string s = GetString(column);
        if (!long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v))
            throw FieldError(column, $"'{Shorten(s)}' is not an integer");
        return v;
    }

    /// <summary>A boolean written true/false in any letter case (e.g. "TRUE", "False").</summary>
    /// <exception cref="DataFormatException">The field is neither.</exception>
    public bool GetBool(int column)
    {
        string s = GetString(column).Trim();
        if (s.Equals("true", StringComparison.OrdinalIgnoreCase)) return true;
        if (s.Equals("false", StringComparison.OrdinalIgnoreCase)) return false;
        throw FieldError(column, $"'{Shorten(s)}' is not true/false");
    }

    /// <summary>An integer that must lie in [<paramref name="lo"/>, <paramref name="hi"/>].</summary>
    /// <exception cref="DataFormatException">The field is not an integer in that range.</exception>
    public int GetIntInRange(int column, int lo, int hi)
    {
        int v = GetInt(column);
        return v >= lo && v <= hi ? v : throw FieldError(column, $"{v} is outside [{lo}, {hi}]");
    }

    /// <summary>A finite double that must lie in [<paramref name="lo"/>, <paramref name="hi"/>].</summary>
    /// <exception cref="DataFormatException">The field is not a finite number in that range.</exception>
    public double GetDoubleInRange(int column, double lo, double hi)
    {
        double v = GetDouble(column);
        return v >= lo && v <= hi ? v : throw FieldError(column, $"{v:R} is outside [{lo}, {hi}]");
    }

    /// <summary>An error about field <paramref name="column"/> of the current row, for callers' own checks.</summary>
    public DataFormatException FieldError(int column, string detail) =>
        new(Path, Line, column < Header.Count ? Header[column] : $"#{column + 1}", detail);

    /// <summary>An error about the current row as a whole.</summary>
    public DataFormatException RowError(string detail) => new(Path, Line, null, detail);

    /// <summary>Reads every row with <paramref name="map"/>; an empty data section is an error.</summary>
    /// <exception cref="DataFormatException">A row is malformed, or the file has a header but no data rows.</exception>
    public static List<T> ReadAll<T>(string path, IReadOnlyList<string>? expectedHeader, Func<CsvFile, T> map)
    {
        using var csv = Open(path, expectedHeader);
        var rows = new List<T>();
        while (csv.Read()) rows.Add(map(csv));
        if (rows.Count == 0) throw new DataFormatException(path, "file has a header but no data rows");
        return rows;
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _reader.Dispose();

    // Turns CsvHelper's format errors into our one-line, file-naming exception.
    private static T Wrap<T>(string path, int fallbackLine, Func<T> read)
    {
        try { return read(); }
        catch (CsvFormatException e)
        {
            int line = e.LineNumber > 0 ? (int)e.LineNumber : fallbackLine;
            string detail = StripLocation(e.Message);
            throw new DataFormatException(path, line, null, detail, e);
        }
    }

    // CsvHelper messages begin with "Record 3 (line 3) has ..." or "Malformed CSV in record 3 (line 3): ...";
    // our prefix already names the line, so keep only the description.
    private static string StripLocation(string message)
    {
        string m = message.TrimEnd('.');
        int paren = m.IndexOf(") ", StringComparison.Ordinal);
        if (m.StartsWith("Record ", StringComparison.Ordinal) && paren > 0) return m[(paren + 2)..];
        int colon = m.IndexOf("): ", StringComparison.Ordinal);
        if (colon > 0) return "malformed CSV: " + m[(colon + 3)..];
        return m;
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..37] + "...";
}
