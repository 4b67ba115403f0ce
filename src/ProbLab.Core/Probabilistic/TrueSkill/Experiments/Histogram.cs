// Histogram data and chain diagnostics for the report layer: equal-width bins with counts and densities,
// autocorrelation, effective sample size, and a burn-in rule. Plain records; nothing is drawn here.
namespace ProbLab.Probabilistic.TrueSkill.Experiments;

/// <summary>Equal-width histogram: bin k covers [Lo + k·Width, Lo + (k+1)·Width).</summary>
public sealed record Histogram(double Lo, double Width, int[] Counts, int Total)
{
    /// <summary>Counts scaled to a probability density (integrates to 1 over the bins).</summary>
    public double[] Density => Counts.Select(c => c / (Total * Width)).ToArray();
    /// <summary>Bin centres.</summary>
    public double[] Centers => Enumerable.Range(0, Counts.Length).Select(k => Lo + (k + 0.5) * Width).ToArray();

    /// <summary>Histogram of <paramref name="values"/> over [lo, hi] with <paramref name="bins"/> bins (values outside are clamped into the end bins).</summary>
    /// <exception cref="ArgumentException">bins &lt; 1 or hi ≤ lo.</exception>
    public static Histogram Build(ReadOnlySpan<double> values, double lo, double hi, int bins)
    {
        if (bins < 1) throw new ArgumentException($"histogram needs at least 1 bin, got {bins}");
        if (!(hi > lo)) throw new ArgumentException($"histogram range [{lo}, {hi}] is empty");
        var counts = new int[bins];
        double w = (hi - lo) / bins;
        foreach (double v in values) counts[Math.Clamp((int)Math.Floor((v - lo) / w), 0, bins - 1)]++;
        return new Histogram(lo, w, counts, values.Length);
    }
}

/// <summary>Chain diagnostics used by the Gibbs study.</summary>
public static class ChainDiagnostics
{
    /// <summary>Autocorrelation ρ(k) for k = 0..maxLag (ρ(0) = 1).</summary>
    public static double[] Autocorrelation(ReadOnlySpan<double> x, int maxLag)
    {
        int n = x.Length;
        double mean = 0;
        foreach (double v in x) mean += v;
        mean /= n;
        double c0 = 0;
        foreach (double v in x) c0 += (v - mean) * (v - mean);
        var rho = new double[Math.Min(maxLag, n - 1) + 1];
        for (int k = 0; k < rho.Length; k++)
        {
            double c = 0;
            for (int i = 0; i + k < n; i++) c += (x[i] - mean) * (x[i + k] - mean);
            rho[k] = c0 == 0 ? 0 : c / c0;
        }
        return rho;
    }

    /// <summary>Effective sample size n / (1 + 2 Σ ρ(k)), summing lags until ρ first drops below 0.05 (Geyer's initial-positive idea, simplified).</summary>
    public static double EffectiveSampleSize(ReadOnlySpan<double> x, int maxLag = 200)
    {
        var rho = Autocorrelation(x, maxLag);
        double s = 0;
        for (int k = 1; k < rho.Length && rho[k] > 0.05; k++) s += rho[k];
        return x.Length / (1 + 2 * s);
    }

    /// <summary>A burn-in suggestion: the first sweep at which every chain is within one posterior sd of the mean of its
    /// second half (the chains have reached the bulk of the posterior); 0 if they start there.</summary>
    /// <remarks>Simple and visible on a trace plot; with an over-dispersed start it marks where the chain stops drifting.</remarks>
    public static int SuggestBurnIn(params double[][] chains)
    {
        int burnIn = 0;
        foreach (var x in chains)
        {
            int n = x.Length, half = n / 2;
            double mean = 0, sq = 0;
            for (int i = half; i < n; i++) { mean += x[i]; sq += x[i] * x[i]; }
            mean /= n - half;
            double sd = Math.Sqrt(Math.Max(sq / (n - half) - mean * mean, 0));
            int first = 0;
            while (first < half && Math.Abs(x[first] - mean) > sd) first++;
            burnIn = Math.Max(burnIn, first);
        }
        return burnIn;
    }
}
