// Assumed density filtering: one online pass over the matches in order. Before each game the two players'
// current Gaussian marginals (widened by the drift τ²) form the prediction; the game's outcome then updates
// them by the exact posterior moments (moment matching through the shared factor messages), or, for the
// course's Q5 variant, by the sample moments of a one-game Gibbs chain. Because the prediction is made
// before the update, one pass yields both the final ratings and the one-step-ahead prediction record.
using ProbLab.Data;
using ProbLab.Probabilistic.Distributions;
using ProbLab.Tensors;

namespace ProbLab.Probabilistic.TrueSkill;

/// <summary>Options of an ADF pass.</summary>
public sealed record AdfOptions
{
    /// <summary>0: analytic moment matching. &gt; 0: each game's posterior moments come from this many Gibbs samples (course Q5).</summary>
    public int GibbsSamples { get; init; }
    /// <summary>Gibbs sweeps discarded per game before sampling.</summary>
    public int GibbsBurnIn { get; init; } = 50;
    /// <summary>Random source for the Gibbs variant (required when GibbsSamples &gt; 0).</summary>
    public Rng? Rng { get; init; }
    /// <summary>Keep one <see cref="GamePrediction"/> per match (memory grows with the number of matches).</summary>
    public bool RecordGames { get; init; }
    /// <summary>Players whose (mean, sd) is recorded after each of their games (for skill-over-time plots).</summary>
    public IReadOnlyList<int> TracePlayers { get; init; } = [];
    /// <summary>Optional per-match prior means used when side A's player appears for the first time (NaN: use Mu).</summary>
    public double[]? FirstPriorMeanA { get; init; }
    /// <summary>Optional per-match prior means used when side B's player appears for the first time (NaN: use Mu).</summary>
    public double[]? FirstPriorMeanB { get; init; }
}

/// <summary>The one-step-ahead prediction made for one match before updating on it.</summary>
public readonly record struct GamePrediction(int Match, double PAWins, double PDraw, double PBWins, sbyte Predicted, sbyte Actual);

/// <summary>A point of a skill trace: the marginal of a player right after match <c>Match</c>.</summary>
public readonly record struct SkillTracePoint(int Match, double Mean, double StdDev);

/// <summary>Result of an ADF pass: final ratings, prediction summary, and optional per-game records and traces.</summary>
public sealed record AdfResult(RatingPosterior Posterior, PredictionSummary Predictions, GamePrediction[]? Games,
    IReadOnlyDictionary<int, SkillTracePoint[]> Traces, double[] HomeTrace);

/// <summary>ADF (online moment matching) for the TrueSkill model; also the one-step-ahead predictor.</summary>
public sealed class AssumedDensityFiltering : IRatingInference
{
    private readonly TrueSkillModel _model;
    private readonly AdfOptions _options;

    /// <summary>ADF for <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentException">The model or options are invalid (Gibbs updates need an Rng and a fixed home advantage).</exception>
    public AssumedDensityFiltering(TrueSkillModel model, AdfOptions? options = null)
    {
        _model = model.Validate();
        _options = options ?? new AdfOptions();
        if (_options.GibbsSamples < 0) throw new ArgumentException($"ADF GibbsSamples = {_options.GibbsSamples} must be >= 0");
        if (_options.GibbsBurnIn < 0) throw new ArgumentException($"ADF GibbsBurnIn = {_options.GibbsBurnIn} must be >= 0");
        if (_options.GibbsSamples > 0 && _options.Rng is null) throw new ArgumentException("ADF with Gibbs updates needs an Rng");
        if (_options.GibbsSamples is > 0 and < 2) throw new ArgumentException("ADF GibbsSamples must be 0 or >= 2");
        if (_options.GibbsSamples > 0 && model.LearnsHome) throw new ArgumentException("ADF with Gibbs updates needs a fixed home advantage (HomeSigma = 0)");
    }

    /// <summary>The final marginals after one pass.</summary>
    public RatingPosterior Infer(MatchData matches) => Run(matches).Posterior;

    /// <summary>One pass: predict each match from the current marginals, then update on it.</summary>
    /// <exception cref="ArgumentException">Prior-mean hint arrays do not match the number of matches, or MarginStep needs missing scores.</exception>
    public AdfResult Run(MatchData matches)
    {
        int p = matches.PlayerCount, n = matches.Count;
        if (_options.FirstPriorMeanA is { } ha && ha.Length != n || _options.FirstPriorMeanB is { } hb && hb.Length != n)
            throw new ArgumentException($"ADF prior-mean hints must have one entry per match ({n})");
        var mean = new double[p]; var variance = new double[p]; var games = new int[p];
        Array.Fill(mean, _model.Mu); Array.Fill(variance, _model.Sigma * _model.Sigma);
        var home = _model.HomePrior;
        var tally = new PredictionTally(_model.Draws == DrawHandling.Margin);
        var records = _options.RecordGames ? new GamePrediction[n] : null;
        var traces = _options.TracePlayers.Distinct().ToDictionary(i => i, _ => new List<SkillTracePoint>());
        var homeTrace = _model.LearnsHome ? new double[n] : [];
        double tau2 = _model.Tau * _model.Tau, noise = _model.NoiseVariance;

        for (int i = 0; i < n; i++)
        {
            int a = matches.A[i], b = matches.B[i];
            var match = matches[i];
            if (games[a] == 0 && _options.FirstPriorMeanA is { } hintA && !double.IsNaN(hintA[i])) mean[a] = hintA[i];
            if (games[b] == 0 && _options.FirstPriorMeanB is { } hintB && !double.IsNaN(hintB[i])) mean[b] = hintB[i];
            bool used = _model.TryOutcomeInterval(match, out double lo, out double hi);
            double va = variance[a] + (used ? tau2 : 0), vb = variance[b] + (used ? tau2 : 0);
            var ga = Gaussian.FromMeanAndVariance(mean[a], va);
            var gb = Gaussian.FromMeanAndVariance(mean[b], vb);

            var (pa, pd, pb) = _model.Predict(ga, gb, home);
            sbyte predicted = pa >= pb ? (sbyte)1 : (sbyte)-1;   // ties (e.g. two unseen players, no home advantage) go to side A
            tally.Add(pa, pd, pb, predicted, matches.Outcomes[i]);
            if (records is not null) records[i] = new GamePrediction(i, pa, pd, pb, predicted, matches.Outcomes[i]);

            if (used)
            {
                if (_options.GibbsSamples > 0) UpdateByGibbs(ga, gb, lo, hi, out ga, out gb);
                else UpdateByMomentMatching(ref ga, ref gb, ref home, lo, hi, noise);
                mean[a] = ga.Mean; variance[a] = ga.Variance; games[a]++;
                mean[b] = gb.Mean; variance[b] = gb.Variance; games[b]++;
                Trace(traces, a, i, ga); Trace(traces, b, i, gb);
            }
            if (homeTrace.Length > 0) homeTrace[i] = home.Mean;
        }
        var posterior = new RatingPosterior(_options.GibbsSamples > 0 ? "ADF-Gibbs" : "ADF", matches.Names, mean, variance, games, home);
        var traceArrays = traces.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
        return new AdfResult(posterior, tally.Summary(), records, traceArrays, homeTrace);
    }

    /// <summary>The exact-moment update of one game: q_new(x) = q(x) · m_{factor→x} for each variable (ADF = first EP visit).</summary>
    public static void UpdateByMomentMatching(ref Gaussian a, ref Gaussian b, ref Gaussian home, double lo, double hi, double noiseVariance)
    {
        var toT = PerformanceFactor.MessageToT(a, b, home, noiseVariance);
        var fromOutcome = IntervalFactor.MessageToT(toT, lo, hi);
        var toA = PerformanceFactor.MessageToA(fromOutcome, b, home, noiseVariance);
        var toB = PerformanceFactor.MessageToB(fromOutcome, a, home, noiseVariance);
        if (!home.IsPointMass) home *= PerformanceFactor.MessageToH(fromOutcome, a, b, noiseVariance);
        a *= toA;
        b *= toB;
    }

    private void UpdateByGibbs(Gaussian a, Gaussian b, double lo, double hi, out Gaussian newA, out Gaussian newB)
    {
        var sampler = new GameGibbsSampler(a, b, _model.SigmaT, lo, hi, _model.HomeMean);
        var m = sampler.Moments(_options.Rng!, _options.GibbsSamples, _options.GibbsBurnIn);
        newA = m.SkillA; newB = m.SkillB;
    }

    private static void Trace(Dictionary<int, List<SkillTracePoint>> traces, int player, int match, Gaussian g)
    {
        if (traces.Count > 0 && traces.TryGetValue(player, out var list)) list.Add(new SkillTracePoint(match, g.Mean, g.StdDev));
    }
}
