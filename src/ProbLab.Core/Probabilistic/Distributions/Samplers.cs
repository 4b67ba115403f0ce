// Fast exact samplers for the Gibbs samplers: standard normal and exponential by the ziggurat method
// (Marsaglia & Tsang 2000; tables built here at start-up, not copied), and the truncated standard normal
// on [a, b], exact everywhere: plain or half-normal rejection near the mode, Robert's (1995) optimal
// exponential proposal in the tails, and a uniform proposal on narrow intervals. Acceptance tests
// u ≤ exp(−c) are done as E ≥ c with E ~ Exp(1) from the exponential ziggurat, so no exp/log is evaluated.
using System.Runtime.CompilerServices;
using ProbLab.Tensors;

namespace ProbLab.Probabilistic.Distributions;

/// <summary>Ziggurat samplers for N(0, 1) and Exp(1) driven by an explicit <see cref="Rng"/>.</summary>
public static class Ziggurat
{
    private const int Layers = 256;
    // Normal: density f(x) = exp(−x²/2) on x ≥ 0 (sign drawn separately). X[i] is the right edge of layer i,
    // X[0] is the base layer's virtual width A/f(r) (its area includes the tail beyond r), X[1] = r, X[256] = 0.
    private static readonly double[] NX = new double[Layers + 1], NF = new double[Layers + 1];
    private static readonly double[] EX = new double[Layers + 1], EF = new double[Layers + 1];
    private static readonly double NormalR, ExpR;

    static Ziggurat()
    {
        NormalR = Build(NX, NF, x => Math.Exp(-0.5 * x * x), y => Math.Sqrt(-2 * Math.Log(y)),
            r => SpecialFunctions.SqrtHalfPi * SpecialFunctions.Erfc(r * SpecialFunctions.InvSqrt2), 2, 5);
        ExpR = Build(EX, EF, x => Math.Exp(-x), y => -Math.Log(y), r => Math.Exp(-r), 5, 10);
    }

    // Finds r by bisection so that N equal-area layers exactly fill the area under f (the top layer ends at
    // f = 1), then fills the tables. tail(r) = ∫_r^∞ f.
    private static double Build(double[] x, double[] f, Func<double, double> fn, Func<double, double> inv, Func<double, double> tail, double lo, double hi)
    {
        double Excess(double r)
        {
            double area = r * fn(r) + tail(r), xi = r;
            for (int i = 1; i < Layers - 1; i++)
            {
                double y = fn(xi) + area / xi;
                if (y >= 1) return 1;   // ran out of height early: r too small
                xi = inv(y);
            }
            return fn(xi) + area / xi - 1;   // the top layer must reach f = 1 exactly
        }
        for (int it = 0; it < 200; it++)
        {
            double mid = 0.5 * (lo + hi);
            if (Excess(mid) > 0) lo = mid; else hi = mid;
        }
        double rr = hi, a = rr * fn(rr) + tail(rr);
        x[0] = a / fn(rr); x[1] = rr; f[0] = fn(rr); f[1] = fn(rr);
        for (int i = 1; i < Layers - 1; i++) { x[i + 1] = inv(fn(x[i]) + a / x[i]); f[i + 1] = fn(x[i + 1]); }
        x[Layers] = 0; f[Layers] = 1;
        return rr;
    }

    /// <summary>A standard normal draw.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Normal(Rng rng)
    {
        while (true)
        {
            ulong bits = rng.NextUInt64();
            int i = (int)(bits & 0xFF);
            double u = ((long)bits >> 11) * (1.0 / (1L << 52));   // uniform in [−1, 1), from bits 11..63
            double x = u * NX[i];
            if (Math.Abs(x) < NX[i + 1]) return x;                // inside the layer's core rectangle: under the curve
            double accepted = NormalSlow(rng, i, x);
            if (!double.IsNaN(accepted)) return accepted;
        }
    }

    // Base layer beyond r → tail; other layers → the wedge between the rectangles, accepted under f. NaN = retry.
    private static double NormalSlow(Rng rng, int i, double x)
    {
        if (i == 0)
        {
            // Marsaglia's tail method: a = −ln U₁ / r, accept if −2 ln U₂ > a²; returns r + a.
            double a, e;
            do { a = -Math.Log(1 - rng.NextDouble()) / NormalR; e = -Math.Log(1 - rng.NextDouble()); } while (2 * e <= a * a);
            return x < 0 ? -(NormalR + a) : NormalR + a;
        }
        double y = NF[i] + rng.NextDouble() * (NF[i + 1] - NF[i]);
        return y < Math.Exp(-0.5 * x * x) ? x : double.NaN;
    }

    /// <summary>A standard exponential draw (rate 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Exponential(Rng rng)
    {
        while (true)
        {
            ulong bits = rng.NextUInt64();
            int i = (int)(bits & 0xFF);
            double u = (bits >> 11) * (1.0 / (1UL << 53));        // uniform in [0, 1)
            double x = u * EX[i];
            if (x < EX[i + 1]) return x;
            if (i == 0) return ExpR + Exponential(rng);          // memoryless tail: r + Exp(1)
            double y = EF[i] + rng.NextDouble() * (EF[i + 1] - EF[i]);
            if (y < Math.Exp(-x)) return x;
        }
    }
}

/// <summary>Exact draws of X ~ N(0, 1) conditioned on a ≤ X ≤ b.</summary>
public static class TruncatedNormalSampler
{
    // Above this lower bound Robert's exponential proposal beats half-normal rejection (acceptance 2Φ(−a) = 0.62 at 0.5).
    private const double ExponentialFrom = 0.5;

    /// <summary>X ~ N(0, 1) conditioned on X &gt; a (any a; −∞ gives a plain normal).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SampleAbove(Rng rng, double a)
    {
        if (a <= 0)
        {
            while (true) { double x = Ziggurat.Normal(rng); if (x > a) return x; }   // acceptance Φ(−a) ≥ ½
        }
        return SampleAbovePositive(rng, a);
    }

    private static double SampleAbovePositive(Rng rng, double a)
    {
        if (a < ExponentialFrom)
        {
            // For a ≥ 0, |X| given |X| > a has the law of X given X > a; acceptance 2Φ(−a) ≥ 0.62.
            while (true) { double x = Math.Abs(Ziggurat.Normal(rng)); if (x > a) return x; }
        }
        // Robert (1995): proposal a + Exp(λ) with the optimal rate λ = (a + √(a² + 4))/2; accept with probability
        // exp(−(x − λ)²/2), i.e. when an independent Exp(1) draw exceeds (x − λ)²/2. Acceptance → 1 as a → ∞.
        double lambda = 0.5 * (a + Math.Sqrt(a * a + 4));
        while (true)
        {
            double x = a + Ziggurat.Exponential(rng) / lambda;
            double d = x - lambda;
            if (Ziggurat.Exponential(rng) >= 0.5 * d * d) return x;
        }
    }

    /// <summary>X ~ N(0, 1) conditioned on a ≤ X ≤ b.</summary>
    /// <exception cref="ArgumentException">a ≥ b or a bound is NaN.</exception>
    public static double SampleBetween(Rng rng, double a, double b)
    {
        if (!(a < b)) throw new ArgumentException($"truncation interval [{a}, {b}] is empty or NaN");
        if (double.IsPositiveInfinity(b)) return SampleAbove(rng, a);
        if (a + b < 0) return -SampleBetween(rng, -b, -a);   // reflect: centre ≥ 0 (also maps a = −∞ to the one-sided case)
        if (a >= 0)
        {
            double delta = 0.5 * (b - a) * (b + a);   // log-density drop from a to b
            if (delta <= 1)
            {
                // Uniform proposal on [a, b]; accept with exp(−(x² − a²)/2) ≥ e^−1.
                while (true)
                {
                    double x = a + (b - a) * rng.NextDouble();
                    if (Ziggurat.Exponential(rng) >= 0.5 * (x - a) * (x + a)) return x;
                }
            }
            // One-sided draw, rejected above b: acceptance 1 − P(X > b | X > a) ≥ 1 − e^−1.
            while (true) { double x = SampleAbove(rng, a); if (x <= b) return x; }
        }
        if (b <= 1.25)
        {
            // Straddles 0 and |x| ≤ 1.25: uniform proposal, accept with exp(−x²/2) ≥ 0.46.
            while (true)
            {
                double x = a + (b - a) * rng.NextDouble();
                if (Ziggurat.Exponential(rng) >= 0.5 * x * x) return x;
            }
        }
        while (true) { double x = Ziggurat.Normal(rng); if (x >= a && x <= b) return x; }   // acceptance ≥ Φ(1.25) − ½ = 0.39
    }
}
