// Assumed density filtering: one online pass over the matches in order. Before each game the two players'
// current Gaussian marginals (widened by the drift τ²) form the prediction; the game's outcome then updates
// them by the exact posterior moments (moment matching through the shared factor messages), or, for the
// course's Q5 variant, by the sample moments of a one-game Gibbs chain. Because the prediction is made
// before the update, one pass yields both the final ratings and the one-step-ahead prediction record.
using System.Runtime.Intrinsics.X86;
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
        if (_model.MarginStep > 0 && !matches.HasScores)
            throw new ArgumentException($"{matches.Source}: TrueSkill MarginStep > 0 needs match scores, but the matches have none");
        var state = new PassState(p, n, _model, _options);
        // Flat loop over the arrays: all per-game work is scalar arithmetic on (mean, variance) pairs, no allocation.
        int[] pa = matches.A, pb = matches.B;
        sbyte[] outcomes = matches.Outcomes;
        for (int i = 0; i < n; i++)
        {
            int a = pa[i], b = pb[i];
            if (i + PrefetchDistance < n) state.Prefetch(pa[i + PrefetchDistance], pb[i + PrefetchDistance]);
            int margin = matches.ScoresA is { } sa ? Math.Abs(sa[i] - matches.ScoresB![i]) : 1;
            bool used = _model.OutcomeInterval(outcomes[i], margin, out double lo, out double hi);
            if (state.Games[a] == 0 && _options.FirstPriorMeanA is { } hintA && !double.IsNaN(hintA[i])) state.MeanVar[2 * a] = hintA[i];
            if (state.Games[b] == 0 && _options.FirstPriorMeanB is { } hintB && !double.IsNaN(hintB[i])) state.MeanVar[2 * b] = hintB[i];
            state.Step(i, a, b, outcomes[i], used, lo, hi);
        }
        var home = _model.LearnsHome ? Gaussian.FromMeanAndVariance(state.HomeMean, state.HomeVariance) : _model.HomePrior;
        var mean = new double[p]; var variance = new double[p];
        for (int k = 0; k < p; k++) { mean[k] = state.MeanVar[2 * k]; variance[k] = state.MeanVar[2 * k + 1]; }
        var posterior = new RatingPosterior(_options.GibbsSamples > 0 ? "ADF-Gibbs" : "ADF", matches.Names, mean, variance, state.Games, home);
        var traceArrays = state.Traces.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
        return new AdfResult(posterior, state.Tally.Summary(), state.Records, traceArrays, state.HomeTrace);
    }

    // With many players every game's two (mean, variance) pairs are cache misses; requesting them a few games ahead
    // overlaps those misses with the arithmetic of the current game.
    private const int PrefetchDistance = 8;

    // Mutable state of one pass, with the per-game predict-then-update step. Each player's mean and variance are
    // stored side by side (MeanVar[2i], MeanVar[2i + 1]) so that a game touches one cache line per player.
    private sealed class PassState
    {
        public readonly double[] MeanVar;
        public readonly int[] Games;
        public double HomeMean, HomeVariance;
        public PredictionTally Tally;
        public readonly GamePrediction[]? Records;
        public readonly Dictionary<int, List<SkillTracePoint>> Traces;
        public readonly double[] HomeTrace;
        private readonly TrueSkillModel _model;
        private readonly AdfOptions _options;
        private readonly double _tau2, _noise, _eps;
        private readonly bool _fused;   // win/loss intervals are exactly (0, ∞) / (−∞, 0): the fused predict+update path applies

        public PassState(int players, int matches, TrueSkillModel model, AdfOptions options)
        {
            _model = model; _options = options;
            MeanVar = new double[2 * players]; Games = new int[players];
            for (int k = 0; k < players; k++) { MeanVar[2 * k] = model.Mu; MeanVar[2 * k + 1] = model.Sigma * model.Sigma; }
            HomeMean = model.HomeMean; HomeVariance = model.HomeSigma * model.HomeSigma;
            Tally = new PredictionTally(model.Draws == DrawHandling.Margin);
            Records = options.RecordGames ? new GamePrediction[matches] : null;
            Traces = options.TracePlayers.Distinct().ToDictionary(i => i, _ => new List<SkillTracePoint>());
            HomeTrace = model.LearnsHome ? new double[matches] : [];
            _tau2 = model.Tau * model.Tau; _noise = model.NoiseVariance; _eps = model.EffectiveMargin;
            _fused = _eps == 0 && model.MarginStep == 0 && options.GibbsSamples == 0;
        }

        public void Step(int i, int a, int b, sbyte outcome, bool used, double lo, double hi)
        {
            // Drift widens the priors of the two players of a game that is used (skipped games leave them alone).
            double ma = MeanVar[2 * a], va = MeanVar[2 * a + 1] + (used ? _tau2 : 0), mb = MeanVar[2 * b], vb = MeanVar[2 * b + 1] + (used ? _tau2 : 0);
            // Predict: t ~ N(mt, vt) from past games only.
            double mt = ma - mb + HomeMean, vt = va + vb + HomeVariance + _noise, sd = Math.Sqrt(vt);
            if (used && _fused && outcome != 0)
            {
                // Plain win/loss (no draw margin, no score margin): the observed side's z gives the prediction and the
                // update from one erfcx. P(observed) = Φ(y) with y = ±mt/sd, and t's moments move by ±sd·V(y), vt·(−W(y)).
                double y = outcome > 0 ? mt / sd : -mt / sd;
                TruncatedGaussian.OneSidedWithProbability(y, out double v, out double omw, out double cdf, out double ccdf);
                double pa = outcome > 0 ? cdf : ccdf, pb = outcome > 0 ? ccdf : cdf;
                Record(i, pa, 0, pb, outcome);
                GameUpdate.Scatter(ref ma, ref va, ref mb, ref vb, ref HomeMean, ref HomeVariance, vt, outcome * sd * v, omw - 1);
                Store(i, a, b, ma, va, mb, vb);
                return;
            }
            double pA = SpecialFunctions.NormalCdf((mt - _eps) / sd), pB = SpecialFunctions.NormalCdf((-mt - _eps) / sd);
            double pD = Math.Max(0, 1 - pA - pB);
            Record(i, pA, pD, pB, outcome);
            if (used)
            {
                if (_options.GibbsSamples > 0) GibbsUpdate(ref ma, ref va, ref mb, ref vb, lo, hi);
                else GameUpdate.Apply(ref ma, ref va, ref mb, ref vb, ref HomeMean, ref HomeVariance, _noise, lo, hi);
                Store(i, a, b, ma, va, mb, vb);
            }
            else if (HomeTrace.Length > 0) HomeTrace[i] = HomeMean;
        }

        private void Record(int i, double pA, double pD, double pB, sbyte outcome)
        {
            sbyte predicted = pA >= pB ? (sbyte)1 : (sbyte)-1;   // ties (e.g. two unseen players, no home advantage) go to side A
            Tally.Add(pA, pD, pB, predicted, outcome);
            if (Records is not null) Records[i] = new GamePrediction(i, pA, pD, pB, predicted, outcome);
        }

        private void Store(int i, int a, int b, double ma, double va, double mb, double vb)
        {
            MeanVar[2 * a] = ma; MeanVar[2 * a + 1] = va; Games[a]++;
            MeanVar[2 * b] = mb; MeanVar[2 * b + 1] = vb; Games[b]++;
            if (Traces.Count > 0) { Trace(a, i); Trace(b, i); }
            if (HomeTrace.Length > 0) HomeTrace[i] = HomeMean;
        }

        public unsafe void Prefetch(int a, int b)
        {
            if (!Sse.IsSupported) return;
            fixed (double* mv = MeanVar)
            fixed (int* g = Games)
            {
                Sse.Prefetch0(mv + 2 * a);
                Sse.Prefetch0(mv + 2 * b);
                Sse.Prefetch0(g + a);
                Sse.Prefetch0(g + b);
            }
        }

        private void GibbsUpdate(ref double ma, ref double va, ref double mb, ref double vb, double lo, double hi)
        {
            var sampler = new GameGibbsSampler(Gaussian.FromMeanAndVariance(ma, va), Gaussian.FromMeanAndVariance(mb, vb), _model.SigmaT, lo, hi, _model.HomeMean);
            var m = sampler.Moments(_options.Rng!, _options.GibbsSamples, _options.GibbsBurnIn);
            ma = m.MeanA; va = m.VarA; mb = m.MeanB; vb = m.VarB;
        }

        private void Trace(int player, int match)
        {
            if (Traces.TryGetValue(player, out var list)) list.Add(new SkillTracePoint(match, MeanVar[2 * player], Math.Sqrt(MeanVar[2 * player + 1])));
        }
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

}
