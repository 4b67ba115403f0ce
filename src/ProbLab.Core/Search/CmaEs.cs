// CMA-ES (Hansen & Ostermeier 2001; formulas and defaults from Hansen, "The CMA Evolution Strategy: A
// Tutorial", arXiv:1604.00772, 2016): sample λ points x = m + σ·B·D·z, z ~ N(0, I); move the mean to the
// weighted best μ; adapt σ by cumulative step-size adaptation (path p_σ) and the covariance C = B·D²·Bᵀ by
// the rank-one (path p_c) and rank-μ updates. Box: points are evaluated clipped, and ranked by
// f(clip x) − w·‖x − clip x‖² so the distribution is pulled back inside. IPOP restarts (Auger & Hansen
// 2005): when the search stalls, start again from a random mean with twice the population.
using MathNet.Numerics.LinearAlgebra;
using ProbLab.Tensors;

namespace ProbLab.Search;

/// <summary>Options for <see cref="CmaEs"/>; the defaults are the ones tuned for the QWOP walker (see <see cref="QwopSearch"/>).</summary>
public sealed record CmaEsOptions
{
    /// <summary>Offspring λ of the first run; 0 picks 4 + ⌊3 ln D⌋ rounded up to a multiple of 8.</summary>
    public int PopulationSize { get; init; } = 0;
    /// <summary>Initial σ (in box units: the QWOP box is 2 wide).</summary>
    public double InitialStepSize { get; init; } = 1.0;
    /// <summary>Whether to restart with a doubled population when the search stalls (IPOP-CMA-ES).</summary>
    public bool Restarts { get; init; } = true;
    /// <summary>Restart when the best value of the last 10 + ⌈30 D/λ⌉ generations spans less than this.</summary>
    public double StallTolerance { get; init; } = 1e-4;
    /// <summary>Restart when σ times the largest axis of C falls below this.</summary>
    public double MinStepSize { get; init; } = 1e-6;
    /// <summary>Weight w of the out-of-box penalty w·‖x − clip x‖².</summary>
    public double BoundPenalty { get; init; } = 1.0;

    /// <summary>Throws ArgumentException naming the first invalid field.</summary>
    public void Validate()
    {
        if (PopulationSize < 0 || PopulationSize == 1) throw new ArgumentException($"CmaEsOptions.PopulationSize = {PopulationSize}: must be 0 (automatic) or at least 2");
        if (!(InitialStepSize > 0) || double.IsInfinity(InitialStepSize)) throw new ArgumentException($"CmaEsOptions.InitialStepSize = {InitialStepSize}: must be a positive finite number");
        if (!(StallTolerance >= 0)) throw new ArgumentException($"CmaEsOptions.StallTolerance = {StallTolerance}: must be non-negative");
        if (!(MinStepSize >= 0)) throw new ArgumentException($"CmaEsOptions.MinStepSize = {MinStepSize}: must be non-negative");
        if (!(BoundPenalty >= 0) || double.IsInfinity(BoundPenalty)) throw new ArgumentException($"CmaEsOptions.BoundPenalty = {BoundPenalty}: must be a non-negative finite number");
    }
}

/// <summary>State of CMA-ES: the search distribution N(m, σ² C) and its evolution paths.</summary>
public sealed class CmaEsState : OptimizerState
{
    internal int N, Lambda, Mu;
    internal double MuEff, Cs, Ds, Cc, C1, CMu, ChiN;
    internal double[] Weights = [];
    /// <summary>Mean m of the search distribution.</summary>
    public double[] Mean { get; internal set; } = [];
    /// <summary>Global step size σ.</summary>
    public double Sigma { get; internal set; }
    /// <summary>Generation within the current restart.</summary>
    public int Generation { get; internal set; }
    /// <summary>Restarts done so far (IPOP).</summary>
    public int RestartCount { get; internal set; }
    internal double[] C = [], B = [], D = [], PathSigma = [], PathC = [];
    internal double[] Z = [], Y = [], X = [], Clipped = [], Values = [], Ranked = [];
    internal int[] Order = [];
    internal double[] Tmp = [], YW = [];
    internal readonly List<double> GenerationBest = [];
    internal long EvaluationsAtDecomposition;
    internal double LastGenerationBest = double.NegativeInfinity;
}

/// <summary>CMA-ES with IPOP restarts, maximising a black-box objective on a box.</summary>
public sealed class CmaEs : IOptimizer<CmaEsState>
{
    private readonly IObjective _objective;
    private readonly CmaEsOptions _o;

    /// <summary>Creates the strategy.</summary>
    /// <exception cref="ArgumentException">Invalid options (named field).</exception>
    public CmaEs(IObjective objective, CmaEsOptions? options = null)
    {
        _objective = objective ?? throw new ArgumentNullException(nameof(objective));
        _o = options ?? new CmaEsOptions();
        _o.Validate();
    }

    /// <inheritdoc/>
    public string Name => "cmaes";

    /// <summary>The default λ for dimension D: 4 + ⌊3 ln D⌋, rounded up to a multiple of 8 (whole SIMD batches).</summary>
    public static int DefaultPopulation(int dimension) => (4 + (int)Math.Floor(3 * Math.Log(dimension)) + 7) / 8 * 8;

    /// <summary>A random mean in the box, σ = σ0, C = I (spends no evaluations).</summary>
    public CmaEsState Init(Rng rng, long budget)
    {
        int n = _objective.Dimension;
        var s = new CmaEsState { Budget = budget, BestPoint = new double[n] };
        int lambda = _o.PopulationSize > 0 ? _o.PopulationSize : DefaultPopulation(n);
        Reset(rng, s, lambda);
        return s;
    }

    /// <summary>(Re)starts the distribution with population λ and the tutorial's default learning rates.</summary>
    private void Reset(Rng rng, CmaEsState s, int lambda)
    {
        int n = _objective.Dimension;
        s.N = n; s.Lambda = lambda; s.Mu = lambda / 2;
        s.Weights = new double[s.Mu];
        double sum = 0, sum2 = 0;
        for (int i = 0; i < s.Mu; i++) { s.Weights[i] = Math.Log((lambda + 1) / 2.0) - Math.Log(i + 1); sum += s.Weights[i]; }
        for (int i = 0; i < s.Mu; i++) { s.Weights[i] /= sum; sum2 += s.Weights[i] * s.Weights[i]; }
        s.MuEff = 1 / sum2;
        // Tutorial eqs. (55)-(58): step-size path rate/damping, covariance path rate, rank-one and rank-μ rates.
        s.Cs = (s.MuEff + 2) / (n + s.MuEff + 5);
        s.Ds = 1 + 2 * Math.Max(0, Math.Sqrt((s.MuEff - 1) / (n + 1)) - 1) + s.Cs;
        s.Cc = (4 + s.MuEff / n) / (n + 4 + 2 * s.MuEff / n);
        s.C1 = 2 / ((n + 1.3) * (n + 1.3) + s.MuEff);
        s.CMu = Math.Min(1 - s.C1, 2 * (s.MuEff - 2 + 1 / s.MuEff) / ((n + 2) * (n + 2) + s.MuEff));
        s.ChiN = Math.Sqrt(n) * (1 - 1.0 / (4 * n) + 1.0 / (21.0 * n * n)); // E‖N(0, I)‖

        s.Mean = new double[n];
        Box.Uniform(rng, s.Mean, _objective.Lower, _objective.Upper);
        s.Sigma = _o.InitialStepSize;
        s.C = new double[n * n]; s.B = new double[n * n]; s.D = new double[n];
        for (int i = 0; i < n; i++) { s.C[i * n + i] = 1; s.B[i * n + i] = 1; s.D[i] = 1; }
        s.PathSigma = new double[n]; s.PathC = new double[n];
        s.Z = new double[lambda * n]; s.Y = new double[lambda * n]; s.X = new double[lambda * n];
        s.Clipped = new double[lambda * n]; s.Values = new double[lambda]; s.Ranked = new double[lambda];
        s.Order = new int[lambda]; s.Tmp = new double[n]; s.YW = new double[n];
        s.Generation = 0;
        s.EvaluationsAtDecomposition = s.Evaluations;
        s.GenerationBest.Clear();
        s.LastGenerationBest = double.NegativeInfinity;
        s.NextStepEvaluations = lambda;
    }

    /// <summary>One generation: sample λ points, rank, update m, σ, C; restart (IPOP) if the run has stalled.</summary>
    public (CmaEsState State, StepInfo Info) Step(Rng rng, CmaEsState s)
    {
        int n = s.N, lambda = s.Lambda;
        Sample(rng, s);
        _objective.Evaluate(s.Clipped, s.Values);
        s.Evaluations += lambda;
        s.ConsiderBatch(s.Clipped, s.Values, n);

        // Rank by penalised value (descending), ties by index for determinism.
        for (int k = 0; k < lambda; k++)
        {
            s.Order[k] = k;
            s.Ranked[k] = s.Values[k] - _o.BoundPenalty * OutsideSquared(s.X.AsSpan(k * n, n), s.Clipped.AsSpan(k * n, n));
        }
        Array.Sort(s.Order, (a, b) => s.Ranked[a] != s.Ranked[b] ? s.Ranked[b].CompareTo(s.Ranked[a]) : a.CompareTo(b));
        int improved = 0;
        for (int k = 0; k < lambda; k++) if (s.Values[k] > s.LastGenerationBest) improved++;
        double genBest = s.Values[s.Order[0]];
        for (int k = 0; k < lambda; k++) genBest = Math.Max(genBest, s.Values[k]);

        double sigmaUsed = s.Sigma;
        Update(s);
        s.Generation++;
        s.LastGenerationBest = genBest;
        s.GenerationBest.Add(genBest);
        double current = s.Values[s.Order[0]];
        if (_o.Restarts && Stalled(s))
        {
            Reset(rng, s, s.Lambda * 2);
            s.RestartCount++;
        }
        return (s, new StepInfo(s.Evaluations, current, s.BestValue, improved, lambda, double.NaN, sigmaUsed));
    }

    /// <summary>z ~ N(0, I), y = B·(D ⊙ z), x = m + σ y, and the clipped copy that gets evaluated.</summary>
    private void Sample(Rng rng, CmaEsState s)
    {
        int n = s.N;
        for (int k = 0; k < s.Lambda; k++)
        {
            Span<double> z = s.Z.AsSpan(k * n, n), y = s.Y.AsSpan(k * n, n);
            for (int j = 0; j < n; j++) z[j] = rng.Normal();
            for (int i = 0; i < n; i++)
            {
                double acc = 0;
                for (int j = 0; j < n; j++) acc += s.B[i * n + j] * s.D[j] * z[j];
                y[i] = acc;
                double x = s.Mean[i] + s.Sigma * acc;
                s.X[k * n + i] = x;
                s.Clipped[k * n + i] = Box.Clip(x, _objective.Lower, _objective.Upper);
            }
        }
    }

    private static double OutsideSquared(ReadOnlySpan<double> x, ReadOnlySpan<double> clipped)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) { double d = x[i] - clipped[i]; s += d * d; }
        return s;
    }

    /// <summary>Tutorial eqs. (41)-(47): mean, evolution paths, σ and C updates, then the eigendecomposition of C.</summary>
    private static void Update(CmaEsState s)
    {
        int n = s.N;
        // y_w = Σ w_i y_{i:λ};  m ← m + σ y_w  (c_m = 1).
        Array.Clear(s.YW);
        for (int i = 0; i < s.Mu; i++)
        {
            ReadOnlySpan<double> y = s.Y.AsSpan(s.Order[i] * n, n);
            for (int j = 0; j < n; j++) s.YW[j] += s.Weights[i] * y[j];
        }
        for (int j = 0; j < n; j++) s.Mean[j] += s.Sigma * s.YW[j];

        // p_σ ← (1 − c_σ) p_σ + √(c_σ(2 − c_σ) μ_eff) · C^{−1/2} y_w, with C^{−1/2} = B D^{−1} Bᵀ.
        for (int k = 0; k < n; k++)
        {
            double acc = 0;
            for (int i = 0; i < n; i++) acc += s.B[i * n + k] * s.YW[i];
            s.Tmp[k] = acc / s.D[k];
        }
        double cs = Math.Sqrt(s.Cs * (2 - s.Cs) * s.MuEff), normPs = 0;
        for (int i = 0; i < n; i++)
        {
            double acc = 0;
            for (int k = 0; k < n; k++) acc += s.B[i * n + k] * s.Tmp[k];
            s.PathSigma[i] = (1 - s.Cs) * s.PathSigma[i] + cs * acc;
            normPs += s.PathSigma[i] * s.PathSigma[i];
        }
        normPs = Math.Sqrt(normPs);

        // h_σ stalls the p_c update while ‖p_σ‖ is large (σ is still growing), eq. (45).
        double hsDenom = Math.Sqrt(1 - Math.Pow(1 - s.Cs, 2 * (s.Generation + 1)));
        bool hs = normPs / hsDenom < (1.4 + 2.0 / (n + 1)) * s.ChiN;
        double cc = Math.Sqrt(s.Cc * (2 - s.Cc) * s.MuEff);
        for (int i = 0; i < n; i++) s.PathC[i] = (1 - s.Cc) * s.PathC[i] + (hs ? cc * s.YW[i] : 0);

        // C ← (1 − c1 − cμ) C + c1 (p_c p_cᵀ + δ(h_σ) C) + cμ Σ w_i y_i y_iᵀ.
        double delta = hs ? 0 : s.Cc * (2 - s.Cc);
        double keep = 1 - s.C1 - s.CMu + s.C1 * delta;
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                double rankMu = 0;
                for (int r = 0; r < s.Mu; r++)
                {
                    int o = s.Order[r] * n;
                    rankMu += s.Weights[r] * s.Y[o + i] * s.Y[o + j];
                }
                double v = keep * s.C[i * n + j] + s.C1 * s.PathC[i] * s.PathC[j] + s.CMu * rankMu;
                s.C[i * n + j] = v;
                s.C[j * n + i] = v;
            }

        // σ ← σ · exp((c_σ/d_σ)(‖p_σ‖/E‖N(0,I)‖ − 1)), eq. (44).
        s.Sigma *= Math.Exp(s.Cs / s.Ds * (normPs / s.ChiN - 1));

        // Lazy eigendecomposition (as Hansen's purecma does): C moves by about (c1 + cμ) per generation, so B and D
        // are refreshed once 0.5·λ/((c1 + cμ)·n) evaluations have passed (every 3 generations at λ = 16, n = 40).
        // The O(n³) decomposition otherwise cost as much as the 16 simulations of a generation.
        double gap = 0.5 * s.Lambda / ((s.C1 + s.CMu) * n);
        if (s.Evaluations - s.EvaluationsAtDecomposition >= gap)
        {
            Decompose(s);
            s.EvaluationsAtDecomposition = s.Evaluations;
        }
    }

    /// <summary>C = B·diag(D²)·Bᵀ (symmetric eigendecomposition; tiny negative eigenvalues from rounding are floored).</summary>
    private static void Decompose(CmaEsState s)
    {
        int n = s.N;
        var c = Matrix<double>.Build.Dense(n, n, (i, j) => s.C[i * n + j]);
        var evd = c.Evd(Symmetricity.Symmetric);
        for (int k = 0; k < n; k++)
        {
            s.D[k] = Math.Sqrt(Math.Max(evd.EigenValues[k].Real, 1e-20));
            for (int i = 0; i < n; i++) s.B[i * n + k] = evd.EigenVectors[i, k];
        }
    }

    /// <summary>IPOP stall tests: σ·max axis tiny, or the generation-best values flat over the recent window.</summary>
    private bool Stalled(CmaEsState s)
    {
        double maxAxis = 0;
        foreach (double d in s.D) maxAxis = Math.Max(maxAxis, d);
        if (s.Sigma * maxAxis < _o.MinStepSize) return true;
        int window = 10 + (int)Math.Ceiling(30.0 * s.N / s.Lambda);
        if (s.GenerationBest.Count < window) return false;
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        for (int g = s.GenerationBest.Count - window; g < s.GenerationBest.Count; g++)
        {
            lo = Math.Min(lo, s.GenerationBest[g]);
            hi = Math.Max(hi, s.GenerationBest[g]);
        }
        return hi - lo < _o.StallTolerance;
    }
}
