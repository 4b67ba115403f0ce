// Rank agreement between inferred and true skills, for simulate-then-recover checks and the report:
// Spearman's ρ (Pearson correlation of mid-ranks, so ties are handled) and Kendall's τ-b (O(n²) pair count,
// fine for the league sizes it is used on).
namespace ProbLab.Probabilistic.TrueSkill;

/// <summary>Spearman and Kendall rank correlations.</summary>
public static class RankCorrelation
{
    /// <summary>Spearman's ρ in [−1, 1] (NaN when either input is constant).</summary>
    /// <exception cref="ArgumentException">Lengths differ or fewer than 2 values.</exception>
    public static double Spearman(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        CheckLengths(x.Length, y.Length);
        double[] rx = MidRanks(x), ry = MidRanks(y);
        return Pearson(rx, ry);
    }

    /// <summary>Kendall's τ-b in [−1, 1] (tie-corrected; NaN when either input is constant).</summary>
    /// <exception cref="ArgumentException">Lengths differ or fewer than 2 values.</exception>
    public static double Kendall(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        CheckLengths(x.Length, y.Length);
        long concordant = 0, discordant = 0, tiesX = 0, tiesY = 0;
        for (int i = 0; i < x.Length; i++)
            for (int j = i + 1; j < x.Length; j++)
            {
                int sx = Math.Sign(x[i] - x[j]), sy = Math.Sign(y[i] - y[j]);
                if (sx == 0) tiesX++;
                if (sy == 0) tiesY++;
                if (sx * sy > 0) concordant++;
                else if (sx * sy < 0) discordant++;
            }
        long pairs = (long)x.Length * (x.Length - 1) / 2;
        double denom = Math.Sqrt((double)(pairs - tiesX) * (pairs - tiesY));
        return denom == 0 ? double.NaN : (concordant - discordant) / denom;
    }

    /// <summary>Pearson correlation of two equally long spans (NaN when either is constant).</summary>
    public static double Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        CheckLengths(x.Length, y.Length);
        double mx = 0, my = 0;
        for (int i = 0; i < x.Length; i++) { mx += x[i]; my += y[i]; }
        mx /= x.Length; my /= y.Length;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double dx = x[i] - mx, dy = y[i] - my;
            sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
        }
        return sxx == 0 || syy == 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }

    // 1-based ranks, tied values share the average of their positions.
    private static double[] MidRanks(ReadOnlySpan<double> v)
    {
        int n = v.Length;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var copy = v.ToArray();
        Array.Sort(order, (i, j) => copy[i].CompareTo(copy[j]));
        var ranks = new double[n];
        for (int i = 0; i < n;)
        {
            int j = i;
            while (j + 1 < n && copy[order[j + 1]] == copy[order[i]]) j++;
            double r = 0.5 * (i + j) + 1;
            for (int k = i; k <= j; k++) ranks[order[k]] = r;
            i = j + 1;
        }
        return ranks;
    }

    private static void CheckLengths(int nx, int ny)
    {
        if (nx != ny) throw new ArgumentException($"rank correlation needs equal lengths, got {nx} and {ny}");
        if (nx < 2) throw new ArgumentException($"rank correlation needs at least 2 values, got {nx}");
    }
}
