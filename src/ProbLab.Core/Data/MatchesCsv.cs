// Reader and writer for match-result CSV files, span-based so that a 10-million-row log parses in about a
// second: the file is read in 1 MiB blocks of UTF-8 bytes, each line is split in place, names are interned
// through a byte-keyed hash table (NameTable) and numbers are parsed from bytes, with no per-row allocation.
// Columns are found by header name (case-insensitive; see the role lists below), so the Serie A file
// (yyyy-mm-dd,HH:MM,team1,team2,score1,score2), football-data style files (HomeTeam,AwayTeam,FTHG,FTAG) and
// simple logs (team1,team2,result) all load. Rows stay in file order: the file's order is the time order.
// Errors are one line naming the file, the 1-based line number and the field.
using System.Text;

namespace ProbLab.Data;

/// <summary>Loads and saves match results as CSV (header row required; quoted fields allowed, no embedded newlines).</summary>
public static class MatchesCsv
{
    private static readonly string[] ARoles = ["team1", "home", "hometeam", "home_team", "white", "white_id", "player1", "player_a"];
    private static readonly string[] BRoles = ["team2", "away", "awayteam", "away_team", "black", "black_id", "player2", "player_b"];
    private static readonly string[] ScoreARoles = ["score1", "fthg", "home_score", "home_goals", "homegoals", "goals1", "score_a"];
    private static readonly string[] ScoreBRoles = ["score2", "ftag", "away_score", "away_goals", "awaygoals", "goals2", "score_b"];
    private static readonly string[] ResultRoles = ["result", "winner", "outcome", "ftr"];

    /// <summary>Reads a match file; side A is the column named team1/home/white/..., outcomes come from scores or a result column.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="FormatException">Missing header columns, a short row, an unknown result, a bad score, or an empty name (the message names file, line and field).</exception>
    public static MatchData Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"match file not found: {path}", path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return Read(stream, Path.GetFileName(path));
    }

    /// <summary>Reads match CSV from a stream; <paramref name="source"/> names it in messages.</summary>
    public static MatchData Read(Stream stream, string source)
    {
        var parser = new Parser(source);
        CsvLines.ForEachLine(stream, source, parser.OnLine);
        return parser.Finish();
    }

    /// <summary>Writes <c>team1,team2,score1,score2</c> (with scores) or <c>team1,team2,result</c> (result 1, 0, −1)
    /// to a temporary file, then renames it over <paramref name="path"/>, so a failed write leaves nothing half-done.</summary>
    public static void Write(string path, MatchData matches)
    {
        string tmp = path + ".tmp";
        using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            var names = matches.Names.Select(QuoteIfNeeded).Select(Encoding.UTF8.GetBytes).ToArray();
            stream.Write(Encoding.ASCII.GetBytes(matches.HasScores ? "team1,team2,score1,score2\n" : "team1,team2,result\n"));
            var line = new byte[4096];
            for (int i = 0; i < matches.Count; i++)
            {
                byte[] a = names[matches.A[i]], b = names[matches.B[i]];
                if (a.Length + b.Length + 32 > line.Length) line = new byte[2 * (a.Length + b.Length + 32)];
                int k = 0;
                a.CopyTo(line, k); k += a.Length; line[k++] = (byte)',';
                b.CopyTo(line, k); k += b.Length; line[k++] = (byte)',';
                if (matches.ScoresA is { } sa)
                {
                    k += WriteInt(line.AsSpan(k), sa[i]); line[k++] = (byte)',';
                    k += WriteInt(line.AsSpan(k), matches.ScoresB![i]);
                }
                else k += WriteInt(line.AsSpan(k), matches.Outcomes[i]);
                line[k++] = (byte)'\n';
                stream.Write(line, 0, k);
            }
        }
        File.Move(tmp, path, overwrite: true);
    }

    private static int WriteInt(Span<byte> dst, int value)
    {
        value.TryFormat(dst, out int written);
        return written;
    }

    private static string QuoteIfNeeded(string name)
        => name.AsSpan().IndexOfAny(",\"\r\n") < 0 ? name : "\"" + name.Replace("\"", "\"\"") + "\"";

    // Parses A/B/outcome (and scores) from each line into growing arrays.
    private sealed class Parser(string source)
    {
        private readonly NameTable _names = new();
        private int[] _a = new int[1024], _b = new int[1024], _sa = new int[1024], _sb = new int[1024];
        private sbyte[] _o = new sbyte[1024];
        private int _count, _colA = -1, _colB = -1, _colSa = -1, _colSb = -1, _colResult = -1, _needed;
        private bool _headerSeen;
        private readonly Range[] _fields = new Range[64];

        public void OnLine(Span<byte> line, long lineNumber)
        {
            if (line.IsEmpty) return;
            int nf = CsvLines.Split(line, _fields, source, lineNumber);
            if (!_headerSeen) { ReadHeader(line, nf); return; }
            if (nf < _needed) throw new FormatException($"{source}: line {lineNumber}: expected at least {_needed} fields, found {nf}");
            if (_count == _a.Length) Grow();
            int a = Name(line, _colA, lineNumber), b = Name(line, _colB, lineNumber);
            if (a == b) throw new FormatException($"{source}: line {lineNumber}: '{_names.NameOf(a)}' is listed as both sides");
            sbyte outcome;
            if (_colSa >= 0)
            {
                int sa = Score(line, _colSa, lineNumber), sb = Score(line, _colSb, lineNumber);
                _sa[_count] = sa; _sb[_count] = sb;
                outcome = (sbyte)Math.Sign(sa - sb);
            }
            else outcome = Result(CsvLines.Field(line, _fields[_colResult]), lineNumber);
            _a[_count] = a; _b[_count] = b; _o[_count] = outcome;
            _count++;
        }

        private void ReadHeader(ReadOnlySpan<byte> line, int nf)
        {
            _headerSeen = true;
            var header = new string[nf];
            for (int i = 0; i < nf; i++) header[i] = Encoding.UTF8.GetString(CsvLines.Field(line, _fields[i])).Trim().ToLowerInvariant();
            _colA = Find(header, ARoles); _colB = Find(header, BRoles);
            _colSa = Find(header, ScoreARoles); _colSb = Find(header, ScoreBRoles);
            _colResult = Find(header, ResultRoles);
            string got = string.Join(",", header);
            if (_colA < 0 || _colB < 0) throw new FormatException($"{source}: line 1: header '{got}' needs a side-A column ({string.Join("/", ARoles)}) and a side-B column ({string.Join("/", BRoles)})");
            if ((_colSa < 0) != (_colSb < 0)) throw new FormatException($"{source}: line 1: header '{got}' has a score column for only one side");
            if (_colSa < 0 && _colResult < 0) throw new FormatException($"{source}: line 1: header '{got}' needs score columns ({string.Join("/", ScoreARoles)} and {string.Join("/", ScoreBRoles)}) or a result column ({string.Join("/", ResultRoles)})");
            if (_colSa >= 0) _colResult = -1;   // scores carry strictly more information than a result column
            _needed = 1 + Math.Max(Math.Max(_colA, _colB), Math.Max(Math.Max(_colSa, _colSb), _colResult));
        }

        private static int Find(string[] header, string[] roles)
        {
            for (int i = 0; i < header.Length; i++) if (Array.IndexOf(roles, header[i]) >= 0) return i;
            return -1;
        }

        private int Name(ReadOnlySpan<byte> line, int col, long lineNumber)
        {
            var f = CsvLines.Field(line, _fields[col]);
            if (f.IsEmpty) throw new FormatException($"{source}: line {lineNumber}: field {col + 1} (player name) is empty");
            return _names.GetOrAdd(f);
        }

        private int Score(ReadOnlySpan<byte> line, int col, long lineNumber)
        {
            var f = CsvLines.Field(line, _fields[col]);
            if (!CsvLines.TryParseNonNegativeInt(f, out int v))
                throw new FormatException($"{source}: line {lineNumber}: field {col + 1} (score) '{Encoding.UTF8.GetString(f)}' is not a non-negative integer");
            return v;
        }

        private sbyte Result(ReadOnlySpan<byte> f, long lineNumber)
        {
            // Accepted spellings: the course's sign convention (1/0/−1), 1X2 betting codes, chess and football-data words.
            // The numeric codes written by Write come first, without any decoding.
            if (f.Length == 1 && f[0] is (byte)'1' or (byte)'0' or (byte)'2') return f[0] == '1' ? (sbyte)1 : f[0] == '0' ? (sbyte)0 : (sbyte)-1;
            if (f.Length == 2 && f[0] == '-' && f[1] == '1') return -1;
            Span<char> lower = stackalloc char[16];
            if (f.Length <= 16)
            {
                int n = Encoding.ASCII.GetChars(f, lower);
                var s = lower[..n];
                for (int i = 0; i < n; i++) s[i] = char.ToLowerInvariant(s[i]);
                switch (s)
                {
                    case "1" or "1-0" or "home" or "h" or "white" or "team1" or "player1": return 1;
                    case "-1" or "2" or "0-1" or "away" or "a" or "black" or "team2" or "player2": return -1;
                    case "0" or "x" or "d" or "draw" or "tie" or "1/2-1/2": return 0;
                }
            }
            throw new FormatException($"{source}: line {lineNumber}: field {_colResult + 1} (result) '{Encoding.UTF8.GetString(f)}' is not one of 1/0/-1, home/draw/away, white/draw/black, H/D/A");
        }

        private void Grow()
        {
            int n = _a.Length * 2;
            Array.Resize(ref _a, n); Array.Resize(ref _b, n); Array.Resize(ref _o, n);
            if (_colSa >= 0) { Array.Resize(ref _sa, n); Array.Resize(ref _sb, n); }
        }

        public MatchData Finish()
        {
            if (!_headerSeen) throw new FormatException($"{source}: the file is empty (no header row)");
            if (_count == 0) throw new FormatException($"{source}: the file has a header but no matches");
            Array.Resize(ref _a, _count); Array.Resize(ref _b, _count); Array.Resize(ref _o, _count);
            int[]? sa = null, sb = null;
            if (_colSa >= 0) { Array.Resize(ref _sa, _count); Array.Resize(ref _sb, _count); sa = _sa; sb = _sb; }
            return new MatchData(source, _names.ToNames(), _a, _b, _o, sa, sb);
        }
    }
}
