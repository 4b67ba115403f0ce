// [RealDataFact]: a fact that needs the shared real datasets. It is skipped (reported as skipped, not passed)
// unless PROBLAB_DATA points at an existing directory. Local to the TrueSkill/match-data tests on purpose.
namespace ProbLab.Tests.Probabilistic;

/// <summary>A [Fact] that is skipped when PROBLAB_DATA is unset or missing.</summary>
public sealed class RealDataFactAttribute : FactAttribute
{
    public RealDataFactAttribute()
    {
        if (RealData.Root is null) Skip = "PROBLAB_DATA is not set (or not a directory): real-data test skipped";
    }
}

/// <summary>Locates files under $PROBLAB_DATA.</summary>
public static class RealData
{
    /// <summary>The data root, or null when unavailable.</summary>
    public static string? Root
    {
        get
        {
            string? dir = Environment.GetEnvironmentVariable("PROBLAB_DATA");
            return !string.IsNullOrEmpty(dir) && Directory.Exists(dir) ? dir : null;
        }
    }

    /// <summary>A path under the data root (call only from a [RealDataFact]).</summary>
    public static string File(params string[] parts) => Path.Combine([Root ?? throw new InvalidOperationException("PROBLAB_DATA is not set"), .. parts]);
}
