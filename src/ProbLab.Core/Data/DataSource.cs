// DataSource: the provenance of one loaded dataset (real files or a synthetic stand-in), as ONE line the
// CLI prints to stderr and the report shows. The library never prints; it returns this record.
namespace ProbLab.Data;

/// <summary>Where a dataset came from: real files at <see cref="Path"/>, or a deterministic synthetic stand-in.</summary>
/// <param name="Dataset">Catalog name ("europe", "mnist", ...).</param>
/// <param name="IsSynthetic">True when the project's synthetic stand-in was used because no real data was found.</param>
/// <param name="Description">One human-readable line: what was loaded, sizes, and for stand-ins why and how to get the real data.</param>
/// <param name="Path">Folder the real files were read from; null for stand-ins.</param>
public sealed record DataSource(string Dataset, bool IsSynthetic, string Description, string? Path = null)
{
    /// <summary>The one line to print or show in a report, e.g. "mnist: real data, 60000 train / 10000 test images from /data/mnist".</summary>
    public override string ToString() => $"{Dataset}: {(IsSynthetic ? "SYNTHETIC stand-in" : "real data")}, {Description}";

    /// <summary>Provenance of real files read from <paramref name="folder"/>.</summary>
    public static DataSource Real(string dataset, string folder, string what) => new(dataset, false, $"{what} from {folder}", folder);

    /// <summary>Provenance of a synthetic stand-in; <paramref name="why"/> says where real data was looked for.</summary>
    public static DataSource Synthetic(string dataset, string what, string why) => new(dataset, true, $"{what} ({why})");
}
