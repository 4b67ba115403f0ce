// Synthetic stand-in for the Europe data: 33 "countries", each an anisotropic Gaussian blob of points placed
// at an approximate real country centroid (degrees), with spreads and class sizes loosely following area and
// population, so the cloud looks like a map of Europe and the classes are as unbalanced as the real ones
// (the real train split has 651..11,275 points per class). Deterministic: a fixed seed unless an Rng is given.
using ProbLab.Tensors;

namespace ProbLab.Data.Synthetic;

/// <summary>Deterministic Europe-like (long, lat, country) points with 33 labels.</summary>
public static class EuropeSynthetic
{
    /// <summary>Seed of the default stand-in, so it is one fixed dataset regardless of the experiment's --seed.</summary>
    public const ulong DefaultSeed = 0x45_55_52_4F; // "EURO"

    // (centre long, centre lat, sd long, sd lat, relative weight) per label; centroids are rounded real values.
    private static readonly (double Lon, double Lat, double SdLon, double SdLat, double Weight)[] Countries =
    [
        (-8.2, 39.6, 0.8, 1.3, 3), (-3.7, 40.2, 2.5, 1.6, 8), (2.3, 46.6, 2.4, 1.8, 11), (4.6, 50.6, 0.7, 0.4, 2),
        (5.5, 52.2, 0.6, 0.5, 3), (10.4, 51.1, 2.0, 1.7, 10), (8.2, 46.8, 0.8, 0.4, 1.5), (14.5, 47.6, 1.6, 0.6, 2),
        (12.6, 42.8, 2.0, 2.4, 8), (-2.0, 53.5, 1.4, 2.0, 7), (-8.0, 53.2, 0.8, 0.8, 1.2), (9.5, 56.0, 0.9, 0.6, 1.2),
        (9.0, 61.0, 3.0, 3.0, 1.2), (15.5, 60.5, 2.5, 3.5, 1.6), (25.5, 62.5, 2.5, 2.5, 1.2), (19.4, 52.0, 2.2, 1.2, 6),
        (15.5, 49.8, 1.4, 0.5, 2), (19.7, 48.7, 1.1, 0.4, 1), (19.5, 47.2, 1.4, 0.6, 2), (14.9, 46.1, 0.6, 0.3, 0.5),
        (16.0, 45.3, 1.2, 0.8, 0.9), (17.8, 44.2, 0.9, 0.6, 0.7), (20.9, 44.0, 0.9, 1.0, 1.4), (24.9, 45.9, 2.0, 1.1, 3.5),
        (25.5, 42.7, 1.7, 0.6, 1.4), (22.0, 39.3, 1.6, 1.5, 2.2), (20.0, 41.1, 0.4, 0.7, 0.6), (21.7, 41.6, 0.6, 0.3, 0.4),
        (23.9, 55.3, 1.3, 0.6, 0.6), (24.6, 56.9, 1.4, 0.5, 0.5), (25.5, 58.6, 1.3, 0.5, 0.4), (28.0, 53.7, 2.2, 1.3, 2),
        (31.2, 49.0, 4.5, 1.8, 8),
    ];

    /// <summary>The default stand-in with the real split sizes (106,897 / 13,363 / 13,363).</summary>
    public static (EuropeSplit Train, EuropeSplit Validation, EuropeSplit Test) Generate() =>
        Generate(new Rng(DefaultSeed), 106_897, 13_363, 13_363);

    /// <summary>Train, validation and test splits of the given sizes drawn from one mixture with <paramref name="rng"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public static (EuropeSplit Train, EuropeSplit Validation, EuropeSplit Test) Generate(Rng rng, int nTrain, int nValidation, int nTest)
    {
        if (nTrain < 1 || nValidation < 1 || nTest < 1)
            throw new ArgumentOutOfRangeException(nameof(nTrain), "split sizes must be positive");
        return (Sample(rng, nTrain, "train"), Sample(rng, nValidation, "validation"), Sample(rng, nTest, "test"));
    }

    /// <summary>Number of classes of the stand-in (33, as the real data).</summary>
    public static int NumClasses => Countries.Length;

    private static EuropeSplit Sample(Rng rng, int n, string name)
    {
        var weights = Countries.Select(c => c.Weight).ToArray();
        var coords = new float[2 * n];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            int k = rng.Categorical(weights);
            var c = Countries[k];
            labels[i] = k;
            coords[2 * i] = (float)Math.Clamp(rng.Normal(c.Lon, c.SdLon), -180, 180);
            coords[2 * i + 1] = (float)Math.Clamp(rng.Normal(c.Lat, c.SdLat), -90, 90);
        }
        return new EuropeSplit(name, coords, labels);
    }
}
