// Simulated annealing (Kirkpatrick et al. 1983): Metropolis moves whose temperature T = 1/β falls from
// T0 to T1 over the evaluation budget, so the chains explore early and settle into a (good) local maximum
// late. The proposal scale σ shrinks along with T (large jumps are only useful while hot).
namespace ProbLab.Search;

/// <summary>How the temperature moves from its initial to its final value over the run.</summary>
public enum CoolingSchedule
{
    /// <summary>T(p) = T0 · (T1/T0)^p: equal ratios per unit of progress (the classic exponential cooling).</summary>
    Geometric,
    /// <summary>T(p) = T0 + (T1 − T0) · p.</summary>
    Linear,
}

/// <summary>Options for <see cref="SimulatedAnnealing"/>; the defaults are the ones tuned for the QWOP walker (see <see cref="QwopSearch"/>).</summary>
public sealed record AnnealingOptions
{
    /// <summary>Temperature at the start (1/β).</summary>
    public double InitialTemperature { get; init; } = 0.3;
    /// <summary>Temperature at the end of the budget.</summary>
    public double FinalTemperature { get; init; } = 0.001;
    /// <summary>Cooling schedule between the two temperatures.</summary>
    public CoolingSchedule Schedule { get; init; } = CoolingSchedule.Geometric;
    /// <summary>Proposal σ at the start.</summary>
    public double InitialStepSize { get; init; } = 0.3;
    /// <summary>Proposal σ at the end (geometric in progress).</summary>
    public double FinalStepSize { get; init; } = 0.02;
    /// <summary>Independent chains advanced together.</summary>
    public int Chains { get; init; } = 8;
    /// <summary>Coordinates perturbed per proposal, chosen at random (0 = all of them).</summary>
    public int Coordinates { get; init; } = 4;

    /// <summary>Throws ArgumentException naming the first invalid field.</summary>
    public void Validate()
    {
        Positive(InitialTemperature, nameof(InitialTemperature));
        Positive(FinalTemperature, nameof(FinalTemperature));
        Positive(InitialStepSize, nameof(InitialStepSize));
        Positive(FinalStepSize, nameof(FinalStepSize));
        if (Chains < 1) throw new ArgumentException($"AnnealingOptions.Chains = {Chains}: must be at least 1");
        if (Coordinates < 0) throw new ArgumentException($"AnnealingOptions.Coordinates = {Coordinates}: must be 0 (all) or positive");
        if (!Enum.IsDefined(Schedule)) throw new ArgumentException($"AnnealingOptions.Schedule = {Schedule}: unknown schedule");
    }

    private static void Positive(double v, string name)
    {
        if (!(v > 0) || double.IsInfinity(v)) throw new ArgumentException($"AnnealingOptions.{name} = {v}: must be a positive finite number");
    }

    /// <summary>The temperature at progress p ∈ [0, 1].</summary>
    public double Temperature(double p) => Schedule switch
    {
        CoolingSchedule.Linear => InitialTemperature + (FinalTemperature - InitialTemperature) * p,
        _ => InitialTemperature * Math.Pow(FinalTemperature / InitialTemperature, p),
    };

    /// <summary>The proposal σ at progress p ∈ [0, 1] (geometric interpolation).</summary>
    public double StepSize(double p) => InitialStepSize * Math.Pow(FinalStepSize / InitialStepSize, p);
}

/// <summary>Simulated annealing: Metropolis chains with a cooling temperature and a shrinking proposal.</summary>
public sealed class SimulatedAnnealing : ChainSampler
{
    private readonly AnnealingOptions _options;

    /// <summary>Creates the annealer.</summary>
    /// <exception cref="ArgumentException">Invalid options (named field).</exception>
    public SimulatedAnnealing(IObjective objective, AnnealingOptions? options = null)
        : base(objective, (options ??= new AnnealingOptions()).Chains, options.Coordinates)
    {
        options.Validate();
        _options = options;
    }

    /// <inheritdoc/>
    public override string Name => "anneal";
    /// <inheritdoc/>
    protected override double Beta(double progress) => 1 / _options.Temperature(progress);
    /// <inheritdoc/>
    protected override double StepSize(double progress) => _options.StepSize(progress);
}
