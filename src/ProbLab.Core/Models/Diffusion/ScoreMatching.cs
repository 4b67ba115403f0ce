// Score-matching objectives for s_θ(x, t) over the VP-SDE marginals, with a per-time weight λ(t):
//   Hyvärinen (implicit score matching, Hyvärinen 2005):  J(θ) = E_t E_{x ~ p_t} λ(t) [½‖s_θ‖² + ∇·s_θ].
//     Integration by parts gives J = ½E‖s_θ − ∇log p‖² − ½E‖∇log p‖², so its optimum is the negative
//     constant −½E λ‖∇log p_t‖² and J < 0 once s_θ explains part of the score. The divergence is exact
//     (forward-mode tangents, ScoreNet.ForwardWithDivergence), not a Hutchinson estimate.
//   Denoising (Vincent 2011):  E λ(t) ½‖s_θ(x_t) + ε/σ(t)‖² with x_t = √ᾱ x0 + σ ε; with λ = σ² this is
//     the ε-prediction loss ½‖σ s_θ + ε‖² (Ho et al. 2020). Same minimiser, ∇ log p_t.
// Times: k uniform on {1..K}, t = k/K (the exam's choice).
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Models.Diffusion;

/// <summary>Which score-matching objective to minimise.</summary>
public enum ScoreObjective
{
    /// <summary>Hyvärinen's implicit score matching with the exact divergence.</summary>
    Hyvarinen,
    /// <summary>Denoising score matching against −ε/σ(t).</summary>
    Denoising,
}

/// <summary>Weight λ(t) of each time in the objective.</summary>
public enum ScoreWeighting
{
    /// <summary>λ = 1 (the exam's plain objective).</summary>
    None,
    /// <summary>λ = σ(t)² = 1 − ᾱ(t) (Song et al. 2021's likelihood-free choice; tames small t).</summary>
    NoiseVariance,
}

/// <summary>Score-matching losses on one batch.</summary>
public static class ScoreMatching
{
    /// <summary>Uniform k ∈ {1..K} per row, returned as times t = k/K.</summary>
    public static double[] SampleTimes(VpSde sde, int n, Rng rng)
    {
        var t = new double[n];
        for (int i = 0; i < n; i++) t[i] = sde.Time(1 + rng.NextInt(sde.Steps));
        return t;
    }

    /// <summary>λ(t_i) per row.</summary>
    public static double[] Weights(VpSde sde, double[] t, ScoreWeighting weighting)
    {
        var w = new double[t.Length];
        for (int i = 0; i < t.Length; i++)
            w[i] = weighting == ScoreWeighting.None ? 1.0 : -double.ExpM1(-sde.BetaIntegral(t[i]));
        return w;
    }

    /// <summary>Per-row Hyvärinen terms ½‖s_θ(x_t)‖² + ∇·s_θ(x_t) (N), differentiable.</summary>
    public static Tensor HyvarinenTerms(ScoreNet net, Tensor xt, double[] t, int[]? labels = null)
    {
        var (s, div) = net.ForwardWithDivergence(xt, t, labels);
        return s.Square().Sum(1).Mul(0.5f).Add(div);
    }

    /// <summary>mean_i λ_i [½‖s_θ(x_t,i)‖² + ∇·s_θ(x_t,i)] for noisy inputs x_t (N, D) at times t.</summary>
    public static Tensor HyvarinenLoss(ScoreNet net, Tensor xt, double[] t, double[] weights, int[]? labels = null) =>
        WeightedMean(HyvarinenTerms(net, xt, t, labels), weights);

    /// <summary>mean_i λ_i ½‖s_θ(x_t,i) + ε_i/σ(t_i)‖² for x_t = √ᾱ x0 + σ ε (N, D).</summary>
    public static Tensor DenoisingLoss(ScoreNet net, VpSde sde, Tensor xt, Tensor noise, double[] t, double[] weights, int[]? labels = null)
    {
        int n = xt.Shape[0];
        var s = net.Forward(xt, t, labels);
        var invSigma = Tensor.Zeros(n, 1);
        for (int i = 0; i < n; i++) invSigma.Data[i] = (float)(1.0 / sde.Sigma(t[i]));
        var r = s.Add(noise.Mul(invSigma));                                                // s + ε/σ  (N, D)
        return WeightedMean(r.Square().Sum(1).Mul(0.5f), weights);
    }

    /// <summary>The objective's value at the true score: −½ mean_i λ_i ‖s*(x_i)‖² (the optimum, for Hyvärinen).</summary>
    public static double HyvarinenOptimum(Tensor trueScore, double[] weights)
    {
        int n = trueScore.Shape[0], d = trueScore.Shape[1];
        double acc = 0;
        for (int i = 0; i < n; i++)
        {
            double sq = 0;
            for (int j = 0; j < d; j++) sq += (double)trueScore.Data[i * d + j] * trueScore.Data[i * d + j];
            acc += weights[i] * sq;
        }
        return -0.5 * acc / n;
    }

    /// <summary>Weighted Fisher divergence ½ mean_i λ_i ‖s(x_i) − s*(x_i)‖² between two score evaluations (N, D).</summary>
    public static double FisherDivergence(Tensor score, Tensor trueScore, double[] weights)
    {
        int n = score.Shape[0], d = score.Shape[1];
        double acc = 0;
        for (int i = 0; i < n; i++)
        {
            double sq = 0;
            for (int j = 0; j < d; j++)
            {
                double e = (double)score.Data[i * d + j] - trueScore.Data[i * d + j];
                sq += e * e;
            }
            acc += weights[i] * sq;
        }
        return 0.5 * acc / n;
    }

    private static Tensor WeightedMean(Tensor perRow, double[] weights)
    {
        int n = perRow.Size;
        if (weights.Length != n) throw new ArgumentException($"{weights.Length} weights for {n} rows");
        var w = Tensor.Zeros(n);
        for (int i = 0; i < n; i++) w.Data[i] = (float)(weights[i] / n);
        return perRow.Mul(w).Sum();
    }
}
