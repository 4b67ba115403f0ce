// The shared shape of the black-box optimisers (BlackJAX style): State Init(rng, budget), then
// (State, StepInfo) Step(rng, state), and one generic Run that spends an evaluation budget and records a
// trace (evaluations, current and best value, acceptance rate, temperature, step size). States are mutable
// and advanced in place (no per-step allocation); Step returns the same instance for the functional shape.
using System.Diagnostics;
using ProbLab.Tensors;

namespace ProbLab.Search;

/// <summary>What every optimiser state carries: evaluations spent, the budget, and the best point so far.</summary>
public abstract class OptimizerState
{
    /// <summary>Objective evaluations spent so far (Init included).</summary>
    public long Evaluations { get; set; }
    /// <summary>The run's total evaluation budget (schedules read progress = Evaluations / Budget).</summary>
    public long Budget { get; init; }
    /// <summary>Best objective value seen.</summary>
    public double BestValue { get; set; } = double.NegativeInfinity;
    /// <summary>The point that reached <see cref="BestValue"/>.</summary>
    public double[] BestPoint { get; init; } = [];
    /// <summary>Evaluations the next Step will spend (the runner stops when it would overrun the budget).</summary>
    public int NextStepEvaluations { get; set; }

    /// <summary>Progress through the budget in [0, 1].</summary>
    public double Progress => Budget > 0 ? Math.Min(1.0, (double)Evaluations / Budget) : 0;

    /// <summary>Keeps the best of a batch of evaluated rows (ties keep the earlier point).</summary>
    internal void ConsiderBatch(ReadOnlySpan<double> points, ReadOnlySpan<double> values, int dimension)
    {
        for (int i = 0; i < values.Length; i++)
            if (values[i] > BestValue)
            {
                BestValue = values[i];
                points.Slice(i * dimension, dimension).CopyTo(BestPoint);
            }
    }
}

/// <summary>What one step did.</summary>
/// <param name="Evaluations">Total evaluations after the step.</param>
/// <param name="Current">The value the method currently stands on (mean over chains, or the best of the population).</param>
/// <param name="Best">Best value so far.</param>
/// <param name="Accepted">Proposals accepted in this step (MCMC/SA: moves; EA: survivors; CMA-ES: improvements).</param>
/// <param name="Proposed">Proposals made in this step.</param>
/// <param name="Temperature">1/β for MCMC and annealing; NaN for methods without one.</param>
/// <param name="StepSize">The proposal or mutation scale σ.</param>
public readonly record struct StepInfo(long Evaluations, double Current, double Best, int Accepted, int Proposed, double Temperature, double StepSize);

/// <summary>One row of a run's trace; the acceptance rate covers the steps since the previous row.</summary>
public sealed record TracePoint(long Evaluations, double Current, double Best, double AcceptanceRate, double Temperature, double StepSize);

/// <summary>The outcome of one optimiser run.</summary>
/// <param name="Method">The optimiser's name.</param>
/// <param name="BestValue">Best objective value found (for QWOP: the distance).</param>
/// <param name="BestPoint">The point that achieved it (for QWOP: the 40-value plan).</param>
/// <param name="Evaluations">Evaluations spent (never more than the budget).</param>
/// <param name="Seconds">Wall time of the run.</param>
/// <param name="Trace">Trace rows in order of evaluations: after Init (if it evaluated anything), about every budget/tracePoints evaluations, and at the end.</param>
public sealed record SearchResult(string Method, double BestValue, double[] BestPoint, long Evaluations, double Seconds, IReadOnlyList<TracePoint> Trace);

/// <summary>A black-box maximiser with the Init/Step interface.</summary>
public interface IOptimizer<TState> where TState : OptimizerState
{
    /// <summary>Short name for reports ("mcmc", "anneal", "evolve", "cmaes").</summary>
    string Name { get; }
    /// <summary>A fresh state (random start), spending some evaluations; <paramref name="budget"/> sets schedules.</summary>
    TState Init(Rng rng, long budget);
    /// <summary>Advances <paramref name="state"/> in place by one step and returns it with what happened.</summary>
    (TState State, StepInfo Info) Step(Rng rng, TState state);
}

/// <summary>Runs optimisers under an evaluation budget and records their traces.</summary>
public static class SearchRunner
{
    /// <summary>Init, then Step while the next step fits in <paramref name="budget"/>; about <paramref name="tracePoints"/> trace rows.</summary>
    /// <param name="optimizer">The method.</param>
    /// <param name="rng">The run's only source of randomness.</param>
    /// <param name="budget">Most objective evaluations to spend.</param>
    /// <param name="tracePoints">About how many trace rows to record.</param>
    /// <param name="progress">Called at every trace row (and at the end) with the evaluations spent since the previous call; may be called from a worker thread.</param>
    /// <param name="cancel">Checked at every trace row.</param>
    /// <exception cref="ArgumentOutOfRangeException">budget or tracePoints below 1.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> fired.</exception>
    public static SearchResult Run<TState>(IOptimizer<TState> optimizer, Rng rng, long budget, int tracePoints = 200,
        Action<long>? progress = null, CancellationToken cancel = default)
        where TState : OptimizerState
    {
        if (budget < 1) throw new ArgumentOutOfRangeException(nameof(budget), budget, "evaluation budget must be at least 1");
        if (tracePoints < 1) throw new ArgumentOutOfRangeException(nameof(tracePoints), tracePoints, "trace points must be at least 1");
        var clock = Stopwatch.StartNew();
        TState state = optimizer.Init(rng, budget);
        var trace = new List<TracePoint>(tracePoints + 2);
        double every = (double)budget / tracePoints, next = every;
        long accepted = 0, proposed = 0, reported = 0;
        StepInfo last = new(state.Evaluations, state.BestValue, state.BestValue, 0, 0, double.NaN, double.NaN);
        if (state.Evaluations > 0) trace.Add(new TracePoint(state.Evaluations, last.Current, last.Best, double.NaN, double.NaN, double.NaN));
        while (state.NextStepEvaluations > 0 && state.Evaluations + state.NextStepEvaluations <= budget)
        {
            (state, last) = optimizer.Step(rng, state);
            accepted += last.Accepted;
            proposed += last.Proposed;
            if (state.Evaluations >= next)
            {
                trace.Add(Row(last, accepted, proposed));
                accepted = proposed = 0;
                while (next <= state.Evaluations) next += every;
                cancel.ThrowIfCancellationRequested();
                progress?.Invoke(state.Evaluations - reported);
                reported = state.Evaluations;
            }
        }
        if (trace.Count == 0 || trace[^1].Evaluations != state.Evaluations) trace.Add(Row(last, accepted, proposed));
        if (state.Evaluations > reported) progress?.Invoke(state.Evaluations - reported);
        return new SearchResult(optimizer.Name, state.BestValue, (double[])state.BestPoint.Clone(), state.Evaluations,
            clock.Elapsed.TotalSeconds, trace);
    }

    private static TracePoint Row(StepInfo s, long accepted, long proposed) =>
        new(s.Evaluations, s.Current, s.Best, proposed > 0 ? (double)accepted / proposed : double.NaN, s.Temperature, s.StepSize);
}
