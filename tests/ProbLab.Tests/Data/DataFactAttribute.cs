// [DataFact("europe")]: a test on the REAL dataset. It runs only when $PROBLAB_DATA points at a folder that
// contains the dataset's folder, and is reported as skipped (never silently passed) otherwise.
namespace ProbLab.Tests.Data;

public sealed class DataFactAttribute : FactAttribute
{
    public DataFactAttribute(string dataset)
    {
        string? root = Environment.GetEnvironmentVariable("PROBLAB_DATA");
        if (string.IsNullOrEmpty(root)) Skip = $"real {dataset} data not available: set PROBLAB_DATA";
        else if (!Directory.Exists(Path.Combine(root, dataset))) Skip = $"real {dataset} data not available: no folder '{dataset}' under PROBLAB_DATA";
    }

    /// <summary>The real dataset's folder (only valid inside a test that was not skipped).</summary>
    public static string Dir(string dataset) => Path.Combine(Environment.GetEnvironmentVariable("PROBLAB_DATA")!, dataset);
}
