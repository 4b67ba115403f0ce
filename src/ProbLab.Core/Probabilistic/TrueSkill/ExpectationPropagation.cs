// Expectation propagation for static skills over a whole match set (Minka 2001; Herbrich et al. 2007, §3):
// every game keeps its messages to sA, sB (and h), each marginal is prior × Π messages, and sweeps over the
// games replace one game's messages at a time: cavity = marginal / old message, new message = the shared
// factor messages evaluated at the cavity (moment matching of the outcome factor), marginal = cavity × new.
// Sweeps repeat until no marginal's mean or standard deviation moves by more than the tolerance.
// The first sweep equals ADF; later sweeps let later games inform earlier ones (smoothing, order-free).
using ProbLab.Data;
using ProbLab.Probabilistic.Distributions;

namespace ProbLab.Probabilistic.TrueSkill;

/// <summary>Options of an EP run.</summary>
public sealed record EpOptions
{
    /// <summary>Maximum number of sweeps over all games.</summary>
    public int MaxIterations { get; init; } = 1000;
    /// <summary>Stop when the largest change of any marginal's mean or sd in a sweep is below this (skill units).</summary>
    /// <remarks>Convergence is linear and slow along the direction in which all skills shift together (only the prior pins
    /// it): on Serie A with σ₀ = 25/3 the change shrinks about 4% per sweep, so 1e-4 takes ~150 sweeps and 1e-6 ~230.</remarks>
    public double Tolerance { get; init; } = 1e-4;
    /// <summary>Damping δ in (0, 1]: new message = old^(1−δ) · proposed^δ (1 = undamped).</summary>
    public double Damping { get; init; } = 1;
}

/// <summary>Result of an EP run: marginals, sweeps done, convergence flag, and the largest marginal change per sweep.</summary>
public sealed record EpResult(RatingPosterior Posterior, int Iterations, bool Converged, double[] MaxChange, int SkippedUpdates);

/// <summary>Expectation propagation for the TrueSkill model with static skills.</summary>
public sealed class ExpectationPropagation : IRatingInference
{
    private readonly TrueSkillModel _model;
    private readonly EpOptions _options;

    /// <summary>EP for <paramref name="model"/>; skills are static, so the model's Tau must be 0.</summary>
    /// <exception cref="ArgumentException">Invalid model or options, or Tau &gt; 0.</exception>
    public ExpectationPropagation(TrueSkillModel model, EpOptions? options = null)
    {
        _model = model.Validate();
        _options = options ?? new EpOptions();
        if (model.Tau > 0) throw new ArgumentException($"EP infers static skills: TrueSkill Tau = {model.Tau} must be 0 (use ADF for drifting skills)");
        if (_options.MaxIterations < 1) throw new ArgumentException($"EP MaxIterations = {_options.MaxIterations} must be >= 1");
        if (!(_options.Tolerance >= 0)) throw new ArgumentException($"EP Tolerance = {_options.Tolerance} must be >= 0");
        if (!(_options.Damping > 0 && _options.Damping <= 1)) throw new ArgumentException($"EP Damping = {_options.Damping} must lie in (0, 1]");
    }

    /// <summary>The converged marginals.</summary>
    public RatingPosterior Infer(MatchData matches) => Run(matches).Posterior;

    /// <summary>Runs sweeps until convergence or MaxIterations.</summary>
    public EpResult Run(MatchData matches)
    {
        int p = matches.PlayerCount, n = matches.Count;
        var prior = _model.SkillPrior;
        var marginal = new Gaussian[p];
        Array.Fill(marginal, prior);
        var home = _model.HomePrior;
        // Messages from game g to its variables, initially uniform (they contribute nothing yet).
        var toA = new Gaussian[n]; var toB = new Gaussian[n]; var toH = new Gaussian[n];
        var lo = new double[n]; var hi = new double[n]; var used = new bool[n];
        var games = new int[p];
        for (int g = 0; g < n; g++)
        {
            used[g] = _model.TryOutcomeInterval(matches[g], out lo[g], out hi[g]);
            if (used[g]) { games[matches.A[g]]++; games[matches.B[g]]++; }
        }
        var changes = new List<double>();
        var before = new Gaussian[p];
        bool converged = false;
        int skipped = 0;
        double noise = _model.NoiseVariance, damping = _options.Damping;
        for (int it = 0; it < _options.MaxIterations && !converged; it++)
        {
            Array.Copy(marginal, before, p);
            var homeBefore = home;
            for (int g = 0; g < n; g++)
            {
                if (!used[g]) continue;
                int a = matches.A[g], b = matches.B[g];
                if (!UpdateGame(ref marginal[a], ref marginal[b], ref home, ref toA[g], ref toB[g], ref toH[g], lo[g], hi[g], noise, damping))
                    skipped++;
            }
            double change = home.IsPointMass ? 0 : Gaussian.MaxDiff(home, homeBefore);
            for (int i = 0; i < p; i++) change = Math.Max(change, Gaussian.MaxDiff(marginal[i], before[i]));
            changes.Add(change);
            converged = change < _options.Tolerance;
        }
        var mean = new double[p]; var variance = new double[p];
        for (int i = 0; i < p; i++) { mean[i] = marginal[i].Mean; variance[i] = marginal[i].Variance; }
        var posterior = new RatingPosterior("EP", matches.Names, mean, variance, games, home);
        return new EpResult(posterior, changes.Count, converged, changes.ToArray(), skipped);
    }

    /// <summary>Replaces one game's messages (cavity → factor messages → marginal); false if a cavity was improper and the game was skipped.</summary>
    internal static bool UpdateGame(ref Gaussian a, ref Gaussian b, ref Gaussian home, ref Gaussian toA, ref Gaussian toB, ref Gaussian toH,
        double lo, double hi, double noiseVariance, double damping)
    {
        var cavA = a / toA;
        var cavB = b / toB;
        var cavH = home.IsPointMass ? home : home / toH;
        // A cavity with precision ≤ 0 has no mean to moment-match around; leave this game's messages as they are.
        if (!cavA.IsProper || !cavB.IsProper || !cavH.IsProper) return false;
        var toT = PerformanceFactor.MessageToT(cavA, cavB, cavH, noiseVariance);
        var fromOutcome = IntervalFactor.MessageToT(toT, lo, hi);
        var newA = Damp(toA, PerformanceFactor.MessageToA(fromOutcome, cavB, cavH, noiseVariance), damping);
        var newB = Damp(toB, PerformanceFactor.MessageToB(fromOutcome, cavA, cavH, noiseVariance), damping);
        if (!home.IsPointMass)
        {
            var newH = Damp(toH, PerformanceFactor.MessageToH(fromOutcome, cavA, cavB, noiseVariance), damping);
            home = cavH * newH; toH = newH;
        }
        a = cavA * newA; toA = newA;
        b = cavB * newB; toB = newB;
        return true;
    }

    // Geometric interpolation of messages: natural parameters mix linearly.
    private static Gaussian Damp(Gaussian old, Gaussian proposed, double damping)
    {
        if (damping == 1) return proposed;
        return Gaussian.FromNatural((1 - damping) * old.MeanTimesPrecision + damping * proposed.MeanTimesPrecision,
            (1 - damping) * old.Precision + damping * proposed.Precision);
    }
}
