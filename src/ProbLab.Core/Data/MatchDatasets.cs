// The two match datasets of the catalog, found through DataDirs like every other dataset: seriea/SerieA.csv
// (a league file read by MatchesCsv) and chess/games.csv (Lichess games cleaned by ChessGames). When no
// folder exists, the deterministic stand-ins (FootballSynthetic, ChessSynthetic) are rendered in the real
// files' layouts and read by the same readers, so the rest of the pipeline cannot tell them apart except by
// the DataSource line, which says SYNTHETIC and where the real data was looked for.
using System.Globalization;
using System.Text;
using ProbLab.Data.Synthetic;

namespace ProbLab.Data;

/// <summary>A loaded league with its provenance.</summary>
public sealed record LeagueDataset(MatchData Matches, DataSource Source);

/// <summary>Loaded, cleaned chess games with their provenance.</summary>
public sealed record ChessDataset(ChessData Games, DataSource Source);

/// <summary>Loaders for the "seriea" and "chess" datasets (real files or synthetic stand-ins).</summary>
public static class MatchDatasets
{
    /// <summary>Serie A 2018/19 (380 matches, team1 at home) from the "seriea" folder, else the FootballSynthetic season.</summary>
    /// <exception cref="FileNotFoundException">The folder exists but SerieA.csv is missing.</exception>
    /// <exception cref="DataFormatException">The file is malformed (the message names file, line and field).</exception>
    public static LeagueDataset LoadSerieA(DataDirs dirs, CancellationToken cancel = default)
    {
        string? dir = dirs.Locate(Datasets.SerieA, cancel);
        if (dir is null)
        {
            var season = FootballSynthetic.Generate();
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(season.ToCsv()));
            var synthetic = MatchesCsv.Read(stream, "SerieA.csv (synthetic)");
            return new LeagueDataset(synthetic, DataSource.Synthetic("seriea",
                $"{synthetic.Count} matches between {synthetic.PlayerCount} teams, Poisson goals with home advantage {season.HomeAdvantage}",
                dirs.MissingReason(Datasets.SerieA)));
        }
        var matches = MatchesCsv.Read(Path.Combine(dir, "SerieA.csv"));
        return new LeagueDataset(matches, DataSource.Real("seriea", dir, $"{matches.Count} matches between {matches.PlayerCount} teams"));
    }

    /// <summary>Lichess games from the "chess" folder (cleaned and ordered per <paramref name="options"/>), else the ChessSynthetic games.</summary>
    /// <exception cref="FileNotFoundException">The folder exists but games.csv is missing.</exception>
    /// <exception cref="DataFormatException">The file is malformed.</exception>
    public static ChessDataset LoadChess(DataDirs dirs, ChessLoadOptions? options = null, CancellationToken cancel = default)
    {
        string? dir = dirs.Locate(Datasets.Chess, cancel);
        if (dir is null)
        {
            var set = ChessSynthetic.Generate();
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(ToLichessCsv(set)));
            var synthetic = ChessGames.Load(stream, "games.csv (synthetic)", options);
            return new ChessDataset(synthetic, DataSource.Synthetic("chess",
                $"{synthetic.Matches.Count} Elo-model games among {synthetic.Matches.PlayerCount} players with a 35-point white edge",
                dirs.MissingReason(Datasets.Chess)));
        }
        var games = ChessGames.Load(Path.Combine(dir, "games.csv"), options);
        return new ChessDataset(games, DataSource.Real("chess", dir,
            $"{games.Cleaning.Rows} rows, {games.Matches.Count} games after cleaning, {games.Matches.PlayerCount} players"));
    }

    /// <summary>The synthetic games in the Lichess games.csv layout (the columns ChessGames reads), one game every 10 minutes.</summary>
    public static string ToLichessCsv(SyntheticChessSet set)
    {
        var sb = new StringBuilder("id,rated,created_at,turns,victory_status,winner,white_id,white_rating,black_id,black_rating\n");
        const long start = 1_500_000_000_000;   // 2017-07-14, epoch milliseconds like the real file
        for (int g = 0; g < set.Games.Count; g++)
        {
            var x = set.Games[g];
            sb.Append(x.Id).Append(",TRUE,").Append((start + 600_000L * g).ToString(CultureInfo.InvariantCulture)).Append(',')
              .Append(x.Turns).Append(',').Append(x.VictoryStatus).Append(',').Append(x.Winner).Append(',')
              .Append(x.White).Append(',').Append(x.WhiteRating).Append(',').Append(x.Black).Append(',').Append(x.BlackRating).Append('\n');
        }
        return sb.ToString();
    }
}
