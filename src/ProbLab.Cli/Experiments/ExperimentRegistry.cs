// Every experiment of `problab report`, in report order. Add one line per experiment; no reflection.
namespace ProbLab.Cli.Experiments;

/// <summary>The registered experiments.</summary>
public static class ExperimentRegistry
{
    /// <summary>All experiments, in the order their chapters appear.</summary>
    public static IReadOnlyList<IExperiment> All { get; } =
    [
        new SpiralExperiment(),   // engine demo: MLP on a 2-D spiral (loss curve, decision regions)
        new MixturesExperiment(), // IML ex5 §4: GMM/UMM by SGD on the Europe data, EM and smoothed-box baselines
        new GptExperiment(),      // IML ex5 §4: character GPT on tiny Shakespeare, init scale, KV cache, speed
    ];
}
