// Nice tick generation for linear and logarithmic axes, and tick label formatting.
// Linear: Heckbert's "nice numbers" (Graphics Gems, 1990): step = {1, 2, 2.5, 5} x 10^k closest to
// range / (target - 1) from above, ticks at multiples of the step. Log: powers of ten, thinned to every
// k-th decade when many decades are spanned, or 1-2-5 subdivisions when less than about two decades are.
using System.Globalization;

namespace ProbLab.Reports;

/// <summary>Nice axis ticks and labels, e.g. <c>Ticks.Linear(0, 0.93, 5)</c> → [0, 0.2, 0.4, 0.6, 0.8].</summary>
public static class Ticks
{
    private static readonly double[] Mantissas = [1, 2, 2.5, 5];

    /// <summary>
    /// The nice step (1, 2, 2.5 or 5 times a power of ten) whose multiples inside [min, max] number closest to
    /// <paramref name="target"/>; with <paramref name="extend"/> the count is of the multiples covering the range
    /// once it is widened to them (see <see cref="NiceDomain"/>). Ties prefer the larger step; 2.5 only wins when strictly better.
    /// </summary>
    /// <exception cref="ArgumentException">When the range is not finite or target &lt; 1.</exception>
    public static double NiceStep(double min, double max, int target, bool extend = false)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max)) throw new ArgumentException($"tick range [{min}, {max}] is not finite");
        if (target < 1) throw new ArgumentException($"tick target count must be >= 1, got {target}");
        if (min > max) (min, max) = (max, min);
        double range = max - min;
        if (range == 0) range = Math.Abs(min) > 0 ? Math.Abs(min) * 0.1 : 1;
        int e0 = (int)Math.Floor(Math.Log10(range / Math.Max(1, target - 1)));
        double best = double.NaN, bestScore = double.PositiveInfinity;
        for (int e = e0 - 1; e <= e0 + 1; e++)
            foreach (double m in Mantissas)
            {
                double step = m * Math.Pow(10, e);
                double count = extend
                    ? Math.Ceiling(max / step - 1e-9) - Math.Floor(min / step + 1e-9) + 1
                    : Math.Floor(max / step + 1e-9) - Math.Ceiling(min / step - 1e-9) + 1;
                double score = Math.Abs(count - target) + (m == 2.5 ? 0.6 : 0) + (count < 2 ? 10 : 0);
                // When extending, also penalise the fraction of the axis that would be empty padding.
                if (extend) score += 2 * (1 - range / ((count - 1) * step));
                // Candidates are visited from small to large steps, so "<=" prefers the larger step on ties.
                if (score <= bestScore) { bestScore = score; best = step; }
            }
        return best;
    }

    /// <summary>Ticks at multiples of a nice step inside [min, max] (inclusive up to rounding), about <paramref name="target"/> of them.</summary>
    public static double[] Linear(double min, double max, int target = 6)
    {
        if (min > max) (min, max) = (max, min);
        double step = NiceStep(min, max, target);
        double first = Math.Ceiling(min / step - 1e-9) * step;
        var ticks = new List<double>();
        for (int i = 0; i <= 1000; i++)
        {
            double t = first + i * step;
            if (t > max + step * 1e-9) break;
            // Snap values like 0.30000000000000004 to the step grid so labels print cleanly.
            ticks.Add(Math.Abs(t) < step * 1e-9 ? 0 : Math.Round(t / step) * step);
        }
        return [.. ticks];
    }

    /// <summary>Extends [min, max] outwards to multiples of a nice step (d3's <c>nice()</c>) so the axis ends on labelled ticks, about <paramref name="target"/> of them.</summary>
    public static (double Min, double Max) NiceDomain(double min, double max, int target = 6)
    {
        if (min > max) (min, max) = (max, min);
        double step = NiceStep(min, max, target, extend: true);
        // Min/Max guard against k·step landing a rounding error inside the data (3.3000000000000003 for 3.3).
        return (Math.Min(min, Math.Floor(min / step + 1e-9) * step), Math.Max(max, Math.Ceiling(max / step - 1e-9) * step));
    }

    /// <summary>
    /// Major ticks for a log10 axis over [min, max] (both &gt; 0): under one decade, linear nice ticks (e.g. 1, 2, 3, 4);
    /// up to two decades, 1-2-5 steps; otherwise powers of ten, every k-th decade when there are more than <paramref name="maxTicks"/>.
    /// </summary>
    /// <exception cref="ArgumentException">When min or max is not positive and finite.</exception>
    public static double[] Log(double min, double max, int maxTicks = 8)
    {
        if (!(min > 0) || !(max > 0) || !double.IsFinite(min) || !double.IsFinite(max))
            throw new ArgumentException($"log axis range [{min}, {max}] must be positive and finite");
        if (min > max) (min, max) = (max, min);
        maxTicks = Math.Max(maxTicks, 2);
        double decades = Math.Log10(max / min);
        bool In(double v) => v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9);
        int lo = (int)Math.Floor(Math.Log10(min) + 1e-9), hi = (int)Math.Ceiling(Math.Log10(max) - 1e-9);
        if (decades < 1)
        {
            var lin = Linear(min, max, Math.Min(maxTicks, 5)).Where(v => v > 0).ToArray();
            if (lin.Length >= 2) return lin;
        }
        else if (decades <= 2)
        {
            var ticks125 = new List<double>();
            for (int e = lo; e <= hi; e++)
                foreach (double m in new double[] { 1, 2, 5 }) { double v = m * Pow10(e); if (In(v)) ticks125.Add(v); }
            if (ticks125.Count <= maxTicks) return [.. ticks125];
        }
        int every = Math.Max(1, (int)Math.Ceiling((hi - lo + 1) / (double)maxTicks));
        var ticks = new List<double>();
        for (int e = lo; e <= hi; e++)
            if (((e % every) + every) % every == 0 && In(Pow10(e))) ticks.Add(Pow10(e));
        return ticks.Count >= 2 ? [.. ticks] : [min, max];
    }

    /// <summary>Unlabelled minor ticks for a log axis: 2..9 times each decade inside [min, max] (empty if more than 6 decades).</summary>
    public static double[] LogMinor(double min, double max)
    {
        if (!(min > 0) || !(max > 0)) return [];
        if (min > max) (min, max) = (max, min);
        int lo = (int)Math.Floor(Math.Log10(min)), hi = (int)Math.Ceiling(Math.Log10(max));
        if (hi - lo > 6) return [];
        var ticks = new List<double>();
        for (int e = lo; e <= hi; e++)
            for (int m = 2; m <= 9; m++) { double v = m * Pow10(e); if (v >= min && v <= max) ticks.Add(v); }
        return [.. ticks];
    }

    /// <summary>Exact powers of ten for integer exponents (Math.Pow(10, -3) is not exactly 0.001).</summary>
    internal static double Pow10(int e) => double.Parse("1e" + e.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>Label for a linear tick: just enough decimals for <paramref name="step"/>; scientific (1.5e6) for very large or small magnitudes.</summary>
    public static string Format(double value, double step)
    {
        if (value == 0) return "0";
        double mag = Math.Max(Math.Abs(value), step);
        if (mag >= 1e6 || step < 1e-4) return FormatScientific(value, step);
        int decimals = Math.Max(0, (int)Math.Ceiling(-Math.Log10(step) - 1e-9));
        // Steps like 2.5, 0.25 need one more decimal than their power of ten.
        double scaled = step * Math.Pow(10, decimals);
        if (Math.Abs(scaled - Math.Round(scaled)) > 1e-6) decimals++;
        return Minus(value.ToString("F" + Math.Min(decimals, 10), CultureInfo.InvariantCulture));
    }

    /// <summary>Typographic minus (U+2212) instead of the hyphen, as in printed plots.</summary>
    private static string Minus(string s) => s.Replace('-', '\u2212');

    private static string FormatScientific(double value, double step)
    {
        int exp = (int)Math.Floor(Math.Log10(Math.Abs(value)));
        double mant = value / Math.Pow(10, exp);
        int stepExp = (int)Math.Floor(Math.Log10(step));
        int decimals = Math.Clamp(exp - stepExp, 0, 4);
        string m = Math.Round(mant, decimals).ToString("0." + new string('#', Math.Max(decimals, 1)), CultureInfo.InvariantCulture);
        return Minus($"{m}e{exp}");
    }

    /// <summary>Label for a log-axis tick: plain decimals between 0.001 and 10000, otherwise 10 with a superscript exponent (10⁻⁵, 2×10⁶).</summary>
    public static string FormatLog(double value)
    {
        if (value <= 0 || !double.IsFinite(value)) return value.ToString(CultureInfo.InvariantCulture);
        if (value >= 1e-3 && value < 1e4) return value.ToString("0.###", CultureInfo.InvariantCulture);
        int exp = (int)Math.Floor(Math.Log10(value) + 1e-9);
        double mant = Math.Round(value / Math.Pow(10, exp), 3);
        string power = "10" + Superscript(exp);
        return mant == 1 ? power : mant.ToString("0.##", CultureInfo.InvariantCulture) + "×" + power;
    }

    private static string Superscript(int n)
    {
        const string digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
        var s = n.ToString(CultureInfo.InvariantCulture);
        return string.Concat(s.Select(c => c == '-' ? '⁻' : digits[c - '0']));
    }
}
