// Blocked Gibbs sampler for the joint posterior of all skills (and a learned home advantage) given all games,
// static skills: the reference "exact up to Monte Carlo error" answer that EP is checked against. With x the
// vector of D = P (+1) latent variables and a_g the ±1 incidence vector of game g:
//   t_g | x  ~ N(a_gᵀx + h₀, σt²) truncated to the game's outcome interval       (independent over g)
//   x | t    ~ N(Λ⁻¹r, Λ⁻¹),  Λ = Λ₀ + Σ_g a_g a_gᵀ/σt²,  r = Λ₀μ₀ + Σ_g a_g (t_g − h₀)/σt²
// Λ does not depend on t, so its Cholesky factor L (Λ = LLᵀ) is computed once; a sweep solves Ly = r and
// draws x = L⁻ᵀ(y + ξ), ξ ~ N(0, I), which has mean Λ⁻¹r and covariance Λ⁻¹. Cost O(G + D²) per sweep and
// O(D³) once, so it is meant for leagues (D ≤ MaxVariables), not for the 15k-player chess set.
using ProbLab.Data;
using ProbLab.Probabilistic.Distributions;
using ProbLab.Tensors;

namespace ProbLab.Probabilistic.TrueSkill;

/// <summary>Options of the league Gibbs sampler.</summary>
public sealed record GibbsOptions
{
    /// <summary>Sweeps kept after burn-in.</summary>
    public int Samples { get; init; } = 2000;
    /// <summary>Sweeps discarded first.</summary>
    public int BurnIn { get; init; } = 200;
    /// <summary>Keep every sample (D doubles per sweep) in the result.</summary>
    public bool KeepSamples { get; init; } = true;
    /// <summary>Largest number of latent variables allowed (the dense Cholesky is O(D³)).</summary>
    public int MaxVariables { get; init; } = 2000;
}

/// <summary>Result of a league Gibbs run: sample-moment posterior and, optionally, the samples (Samples × D, row-major; column P is h when learned).</summary>
public sealed record GibbsResult(RatingPosterior Posterior, double[]? Samples, int Dimension, int SampleCount);

/// <summary>Blocked Gibbs sampling of all skills jointly (static-skill TrueSkill model).</summary>
public sealed class GibbsSampler : IRatingInference
{
    private readonly TrueSkillModel _model;
    private readonly GibbsOptions _options;
    private readonly Rng _rng;

    /// <summary>Sampler for <paramref name="model"/> (Tau must be 0) drawing from <paramref name="rng"/>.</summary>
    /// <exception cref="ArgumentException">Invalid model/options, or Tau &gt; 0.</exception>
    public GibbsSampler(TrueSkillModel model, Rng rng, GibbsOptions? options = null)
    {
        _model = model.Validate();
        _rng = rng;
        _options = options ?? new GibbsOptions();
        if (model.Tau > 0) throw new ArgumentException($"Gibbs infers static skills: TrueSkill Tau = {model.Tau} must be 0");
        if (_options.Samples < 2) throw new ArgumentException($"Gibbs Samples = {_options.Samples} must be >= 2");
        if (_options.BurnIn < 0) throw new ArgumentException($"Gibbs BurnIn = {_options.BurnIn} must be >= 0");
    }

    /// <summary>Sample-moment marginals.</summary>
    public RatingPosterior Infer(MatchData matches) => Run(matches).Posterior;

    /// <summary>Runs burn-in and sampling sweeps.</summary>
    /// <exception cref="ArgumentException">More latent variables than MaxVariables.</exception>
    public GibbsResult Run(MatchData matches)
    {
        int p = matches.PlayerCount, dim = p + (_model.LearnsHome ? 1 : 0);
        if (dim > _options.MaxVariables)
            throw new ArgumentException($"{matches.Source}: Gibbs over {dim} variables exceeds MaxVariables = {_options.MaxVariables}; use ADF or EP");
        var (games, lo, hi, counts) = UsedGames(matches);
        double q = 1 / _model.NoiseVariance, h0 = _model.LearnsHome ? 0 : _model.HomeMean;

        // Prior precision and shift, then the game terms a aᵀ/σt².
        var lambda = new double[dim * dim];
        var r0 = new double[dim];
        for (int i = 0; i < p; i++) { lambda[i * dim + i] = 1 / (_model.Sigma * _model.Sigma); r0[i] = _model.Mu * lambda[i * dim + i]; }
        if (_model.LearnsHome) { lambda[p * dim + p] = 1 / (_model.HomeSigma * _model.HomeSigma); r0[p] = _model.HomeMean * lambda[p * dim + p]; }
        foreach (int g in games)
        {
            int a = matches.A[g], b = matches.B[g];
            AddOuter(lambda, dim, a, b, _model.LearnsHome ? p : -1, q);
        }
        CholeskyInPlace(lambda, dim, matches.Source);   // lower triangle now holds L

        var x = new double[dim];
        for (int i = 0; i < p; i++) x[i] = _model.Mu;
        if (_model.LearnsHome) x[p] = _model.HomeMean;
        var r = new double[dim];
        int total = _options.BurnIn + _options.Samples;
        var samples = _options.KeepSamples ? new double[_options.Samples * dim] : null;
        var sum = new double[dim]; var sumSq = new double[dim];
        for (int sweep = 0; sweep < total; sweep++)
        {
            Array.Copy(r0, r, dim);
            for (int k = 0; k < games.Length; k++)
            {
                int g = games[k], a = matches.A[g], b = matches.B[g];
                double mean = x[a] - x[b] + (_model.LearnsHome ? x[p] : h0);
                double t = mean + _model.SigmaT * TruncatedNormalSampler.SampleBetween(_rng, (lo[k] - mean) / _model.SigmaT, (hi[k] - mean) / _model.SigmaT);
                double c = (t - h0) * q;
                r[a] += c; r[b] -= c;
                if (_model.LearnsHome) r[p] += c;
            }
            DrawGaussian(lambda, dim, r, x);
            if (sweep < _options.BurnIn) continue;
            int s = sweep - _options.BurnIn;
            for (int i = 0; i < dim; i++)
            {
                double d = x[i] - _model.Mu;   // shifted sums: no cancellation for means far from 0
                sum[i] += d; sumSq[i] += d * d;
            }
            if (samples is not null) Array.Copy(x, 0, samples, s * dim, dim);
        }
        int n = _options.Samples;
        var meanOut = new double[p]; var varOut = new double[p];
        for (int i = 0; i < p; i++) { double m = sum[i] / n; meanOut[i] = _model.Mu + m; varOut[i] = (sumSq[i] - n * m * m) / (n - 1); }
        var home = _model.HomePrior;
        if (_model.LearnsHome)
        {
            double m = sum[p] / n;
            home = Gaussian.FromMeanAndVariance(_model.Mu + m, (sumSq[p] - n * m * m) / (n - 1));
        }
        return new GibbsResult(new RatingPosterior("Gibbs", matches.Names, meanOut, varOut, counts, home), samples, dim, n);
    }

    private (int[] Games, double[] Lo, double[] Hi, int[] Counts) UsedGames(MatchData matches)
    {
        var games = new List<int>(); var lo = new List<double>(); var hi = new List<double>();
        var counts = new int[matches.PlayerCount];
        for (int g = 0; g < matches.Count; g++)
        {
            if (!_model.TryOutcomeInterval(matches[g], out double l, out double h)) continue;
            games.Add(g); lo.Add(l); hi.Add(h);
            counts[matches.A[g]]++; counts[matches.B[g]]++;
        }
        return (games.ToArray(), lo.ToArray(), hi.ToArray(), counts);
    }

    // Λ += q·a aᵀ for a = e_A − e_B (+ e_H); only the lower triangle is read later, but both are kept symmetric.
    private static void AddOuter(double[] m, int dim, int a, int b, int h, double q)
    {
        Span<int> idx = [a, b, h];
        Span<double> sgn = [1, -1, 1];
        int k = h >= 0 ? 3 : 2;
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
                m[idx[i] * dim + idx[j]] += q * sgn[i] * sgn[j];
    }

    /// <summary>Overwrites the lower triangle of the symmetric positive-definite <paramref name="m"/> (dim × dim) with its Cholesky factor.</summary>
    internal static void CholeskyInPlace(double[] m, int dim, string source)
    {
        for (int j = 0; j < dim; j++)
        {
            double d = m[j * dim + j];
            for (int k = 0; k < j; k++) d -= m[j * dim + k] * m[j * dim + k];
            if (!(d > 0)) throw new InvalidOperationException($"{source}: Gibbs precision matrix is not positive definite at row {j}");
            double ljj = Math.Sqrt(d);
            m[j * dim + j] = ljj;
            for (int i = j + 1; i < dim; i++)
            {
                double s = m[i * dim + j];
                for (int k = 0; k < j; k++) s -= m[i * dim + k] * m[j * dim + k];
                m[i * dim + j] = s / ljj;
            }
        }
    }

    // x ~ N(Λ⁻¹r, Λ⁻¹) given L: forward-solve L y = r, add ξ, back-solve Lᵀ x = y + ξ.
    private void DrawGaussian(double[] l, int dim, double[] r, double[] x)
    {
        for (int i = 0; i < dim; i++)
        {
            double s = r[i];
            for (int k = 0; k < i; k++) s -= l[i * dim + k] * x[k];
            x[i] = s / l[i * dim + i];
        }
        for (int i = 0; i < dim; i++) x[i] += Ziggurat.Normal(_rng);
        for (int i = dim - 1; i >= 0; i--)
        {
            double s = x[i];
            for (int k = i + 1; k < dim; k++) s -= l[k * dim + i] * x[k];
            x[i] = s / l[i * dim + i];
        }
    }
}
