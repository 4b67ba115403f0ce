// Europe city coordinates (HUJI IML ex4/ex5): CSV files with header ",long,lat,country", an unnamed row-id
// column, longitude and latitude in degrees, and an integer country label 0..32. As in the course's
// EuropeDataset, features are columns 1-2 and the label is column 3; the row id is ignored.
// Load() reads <data>/europe/{train,validation,test}.csv, or returns the synthetic stand-in.
using ProbLab.Data.Synthetic;

namespace ProbLab.Data;

/// <summary>One split: coordinates (N, 2) row-major as (long, lat) pairs and labels (N) in [0, 33).</summary>
public sealed record EuropeSplit(string Name, float[] Coords, int[] Labels)
{
    /// <summary>Number of points N.</summary>
    public int Count => Labels.Length;

    /// <summary>The coordinates as a tensor of shape (N, 2), sharing this split's array.</summary>
    public Tensor Features() => new(Coords, Count, 2);
}

/// <summary>Train, validation (null when the file is absent) and test splits with their provenance.</summary>
public sealed record EuropeDataset(EuropeSplit Train, EuropeSplit? Validation, EuropeSplit Test, DataSource Source);

/// <summary>Loader for the Europe country-classification data.</summary>
public static class EuropeData
{
    /// <summary>Number of country classes.</summary>
    public const int NumClasses = 33;

    /// <summary>The exact header row of the course files (first column unnamed).</summary>
    public static readonly IReadOnlyList<string> Header = ["", "long", "lat", "country"];

    /// <summary>Reads one CSV split strictly: header checked, finite coordinates in degree range, labels in [0, 33).</summary>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    /// <exception cref="DataFormatException">Empty file, wrong header, malformed row, NaN/inf or out-of-range value, bad label.</exception>
    public static EuropeSplit Read(string path, string? name = null)
    {
        var coords = new List<float>();
        var labels = new List<int>();
        using (var csv = CsvFile.Open(path, Header))
        {
            while (csv.Read())
            {
                coords.Add((float)csv.GetDoubleInRange(1, -180, 180)); // long
                coords.Add((float)csv.GetDoubleInRange(2, -90, 90));   // lat
                labels.Add(csv.GetIntInRange(3, 0, NumClasses - 1));
            }
        }
        if (labels.Count == 0) throw new DataFormatException(path, "file has a header but no data rows");
        return new EuropeSplit(name ?? System.IO.Path.GetFileNameWithoutExtension(path), coords.ToArray(), labels.ToArray());
    }

    /// <summary>The real splits from the "europe" folder if <paramref name="dirs"/> finds one, else the synthetic stand-in.</summary>
    /// <exception cref="FileNotFoundException">The folder exists but train.csv or test.csv is missing.</exception>
    /// <exception cref="DataFormatException">A file is malformed.</exception>
    public static EuropeDataset Load(DataDirs dirs, CancellationToken cancel = default)
    {
        string? dir = dirs.Locate(Datasets.Europe, cancel);
        if (dir is null)
        {
            var (train, val, test) = EuropeSynthetic.Generate();
            var why = dirs.MissingReason(Datasets.Europe);
            return new EuropeDataset(train, val, test, DataSource.Synthetic("europe",
                $"{train.Count}/{val.Count}/{test.Count} train/validation/test points from 33 Gaussian 'countries' on a Europe-shaped layout", why));
        }
        var trainSplit = Read(System.IO.Path.Combine(dir, "train.csv"), "train");
        string valPath = System.IO.Path.Combine(dir, "validation.csv");
        var valSplit = File.Exists(valPath) ? Read(valPath, "validation") : null;
        var testSplit = Read(System.IO.Path.Combine(dir, "test.csv"), "test");
        string sizes = valSplit is null ? $"{trainSplit.Count}/{testSplit.Count} train/test" : $"{trainSplit.Count}/{valSplit.Count}/{testSplit.Count} train/validation/test";
        return new EuropeDataset(trainSplit, valSplit, testSplit, DataSource.Real("europe", dir, $"{sizes} points"));
    }
}

/// <summary>Per-column standardisation x' = (x − mean) / std with the unbiased std (torch.std's default, N − 1).</summary>
public sealed class Standardizer
{
    /// <summary>Column means (length D).</summary>
    public double[] Mean { get; }

    /// <summary>Column standard deviations with Bessel's correction (length D).</summary>
    public double[] Std { get; }

    private Standardizer(double[] mean, double[] std) => (Mean, Std) = (mean, std);

    /// <summary>Fits means and unbiased stds of the row-major (N, <paramref name="dims"/>) array <paramref name="x"/> (double accumulation, two passes).</summary>
    /// <exception cref="ArgumentException">Fewer than 2 rows, a length not divisible by dims, or a constant column (std 0).</exception>
    public static Standardizer Fit(ReadOnlySpan<float> x, int dims)
    {
        if (dims < 1 || x.Length % dims != 0) throw new ArgumentException($"length {x.Length} is not a multiple of dims={dims}");
        int n = x.Length / dims;
        if (n < 2) throw new ArgumentException($"need at least 2 rows to estimate an unbiased std, got {n}");
        var mean = new double[dims];
        var std = new double[dims];
        for (int i = 0; i < n; i++)
            for (int d = 0; d < dims; d++) mean[d] += x[i * dims + d];
        for (int d = 0; d < dims; d++) mean[d] /= n;
        for (int i = 0; i < n; i++)
            for (int d = 0; d < dims; d++) { double c = x[i * dims + d] - mean[d]; std[d] += c * c; }
        for (int d = 0; d < dims; d++)
        {
            std[d] = Math.Sqrt(std[d] / (n - 1));
            if (!(std[d] > 0)) throw new ArgumentException($"column {d} is constant (std 0); cannot standardise");
        }
        return new Standardizer(mean, std);
    }

    /// <summary>Returns (x − mean) / std as a new array (N, D).</summary>
    public float[] Transform(ReadOnlySpan<float> x)
    {
        int dims = Mean.Length;
        if (x.Length % dims != 0) throw new ArgumentException($"length {x.Length} is not a multiple of dims={dims}");
        var y = new float[x.Length];
        for (int i = 0; i < x.Length; i++) y[i] = (float)((x[i] - Mean[i % dims]) / Std[i % dims]);
        return y;
    }

    /// <summary>Returns x·std + mean as a new array (N, D), undoing <see cref="Transform"/>.</summary>
    public float[] Inverse(ReadOnlySpan<float> x)
    {
        int dims = Mean.Length;
        if (x.Length % dims != 0) throw new ArgumentException($"length {x.Length} is not a multiple of dims={dims}");
        var y = new float[x.Length];
        for (int i = 0; i < x.Length; i++) y[i] = (float)(x[i] * Std[i % dims] + Mean[i % dims]);
        return y;
    }
}
