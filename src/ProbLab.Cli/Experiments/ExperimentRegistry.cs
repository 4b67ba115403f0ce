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
        new TrueSkillGameExperiment(),         // one game: Gibbs trace, histograms + fits, prior vs posterior, message passing
        new TrueSkillSerieAExperiment(),       // Serie A: ADF ranking, shuffles, predictions, EP vs Gibbs, order independence
        new TrueSkillChessExperiment(),        // Lichess: cleaning, predictions, top-10 by μ − 3σ
        new TrueSkillExtensionsExperiment(),   // draws, home/white advantage, drift, margin: gain table on both datasets
        new TrueSkillRecoveryExperiment(),     // simulated league: rank correlation and coverage vs matches
        new VaeExperiment(),      // exam P3.1: MNIST VAE (curves, prior samples, reconstructions, latent means, manifold)
        new KlExperiment(),       // special participation Q2: forward vs reverse KL, the uniform example
        new VibExperiment(),      // special participation Q3: VIB error and rate against β, latent scatters
        new QwopExperiment(),     // SSY316 exam ex. 2: MCMC, annealing, EA and CMA-ES on the QWOP walker
        new GptExperiment(),      // IML ex5 §4: character GPT on tiny Shakespeare, init scale, KV cache, speed
        new DiffusionSpiralExperiment(), // exam P3.2: spiral diffusion, exact and learned scores, the β1 = 0.2 schedule
        new DiffusionLatentExperiment(), // exam P3.3-P3.4: latent diffusion on VAE latents, classifier-free guidance
    ];
}
