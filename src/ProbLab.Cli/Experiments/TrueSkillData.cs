// Data and small report helpers shared by the TrueSkill experiments: loading Serie A and the Lichess games
// (real files when --data-dir / $PROBLAB_DATA has them, else the synthetic stand-ins, recorded on the context
// either way), and ranking tables in the course's format (μ, σ², μ − 3σ).
using ProbLab.Data;
using ProbLab.Probabilistic.TrueSkill;
using ProbLab.Reports;

namespace ProbLab.Cli.Experiments;

/// <summary>Data loading and tables for the TrueSkill experiments.</summary>
internal static class TrueSkillData
{
    /// <summary>Serie A (or its stand-in), recorded on the context.</summary>
    public static LeagueDataset SerieA(ExperimentContext ctx)
    {
        var d = MatchDatasets.LoadSerieA(ctx.Data, ctx.Cancel);
        ctx.RecordData(d.Source);
        return d;
    }

    /// <summary>The chess games chronologically, in file order and rated-only (or the stand-in three ways); the source is recorded once.</summary>
    public static (ChessData Chronological, ChessData FileOrder, ChessData RatedOnly, DataSource Source) Chess(ExperimentContext ctx)
    {
        var chrono = MatchDatasets.LoadChess(ctx.Data, null, ctx.Cancel);
        ctx.RecordData(chrono.Source);
        var file = MatchDatasets.LoadChess(ctx.Data, new ChessLoadOptions { Chronological = false }, ctx.Cancel);
        var rated = MatchDatasets.LoadChess(ctx.Data, new ChessLoadOptions { RatedOnly = true }, ctx.Cancel);
        return (chrono.Games, file.Games, rated.Games, chrono.Source);
    }

    /// <summary>The course's ranking table: rank, name, μ, σ², μ − 3σ, games.</summary>
    public static Table Ranking(IEnumerable<RankingRow> rows, string caption)
    {
        var t = new Table("rank", "team / player", "μ", "σ²", "μ − 3σ", "games") { Caption = caption };
        foreach (var r in rows) t.AddRow(r.Rank, r.Name, r.Mean, r.StdDev * r.StdDev, r.Conservative, r.Games);
        return t.SetFormat(2, "F3").SetFormat(3, "F3").SetFormat(4, "F3");
    }

    /// <summary>"0.658 (179/272)".</summary>
    public static string Rate(PredictionSummary p) => $"{p.Rate:F4} ({p.Correct}/{p.Decisive})";

    /// <summary>A "synthetic stand-in" remark for paragraphs whose numbers are about the real data.</summary>
    public static string StandInRemark(DataSource source) => source.IsSynthetic
        ? " (These numbers come from the synthetic stand-in, not the real file: the comparisons with the course's numbers do not apply.)"
        : "";
}
