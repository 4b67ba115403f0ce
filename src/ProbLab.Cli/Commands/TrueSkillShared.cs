// What the TrueSkill commands (`trueskill update|gibbs|adf|ep|simulate`, `rate`) share: the model options
// (--prior-mean, --prior-sd, --perf-sd, --draw-margin, --home-advantage, --home-sd, --drift, --margin-step)
// and their config record, the match-file options (--format and the column mapping), loading with format
// detection, rating tables for the console, ratings as JSON, and JSON numbers that are never NaN or ∞.
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ProbLab.Data;
using ProbLab.Probabilistic.TrueSkill;
using ProbLab.Reports;

namespace ProbLab.Cli.Commands;

/// <summary>TrueSkill hyper-parameters as command options (defaults: the TrueSkill values μ = 25, σ = 25/3, σt = 25/6).</summary>
public record ModelConfig
{
    /// <summary>Prior mean μ₀ of every skill.</summary>
    public double PriorMean { get; init; } = 25;
    /// <summary>Prior standard deviation σ₀ of every skill.</summary>
    public double PriorSd { get; init; } = 25.0 / 3;
    /// <summary>Standard deviation σt of the performance difference.</summary>
    public double PerfSd { get; init; } = 25.0 / 6;
    /// <summary>Draw margin ε: 0 skips draws (the course baseline), &gt; 0 models them as |t| ≤ ε.</summary>
    public double DrawMargin { get; init; }
    /// <summary>Home / white advantage h added to side A's performance (its prior mean when learned).</summary>
    public double HomeAdvantage { get; init; }
    /// <summary>Prior sd of h: 0 keeps h fixed, &gt; 0 learns it from the matches.</summary>
    public double HomeSd { get; init; }
    /// <summary>Skill drift τ per game (ADF only).</summary>
    public double Drift { get; init; }
    /// <summary>Margin of victory: a win by k goals observes t &gt; ε + (k − 1)·step; 0 ignores scores.</summary>
    public double MarginStep { get; init; }

    /// <summary>The validated model.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public TrueSkillModel ToModel() => new TrueSkillModel
    {
        Mu = PriorMean, Sigma = PriorSd, SigmaT = PerfSd, Draws = DrawMargin > 0 ? DrawHandling.Margin : DrawHandling.Skip, DrawMargin = DrawMargin,
        HomeMean = HomeAdvantage, HomeSigma = HomeSd, Tau = Drift, MarginStep = MarginStep,
    }.Validate();
}

/// <summary>A match file and how to read it, plus the model (shared by adf, ep and rate).</summary>
public record MatchRunConfig : ModelConfig
{
    /// <summary>The match file.</summary>
    public string Data { get; init; } = "";
    /// <summary>auto (Lichess games.csv if its header says so, else a match CSV), csv, or lichess.</summary>
    public MatchFormat Format { get; init; } = MatchFormat.Auto;
    /// <summary>Column of side A (home/white), or null to find it by name.</summary>
    public string? Team1Col { get; init; }
    /// <summary>Column of side B (away/black).</summary>
    public string? Team2Col { get; init; }
    /// <summary>Column of side A's score.</summary>
    public string? Score1Col { get; init; }
    /// <summary>Column of side B's score.</summary>
    public string? Score2Col { get; init; }
    /// <summary>Result column (1/0/−1, H/D/A, home/draw/away, ...).</summary>
    public string? ResultCol { get; init; }
    /// <summary>Process the matches in a random order (seeded by --seed) instead of file order.</summary>
    public bool Shuffle { get; init; }
    /// <summary>Rows of the printed ranking (0 = all); JSON always lists every player.</summary>
    public int Top { get; init; } = 20;
    /// <summary>Order of the ranking: by μ (mean) or by μ − 3σ (conservative, TrueSkill's leaderboard).</summary>
    public RankBy RankBy { get; init; } = RankBy.Mean;
}

/// <summary>Layout of a match file.</summary>
public enum MatchFormat
{
    /// <summary>Lichess games.csv when the header has id, created_at, winner, white_id and black_id; otherwise csv.</summary>
    Auto,
    /// <summary>A match CSV: side A, side B, and scores or a result (see <see cref="MatchesCsv"/>).</summary>
    Csv,
    /// <summary>Lichess games.csv, cleaned (duplicates, self-play) and sorted by created_at.</summary>
    Lichess,
}

/// <summary>Options, loading and output helpers of the TrueSkill commands.</summary>
public static class TrueSkillShared
{
    /// <summary>The model options of one command; <see cref="Bind{T}"/> copies their values into a config.</summary>
    public sealed class ModelOptions
    {
        private static readonly ModelConfig D = new();
        private readonly Option<double> _mean = CliOptions.Double("--prior-mean", "prior mean μ₀ of every skill", D.PriorMean);
        private readonly Option<double> _sd = CliOptions.Double("--prior-sd", "prior sd σ₀ of every skill (> 0)", D.PriorSd, min: 0);
        private readonly Option<double> _perf = CliOptions.Double("--perf-sd", "sd σt of the performance difference (> 0)", D.PerfSd, min: 0);
        private readonly Option<double> _draw = CliOptions.Double("--draw-margin", "draw margin ε (0 = skip draws)", 0, min: 0);
        private readonly Option<double> _home = CliOptions.Double("--home-advantage", "advantage h of side A (home/white); the prior mean of h with --home-sd", 0);
        private readonly Option<double> _homeSd = CliOptions.Double("--home-sd", "prior sd of h (0 = fixed h, > 0 = learn it)", 0, min: 0);
        private readonly Option<double> _drift = CliOptions.Double("--drift", "skill drift τ per game (ADF only)", 0, min: 0);
        private readonly Option<double> _step = CliOptions.Double("--margin-step", "margin of victory: a win by k goals means t > ε + (k−1)·step (0 = off)", 0, min: 0);

        /// <summary>Adds the options to <paramref name="cmd"/>; drift and margin only when the command supports them.</summary>
        public ModelOptions AddTo(Command cmd, bool drift = true, bool margin = true)
        {
            foreach (var o in new[] { _mean, _sd, _perf, _draw, _home, _homeSd }) cmd.Options.Add(o);
            if (drift) cmd.Options.Add(_drift);
            if (margin) cmd.Options.Add(_step);
            return this;
        }

        /// <summary><paramref name="cfg"/> with the parsed model values.</summary>
        /// <exception cref="UsageException">--prior-sd or --perf-sd is 0.</exception>
        public T Bind<T>(ParseResult p, T cfg) where T : ModelConfig
        {
            var r = (T)(cfg with
            {
                PriorMean = p.GetValue(_mean), PriorSd = p.GetValue(_sd), PerfSd = p.GetValue(_perf), DrawMargin = p.GetValue(_draw),
                HomeAdvantage = p.GetValue(_home), HomeSd = p.GetValue(_homeSd), Drift = p.GetValue(_drift), MarginStep = p.GetValue(_step),
            });
            Positive(r.PriorSd, "--prior-sd");
            Positive(r.PerfSd, "--perf-sd");
            return r;
        }
    }

    /// <summary>The match-file options (file, format, column mapping, shuffle, top) plus the model options.</summary>
    public sealed class MatchFileOptions
    {
        private readonly Option<string?> _file;
        private readonly Option<MatchFormat> _format = CliOptions.Choice("--format", "file layout: auto, csv or lichess", MatchFormat.Auto);
        private readonly Option<string?> _c1 = CliOptions.Path("--team1-col", "column of side A (home/white); default: found by name (team1, home, HomeTeam, white_id, ...)");
        private readonly Option<string?> _c2 = CliOptions.Path("--team2-col", "column of side B (away/black); default: found by name");
        private readonly Option<string?> _s1 = CliOptions.Path("--score1-col", "column of side A's score; default: found by name (score1, FTHG, ...)");
        private readonly Option<string?> _s2 = CliOptions.Path("--score2-col", "column of side B's score; default: found by name");
        private readonly Option<string?> _res = CliOptions.Path("--result-col", "result column (1/0/-1, H/D/A, home/draw/away, white/draw/black); default: found by name");
        private readonly Option<bool> _shuffle = CliOptions.Flag("--shuffle", "process the matches in a random order (seeded by --seed)");
        private readonly Option<int> _top = CliOptions.Int("--top", "rows of the printed ranking (0 = all)", 20, min: 0);
        private readonly Option<RankBy> _rankBy = CliOptions.Choice("--rank-by", "order of the ranking: mean (μ) or conservative (μ − 3σ)", RankBy.Mean);
        private readonly ModelOptions _model = new();

        /// <summary>Options with the file option called <paramref name="fileOption"/> (--data or --matches).</summary>
        public MatchFileOptions(string fileOption) => _file = CliOptions.Path(fileOption, "match file (CSV with a header row)");

        /// <summary>Adds every option to <paramref name="cmd"/>; the file option is required.</summary>
        public MatchFileOptions AddTo(Command cmd, bool drift = true)
        {
            _file.Required = true;
            foreach (Option o in new Option[] { _file, _format, _c1, _c2, _s1, _s2, _res, _shuffle, _top, _rankBy }) cmd.Options.Add(o);
            _model.AddTo(cmd, drift);
            return this;
        }

        /// <summary><paramref name="cfg"/> with the parsed file and model values.</summary>
        public T Bind<T>(ParseResult p, T cfg) where T : MatchRunConfig =>
            _model.Bind(p, (T)(cfg with
            {
                Data = p.GetValue(_file)!, Format = p.GetValue(_format), Team1Col = p.GetValue(_c1), Team2Col = p.GetValue(_c2),
                Score1Col = p.GetValue(_s1), Score2Col = p.GetValue(_s2), ResultCol = p.GetValue(_res), Shuffle = p.GetValue(_shuffle), Top = p.GetValue(_top),
                RankBy = p.GetValue(_rankBy),
            }));
    }

    /// <summary>Throws a usage error unless <paramref name="value"/> &gt; 0.</summary>
    public static void Positive(double value, string option)
    {
        if (!(value > 0)) throw new UsageException($"invalid value '{value.ToString(CultureInfo.InvariantCulture)}' for {option}: must be positive");
    }

    /// <summary>Loads the match file of <paramref name="cfg"/> (format detection, column mapping), shuffled when asked, and announces it.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The file is empty or malformed (one line naming file, line and field).</exception>
    public static MatchData Load(CommandContext ctx, MatchRunConfig cfg)
    {
        if (!File.Exists(cfg.Data)) throw new FileNotFoundException($"match file not found: {cfg.Data}", cfg.Data);
        var format = cfg.Format == MatchFormat.Auto ? Detect(cfg.Data) : cfg.Format;
        bool mapped = (cfg.Team1Col ?? cfg.Team2Col ?? cfg.Score1Col ?? cfg.Score2Col ?? cfg.ResultCol) is not null;
        if (format == MatchFormat.Lichess && mapped) throw new UsageException("column options apply to --format csv, not to Lichess games files");
        MatchData matches;
        string what;
        if (format == MatchFormat.Lichess)
        {
            var chess = ChessGames.Load(cfg.Data);
            matches = chess.Matches;
            var c = chess.Cleaning;
            what = $"Lichess games: {c.Rows} rows, {c.DuplicateRows} duplicate ids and {c.SelfPlay} self-play games dropped, sorted by created_at";
        }
        else
        {
            matches = MatchesCsv.Read(cfg.Data, new MatchColumns { A = cfg.Team1Col, B = cfg.Team2Col, ScoreA = cfg.Score1Col, ScoreB = cfg.Score2Col, Result = cfg.ResultCol });
            what = "match CSV in file order";
        }
        ctx.Announce(new DataSource("matches", false, $"{matches.Count} matches between {matches.PlayerCount} players from {cfg.Data} ({what})", cfg.Data));
        if (!cfg.Shuffle) return matches;
        return matches.Select(ctx.Rng.Permutation(matches.Count), matches.Source + " (shuffled)");
    }

    // A Lichess export has these columns; anything else is read as a match CSV.
    private static MatchFormat Detect(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        string header = (reader.ReadLine() ?? "").ToLowerInvariant();
        var cols = header.Split(',').Select(c => c.Trim().Trim('"')).ToHashSet();
        return new[] { "id", "created_at", "winner", "white_id", "black_id" }.All(cols.Contains) ? MatchFormat.Lichess : MatchFormat.Csv;
    }

    /// <summary>A JSON number, or null for NaN/±∞ (JSON has no such numbers).</summary>
    public static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    /// <summary>{"mu":..,"sigma":..} of a skill marginal.</summary>
    public static JsonObject Skill(double mean, double variance) => new() { ["mu"] = Num(mean), ["sigma"] = Num(Math.Sqrt(variance)) };

    /// <summary>Every player in ranking order as {"rank","name","mu","sigma","conservative","games"}.</summary>
    public static JsonArray Ratings(RatingPosterior post, RankBy by = RankBy.Mean) => new(post.Ranking(by).Select(r => (JsonNode)new JsonObject
    {
        ["rank"] = r.Rank, ["name"] = r.Name, ["mu"] = Num(r.Mean), ["sigma"] = Num(r.StdDev), ["conservative"] = Num(r.Conservative), ["games"] = r.Games,
    }).ToArray());

    /// <summary>The home advantage as JSON: null when fixed at 0, else its mean and sd.</summary>
    public static JsonNode? Home(RatingPosterior post) =>
        post.Home.IsPointMass && post.Home.Mean == 0 ? null : Skill(post.Home.Mean, post.Home.IsPointMass ? 0 : post.Home.Variance);

    /// <summary>Prints the top of the ranking as an aligned table.</summary>
    public static void PrintRanking(TextWriter w, RatingPosterior post, int top, RankBy by = RankBy.Mean)
    {
        var rows = post.Ranking(by, top: top == 0 ? int.MaxValue : top);
        var t = new Table("rank", "name", "μ", "σ", "μ − 3σ", "games");
        foreach (var r in rows) t.AddRow(r.Rank, r.Name, r.Mean, r.StdDev, r.Conservative, r.Games);
        t.SetFormat(2, "F3").SetFormat(3, "F3").SetFormat(4, "F3");
        w.Write(t.ToText());
        if (rows.Count < post.PlayerCount) w.WriteLine($"({post.PlayerCount - rows.Count} more players; --top 0 prints all)");
    }

    /// <summary>Writes the full ranking as CSV (rank,name,mu,sigma,conservative,games) atomically.</summary>
    public static void WriteRatings(string path, RatingPosterior post, RankBy by = RankBy.Mean)
    {
        var sb = new StringBuilder("rank,name,mu,sigma,conservative,games\n");
        foreach (var r in post.Ranking(by))
        {
            string name = r.Name.AsSpan().IndexOfAny(",\"\r\n") < 0 ? r.Name : "\"" + r.Name.Replace("\"", "\"\"") + "\"";
            sb.Append(CultureInfo.InvariantCulture, $"{r.Rank},{name},{r.Mean:R},{r.StdDev:R},{r.Conservative:R},{r.Games}\n");
        }
        AtomicFile.WriteAllText(path, sb.ToString());
    }
}
