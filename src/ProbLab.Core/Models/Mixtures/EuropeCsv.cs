// TEMPORARY private loader for the Europe countries CSVs (header ",long,lat,country"), used until the shared
// loaders in src/ProbLab.Core/Data (branch `cli`) are merged; then this file is deleted in favour of them.
// Errors are one line naming the file, the line and the column.
using System.Globalization;
using ProbLab.Tensors;

namespace ProbLab.Models.Mixtures;

/// <summary>Minimal reader of europe/train.csv and test.csv into a standardised <see cref="MixtureDataset"/>.</summary>
internal static class EuropeCsv
{
    /// <summary>Reads &lt;dataDir&gt;/europe/{train,test}.csv and standardises both with the training statistics (or test with its own).</summary>
    public static MixtureDataset Load(string dataDir, bool testOwnStats = false)
    {
        var (trX, trY) = Read(Path.Combine(dataDir, "europe", "train.csv"));
        var (teX, teY) = Read(Path.Combine(dataDir, "europe", "test.csv"));
        return MixtureDataset.FromRaw(trX, trY, teX, teY, testOwnStats);
    }

    private static (Tensor X, int[] Labels) Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found");
        var xs = new List<float>();
        var ys = new List<int>();
        int line = 0;
        foreach (var raw in File.ReadLines(path))
        {
            line++;
            if (line == 1) continue; // header ",long,lat,country"
            if (raw.Length == 0) continue;
            var f = raw.Split(',');
            if (f.Length != 4) throw new FormatException($"{path} line {line}: expected 4 fields (index,long,lat,country), got {f.Length}");
            xs.Add(Number(f[1], path, line, "long"));
            xs.Add(Number(f[2], path, line, "lat"));
            if (!int.TryParse(f[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out int c) || c < 0)
                throw new FormatException($"{path} line {line}: column 'country' is '{f[3]}', not a non-negative integer");
            ys.Add(c);
        }
        if (ys.Count == 0) throw new FormatException($"{path}: no data rows");
        return (new Tensor(xs.ToArray(), ys.Count, 2), ys.ToArray());
    }

    private static float Number(string s, string path, int line, string column)
    {
        if (!float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) || !float.IsFinite(v))
            throw new FormatException($"{path} line {line}: column '{column}' is '{s}', not a finite number");
        return v;
    }
}
