// Metropolis MCMC on π(x) ∝ exp(β f(x)) over the box, with Gaussian random-walk proposals (on all
// coordinates, or on k random ones) reflected at the walls: a symmetric proposal, so the acceptance is
// min(1, exp(β (f(y) − f(x)))) (Metropolis et al. 1953). Several independent
// chains advance in lock-step so one step is one SIMD batch of the simulator. ChainSampler is shared with
// simulated annealing, which differs only in making β and σ functions of the progress through the budget.
using ProbLab.Tensors;

namespace ProbLab.Search;

/// <summary>Options for <see cref="MetropolisSampler"/>; the defaults are the ones tuned for the QWOP walker (see <see cref="QwopSearch"/>).</summary>
public sealed record MetropolisOptions
{
    /// <summary>Inverse temperature β of the target exp(β f).</summary>
    public double Beta { get; init; } = 30;
    /// <summary>Proposal standard deviation σ per coordinate.</summary>
    public double StepSize { get; init; } = 0.2;
    /// <summary>Independent chains advanced together (8 fills one AVX-512 batch).</summary>
    public int Chains { get; init; } = 8;
    /// <summary>Coordinates perturbed per proposal, chosen at random (0 = all of them).</summary>
    public int Coordinates { get; init; } = 4;

    /// <summary>Throws ArgumentException naming the first invalid field.</summary>
    public void Validate()
    {
        if (Coordinates < 0) throw new ArgumentException($"MetropolisOptions.Coordinates = {Coordinates}: must be 0 (all) or positive");
        if (!(Beta > 0) || double.IsInfinity(Beta)) throw new ArgumentException($"MetropolisOptions.Beta = {Beta}: must be a positive finite number");
        if (!(StepSize > 0) || double.IsInfinity(StepSize)) throw new ArgumentException($"MetropolisOptions.StepSize = {StepSize}: must be a positive finite number");
        if (Chains < 1) throw new ArgumentException($"MetropolisOptions.Chains = {Chains}: must be at least 1");
    }
}

/// <summary>State of a set of Metropolis chains: positions (Chains, D) and their values.</summary>
public sealed class ChainState : OptimizerState
{
    /// <summary>Chain positions, (Chains, D) row-major.</summary>
    public required double[] Positions { get; init; }
    /// <summary>Objective value at each chain's position.</summary>
    public required double[] Values { get; init; }
    internal double[] Proposals { get; init; } = [];
    internal double[] ProposalValues { get; init; } = [];
}

/// <summary>Gaussian random-walk Metropolis chains with β(progress) and σ(progress) supplied by the subclass.</summary>
public abstract class ChainSampler : IOptimizer<ChainState>
{
    private readonly IObjective _objective;
    private readonly int _chains, _coordinates;

    /// <summary>Creates a sampler of <paramref name="chains"/> chains on <paramref name="objective"/>, each proposal moving
    /// <paramref name="coordinates"/> random coordinates (0 or ≥ D: all).</summary>
    protected ChainSampler(IObjective objective, int chains, int coordinates)
    {
        _objective = objective ?? throw new ArgumentNullException(nameof(objective));
        _chains = chains;
        _coordinates = coordinates <= 0 || coordinates >= objective.Dimension ? objective.Dimension : coordinates;
    }

    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <summary>Inverse temperature at a progress in [0, 1].</summary>
    protected abstract double Beta(double progress);
    /// <summary>Proposal standard deviation at a progress in [0, 1].</summary>
    protected abstract double StepSize(double progress);

    /// <summary>Uniform random starting points, one per chain (spends Chains evaluations).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The budget cannot pay for the starting points.</exception>
    public ChainState Init(Rng rng, long budget)
    {
        if (budget < _chains) throw new ArgumentOutOfRangeException(nameof(budget), budget, $"budget must cover the {_chains} starting points");
        int d = _objective.Dimension;
        var s = new ChainState
        {
            Budget = budget, BestPoint = new double[d],
            Positions = new double[_chains * d], Values = new double[_chains],
            Proposals = new double[_chains * d], ProposalValues = new double[_chains],
        };
        Box.Uniform(rng, s.Positions, _objective.Lower, _objective.Upper);
        _objective.Evaluate(s.Positions, s.Values);
        s.Evaluations = _chains;
        s.NextStepEvaluations = _chains;
        s.ConsiderBatch(s.Positions, s.Values, d);
        return s;
    }

    /// <summary>One proposal per chain, evaluated as one batch; each accepted with probability min(1, exp(β Δf)).</summary>
    public (ChainState State, StepInfo Info) Step(Rng rng, ChainState s)
    {
        int d = _objective.Dimension;
        double beta = Beta(s.Progress), sigma = StepSize(s.Progress);
        double lo = _objective.Lower, hi = _objective.Upper;
        if (_coordinates == d)
        {
            for (int i = 0; i < s.Proposals.Length; i++)
                s.Proposals[i] = Box.Reflect(s.Positions[i] + sigma * rng.Normal(), lo, hi);
        }
        else
        {
            // Move k coordinates drawn uniformly (with replacement: still a symmetric proposal).
            s.Positions.CopyTo(s.Proposals, 0);
            for (int c = 0; c < _chains; c++)
                for (int m = 0; m < _coordinates; m++)
                {
                    int i = c * d + rng.NextInt(d);
                    s.Proposals[i] = Box.Reflect(s.Proposals[i] + sigma * rng.Normal(), lo, hi);
                }
        }
        _objective.Evaluate(s.Proposals, s.ProposalValues);
        s.Evaluations += _chains;

        int accepted = 0;
        double current = 0;
        for (int c = 0; c < _chains; c++)
        {
            double delta = s.ProposalValues[c] - s.Values[c];
            double u = rng.NextDouble(); // drawn for every chain so streams do not depend on outcomes
            if (delta >= 0 || u < Math.Exp(beta * delta))
            {
                s.Proposals.AsSpan(c * d, d).CopyTo(s.Positions.AsSpan(c * d, d));
                s.Values[c] = s.ProposalValues[c];
                accepted++;
            }
            current += s.Values[c];
        }
        s.ConsiderBatch(s.Proposals, s.ProposalValues, d);
        return (s, new StepInfo(s.Evaluations, current / _chains, s.BestValue, accepted, _chains, 1 / beta, sigma));
    }
}

/// <summary>Metropolis MCMC with a fixed inverse temperature β and fixed Gaussian proposal scale.</summary>
public sealed class MetropolisSampler : ChainSampler
{
    private readonly MetropolisOptions _options;

    /// <summary>Creates the sampler.</summary>
    /// <exception cref="ArgumentException">Invalid options (named field).</exception>
    public MetropolisSampler(IObjective objective, MetropolisOptions? options = null)
        : base(objective, (options ??= new MetropolisOptions()).Chains, options.Coordinates)
    {
        options.Validate();
        _options = options;
    }

    /// <inheritdoc/>
    public override string Name => "mcmc";
    /// <inheritdoc/>
    protected override double Beta(double progress) => _options.Beta;
    /// <inheritdoc/>
    protected override double StepSize(double progress) => _options.StepSize;
}
