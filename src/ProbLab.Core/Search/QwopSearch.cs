// QwopSearch: one entry point for "maximise the QWOP distance with method M, budget N, seed S", with the
// defaults documented (and tuned) per method, plus optional parallel restarts that split the budget. Each
// restart gets its own Rng split from the seed up front, so results do not depend on the thread count.
using ProbLab.Kernels;
using ProbLab.Tensors;

namespace ProbLab.Search;

/// <summary>The black-box optimisers available for the QWOP walker.</summary>
public enum SearchMethod
{
    /// <summary>Metropolis MCMC at a fixed inverse temperature.</summary>
    Mcmc,
    /// <summary>Simulated annealing with a cooling schedule.</summary>
    Anneal,
    /// <summary>(μ + λ) evolutionary algorithm.</summary>
    Evolve,
    /// <summary>CMA-ES with IPOP restarts.</summary>
    CmaEs,
}

/// <summary>Everything a QWOP search run needs; the defaults are the tuned ones (see <see cref="QwopSearch"/>).</summary>
public sealed record QwopSearchOptions
{
    /// <summary>Which optimiser.</summary>
    public SearchMethod Method { get; init; } = SearchMethod.CmaEs;
    /// <summary>Total simulator evaluations (the same budget for every method).</summary>
    public long Evaluations { get; init; } = QwopSearch.DefaultEvaluations;
    /// <summary>Seed of the run's Rng.</summary>
    public long Seed { get; init; }
    /// <summary>Independent restarts sharing the budget equally, run in parallel (up to Parallelism.MaxThreads).</summary>
    public int Restarts { get; init; } = 1;
    /// <summary>About how many trace rows to record.</summary>
    public int TracePoints { get; init; } = 200;
    /// <summary>Metropolis settings.</summary>
    public MetropolisOptions Mcmc { get; init; } = QwopSearch.DefaultMcmc;
    /// <summary>Annealing settings.</summary>
    public AnnealingOptions Anneal { get; init; } = QwopSearch.DefaultAnneal;
    /// <summary>Evolutionary algorithm settings.</summary>
    public EvolutionOptions Evolve { get; init; } = QwopSearch.DefaultEvolve;
    /// <summary>CMA-ES settings.</summary>
    public CmaEsOptions CmaEs { get; init; } = QwopSearch.DefaultCmaEs;
    /// <summary>Optional progress callback: evaluations spent since its previous call (about TracePoints calls per run;
    /// parallel restarts and comparisons call it from several threads at once).</summary>
    public Action<long>? Progress { get; init; }
    /// <summary>Stops the run (OperationCanceledException) at the next trace row.</summary>
    public CancellationToken Cancel { get; init; }

    /// <summary>Throws ArgumentException naming the first invalid field (including the chosen method's options).</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Method)) throw new ArgumentException($"QwopSearchOptions.Method = {Method}: unknown method");
        if (Evaluations < 1) throw new ArgumentException($"QwopSearchOptions.Evaluations = {Evaluations}: must be at least 1");
        if (Restarts < 1) throw new ArgumentException($"QwopSearchOptions.Restarts = {Restarts}: must be at least 1");
        if (TracePoints < 1) throw new ArgumentException($"QwopSearchOptions.TracePoints = {TracePoints}: must be at least 1");
        switch (Method)
        {
            case SearchMethod.Mcmc: Mcmc.Validate(); break;
            case SearchMethod.Anneal: Anneal.Validate(); break;
            case SearchMethod.Evolve: Evolve.Validate(); break;
            default: CmaEs.Validate(); break;
        }
    }
}

/// <summary>Runs the QWOP search with any method; holds the documented defaults.</summary>
public static class QwopSearch
{
    /// <summary>Default budget: 1,000,000 simulations (~8-12 s of CPU on one loaded core here); every method passes 8.0988 well before.</summary>
    public const long DefaultEvaluations = 1_000_000;

    // How the defaults below were chosen: small grids (about 15 settings per method) at 500,000 evaluations on
    // seeds 1, 2, 3 (never seed 0, the acceptance seed), keeping the best mean over the three seeds. Findings:
    // moving 4 random coordinates per proposal beats moving all 40 for MCMC and annealing (a whole-plan move
    // almost always breaks the gait: acceptance fell below 0.5%); the EA wants a large population and a high
    // per-gene mutation rate; CMA-ES was the strongest and least seed-sensitive with σ0 = 1 (half the box).

    /// <summary>Default MCMC: β = 30, σ = 0.2 on 4 random values per proposal, 8 chains (tuning mean 9.69 at 500k).</summary>
    public static MetropolisOptions DefaultMcmc { get; } = new();
    /// <summary>Default annealing: T 0.3 → 0.001 geometric, σ 0.3 → 0.02 on 4 random values, 8 chains (tuning mean 10.07).</summary>
    public static AnnealingOptions DefaultAnneal { get; } = new();
    /// <summary>Default EA: μ = 128, λ = 64, tournament 3, two-point crossover 0.7, mutation 0.3 per gene with σ 0.3 → 0.02 (tuning mean 10.10).</summary>
    public static EvolutionOptions DefaultEvolve { get; } = new();
    /// <summary>Default CMA-ES: λ = 16, σ0 = 1, IPOP restarts (tuning mean 10.54).</summary>
    public static CmaEsOptions DefaultCmaEs { get; } = new();

    /// <summary>The CLI name of a method: mcmc, anneal, evolve, cmaes.</summary>
    public static string Name(SearchMethod method) => method switch
    {
        SearchMethod.Mcmc => "mcmc",
        SearchMethod.Anneal => "anneal",
        SearchMethod.Evolve => "evolve",
        SearchMethod.CmaEs => "cmaes",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown method"),
    };

    /// <summary>Parses a CLI method name (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the choices.</exception>
    public static SearchMethod ParseMethod(string name)
    {
        foreach (SearchMethod m in Enum.GetValues<SearchMethod>())
            if (string.Equals(Name(m), name?.Trim(), StringComparison.OrdinalIgnoreCase)) return m;
        throw new ArgumentException($"unknown search method '{name}'; choose mcmc, anneal, evolve or cmaes");
    }

    /// <summary>Runs one search (or <see cref="QwopSearchOptions.Restarts"/> parallel restarts sharing the budget).</summary>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    public static SearchResult Run(QwopSearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var rng = new Rng(options.Seed);
        if (options.Restarts == 1) return RunOnce(options, rng, options.Evaluations);

        // Streams are split before any work so restart r sees the same numbers for every thread count.
        var streams = new Rng[options.Restarts];
        for (int r = 0; r < streams.Length; r++) streams[r] = rng.Split();
        long each = options.Evaluations / options.Restarts;
        if (each < 1) throw new ArgumentException($"QwopSearchOptions.Evaluations = {options.Evaluations}: fewer than one per restart ({options.Restarts} restarts)");
        var results = new SearchResult[options.Restarts];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ParallelRuns(options.Restarts, r => results[r] = RunOnce(options, streams[r], each));
        return TraceMath.MergeRestarts(results, clock.Elapsed.TotalSeconds, options.TracePoints);
    }

    /// <summary>One run of the chosen method with the given stream and budget.</summary>
    internal static SearchResult RunOnce(QwopSearchOptions o, Rng rng, long budget)
    {
        var objective = new QwopObjective();
        return o.Method switch
        {
            SearchMethod.Mcmc => SearchRunner.Run(new MetropolisSampler(objective, o.Mcmc), rng, budget, o.TracePoints, o.Progress, o.Cancel),
            SearchMethod.Anneal => SearchRunner.Run(new SimulatedAnnealing(objective, o.Anneal), rng, budget, o.TracePoints, o.Progress, o.Cancel),
            SearchMethod.Evolve => SearchRunner.Run(new EvolutionaryAlgorithm(objective, o.Evolve), rng, budget, o.TracePoints, o.Progress, o.Cancel),
            _ => SearchRunner.Run(new CmaEs(objective, o.CmaEs), rng, budget, o.TracePoints, o.Progress, o.Cancel),
        };
    }

    /// <summary>Parallel.For over independent runs (up to Parallelism.MaxThreads); a cancelled run surfaces as
    /// OperationCanceledException rather than an AggregateException, so callers see Ctrl-C as such.</summary>
    internal static void ParallelRuns(int count, Action<int> body)
    {
        try
        {
            Parallel.For(0, count, Parallelism.Options, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException))
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
    }
}
