// Loader for the Lichess games file (Kaggle "datasnaek/chess", games.csv) as TrueSkill matches, white = side A.
// How the raw file is turned into a match sequence, and why (see data/SOURCES.md for the quirks):
//  1. Duplicates. 813 game ids occur more than once; every copy of an id is the same game (verified: copies
//     differ only in the spelling of `rated` TRUE/True and in the precision of created_at/last_move_at), so
//     one game is kept per id, at the position of its first occurrence, with the most precise created_at
//     any copy has (an integer epoch-ms value beats the 6-significant-digit scientific form).
//  2. Self-play. Two games have the same player on both sides; they carry no skill information and are dropped.
//  3. Rated and casual games are both kept by default (casual games are real games between the same accounts,
//     and dropping them loses 19% of the data); RatedOnly keeps rated games only, for comparison.
//  4. Order. Games are sorted by created_at ascending. 8,754 games only have the rounded scientific value
//     (about ±1.4 h), so ties are common; ties are broken by DESCENDING file position, because the file lists
//     each scraped player's games newest first (of consecutive pairs with exact timestamps, 9,856 are in
//     descending time order and 443 ascending). The sort is stable for the rest.
using System.Globalization;
using System.Text;

namespace ProbLab.Data;

/// <summary>Options for <see cref="ChessGames.Load(string, ChessLoadOptions?)"/>.</summary>
public sealed record ChessLoadOptions
{
    /// <summary>Keep only rated games (default: rated and casual).</summary>
    public bool RatedOnly { get; init; }
    /// <summary>Sort chronologically (default). False keeps the file order of first occurrences, which is mostly
    /// newest-first per scraped player and so feeds the future into the past; it exists to show that effect.</summary>
    public bool Chronological { get; init; } = true;
}

/// <summary>Counts from the cleaning steps, for the report.</summary>
public sealed record ChessCleaning(int Rows, int DuplicateRows, int ExactDuplicateRows, int DistinctGames, int ImpreciseTimeOnly,
    int SelfPlay, int Unrated, int UnratedDropped, int Kept, int Draws, int WhiteWins, int BlackWins);

/// <summary>Cleaned, chronologically ordered chess games: the matches (white = A) plus per-match Lichess ratings and metadata.</summary>
public sealed record ChessData(MatchData Matches, int[] WhiteRating, int[] BlackRating, bool[] Rated, double[] CreatedAt, string[] GameId, ChessCleaning Cleaning);

/// <summary>Loads games.csv (Lichess) into matches; see the file header for the cleaning rules.</summary>
public static class ChessGames
{
    private sealed record Row(int Position, string Id, bool Rated, double CreatedAt, bool Exact, sbyte Outcome, string White, string Black,
        int WhiteRating, int BlackRating, string Raw);

    /// <summary>Reads and cleans the Lichess games file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="FormatException">A missing column or a malformed field (the message names file, line and field).</exception>
    public static ChessData Load(string path, ChessLoadOptions? options = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"chess games file not found: {path}", path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Load(stream, Path.GetFileName(path), options);
    }

    /// <summary>Reads and cleans Lichess games from a stream named <paramref name="source"/> in messages.</summary>
    public static ChessData Load(Stream stream, string source, ChessLoadOptions? options = null)
    {
        options ??= new ChessLoadOptions();
        var rows = ReadRows(stream, source);
        if (rows.Count == 0) throw new FormatException($"{source}: no games");

        // 1. One game per id: first position, most precise timestamp.
        var byId = new Dictionary<string, int>();
        var games = new List<Row>();
        var seenRaw = new HashSet<string>();
        int duplicates = 0, exactDuplicates = 0;
        foreach (var r in rows)
        {
            if (!seenRaw.Add(r.Raw)) exactDuplicates++;
            if (byId.TryGetValue(r.Id, out int k))
            {
                duplicates++;
                if (!games[k].Exact && r.Exact) games[k] = games[k] with { CreatedAt = r.CreatedAt, Exact = true };
                continue;
            }
            byId[r.Id] = games.Count;
            games.Add(r);
        }
        int distinct = games.Count, imprecise = games.Count(g => !g.Exact), unrated = games.Count(g => !g.Rated);
        // 2-3. Drop self-play and, if asked, casual games.
        int selfPlay = games.RemoveAll(g => g.White == g.Black);
        int unratedDropped = options.RatedOnly ? games.RemoveAll(g => !g.Rated) : 0;
        if (games.Count == 0) throw new FormatException($"{source}: no games left after cleaning");
        // 4. Chronological order; ties newest-file-position first (see the header).
        if (options.Chronological)
            games.Sort((x, y) => x.CreatedAt != y.CreatedAt ? x.CreatedAt.CompareTo(y.CreatedAt) : y.Position.CompareTo(x.Position));

        var index = new Dictionary<string, int>();
        var names = new List<string>();
        int Player(string name)
        {
            if (!index.TryGetValue(name, out int i)) { i = names.Count; index[name] = i; names.Add(name); }
            return i;
        }
        int n = games.Count;
        var a = new int[n]; var b = new int[n]; var o = new sbyte[n];
        var wr = new int[n]; var br = new int[n]; var rated = new bool[n]; var time = new double[n]; var ids = new string[n];
        for (int i = 0; i < n; i++)
        {
            var g = games[i];
            a[i] = Player(g.White); b[i] = Player(g.Black); o[i] = g.Outcome;
            wr[i] = g.WhiteRating; br[i] = g.BlackRating; rated[i] = g.Rated; time[i] = g.CreatedAt; ids[i] = g.Id;
        }
        var matches = new MatchData(source, names.ToArray(), a, b, o);
        var cleaning = new ChessCleaning(rows.Count, duplicates, exactDuplicates, distinct, imprecise, selfPlay, unrated, unratedDropped,
            n, o.Count(x => x == 0), o.Count(x => x > 0), o.Count(x => x < 0));
        return new ChessData(matches, wr, br, rated, time, ids, cleaning);
    }

    private static List<Row> ReadRows(Stream stream, string source)
    {
        var parser = new RowParser(source);
        CsvLines.ForEachLine(stream, source, parser.OnLine);
        return parser.Rows;
    }

    // Header-driven row parser (a class, because a span cannot be captured by a lambda).
    private sealed class RowParser(string source)
    {
        public readonly List<Row> Rows = [];
        private readonly Range[] _fields = new Range[32];
        private int _cId, _cRated, _cCreated, _cWinner, _cWhite, _cBlack, _cWr, _cBr, _nHeader;

        public void OnLine(Span<byte> line, long lineNumber)
        {
            if (line.IsEmpty) return;
            string raw = Encoding.UTF8.GetString(line);   // before Split unescapes quotes in place
            int nf = CsvLines.Split(line, _fields, source, lineNumber);
            if (_nHeader == 0) { ReadHeader(line, nf); return; }
            if (nf != _nHeader) throw new FormatException($"{source}: line {lineNumber}: expected {_nHeader} fields, found {nf}");
            string ratedText = Text(line, _cRated);
            bool rated = ratedText.ToLowerInvariant() switch
            {
                "true" => true,
                "false" => false,
                _ => throw new FormatException($"{source}: line {lineNumber}: field 'rated' is '{ratedText}' (expected true/false)"),
            };
            string created = Text(line, _cCreated);
            if (!double.TryParse(created, NumberStyles.Float, CultureInfo.InvariantCulture, out double createdAt) || !double.IsFinite(createdAt))
                throw new FormatException($"{source}: line {lineNumber}: field 'created_at' is '{created}' (expected epoch milliseconds)");
            string winner = Text(line, _cWinner);
            sbyte outcome = winner.ToLowerInvariant() switch
            {
                "white" => 1,
                "black" => -1,
                "draw" => 0,
                _ => throw new FormatException($"{source}: line {lineNumber}: field 'winner' is '{winner}' (expected white/black/draw)"),
            };
            string white = Text(line, _cWhite), black = Text(line, _cBlack);
            if (white.Length == 0 || black.Length == 0) throw new FormatException($"{source}: line {lineNumber}: empty white_id or black_id");
            bool exact = !created.Contains('E', StringComparison.OrdinalIgnoreCase);
            Rows.Add(new Row(Rows.Count, Text(line, _cId), rated, createdAt, exact, outcome, white, black,
                Rating(line, _fields[_cWr], source, lineNumber, "white_rating"), Rating(line, _fields[_cBr], source, lineNumber, "black_rating"), raw));
        }

        private string Text(ReadOnlySpan<byte> line, int column) => CsvLines.Text(line, _fields[column]);

        private void ReadHeader(ReadOnlySpan<byte> line, int nf)
        {
            var header = new string[Math.Min(nf, _fields.Length)];
            for (int i = 0; i < header.Length; i++) header[i] = CsvLines.Text(line, _fields[i]).Trim().ToLowerInvariant();
            int Col(string name)
            {
                int c = Array.IndexOf(header, name);
                if (c < 0) throw new FormatException($"{source}: line 1: missing column '{name}' (Lichess games.csv header expected)");
                return c;
            }
            _cId = Col("id"); _cRated = Col("rated"); _cCreated = Col("created_at"); _cWinner = Col("winner");
            _cWhite = Col("white_id"); _cBlack = Col("black_id"); _cWr = Col("white_rating"); _cBr = Col("black_rating");
            _nHeader = nf;
        }
    }

    private static int Rating(ReadOnlySpan<byte> line, Range r, string source, long lineNumber, string field)
    {
        if (!CsvLines.TryParseNonNegativeInt(line[r], out int v))
            throw new FormatException($"{source}: line {lineNumber}: field '{field}' is '{Encoding.UTF8.GetString(line[r])}' (expected a non-negative integer)");
        return v;
    }
}
