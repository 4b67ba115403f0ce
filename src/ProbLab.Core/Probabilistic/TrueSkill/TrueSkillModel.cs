// The two-player TrueSkill model shared by the three inference algorithms (course notation, Herbrich et al. 2007):
//   s_i ~ N(Mu, Sigma²)                      skill of every player (prior)
//   h   ~ N(HomeMean, HomeSigma²)            home / first-move advantage of side A (fixed when HomeSigma = 0)
//   t   ~ N(s_A − s_B + h, SigmaT²)           performance difference
//   outcome: A wins ⇔ t > ε, draw ⇔ |t| ≤ ε, B wins ⇔ t < −ε        (ε = DrawMargin)
// Extensions: draws either skipped (the course baseline) or observed through the margin ε; a win by k goals
// observes t > ε + (k − 1)·MarginStep (margin of victory); skills drift by N(0, Tau²) before each game (ADF).
// SigmaT is the course's σt, the noise of the *difference*: Herbrich's per-player β gives SigmaT = √2·β.
using ProbLab.Data;
using ProbLab.Probabilistic.Distributions;

namespace ProbLab.Probabilistic.TrueSkill;

/// <summary>How drawn matches enter the model.</summary>
public enum DrawHandling
{
    /// <summary>Draws are ignored: they change no skill (the course baseline).</summary>
    Skip,
    /// <summary>Draws are observations |t| ≤ DrawMargin; wins are t &gt; DrawMargin.</summary>
    Margin,
}

/// <summary>TrueSkill hyper-parameters (defaults: μ = 25, σ = 25/3, σt = 25/6, draws skipped, no home advantage, no drift).</summary>
public sealed record TrueSkillModel
{
    /// <summary>Prior mean μ₀ of every skill.</summary>
    public double Mu { get; init; } = 25;
    /// <summary>Prior standard deviation σ₀ of every skill.</summary>
    public double Sigma { get; init; } = 25.0 / 3;
    /// <summary>Standard deviation σt of the performance difference t given the skills.</summary>
    public double SigmaT { get; init; } = 25.0 / 6;
    /// <summary>Whether draws are skipped or modelled with <see cref="DrawMargin"/>.</summary>
    public DrawHandling Draws { get; init; } = DrawHandling.Skip;
    /// <summary>Draw margin ε ≥ 0 (used when <see cref="Draws"/> is Margin).</summary>
    public double DrawMargin { get; init; }
    /// <summary>Prior mean of the home / white advantage h added to side A's performance.</summary>
    public double HomeMean { get; init; }
    /// <summary>Prior standard deviation of h; 0 keeps h fixed at <see cref="HomeMean"/>, &gt; 0 learns it.</summary>
    public double HomeSigma { get; init; }
    /// <summary>Skill drift τ: each player's variance grows by τ² before each of its games (ADF only).</summary>
    public double Tau { get; init; }
    /// <summary>Margin of victory: a win by k ≥ 1 goals observes t &gt; ε + (k − 1)·MarginStep; 0 disables it (needs scores).</summary>
    public double MarginStep { get; init; }

    /// <summary>The defaults above.</summary>
    public static TrueSkillModel Default { get; } = new();

    /// <summary>True when h is a random variable to be inferred (HomeSigma &gt; 0).</summary>
    public bool LearnsHome => HomeSigma > 0;

    /// <summary>ε such that two players with equal, exactly known skills draw with probability p: ε = Φ⁻¹((1 + p)/2)·σt.</summary>
    /// <exception cref="ArgumentOutOfRangeException">p outside [0, 1) or σt ≤ 0.</exception>
    public static double DrawMarginFromProbability(double p, double sigmaT)
    {
        if (!(p >= 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "draw probability must lie in [0, 1)");
        if (!(sigmaT > 0)) throw new ArgumentOutOfRangeException(nameof(sigmaT), sigmaT, "SigmaT must be positive");
        return SpecialFunctions.NormalQuantile(0.5 * (1 + p)) * sigmaT;
    }

    /// <summary>Checks every field; the message names the field and its value.</summary>
    /// <exception cref="ArgumentException">A field is out of range or not finite.</exception>
    public TrueSkillModel Validate()
    {
        Require(double.IsFinite(Mu), nameof(Mu), Mu, "must be finite");
        Require(Sigma > 0 && double.IsFinite(Sigma), nameof(Sigma), Sigma, "must be positive and finite");
        Require(SigmaT > 0 && double.IsFinite(SigmaT), nameof(SigmaT), SigmaT, "must be positive and finite");
        Require(DrawMargin >= 0 && double.IsFinite(DrawMargin), nameof(DrawMargin), DrawMargin, "must be >= 0 and finite");
        Require(double.IsFinite(HomeMean), nameof(HomeMean), HomeMean, "must be finite");
        Require(HomeSigma >= 0 && double.IsFinite(HomeSigma), nameof(HomeSigma), HomeSigma, "must be >= 0 and finite");
        Require(Tau >= 0 && double.IsFinite(Tau), nameof(Tau), Tau, "must be >= 0 and finite");
        Require(MarginStep >= 0 && double.IsFinite(MarginStep), nameof(MarginStep), MarginStep, "must be >= 0 and finite");
        return this;
    }

    private static void Require(bool ok, string field, double value, string what)
    {
        if (!ok) throw new ArgumentException($"TrueSkill {field} = {value} {what}");
    }

    /// <summary>Prior of every skill.</summary>
    public Gaussian SkillPrior => Gaussian.FromMeanAndVariance(Mu, Sigma * Sigma);
    /// <summary>Prior of h (a point mass when h is fixed).</summary>
    public Gaussian HomePrior => Gaussian.FromMeanAndVariance(HomeMean, HomeSigma * HomeSigma);
    /// <summary>σt².</summary>
    public double NoiseVariance => SigmaT * SigmaT;
    /// <summary>The draw margin in effect (0 when draws are skipped).</summary>
    public double EffectiveMargin => Draws == DrawHandling.Margin ? DrawMargin : 0;

    /// <summary>The interval [lo, hi] that match <paramref name="m"/> observes for t; false when the match is skipped (a draw under Skip).</summary>
    /// <exception cref="ArgumentException">MarginStep &gt; 0 but the match has no score.</exception>
    public bool TryOutcomeInterval(in Match m, out double lo, out double hi)
    {
        if (MarginStep > 0 && m.ScoreA < 0) throw new ArgumentException("TrueSkill MarginStep > 0 needs match scores, but a match has none");
        return OutcomeInterval((sbyte)m.Outcome, Math.Abs(m.ScoreA - m.ScoreB), out lo, out hi);
    }

    // Win by k goals (k ≥ 1): t > ε + (k − 1)·MarginStep; loss mirrors it; draw: |t| ≤ ε (skipped unless modelled with ε > 0).
    internal bool OutcomeInterval(sbyte outcome, int goalDifference, out double lo, out double hi)
    {
        double eps = EffectiveMargin;
        double extra = MarginStep > 0 ? (Math.Max(goalDifference, 1) - 1) * MarginStep : 0;
        if (outcome > 0) { lo = eps + extra; hi = double.PositiveInfinity; return true; }
        if (outcome < 0) { lo = double.NegativeInfinity; hi = -eps - extra; return true; }
        lo = -eps; hi = eps;
        return Draws == DrawHandling.Margin && eps > 0;
    }

    /// <summary>Predictive outcome probabilities (A wins, draw, B wins) given the current skill marginals and h.</summary>
    /// <remarks>t ~ N(μA − μB + μh, σA² + σB² + σh² + σt²) before the game, so P(A wins) = Φ((μt − ε)/σ), P(B wins) = Φ((−μt − ε)/σ).</remarks>
    public (double AWins, double Draw, double BWins) Predict(Gaussian a, Gaussian b, Gaussian h)
    {
        double m = a.Mean - b.Mean + h.Mean;
        double s = Math.Sqrt(a.Variance + b.Variance + h.Variance + NoiseVariance);
        double eps = EffectiveMargin;
        double pa = SpecialFunctions.NormalCdf((m - eps) / s), pb = SpecialFunctions.NormalCdf((-m - eps) / s);
        return (pa, Math.Max(0, 1 - pa - pb), pb);
    }
}
