// TrueSkill on one game (course Q1-Q4, Q7-Q8): the Gibbs chain for p(s1, s2 | player 1 wins) with its trace
// and burn-in, histograms with the sample-moment Gaussian fit at several sample counts (with their timing),
// prior vs posterior, the joint samples and their correlation, and message passing (moment matching, exact for
// the posterior mean and variance) overlaid on the Gibbs histograms. Quick: up to 10⁵ samples; Full: up to 10⁶.
using System.Diagnostics;
using ProbLab.Data;
using ProbLab.Probabilistic.Distributions;
using ProbLab.Probabilistic.TrueSkill;
using ProbLab.Probabilistic.TrueSkill.Experiments;
using ProbLab.Reports;
using Histogram = ProbLab.Reports.Histogram;

namespace ProbLab.Cli.Experiments;

/// <summary>One game: Gibbs sampling vs message passing.</summary>
public sealed class TrueSkillGameExperiment : IExperiment
{
    /// <summary>Config of the one-game experiment.</summary>
    public sealed record GameConfig
    {
        /// <summary>Prior mean of both skills.</summary>
        public double PriorMean { get; init; } = 25;
        /// <summary>Prior sd of both skills.</summary>
        public double PriorSd { get; init; } = 25.0 / 3;
        /// <summary>Performance-difference sd σt.</summary>
        public double PerfSd { get; init; } = 25.0 / 6;
        /// <summary>Sweeps shown in the trace plot (started against the evidence).</summary>
        public int TraceLength { get; init; } = 1000;
        /// <summary>Post-burn-in sample counts of the histograms.</summary>
        public int[] SampleSizes { get; init; } = [100, 1000, 10_000, 100_000];
        /// <summary>Joint samples drawn in the scatter plot.</summary>
        public int ScatterSamples { get; init; } = 2000;

        /// <summary>The preset's config.</summary>
        public static GameConfig For(Preset preset) => preset == Preset.Quick ? new()
            : new() { TraceLength = 2000, SampleSizes = [100, 1000, 10_000, 100_000, 1_000_000], ScatterSamples = 4000 };
    }

    /// <inheritdoc/>
    public string Name => "trueskill-game";

    /// <inheritdoc/>
    public string Title => "TrueSkill on one game: Gibbs sampling vs message passing";

    /// <inheritdoc/>
    public void Run(ExperimentContext ctx, Preset preset, Section chapter)
    {
        var cfg = GameConfig.For(preset);
        ctx.RecordConfig(cfg);
        var model = new TrueSkillModel { Mu = cfg.PriorMean, Sigma = cfg.PriorSd, SigmaT = cfg.PerfSd }.Validate();
        // Warm the sampler's code up (tiered JIT) so the timings in the table measure sampling, not compilation.
        var warm = new GameGibbsSampler(model.SkillPrior, model.SkillPrior, cfg.PerfSd, 0, double.PositiveInfinity);
        var buf = new double[50_000];
        warm.Sample(ctx.Rng.Split(), warm.Init(), buf, new double[buf.Length], new double[buf.Length]);
        GibbsStudyResult r;
        using (var task = ctx.Progress.Start("gibbs study", 1))
        {
            r = GibbsStudy.Run(new GibbsStudyOptions { Model = model, TraceLength = cfg.TraceLength, SampleSizes = cfg.SampleSizes }, ctx.Rng);
            task.Advance();
        }
        var sampler = new GameGibbsSampler(r.PriorA, r.PriorB, cfg.PerfSd, 0, double.PositiveInfinity);

        ModelSection(chapter, cfg, r);
        TraceSection(chapter, ctx, r, sampler);
        HistogramSection(chapter, r);
        PosteriorSection(chapter, ctx, r, sampler, cfg);
    }

    private static void ModelSection(Section chapter, GameConfig cfg, GibbsStudyResult r)
    {
        double c2 = 2 * cfg.PriorSd * cfg.PriorSd + cfg.PerfSd * cfg.PerfSd;
        chapter.AddSection("Model")
            .Paragraph("Two skills with Gaussian priors s₁ ~ N(μ₁, σ₁²), s₂ ~ N(μ₂, σ₂²), a performance difference t ~ N(s₁ − s₂, σt²) and the " +
                       "outcome y = sign(t): the joint is p(s₁, s₂, t, y) = N(s₁; μ₁, σ₁²) N(s₂; μ₂, σ₂²) N(t; s₁ − s₂, σt²) 𝟙[y = sign t], with five " +
                       "hyper-parameters μ₁, σ₁², μ₂, σ₂², σt². Given t, the outcome adds nothing about the skills (s ⊥ y | t), so " +
                       "p(s₁, s₂ | t, y) ∝ N(s₁) N(s₂) N(t; s₁ − s₂, σt²) is Gaussian, and p(t | s₁, s₂, y) is N(s₁ − s₂, σt²) truncated to y·t > 0. " +
                       "Integrating everything out, p(y = 1) = Φ((μ₁ − μ₂)/√(σ₁² + σ₂² + σt²)).")
            .Paragraph($"Here both players start from the TrueSkill prior N({cfg.PriorMean:G4}, {cfg.PriorSd:F3}²), σt = {cfg.PerfSd:F3} " +
                       $"(so t has prior variance {c2:F2} and P(player 1 wins) = {r.WinProbability:F3}), and **player 1 wins**. " +
                       "The Gibbs sampler alternates t | s₁, s₂, y (an exact truncated-normal draw, also far in the tails) and (s₁, s₂) | t " +
                       "(a bivariate Gaussian whose covariance does not depend on t, factorised once).");
    }

    private static void TraceSection(Section chapter, ExperimentContext ctx, GibbsStudyResult r, GameGibbsSampler sampler)
    {
        var tr = r.Trace;
        var chart = new LineChart { Title = "Gibbs trace, started against the evidence", Width = 760, Height = 330 };
        chart.X.Label = "sweep"; chart.Y.Label = "skill";
        var sweeps = Enumerable.Range(1, tr.SkillA.Length).ToArray();
        chart.Add("s₁ (winner)", sweeps, tr.SkillA).Width = 1.1;
        chart.Add("s₂ (loser)", sweeps, tr.SkillB).Width = 1.1;
        chart.AddHLine(r.ExactA.Mean, "exact E[s₁]");
        chart.AddHLine(r.ExactB.Mean, "exact E[s₂]");
        chart.AddVLine(Math.Max(r.BurnIn, 0.5), $"burn-in {r.BurnIn}");

        // The re-run the course asks for: from the prior means the chain needs (almost) no burn-in.
        var rerun = new double[200]; var rerunB = new double[200]; var rerunT = new double[200];
        sampler.Sample(ctx.Rng, sampler.Init(), rerun, rerunB, rerunT);
        int rerunBurn = ChainDiagnostics.SuggestBurnIn(rerun, rerunB);
        var acf = new LineChart { Title = "Autocorrelation of s₁ after burn-in", Width = 420, Height = 300 };
        acf.X.Label = "lag"; acf.Y.Label = "ρ(lag)";
        acf.Add("s₁", Enumerable.Range(0, r.AutocorrelationA.Length), r.AutocorrelationA).Marker = MarkerShape.Circle;
        acf.AddHLine(0);
        acf.Legend = LegendPosition.None;

        // The first sweeps up close: where the transient (if any) is.
        int zoomN = Math.Min(30, tr.SkillA.Length);
        var zoom = new LineChart { Title = $"First {zoomN} sweeps", Width = 420, Height = 300 };
        zoom.X.Label = "sweep"; zoom.Y.Label = "skill";
        var zx = Enumerable.Range(0, zoomN + 1).ToArray();
        double startA = r.Options.Model.Mu - 3 * r.Options.Model.Sigma, startB = r.Options.Model.Mu + 3 * r.Options.Model.Sigma;
        zoom.Add("s₁", zx, tr.SkillA.Take(zoomN).Prepend(startA)).Marker = MarkerShape.Circle;
        zoom.Add("s₂", zx, tr.SkillB.Take(zoomN).Prepend(startB)).Marker = MarkerShape.Circle;
        zoom.AddHLine(r.ExactA.Mean);
        zoom.AddHLine(r.ExactB.Mean);
        zoom.Legend = LegendPosition.None;
        string Sweeps(int k) => k == 1 ? "1 sweep" : $"{k} sweeps";
        chapter.AddSection("Gibbs trace and burn-in")
            .Paragraph($"The chain starts at s₁ = μ − 3σ, s₂ = μ + 3σ (sweep 0), as far against the observed win as the prior plausibly allows, so that " +
                       $"any transient would show. There is almost none: the burn-in rule (the first sweep after which both chains stay within one " +
                       $"posterior sd of their second-half mean) gives **{Sweeps(r.BurnIn)}**. The reason is the blocking: given t, both skills are " +
                       $"redrawn *jointly* from p(s₁, s₂ | t), which does not depend on the previous skills, so the chain remembers its start only through " +
                       $"the scalar t, and t is redrawn from N(s₁ − s₂, σt²) truncated to t > 0, already close to its posterior after one sweep. " +
                       $"The lag-1 autocorrelation of s₁ is {At(r.AutocorrelationA, 1):F2} (about {r.EffectiveSamplesPer1000:F0} effective samples per " +
                       $"1000 sweeps). Re-running from the prior means, the usual start, the rule gives {Sweeps(rerunBurn)}. Course groups typically " +
                       $"discard 10–50 sweeps, which is ample; the 370 of one seed report is far more than this sampler needs. We keep the chosen " +
                       $"{Sweeps(r.BurnIn)} in every run below; discarding more changes nothing measurable.")
            .Figure(chart, "Trace of both skills; grey lines: the exact posterior means from message passing; the vertical line marks the chosen burn-in.")
            .Figure(zoom, "The first sweeps, with the over-dispersed start at sweep 0: the chain reaches the posterior bulk immediately.")
            .Figure(acf, "Autocorrelation of the post-burn-in chain of s₁.");
    }

    private static void HistogramSection(Section chapter, GibbsStudyResult r)
    {
        var grid = new FigureGrid(columns: Math.Min(3, r.Fits.Count)) { Title = "Gibbs samples, Gaussian fit (dashed) and message passing (solid)", PanelWidth = 330, PanelHeight = 250 };
        foreach (var f in r.Fits)
        {
            var h = new Histogram { Density = true, Title = $"N = {f.Samples:N0} ({f.Milliseconds:F1} ms)", Legend = LegendPosition.None };
            h.X.Label = "skill";
            h.AddBars("s₁ samples", Edges(f.HistogramA), f.HistogramA.Density, Palette.Categorical(0).Hex);
            h.AddBars("s₂ samples", Edges(f.HistogramB), f.HistogramB.Density, Palette.Categorical(1).Hex);
            h.AddGaussian("s₁ fit", f.Moments.MeanA, Math.Sqrt(f.Moments.VarA), Palette.Categorical(0).Hex, "5,3");
            h.AddGaussian("s₂ fit", f.Moments.MeanB, Math.Sqrt(f.Moments.VarB), Palette.Categorical(1).Hex, "5,3");
            h.AddGaussian("s₁ exact", r.ExactA.Mean, r.ExactA.StdDev, "#222222");
            h.AddGaussian("s₂ exact", r.ExactB.Mean, r.ExactB.StdDev, "#222222");
            grid.Add(h);
        }
        var t = new Table("post-burn-in samples N", "time (ms)", "E[s₁]", "E[s₂]", "sd(s₁)", "sd(s₂)", "E[s₁] − exact", "sd(s₁) − exact")
            { Caption = $"Gaussian fits from N samples after {r.BurnIn} burn-in sweeps (times include the burn-in); exact: E[s₁] = {r.ExactA.Mean:F3}, sd = {r.ExactA.StdDev:F3}" };
        foreach (var f in r.Fits)
            t.AddRow(f.Samples, f.Milliseconds, f.Moments.MeanA, f.Moments.MeanB, Math.Sqrt(f.Moments.VarA), Math.Sqrt(f.Moments.VarB), f.MeanErrorA, f.StdDevErrorA);
        t.SetFormat(1, "F2");
        for (int c = 2; c < 8; c++) t.SetFormat(c, c >= 6 ? "+0.000;-0.000" : "F3");
        var small = r.Fits[0];
        var big = r.Fits[^1];
        chapter.AddSection("Histograms and Gaussian fits")
            .Figure(grid, "Each panel: histograms of s₁ (winner) and s₂ (loser) from N post-burn-in samples, the Gaussian with the sample mean and " +
                          "variance (dashed), and the exact moments from message passing (black). Panel titles give the sampling time.")
            .Table(t)
            .Paragraph($"The fit's error shrinks like 1/√N: with N = {small.Samples:N0} the mean of s₁ is off by {Math.Abs(small.MeanErrorA):F2}, with " +
                       $"N = {big.Samples:N0} by {Math.Abs(big.MeanErrorA):F3}; the cost grows linearly ({big.Milliseconds:F0} ms for {big.Samples:N0}). " +
                       $"A few thousand samples already put the mean within about 0.1 of the exact value (about 1% of a prior sd), which is enough for " +
                       $"ranking; the seed report's table stops improving near N = 2000 for the same reason (its Monte Carlo error ~0.01 for σ = 1). " +
                       $"Because message passing gives the exact posterior mean and variance of each skill in closed form, sampling is only " +
                       $"needed to check it, or when the model leaves the Gaussian-plus-truncation family.");
    }

    private static void PosteriorSection(Section chapter, ExperimentContext ctx, GibbsStudyResult r, GameGibbsSampler sampler, GameConfig cfg)
    {
        var big = r.Fits[^1].Moments;
        var dens = new LineChart { Title = "Prior vs posterior", Width = 540, Height = 330 };
        dens.X.Label = "skill"; dens.Y.Label = "density";
        double lo = cfg.PriorMean - 4 * cfg.PriorSd, hi = cfg.PriorMean + 4 * cfg.PriorSd;
        var xs = Enumerable.Range(0, 301).Select(i => lo + (hi - lo) * i / 300).ToArray();
        dens.Add("prior (both)", xs, xs.Select(x => Pdf(x, r.PriorA))).Dash = "6,4";
        dens.Add("s₁ posterior (winner)", xs, xs.Select(x => Pdf(x, big.SkillA)));
        dens.Add("s₂ posterior (loser)", xs, xs.Select(x => Pdf(x, big.SkillB)));

        int n = cfg.ScatterSamples;
        var a = new double[n]; var b = new double[n]; var t = new double[n];
        var state = sampler.Init();
        for (int i = 0; i < r.BurnIn; i++) state = sampler.Step(ctx.Rng, state).State;
        sampler.Sample(ctx.Rng, state, a, b, t);
        var joint = new ScatterChart { Title = "Joint posterior samples", Width = 440, Height = 400, EqualAspect = true };
        joint.X.Label = "s₁ (winner)"; joint.Y.Label = "s₂ (loser)";
        var pts = joint.Add("Gibbs samples", a, b);
        pts.Size = 1.8; pts.Opacity = 0.35; pts.Outline = false;
        joint.AddCovarianceEllipse("Gibbs fit (2σ)", big.MeanA, big.MeanB, big.VarA, big.Cov, big.VarB, nSigma: 2);
        joint.AddCovarianceEllipse("factorised MP (2σ)", r.ExactA.Mean, r.ExactB.Mean, r.ExactA.Variance, 0, r.ExactB.Variance, nSigma: 2);
        double shrink = 1 - r.ExactA.Variance / r.PriorA.Variance;

        var table = new Table("", "prior mean", "prior sd", "Gibbs mean", "Gibbs sd", "message passing mean", "message passing sd")
            { Caption = $"Posterior after one win, Gibbs with N = {big.Samples:N0} samples vs message passing (moment matching)" };
        table.AddRow("s₁ (winner)", r.PriorA.Mean, r.PriorA.StdDev, big.MeanA, Math.Sqrt(big.VarA), r.ExactA.Mean, r.ExactA.StdDev);
        table.AddRow("s₂ (loser)", r.PriorB.Mean, r.PriorB.StdDev, big.MeanB, Math.Sqrt(big.VarB), r.ExactB.Mean, r.ExactB.StdDev);
        for (int c = 1; c < 7; c++) table.SetFormat(c, "F3");

        var overlay = new Histogram { Density = true, Title = $"Message passing over Gibbs (N = {big.Samples:N0})", Width = 540, Height = 330 };
        overlay.X.Label = "skill"; overlay.Y.Label = "density";
        var fa = r.Fits[^1];
        overlay.AddBars("s₁ samples", Edges(fa.HistogramA), fa.HistogramA.Density, Palette.Categorical(0).Hex);
        overlay.AddBars("s₂ samples", Edges(fa.HistogramB), fa.HistogramB.Density, Palette.Categorical(1).Hex);
        overlay.AddGaussian("Gibbs fit", big.MeanA, Math.Sqrt(big.VarA), "#444444", "5,3");
        overlay.AddGaussian("message passing", r.ExactA.Mean, r.ExactA.StdDev, "#000000");
        overlay.AddGaussian(null, big.MeanB, Math.Sqrt(big.VarB), "#444444", "5,3");
        overlay.AddGaussian(null, r.ExactB.Mean, r.ExactB.StdDev, "#000000");

        chapter.AddSection("Prior vs posterior")
            .Figure(dens, "Prior of both players and the Gaussian fits of the posteriors after player 1 wins.")
            .Paragraph($"One win moves the winner up by {r.ExactA.Mean - r.PriorA.Mean:F2} and the loser down by the same amount (equal priors), and " +
                       $"removes {shrink:P0} of each skill's variance: the outcome says only that s₁ − s₂ + noise > 0, which is weak evidence when σt is " +
                       $"small next to σ. The posterior is not a product of independent marginals: the samples have correlation {r.PosteriorCorrelation:F2} " +
                       "(a win is explained equally by a strong winner or a weak loser), which ADF drops when it keeps only the marginals.")
            .Figure(joint, "Joint samples of (s₁, s₂) with the 2σ ellipse of the sample covariance, and the factorised message-passing posterior (zero correlation).");
        chapter.AddSection("Message passing vs Gibbs")
            .Paragraph("Message passing on the factor graph (prior factors → s₁, s₂ → performance factor → t → outcome factor 𝟙[y·t > 0]) sends t the " +
                       "Gaussian N(μ₁ − μ₂, σ₁² + σ₂² + σt²); the outcome factor's posterior on t is a truncated Gaussian, which moment matching replaces by " +
                       "N(m + √v·v(z), v(1 − w(z))) with z = m/√v, v(z) = φ(z)/Φ(z), w(z) = v(z)(v(z) + z). Dividing by the incoming message and passing " +
                       "back through the performance factor gives μ₁' = μ₁ + (σ₁²/c²)Δm, σ₁'² = σ₁² + (σ₁²/c²)²Δv and the mirror image for s₂. For one " +
                       "game this is the exact posterior mean and variance of each skill, so the Gibbs histograms must match it up to Monte Carlo error:")
            .Figure(overlay, "Histograms of the largest Gibbs run with the sample-moment Gaussians (dashed) and the message-passing Gaussians (solid); they nearly coincide.")
            .Table(table);
    }

    private static double At(double[] x, int i) => i < x.Length ? x[i] : double.NaN;

    private static double Pdf(double x, Gaussian g) => Math.Exp(-0.5 * (x - g.Mean) * (x - g.Mean) / g.Variance) / Math.Sqrt(2 * Math.PI * g.Variance);

    /// <summary>Bin edges of a study histogram (one more than bins).</summary>
    internal static double[] Edges(Probabilistic.TrueSkill.Experiments.Histogram h) =>
        Enumerable.Range(0, h.Counts.Length + 1).Select(k => h.Lo + k * h.Width).ToArray();
}
