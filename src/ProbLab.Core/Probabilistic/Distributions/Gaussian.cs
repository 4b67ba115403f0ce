// Gaussian in natural parameters (precision τ = 1/σ², precision-mean ν = μ/σ²), the representation in
// which message passing multiplies and divides densities by adding and subtracting parameters (Minka's
// EP quick reference; Infer.NET's Gaussian). Conventions: τ = 0 is the uniform (improper) density;
// τ = +∞ is a point mass whose location is stored in ν; τ < 0 is allowed only for EP messages (improper).
using System.Runtime.CompilerServices;

namespace ProbLab.Probabilistic.Distributions;

/// <summary>A univariate Gaussian N(μ, σ²) stored as (precision, precision·mean); also the uniform and point-mass limits.</summary>
public readonly struct Gaussian : IEquatable<Gaussian>
{
    /// <summary>τ = 1/σ² (0: uniform, +∞: point mass, negative: an improper message).</summary>
    public readonly double Precision;
    /// <summary>ν = μ/σ², or the location μ itself for a point mass.</summary>
    public readonly double MeanTimesPrecision;

    private Gaussian(double meanTimesPrecision, double precision)
    {
        MeanTimesPrecision = meanTimesPrecision;
        Precision = precision;
    }

    /// <summary>N(mean, variance); variance 0 gives a point mass and +∞ the uniform density.</summary>
    /// <exception cref="ArgumentException">variance is negative or NaN, or mean is not finite.</exception>
    public static Gaussian FromMeanAndVariance(double mean, double variance)
    {
        if (!(variance >= 0)) throw new ArgumentException($"Gaussian variance must be >= 0, got {variance}");
        if (double.IsPositiveInfinity(variance)) return Uniform();
        if (!double.IsFinite(mean)) throw new ArgumentException($"Gaussian mean must be finite, got {mean}");
        if (variance == 0) return PointMass(mean);
        return new Gaussian(mean / variance, 1 / variance);
    }

    /// <summary>N(mean, 1/precision); precision +∞ gives a point mass, 0 the uniform density.</summary>
    /// <exception cref="ArgumentException">precision is negative or NaN, or mean is not finite.</exception>
    public static Gaussian FromMeanAndPrecision(double mean, double precision)
    {
        if (!(precision >= 0)) throw new ArgumentException($"Gaussian precision must be >= 0, got {precision}");
        if (double.IsPositiveInfinity(precision)) return PointMass(mean);
        if (!double.IsFinite(mean)) throw new ArgumentException($"Gaussian mean must be finite, got {mean}");
        return new Gaussian(mean * precision, precision);
    }

    /// <summary>The density exp(ν x − τ x²/2) up to normalisation; any finite τ, including negative (an improper EP message).</summary>
    /// <exception cref="ArgumentException">A parameter is NaN or infinite.</exception>
    public static Gaussian FromNatural(double meanTimesPrecision, double precision)
    {
        if (!double.IsFinite(meanTimesPrecision) || !double.IsFinite(precision))
            throw new ArgumentException($"Gaussian natural parameters must be finite, got ({meanTimesPrecision}, {precision})");
        return new Gaussian(meanTimesPrecision, precision);
    }

    /// <summary>The uniform (improper, τ = 0) density: the identity of <c>*</c>.</summary>
    public static Gaussian Uniform() => new(0, 0);

    /// <summary>The point mass δ(x − location).</summary>
    /// <exception cref="ArgumentException">location is not finite.</exception>
    public static Gaussian PointMass(double location)
    {
        if (!double.IsFinite(location)) throw new ArgumentException($"point-mass location must be finite, got {location}");
        return new Gaussian(location, double.PositiveInfinity);
    }

    /// <summary>True for the uniform density (τ = 0).</summary>
    public bool IsUniform => Precision == 0;
    /// <summary>True for a point mass (τ = +∞).</summary>
    public bool IsPointMass => double.IsPositiveInfinity(Precision);
    /// <summary>True when the density is normalisable (0 &lt; τ, point masses included).</summary>
    public bool IsProper => Precision > 0;

    /// <summary>μ (0 for the uniform density, the location for a point mass).</summary>
    public double Mean => IsPointMass ? MeanTimesPrecision : Precision == 0 ? 0 : MeanTimesPrecision / Precision;
    /// <summary>σ² = 1/τ (+∞ for the uniform density, 0 for a point mass, negative for an improper message).</summary>
    public double Variance => IsPointMass ? 0 : 1 / Precision;
    /// <summary>σ (NaN for an improper message).</summary>
    public double StdDev => Math.Sqrt(Variance);

    /// <summary>Product of densities: natural parameters add. A point mass absorbs any other factor.</summary>
    /// <exception cref="InvalidOperationException">Two point masses at different locations (the product is zero everywhere).</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Gaussian operator *(Gaussian a, Gaussian b)
    {
        if (a.IsPointMass || b.IsPointMass) return ProductWithPointMass(a, b);
        return new Gaussian(a.MeanTimesPrecision + b.MeanTimesPrecision, a.Precision + b.Precision);
    }

    private static Gaussian ProductWithPointMass(Gaussian a, Gaussian b)
    {
        if (a.IsPointMass && b.IsPointMass && a.MeanTimesPrecision != b.MeanTimesPrecision)
            throw new InvalidOperationException($"product of point masses at {a.MeanTimesPrecision} and {b.MeanTimesPrecision} is zero everywhere");
        return a.IsPointMass ? a : b;
    }

    /// <summary>Ratio of densities: natural parameters subtract (gives the EP cavity q/m). point/point at the same location is uniform.</summary>
    /// <exception cref="InvalidOperationException">The denominator is a point mass and the numerator is not the same point mass.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Gaussian operator /(Gaussian numerator, Gaussian denominator)
    {
        if (numerator.IsPointMass || denominator.IsPointMass) return RatioWithPointMass(numerator, denominator);
        return new Gaussian(numerator.MeanTimesPrecision - denominator.MeanTimesPrecision, numerator.Precision - denominator.Precision);
    }

    private static Gaussian RatioWithPointMass(Gaussian n, Gaussian d)
    {
        if (!d.IsPointMass) return n;   // δ / g = δ
        if (n.IsPointMass && n.MeanTimesPrecision == d.MeanTimesPrecision) return Uniform();
        throw new InvalidOperationException($"cannot divide {n} by the point mass at {d.MeanTimesPrecision}");
    }

    /// <summary>log N(x; μ, σ²) for a proper Gaussian (point mass: 0 at its location, −∞ elsewhere).</summary>
    /// <exception cref="InvalidOperationException">The density is uniform or improper.</exception>
    public double LogProb(double x)
    {
        if (IsPointMass) return x == MeanTimesPrecision ? 0 : double.NegativeInfinity;
        if (!(Precision > 0)) throw new InvalidOperationException($"LogProb of an improper Gaussian {this}");
        double d = x - Mean;
        return -0.5 * (d * d * Precision - Math.Log(Precision)) - 0.91893853320467274;   // − log √(2π)
    }

    /// <summary>log ∫ a(x) b(x) dx = log N(μa; μb, σa² + σb²), the normaliser of a product of two proper Gaussians.</summary>
    /// <exception cref="InvalidOperationException">Either argument is improper or uniform.</exception>
    public static double LogAverageOf(Gaussian a, Gaussian b)
    {
        if (!a.IsProper || !b.IsProper) throw new InvalidOperationException($"LogAverageOf needs proper Gaussians, got {a} and {b}");
        double v = a.Variance + b.Variance;
        if (v == 0) return a.Mean == b.Mean ? double.PositiveInfinity : double.NegativeInfinity;
        return FromMeanAndVariance(b.Mean, v).LogProb(a.Mean);
    }

    /// <summary>The larger of the absolute changes in mean and in standard deviation (EP's convergence measure).</summary>
    public static double MaxDiff(Gaussian a, Gaussian b)
    {
        double dm = Math.Abs(a.Mean - b.Mean), ds = Math.Abs(a.StdDev - b.StdDev);
        if (double.IsNaN(ds)) ds = Math.Abs(a.Precision - b.Precision);
        return Math.Max(dm, ds);
    }

    /// <inheritdoc/>
    public bool Equals(Gaussian other) => Precision.Equals(other.Precision) && MeanTimesPrecision.Equals(other.MeanTimesPrecision);
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Gaussian g && Equals(g);
    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Precision, MeanTimesPrecision);
    /// <summary>Equality of natural parameters.</summary>
    public static bool operator ==(Gaussian a, Gaussian b) => a.Equals(b);
    /// <summary>Inequality of natural parameters.</summary>
    public static bool operator !=(Gaussian a, Gaussian b) => !a.Equals(b);

    /// <summary>"N(μ, σ²)", "Uniform" or "PointMass(x)".</summary>
    public override string ToString() => IsPointMass ? $"PointMass({MeanTimesPrecision:G6})"
        : IsUniform ? "Uniform" : Precision < 0 ? $"Improper(ν={MeanTimesPrecision:G6}, τ={Precision:G6})" : $"N({Mean:G6}, {Variance:G6})";
}
