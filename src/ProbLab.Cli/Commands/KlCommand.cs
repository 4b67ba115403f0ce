// `problab kl`: forward vs reverse KL (special participation Q2). Fits one Gaussian to the bimodal target
// ½N(−d/2, s²) + ½N(d/2, s²) by forward KL (mass covering) and by reverse KL from several starts (mode
// seeking), and evaluates the uniform example KL(U(0,1)‖U(0,2)) = log 2 versus KL(U(0,2)‖U(0,1)) = ∞ on a grid.
//   problab kl [--separation 6] [--std 1] [--steps 3000] [--samples 256] [--lr 0.05] [--json]
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ProbLab.Models;

namespace ProbLab.Cli.Commands;

/// <summary>The `kl` command.</summary>
public static class KlCommand
{
    /// <summary>Config of `problab kl`.</summary>
    public sealed record KlConfig
    {
        /// <summary>Distance between the two modes of the target.</summary>
        public double Separation { get; init; } = 6;
        /// <summary>Standard deviation of each mode.</summary>
        public double Std { get; init; } = 1;
        /// <summary>Adam steps per fit.</summary>
        public int Steps { get; init; } = 3000;
        /// <summary>Monte Carlo samples per step.</summary>
        public int Samples { get; init; } = 256;
        /// <summary>Peak Adam learning rate (cosine-decayed).</summary>
        public double Lr { get; init; } = 0.05;
    }

    /// <summary>One fit of the experiment: a label, the start and the result.</summary>
    public sealed record Fit(string Label, double InitMean, double InitStd, KlFitResult Result);

    /// <summary>Creates `kl`.</summary>
    public static Command Create(CliApp app)
    {
        var d = new KlConfig();
        var sep = CliOptions.Double("--separation", "distance between the target's two modes", d.Separation, min: 0, max: 1e3);
        var std = CliOptions.Double("--std", "standard deviation of each mode", d.Std, min: 1e-3, max: 1e3);
        var steps = CliOptions.Int("--steps", "Adam steps per fit", d.Steps, min: 1, max: 10_000_000);
        var samples = CliOptions.Int("--samples", "Monte Carlo samples per step", d.Samples, min: 2, max: 10_000_000);
        var lr = CliOptions.Double("--lr", "peak Adam learning rate", d.Lr, min: 1e-9, max: 10);
        var cmd = new Command("kl", "Forward vs reverse KL: fit one Gaussian to a bimodal target both ways; the uniform example.") { sep, std, steps, samples, lr };
        app.SetAction(cmd, p => new KlConfig
        {
            Separation = p.GetValue(sep), Std = p.GetValue(std), Steps = p.GetValue(steps), Samples = p.GetValue(samples), Lr = p.GetValue(lr),
        }, Run);
        return cmd;
    }

    /// <summary>
    /// The fits the command and the report show: forward KL, reverse KL from a narrow start on each side, and
    /// reverse KL from a wide start between the modes (which can stop at the symmetric stationary point).
    /// </summary>
    public static List<Fit> RunFits(GaussianMixture1D target, KlConfig cfg, Tensors.Rng rng, Action? onStep = null)
    {
        double half = Math.Max(cfg.Separation / 6, 0.5 * cfg.Std);
        var starts = new (string Label, KlDirection Dir, double Mean, double Std)[]
        {
            ("forward KL(p‖q)", KlDirection.Forward, half, cfg.Std),
            ("reverse KL(q‖p), start right", KlDirection.Reverse, half, 0.5 * cfg.Std),
            ("reverse KL(q‖p), start left", KlDirection.Reverse, -half, 0.5 * cfg.Std),
            ("reverse KL(q‖p), wide start", KlDirection.Reverse, 0.5 * half, cfg.Std),
        };
        var fits = new List<Fit>();
        foreach (var (label, dir, m0, s0) in starts)
        {
            var options = new KlFitOptions { Steps = cfg.Steps, Samples = cfg.Samples, LearningRate = (float)cfg.Lr, InitMean = m0, InitStd = s0 };
            fits.Add(new Fit(label, m0, s0, KlFit.Fit(target, dir, options, rng.Split())));
            onStep?.Invoke();
        }
        return fits;
    }

    private static int Run(CommandContext ctx, KlConfig cfg)
    {
        var target = GaussianMixture1D.Bimodal(cfg.Separation, cfg.Std);
        List<Fit> fits;
        using (var task = ctx.Progress.Start("kl fits", 4))
            fits = RunFits(target, cfg, ctx.Rng, () => task.Advance());
        double momentStd = Math.Sqrt(target.Variance);
        ctx.Out.WriteLine(Inv($"target p = ½N({-cfg.Separation / 2}, {cfg.Std}²) + ½N({cfg.Separation / 2}, {cfg.Std}²): mean {target.Mean:F3}, std {momentStd:F3}"));
        ctx.Out.WriteLine($"{"fit",-32} {"mean",8} {"std",7} {"KL(p‖q)",9} {"KL(q‖p)",9}");
        foreach (var f in fits)
            ctx.Out.WriteLine(Inv($"{f.Label,-32} {f.Result.Mean,8:F3} {f.Result.Std,7:F3} {f.Result.ForwardKl,9:F4} {f.Result.ReverseKl,9:F4}"));
        var uni = UniformKlExample.Compute();
        ctx.Out.WriteLine(Inv($"uniform: KL(U(0,1)‖U(0,2)) = {uni.ForwardKl:F6} (log 2 = {Math.Log(2):F6}); KL(U(0,2)‖U(0,1)) = {Num(uni.ReverseKl)}"));
        ctx.JsonResult = new JsonObject
        {
            ["target"] = new JsonObject { ["mean"] = target.Mean, ["std"] = momentStd },
            ["fits"] = new JsonArray(fits.Select(f => (JsonNode)new JsonObject
            {
                ["label"] = f.Label, ["direction"] = f.Result.Direction.ToString().ToLowerInvariant(), ["initMean"] = f.InitMean, ["initStd"] = f.InitStd,
                ["mean"] = Math.Round(f.Result.Mean, 5), ["std"] = Math.Round(f.Result.Std, 5),
                ["forwardKl"] = Math.Round(f.Result.ForwardKl, 6), ["reverseKl"] = Math.Round(f.Result.ReverseKl, 6),
            }).ToArray()),
            ["uniform"] = new JsonObject
            {
                ["forwardKl"] = uni.ForwardKl,
                ["reverseKl"] = Num(uni.ReverseKl), // "Infinity": JSON has no infinite number
                ["smoothed"] = new JsonArray(uni.Smoothed.Select(s => (JsonNode)new JsonObject { ["delta"] = s.Delta, ["reverseKl"] = s.ReverseKl }).ToArray()),
            },
        };
        return ErrorText.Ok;
    }

    private static string Num(double v) => double.IsPositiveInfinity(v) ? "Infinity" : v.ToString("R", CultureInfo.InvariantCulture);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
