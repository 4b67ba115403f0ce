// `problab data`: where each dataset is found (--data-dir, $PROBLAB_DATA, cache), which ones would fall back
// to a synthetic stand-in, and, with --download, fetches the ones that have a public URL into the cache.
using System.CommandLine;
using System.Text.Json.Nodes;
using ProbLab.Data;

namespace ProbLab.Cli.Commands;

/// <summary>The `data` command.</summary>
public static class DataCommand
{
    /// <summary>Config of `problab data`.</summary>
    public sealed record DataConfig
    {
        /// <summary>Dataset names to show (empty = all).</summary>
        public string[] Only { get; init; } = [];
    }

    /// <summary>Creates `data`.</summary>
    public static Command Create(CliApp app)
    {
        var only = CliOptions.NameList("--only", "comma-separated dataset names (default: all)");
        var cmd = new Command("data", "Show where datasets are found; with --download, fetch MNIST and tiny Shakespeare.") { only };
        app.SetAction(cmd, p => new DataConfig { Only = p.GetValue(only)!.Select(n => Get(n).Name).ToArray() }, Run);
        return cmd;
    }

    private static int Run(CommandContext ctx, DataConfig cfg)
    {
        var datasets = cfg.Only.Length == 0 ? Datasets.All : cfg.Only.Select(Datasets.Get).ToList();
        var rows = new JsonArray();
        foreach (var ds in datasets)
        {
            string? dir = ctx.Data.Locate(ds, ctx.Cancel); // downloads only with --download
            string status = dir is not null ? $"found at {dir}" : $"missing: loaders use a synthetic stand-in ({ctx.Data.MissingReason(ds)})";
            ctx.Out.WriteLine($"{ds.Name,-12} {status}");
            rows.Add(new JsonObject
            {
                ["name"] = ds.Name, ["title"] = ds.Title, ["found"] = dir is not null, ["path"] = dir,
                ["downloadable"] = ds.IsDownloadable, ["note"] = dir is null ? ctx.Data.MissingReason(ds) : null,
            });
        }
        ctx.JsonResult = new JsonObject { ["datasets"] = rows };
        return ErrorText.Ok;
    }

    private static DatasetInfo Get(string name)
    {
        try { return Datasets.Get(name); }
        catch (ArgumentException e) { throw new UsageException($"--only: {e.Message}"); }
    }
}
