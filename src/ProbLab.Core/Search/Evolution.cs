// A (μ + λ) evolutionary algorithm: tournament selection of parents, crossover (two-point or uniform),
// Gaussian mutation of a random subset of genes with a scale that shrinks over the budget, clipping into
// the box, and plus-selection (the best μ of parents ∪ offspring survive, so the best never gets lost).
using ProbLab.Tensors;

namespace ProbLab.Search;

/// <summary>How two parents are recombined.</summary>
public enum CrossoverKind
{
    /// <summary>Child = parent A with the genes between two random cut points taken from parent B (keeps runs of genes together).</summary>
    TwoPoint,
    /// <summary>Each gene from either parent with probability 1/2.</summary>
    Uniform,
}

/// <summary>Options for <see cref="EvolutionaryAlgorithm"/>; the defaults are the ones tuned for the QWOP walker (see <see cref="QwopSearch"/>).</summary>
public sealed record EvolutionOptions
{
    /// <summary>Population size μ (parents kept each generation).</summary>
    public int Population { get; init; } = 128;
    /// <summary>Offspring λ per generation (a multiple of 8 fills the SIMD batches).</summary>
    public int Offspring { get; init; } = 64;
    /// <summary>Tournament size for parent selection (larger = greedier).</summary>
    public int TournamentSize { get; init; } = 3;
    /// <summary>Probability that a child is a crossover of two parents rather than a copy of one.</summary>
    public double CrossoverRate { get; init; } = 0.7;
    /// <summary>Crossover operator.</summary>
    public CrossoverKind Crossover { get; init; } = CrossoverKind.TwoPoint;
    /// <summary>Probability that a gene is mutated.</summary>
    public double MutationRate { get; init; } = 0.3;
    /// <summary>Mutation σ at the start of the run.</summary>
    public double InitialStepSize { get; init; } = 0.3;
    /// <summary>Mutation σ at the end of the run (geometric in progress).</summary>
    public double FinalStepSize { get; init; } = 0.02;

    /// <summary>Throws ArgumentException naming the first invalid field.</summary>
    public void Validate()
    {
        if (Population < 2) throw new ArgumentException($"EvolutionOptions.Population = {Population}: must be at least 2");
        if (Offspring < 1) throw new ArgumentException($"EvolutionOptions.Offspring = {Offspring}: must be at least 1");
        if (TournamentSize < 1 || TournamentSize > Population) throw new ArgumentException($"EvolutionOptions.TournamentSize = {TournamentSize}: must be in [1, Population]");
        if (!(CrossoverRate >= 0 && CrossoverRate <= 1)) throw new ArgumentException($"EvolutionOptions.CrossoverRate = {CrossoverRate}: must be in [0, 1]");
        if (!(MutationRate >= 0 && MutationRate <= 1)) throw new ArgumentException($"EvolutionOptions.MutationRate = {MutationRate}: must be in [0, 1]");
        if (!(InitialStepSize > 0) || double.IsInfinity(InitialStepSize)) throw new ArgumentException($"EvolutionOptions.InitialStepSize = {InitialStepSize}: must be a positive finite number");
        if (!(FinalStepSize > 0) || double.IsInfinity(FinalStepSize)) throw new ArgumentException($"EvolutionOptions.FinalStepSize = {FinalStepSize}: must be a positive finite number");
        if (!Enum.IsDefined(Crossover)) throw new ArgumentException($"EvolutionOptions.Crossover = {Crossover}: unknown operator");
    }

    /// <summary>Mutation σ at progress p ∈ [0, 1].</summary>
    public double StepSize(double p) => InitialStepSize * Math.Pow(FinalStepSize / InitialStepSize, p);
}

/// <summary>State of the evolutionary algorithm: the population (μ, D) and its fitness.</summary>
public sealed class PopulationState : OptimizerState
{
    /// <summary>Current population, (μ, D) row-major.</summary>
    public required double[] Population { get; init; }
    /// <summary>Fitness of each member.</summary>
    public required double[] Fitness { get; init; }
    internal double[] Children { get; init; } = [];
    internal double[] ChildFitness { get; init; } = [];
    internal double[] MergeKeys { get; init; } = [];
    internal int[] MergeOrder { get; init; } = [];
    internal double[] NextPopulation { get; init; } = [];
    internal double[] NextFitness { get; init; } = [];
}

/// <summary>(μ + λ) evolutionary algorithm with tournament selection, crossover and Gaussian mutation.</summary>
public sealed class EvolutionaryAlgorithm : IOptimizer<PopulationState>
{
    private readonly IObjective _objective;
    private readonly EvolutionOptions _o;

    /// <summary>Creates the algorithm.</summary>
    /// <exception cref="ArgumentException">Invalid options (named field).</exception>
    public EvolutionaryAlgorithm(IObjective objective, EvolutionOptions? options = null)
    {
        _objective = objective ?? throw new ArgumentNullException(nameof(objective));
        _o = options ?? new EvolutionOptions();
        _o.Validate();
    }

    /// <inheritdoc/>
    public string Name => "evolve";

    /// <summary>A uniform random population (spends μ evaluations).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The budget cannot pay for the first population.</exception>
    public PopulationState Init(Rng rng, long budget)
    {
        int mu = _o.Population, lam = _o.Offspring, d = _objective.Dimension;
        if (budget < mu) throw new ArgumentOutOfRangeException(nameof(budget), budget, $"budget must cover the initial population of {mu}");
        var s = new PopulationState
        {
            Budget = budget, BestPoint = new double[d],
            Population = new double[mu * d], Fitness = new double[mu],
            Children = new double[lam * d], ChildFitness = new double[lam],
            MergeKeys = new double[mu + lam], MergeOrder = new int[mu + lam],
            NextPopulation = new double[mu * d], NextFitness = new double[mu],
        };
        Box.Uniform(rng, s.Population, _objective.Lower, _objective.Upper);
        _objective.Evaluate(s.Population, s.Fitness);
        s.Evaluations = mu;
        s.NextStepEvaluations = lam;
        s.ConsiderBatch(s.Population, s.Fitness, d);
        return s;
    }

    /// <summary>One generation: λ children (select, recombine, mutate), evaluated as a batch, then the best μ of all survive.</summary>
    public (PopulationState State, StepInfo Info) Step(Rng rng, PopulationState s)
    {
        int mu = _o.Population, lam = _o.Offspring, d = _objective.Dimension;
        double sigma = _o.StepSize(s.Progress);
        for (int c = 0; c < lam; c++)
            MakeChild(rng, s, s.Children.AsSpan(c * d, d), sigma);
        _objective.Evaluate(s.Children, s.ChildFitness);
        s.Evaluations += lam;
        s.ConsiderBatch(s.Children, s.ChildFitness, d);
        int survivors = Merge(s);
        double mean = 0;
        foreach (double f in s.Fitness) mean += f;
        return (s, new StepInfo(s.Evaluations, mean / mu, s.BestValue, survivors, lam, double.NaN, sigma));
    }

    private void MakeChild(Rng rng, PopulationState s, Span<double> child, double sigma)
    {
        int d = _objective.Dimension;
        ReadOnlySpan<double> a = s.Population.AsSpan(Tournament(rng, s) * d, d);
        a.CopyTo(child);
        if (rng.NextDouble() < _o.CrossoverRate)
        {
            ReadOnlySpan<double> b = s.Population.AsSpan(Tournament(rng, s) * d, d);
            if (_o.Crossover == CrossoverKind.TwoPoint)
            {
                int i = rng.NextInt(d + 1), j = rng.NextInt(d + 1);
                if (i > j) (i, j) = (j, i);
                b[i..j].CopyTo(child[i..j]);
            }
            else
            {
                for (int g = 0; g < d; g++) if (rng.NextDouble() < 0.5) child[g] = b[g];
            }
        }
        for (int g = 0; g < d; g++)
            if (rng.NextDouble() < _o.MutationRate)
                child[g] = Box.Clip(child[g] + sigma * rng.Normal(), _objective.Lower, _objective.Upper);
    }

    /// <summary>Index of the fittest of TournamentSize members drawn with replacement.</summary>
    private int Tournament(Rng rng, PopulationState s)
    {
        int best = rng.NextInt(_o.Population);
        for (int t = 1; t < _o.TournamentSize; t++)
        {
            int c = rng.NextInt(_o.Population);
            if (s.Fitness[c] > s.Fitness[best]) best = c;
        }
        return best;
    }

    /// <summary>Plus-selection: keeps the μ best of parents ∪ children (parents win ties); returns how many children survived.</summary>
    private int Merge(PopulationState s)
    {
        int mu = _o.Population, lam = _o.Offspring, d = _objective.Dimension;
        for (int i = 0; i < mu + lam; i++)
        {
            s.MergeOrder[i] = i;
            s.MergeKeys[i] = -(i < mu ? s.Fitness[i] : s.ChildFitness[i - mu]);
        }
        // Stable order: sort by (−fitness, index) so that the result never depends on the sort's tie handling.
        Array.Sort(s.MergeOrder, (x, y) => s.MergeKeys[x] != s.MergeKeys[y] ? s.MergeKeys[x].CompareTo(s.MergeKeys[y]) : x.CompareTo(y));
        int survivors = 0;
        for (int r = 0; r < mu; r++)
        {
            int i = s.MergeOrder[r];
            ReadOnlySpan<double> src = i < mu ? s.Population.AsSpan(i * d, d) : s.Children.AsSpan((i - mu) * d, d);
            src.CopyTo(s.NextPopulation.AsSpan(r * d, d));
            s.NextFitness[r] = -s.MergeKeys[i];
            if (i >= mu) survivors++;
        }
        s.NextPopulation.CopyTo(s.Population, 0);
        s.NextFitness.CopyTo(s.Fitness, 0);
        return survivors;
    }
}
