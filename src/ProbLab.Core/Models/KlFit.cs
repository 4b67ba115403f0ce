// Forward versus reverse KL (special participation Q2; Bishop PRML §10.1.2, Murphy PML2 §5.1.4): fit one
// Gaussian q = N(m, s²) to a 1-D Gaussian mixture p with the autograd engine and Adam.
//   forward KL(p‖q) = E_p[log p − log q]: minimised by matching p's mean and variance (mass covering);
//     estimated with fresh samples x ~ p each step (the E_p log p term is constant in (m, s)).
//   reverse KL(q‖p) = E_q[log q − log p]: zero-forcing, q settles on one mode (mode seeking); estimated with
//     the reparameterisation x = m + s·ε, where log q(x) = log N(ε; 0, 1) − log s.
// Reported KL values come from quadrature (composite Simpson in double), not from the noisy estimators.
using ProbLab.Nn.Optim;
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Models;

/// <summary>A 1-D Gaussian mixture p(x) = Σ_k w_k N(x; μ_k, σ_k²).</summary>
public sealed record GaussianMixture1D(double[] Weights, double[] Means, double[] Stds)
{
    private const double HalfLog2Pi = 0.91893853320467274178;

    /// <summary>The default bimodal target: ½N(−3, 1) + ½N(3, 1).</summary>
    public static GaussianMixture1D Bimodal(double separation = 6, double std = 1) =>
        new GaussianMixture1D(new[] { 0.5, 0.5 }, new[] { -separation / 2, separation / 2 }, new[] { std, std }).Validate();

    /// <summary>Checks lengths, positive finite weights summing to 1 and positive stds.</summary>
    /// <exception cref="ArgumentException">One-line message naming the component.</exception>
    public GaussianMixture1D Validate()
    {
        if (Weights.Length == 0 || Weights.Length != Means.Length || Weights.Length != Stds.Length)
            throw new ArgumentException($"mixture needs equal, non-zero numbers of weights, means and stds (got {Weights.Length}, {Means.Length}, {Stds.Length})");
        for (int k = 0; k < Weights.Length; k++)
        {
            if (!(Weights[k] > 0) || double.IsInfinity(Weights[k])) throw new ArgumentException($"mixture weight {k} is {Weights[k]}, must be positive");
            if (!(Stds[k] > 0) || double.IsInfinity(Stds[k])) throw new ArgumentException($"mixture std {k} is {Stds[k]}, must be positive");
            if (!double.IsFinite(Means[k])) throw new ArgumentException($"mixture mean {k} is {Means[k]}");
        }
        if (Math.Abs(Weights.Sum() - 1) > 1e-9) throw new ArgumentException($"mixture weights sum to {Weights.Sum()}, not 1");
        return this;
    }

    /// <summary>Mean Σ w_k μ_k.</summary>
    public double Mean => Weights.Select((w, k) => w * Means[k]).Sum();

    /// <summary>Variance Σ w_k (σ_k² + μ_k²) − mean² (law of total variance).</summary>
    public double Variance => Weights.Select((w, k) => w * (Stds[k] * Stds[k] + Means[k] * Means[k])).Sum() - Mean * Mean;

    /// <summary>log p(x), by a stable log-sum-exp over components.</summary>
    public double LogDensity(double x)
    {
        double max = double.NegativeInfinity;
        Span<double> terms = stackalloc double[Weights.Length];
        for (int k = 0; k < terms.Length; k++)
        {
            double u = (x - Means[k]) / Stds[k];
            terms[k] = Math.Log(Weights[k]) - 0.5 * u * u - Math.Log(Stds[k]) - HalfLog2Pi;
            max = Math.Max(max, terms[k]);
        }
        double s = 0;
        foreach (double t in terms) s += Math.Exp(t - max);
        return max + Math.Log(s);
    }

    /// <summary>log p(x) for x (S) as a differentiable engine expression: (S).</summary>
    public Tensor LogDensity(Tensor x)
    {
        int k = Weights.Length, s = x.Size;
        var mu = Tensor.FromArray(Means.Select(v => (float)v).ToArray(), 1, k);
        var invStd = Tensor.FromArray(Stds.Select(v => (float)(1 / v)).ToArray(), 1, k);
        var offset = Tensor.FromArray(Weights.Select((w, j) => (float)(Math.Log(w) - Math.Log(Stds[j]) - HalfLog2Pi)).ToArray(), 1, k);
        var u = (x.Reshape(s, 1) - mu) * invStd;               // (S, K)
        return (u.Square() * -0.5f + offset).LogSumExp(1);      // (S)
    }

    /// <summary><paramref name="n"/> draws from p.</summary>
    public float[] Sample(int n, Rng rng)
    {
        var w = Weights.ToArray();
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            int k = rng.Categorical(w);
            x[i] = (float)rng.Normal(Means[k], Stds[k]);
        }
        return x;
    }
}

/// <summary>Which KL divergence a fit minimises.</summary>
public enum KlDirection
{
    /// <summary>KL(p ‖ q): mass covering, moment matching.</summary>
    Forward,
    /// <summary>KL(q ‖ p): zero forcing, mode seeking.</summary>
    Reverse,
}

/// <summary>Settings of <see cref="KlFit.Fit"/>.</summary>
public sealed record KlFitOptions
{
    /// <summary>Adam steps.</summary>
    public int Steps { get; init; } = 3000;
    /// <summary>Peak Adam learning rate (cosine-decayed to 0 over the run so the noisy estimator settles).</summary>
    public float LearningRate { get; init; } = 0.05f;
    /// <summary>Monte Carlo samples per step.</summary>
    public int Samples { get; init; } = 256;
    /// <summary>Initial mean of q.</summary>
    public double InitMean { get; init; } = 1.0;
    /// <summary>
    /// Initial standard deviation of q. Reverse KL has a third, wide stationary point between the modes
    /// (for ½N(∓3, 1): m = 0, s ≈ 2.73, KL ≈ 0.84 versus log 2 at a mode); a wide start (s ≈ 1 near m = 0) falls into it.
    /// </summary>
    public double InitStd { get; init; } = 0.5;

    /// <summary>Throws if a field is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The message names the field.</exception>
    public KlFitOptions Validate()
    {
        if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "steps must be at least 1");
        if (!(LearningRate > 0) || float.IsInfinity(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "learning rate must be positive");
        if (Samples < 2) throw new ArgumentOutOfRangeException(nameof(Samples), Samples, "samples per step must be at least 2");
        if (!double.IsFinite(InitMean)) throw new ArgumentOutOfRangeException(nameof(InitMean), InitMean, "initial mean must be finite");
        if (!(InitStd > 0) || double.IsInfinity(InitStd)) throw new ArgumentOutOfRangeException(nameof(InitStd), InitStd, "initial std must be positive");
        return this;
    }
}

/// <summary>q's parameters and the stochastic objective estimate at one step.</summary>
public sealed record KlFitStep(int Step, double Mean, double Std, double Estimate);

/// <summary>A fitted Gaussian, both divergences at the fit (by quadrature), and the optimisation trace.</summary>
public sealed record KlFitResult(KlDirection Direction, double Mean, double Std, double ForwardKl, double ReverseKl, IReadOnlyList<KlFitStep> Trace);

/// <summary>Fits N(m, s²) to a mixture by forward or reverse KL with the engine, and evaluates both KLs.</summary>
public static class KlFit
{
    private const double HalfLog2Pi = 0.91893853320467274178;

    /// <summary>Minimises the chosen KL over (m, log s) with Adam; the estimator is described in the file header.</summary>
    public static KlFitResult Fit(GaussianMixture1D target, KlDirection direction, KlFitOptions options, Rng rng)
    {
        target.Validate();
        options.Validate();
        var m = Tensor.FromArray(new[] { (float)options.InitMean }).RequireGrad();
        var logS = Tensor.FromArray(new[] { (float)Math.Log(options.InitStd) }).RequireGrad();
        var opt = new Adam(new[] { ("mean", m), ("log_std", logS) }, options.LearningRate);
        var trace = new List<KlFitStep>();
        int sN = options.Samples;
        // E_p[log p] turns the forward estimator's cross-entropy into a KL estimate (reporting only; no gradient).
        double negEntropy = direction == KlDirection.Forward ? NegEntropy(target) : 0;
        for (int step = 0; step < options.Steps; step++)
        {
            opt.LearningRate = Math.Max(1e-6f, LrSchedule.WarmupCosine(step, options.LearningRate, 0, options.Steps));
            opt.ZeroGrad();
            Tensor loss;
            if (direction == KlDirection.Forward)
            {
                // −E_p[log q(x)] with x ~ p; log q(x) = −½((x − m)/s)² − log s − ½ log 2π.
                var x = new Tensor(target.Sample(sN, rng), sN);
                var u = (x - m) * logS.Neg().Exp();            // (S)
                loss = (u.Square() * 0.5f).Mean() + logS.Sum();
            }
            else
            {
                // E_q[log q(x) − log p(x)], x = m + s·ε: log q = −½ε² − log s − ½ log 2π.
                var eps = Tensor.RandN(rng, new[] { sN });
                var x = m + logS.Exp() * eps;                  // (S)
                loss = (target.LogDensity(x).Mean().Neg() - logS.Sum()) - (float)(HalfLog2Pi + 0.5);
            }
            double value = loss.Item() + (direction == KlDirection.Forward ? HalfLog2Pi + negEntropy : 0);
            trace.Add(new KlFitStep(step, m.Data[0], Math.Exp(logS.Data[0]), value));
            loss.Backward();
            opt.Step();
        }
        double mean = m.Data[0], std = Math.Exp(logS.Data[0]);
        return new KlFitResult(direction, mean, std, ForwardKl(target, mean, std), ReverseKl(target, mean, std), trace);
    }

    /// <summary>KL(p ‖ N(m, s²)) by composite Simpson quadrature over p's effective support.</summary>
    public static double ForwardKl(GaussianMixture1D p, double m, double s)
    {
        var (lo, hi) = Support(p);
        return Simpson(x =>
        {
            double lp = p.LogDensity(x);
            return Math.Exp(lp) * (lp - GaussLog(x, m, s));
        }, lo, hi, 20_000);
    }

    /// <summary>E_p[log p] = −H(p) by quadrature.</summary>
    public static double NegEntropy(GaussianMixture1D p)
    {
        var (lo, hi) = Support(p);
        return Simpson(x =>
        {
            double lp = p.LogDensity(x);
            return Math.Exp(lp) * lp;
        }, lo, hi, 20_000);
    }

    /// <summary>KL(N(m, s²) ‖ p) by composite Simpson quadrature over q's effective support.</summary>
    public static double ReverseKl(GaussianMixture1D p, double m, double s)
    {
        double lo = m - 12 * s, hi = m + 12 * s;
        return Simpson(x =>
        {
            double lq = GaussLog(x, m, s);
            return Math.Exp(lq) * (lq - p.LogDensity(x));
        }, lo, hi, 20_000);
    }

    /// <summary>Density of N(m, s²) at x.</summary>
    public static double GaussPdf(double x, double m, double s) => Math.Exp(GaussLog(x, m, s));

    private static double GaussLog(double x, double m, double s)
    {
        double u = (x - m) / s;
        return -0.5 * u * u - Math.Log(s) - HalfLog2Pi;
    }

    private static (double Lo, double Hi) Support(GaussianMixture1D p)
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        for (int k = 0; k < p.Means.Length; k++)
        {
            lo = Math.Min(lo, p.Means[k] - 12 * p.Stds[k]);
            hi = Math.Max(hi, p.Means[k] + 12 * p.Stds[k]);
        }
        return (lo, hi);
    }

    /// <summary>Composite Simpson's rule with <paramref name="intervals"/> (made even) subintervals on [lo, hi].</summary>
    public static double Simpson(Func<double, double> f, double lo, double hi, int intervals)
    {
        int n = intervals + (intervals & 1);
        double h = (hi - lo) / n, sum = f(lo) + f(hi);
        for (int i = 1; i < n; i++) sum += (i % 2 == 1 ? 4 : 2) * f(lo + i * h);
        return sum * h / 3;
    }
}

/// <summary>Reverse KL of the uniform example when P is smoothed by a floor: P_δ = (1 − δ)·U(0, 1) + δ·U(0, 2).</summary>
public sealed record SmoothedReverseKl(double Delta, double ReverseKl);

/// <summary>Both divergences of the uniform example, computed on a grid, and the smoothed reverse KL sequence.</summary>
public sealed record UniformKlResult(double ForwardKl, double ReverseKl, IReadOnlyList<SmoothedReverseKl> Smoothed);

/// <summary>
/// Q2(a): P = U(0, 1), Q = U(0, 2). KL(P‖Q) = ∫₀¹ 1·log(1/½) dx = log 2 is finite, while KL(Q‖P) includes
/// ∫₁² ½·log(½/0) dx = ∞ because Q puts mass where P has none. Both are computed by the midpoint rule on
/// [0, 2] in IEEE arithmetic (0·log 0 taken as 0; ½·log(½/0) evaluates to +∞), and the smoothed P_δ shows
/// the reverse KL growing like ½ log(1/δ) as the floor δ → 0.
/// </summary>
public static class UniformKlExample
{
    /// <summary>Evaluates the example with <paramref name="cells"/> grid cells on [0, 2].</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 2 cells.</exception>
    public static UniformKlResult Compute(int cells = 200_000)
    {
        if (cells < 2) throw new ArgumentOutOfRangeException(nameof(cells), cells, "need at least 2 grid cells");
        double P(double x) => x >= 0 && x <= 1 ? 1.0 : 0.0;
        static double Q(double x) => x >= 0 && x <= 2 ? 0.5 : 0.0;
        double forward = Midpoint(cells, x => Term(P(x), Q(x)));
        double reverse = Midpoint(cells, x => Term(Q(x), P(x)));
        var smoothed = new List<SmoothedReverseKl>();
        for (int e = 1; e <= 12; e++)
        {
            double delta = Math.Pow(10, -e);
            double Pd(double x) => (1 - delta) * P(x) + delta * Q(x);
            smoothed.Add(new SmoothedReverseKl(delta, Midpoint(cells, x => Term(Q(x), Pd(x)))));
        }
        return new UniformKlResult(forward, reverse, smoothed);

        // Integrand a·log(a/b) of KL(A‖B): 0 where a = 0 (the limit of t·log t), +∞ where a > 0 = b.
        static double Term(double a, double b) => a == 0 ? 0 : a * Math.Log(a / b);
    }

    private static double Midpoint(int cells, Func<double, double> f)
    {
        double h = 2.0 / cells, sum = 0;
        for (int i = 0; i < cells; i++) sum += f((i + 0.5) * h);
        return sum * h;
    }
}
