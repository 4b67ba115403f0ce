// `problab trueskill gibbs`: Gibbs sampling of p(s1, s2 | outcome) for one game (course Q4), next to the
// message-passing answer (`trueskill update`), which is exact for the posterior mean and variance:
//   problab trueskill gibbs --outcome win --samples 100000 --burn-in 100 [--mu1 .. --perf-sd ..] [--seed 1] --json
// The chain runs in blocks of 64k sweeps with streaming moments (memory does not grow with --samples); the
// autocorrelation of the first block gives the effective sample size and so the Monte Carlo standard error,
// in units of which the distance to the exact answer is reported.
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using ProbLab.Probabilistic.TrueSkill;
using ProbLab.Probabilistic.TrueSkill.Experiments;

namespace ProbLab.Cli.Commands;

/// <summary>The `trueskill gibbs` command.</summary>
public static class TrueSkillGibbsCommand
{
    /// <summary>Config of `problab trueskill gibbs`.</summary>
    public sealed record GibbsConfig : TrueSkillUpdateCommand.GameConfig
    {
        /// <summary>Sweeps kept after the burn-in.</summary>
        public int Samples { get; init; } = 10_000;
        /// <summary>Sweeps discarded first (the chain starts at the prior means).</summary>
        public int BurnIn { get; init; } = 100;
    }

    private const int Block = 1 << 16;

    /// <summary>Creates `trueskill gibbs`.</summary>
    public static Command Create(CliApp app)
    {
        var d = new GibbsConfig();
        var samples = CliOptions.Int("--samples", "sweeps kept after the burn-in", d.Samples, min: 2, max: 2_000_000_000);
        var burnIn = CliOptions.Int("--burn-in", "sweeps discarded first", d.BurnIn, min: 0, max: 100_000_000);
        var cmd = new Command("gibbs", "Gibbs-sample the two skills after one game; Gaussian fit vs the exact message-passing moments.") { samples, burnIn };
        var game = new TrueSkillUpdateCommand.GameOptions().AddTo(cmd);
        app.SetAction(cmd, p => game.Bind(p, new GibbsConfig { Samples = p.GetValue(samples), BurnIn = p.GetValue(burnIn) }), Run);
        return cmd;
    }

    private static int Run(CommandContext ctx, GibbsConfig cfg)
    {
        var (lo, hi) = cfg.Interval();
        var model = cfg.ToModel();
        var sampler = new GameGibbsSampler(cfg.Prior1(), cfg.Prior2(), cfg.PerfSd, lo, hi, cfg.Advantage);
        double m1 = cfg.Mu1, v1 = cfg.Sigma1 * cfg.Sigma1, m2 = cfg.Mu2, v2 = cfg.Sigma2 * cfg.Sigma2, mh = cfg.Advantage, vh = 0;
        GameUpdate.Apply(ref m1, ref v1, ref m2, ref v2, ref mh, ref vh, model.NoiseVariance, lo, hi);

        var sw = Stopwatch.StartNew();
        var state = sampler.Init();
        for (int i = 0; i < cfg.BurnIn; i++) state = sampler.Step(ctx.Rng, state).State;
        var a = new double[Math.Min(Block, cfg.Samples)]; var b = new double[a.Length]; var t = new double[a.Length];
        // Sums shifted by the prior means, so the variances do not suffer from cancellation.
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0, essRatio = 1;
        using (var task = ctx.Progress.Start("gibbs", cfg.Samples))
            for (long done = 0; done < cfg.Samples;)
            {
                int n = (int)Math.Min(a.Length, cfg.Samples - done);
                state = sampler.Sample(ctx.Rng, state, a.AsSpan(0, n), b.AsSpan(0, n), t.AsSpan(0, n));
                if (done == 0 && n >= 20) essRatio = Math.Min(ChainDiagnostics.EffectiveSampleSize(a.AsSpan(0, n)), ChainDiagnostics.EffectiveSampleSize(b.AsSpan(0, n))) / n;
                for (int i = 0; i < n; i++)
                {
                    double x = a[i] - cfg.Mu1, y = b[i] - cfg.Mu2;
                    sa += x; sb += y; saa += x * x; sbb += y * y; sab += x * y;
                }
                done += n;
                task.Advance(n);
            }
        double seconds = sw.Elapsed.TotalSeconds;
        double N = cfg.Samples, ma = sa / N, mb = sb / N;
        double va = (saa - N * ma * ma) / (N - 1), vb = (sbb - N * mb * mb) / (N - 1), cov = (sab - N * ma * mb) / (N - 1);
        double fitMu1 = cfg.Mu1 + ma, fitMu2 = cfg.Mu2 + mb, ess = essRatio * N;
        double se1 = Math.Sqrt(va / ess), se2 = Math.Sqrt(vb / ess);

        var inv = CultureInfo.InvariantCulture;
        ctx.Out.WriteLine(string.Create(inv, $"{cfg.Samples} samples after {cfg.BurnIn} burn-in sweeps in {seconds:F3} s ({(cfg.Samples + cfg.BurnIn) / seconds:N0} sweeps/s), effective sample size ≈ {ess:N0}"));
        ctx.Out.WriteLine($"{"",9} {"Gibbs μ",10} {"exact μ",10} {"Gibbs σ",9} {"exact σ",9} {"|Δμ|/se",8}");
        ctx.Out.WriteLine(string.Create(inv, $"{"player 1",9} {fitMu1,10:F4} {m1,10:F4} {Math.Sqrt(va),9:F4} {Math.Sqrt(v1),9:F4} {Math.Abs(fitMu1 - m1) / se1,8:F2}"));
        ctx.Out.WriteLine(string.Create(inv, $"{"player 2",9} {fitMu2,10:F4} {m2,10:F4} {Math.Sqrt(vb),9:F4} {Math.Sqrt(v2),9:F4} {Math.Abs(fitMu2 - m2) / se2,8:F2}"));
        ctx.Out.WriteLine(string.Create(inv, $"posterior correlation of the skills: {cov / Math.Sqrt(va * vb):F4} (ADF keeps only the marginals)"));
        ctx.JsonResult = new JsonObject
        {
            ["samples"] = cfg.Samples,
            ["burnIn"] = cfg.BurnIn,
            ["seconds"] = TrueSkillShared.Num(seconds),
            ["sweepsPerSecond"] = TrueSkillShared.Num((cfg.Samples + cfg.BurnIn) / seconds),
            ["effectiveSamples"] = TrueSkillShared.Num(ess),
            ["fit"] = new JsonObject
            {
                ["player1"] = TrueSkillShared.Skill(fitMu1, va), ["player2"] = TrueSkillShared.Skill(fitMu2, vb),
                ["correlation"] = TrueSkillShared.Num(cov / Math.Sqrt(va * vb)),
            },
            ["exact"] = new JsonObject { ["player1"] = TrueSkillShared.Skill(m1, v1), ["player2"] = TrueSkillShared.Skill(m2, v2) },
            ["standardError"] = new JsonObject { ["mu1"] = TrueSkillShared.Num(se1), ["mu2"] = TrueSkillShared.Num(se2) },
        };
        return ErrorText.Ok;
    }
}
