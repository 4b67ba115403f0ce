// Report chapter for the exam's MNIST VAE (SSY316 P3.1): training curves of −ELBO, reconstruction and KL
// (train per epoch and per step, test per epoch), a 10×10 grid of prior samples, reconstructions, the 2-D
// latent means coloured by digit, and the decoded manifold on a grid of normal quantiles (Kingma & Welling
// Fig. 4). Quick: 6000 images × 3 epochs; Full: the exam's 60 000 images × 15 epochs.
using System.Globalization;
using ProbLab.Models;
using ProbLab.Ops;
using ProbLab.Reports;
using ProbLab.Tensors;
using Tensor = ProbLab.Tensors.Tensor;

namespace ProbLab.Cli.Experiments;

/// <summary>VAE on MNIST: curves, samples, reconstructions, latent space, manifold.</summary>
public sealed class VaeExperiment : IExperiment
{
    /// <summary>Config of the VAE chapter.</summary>
    public sealed record VaeReportConfig
    {
        /// <summary>Training epochs.</summary>
        public int Epochs { get; init; } = 15;
        /// <summary>Latent dimension.</summary>
        public int Latent { get; init; } = 2;
        /// <summary>Hidden units of encoder and decoder.</summary>
        public int Hidden { get; init; } = 400;
        /// <summary>Images per Adam step.</summary>
        public int BatchSize { get; init; } = 128;
        /// <summary>Adam learning rate.</summary>
        public float LearningRate { get; init; } = 1e-3f;
        /// <summary>Training images used (0: all).</summary>
        public int TrainLimit { get; init; }
        /// <summary>Test images used (0: all).</summary>
        public int TestLimit { get; init; }
        /// <summary>Test images in the latent scatter.</summary>
        public int LatentPoints { get; init; } = 5000;
        /// <summary>Cells per side of the decoded manifold.</summary>
        public int ManifoldSize { get; init; } = 20;
        /// <summary>Importance samples K of the log-likelihood estimate.</summary>
        public int IwaeSamples { get; init; } = 200;
        /// <summary>Test images in the log-likelihood estimate.</summary>
        public int IwaeImages { get; init; } = 1000;

        /// <summary>The preset's config.</summary>
        public static VaeReportConfig For(Preset preset) => preset == Preset.Full ? new()
            : new() { Epochs = 3, TrainLimit = 6000, TestLimit = 1000, LatentPoints = 1000, ManifoldSize = 15, IwaeSamples = 20, IwaeImages = 200 };
    }

    /// <inheritdoc/>
    public string Name => "vae";

    /// <inheritdoc/>
    public string Title => "VAE on MNIST (exam P3.1)";

    /// <inheritdoc/>
    public void Run(ExperimentContext ctx, Preset preset, Section chapter)
    {
        var cfg = VaeReportConfig.For(preset);
        ctx.RecordConfig(cfg);
        var data = MnistInputs.Load(ctx.Data, cfg.TrainLimit, cfg.TestLimit, validation: 0, ctx.Cancel);
        ctx.RecordData(data.Source);
        var vae = new Vae(new VaeConfig(MnistInputs.Dim, cfg.Hidden, cfg.Latent), ctx.Rng);
        var options = new VaeTrainOptions { Epochs = cfg.Epochs, BatchSize = cfg.BatchSize, LearningRate = cfg.LearningRate };
        int stepsPerEpoch = (data.Train.Count + cfg.BatchSize - 1) / cfg.BatchSize;
        VaeHistory history;
        using (var task = ctx.Progress.Start("vae", (long)stepsPerEpoch * cfg.Epochs))
            history = VaeTrainer.Fit(vae, data.Train.X, data.Test.X, options, ctx.Rng, onStep: s => task.Advance(1, s.NegElbo));

        var iwaeX = data.Test.X.Slice(0, 0, Math.Min(cfg.IwaeImages, data.Test.Count));
        var iwae = (Ll: VaeTrainer.ImportanceWeightedLogLikelihood(vae, iwaeX, cfg.IwaeSamples, ctx.Rng), Elbo: -VaeTrainer.Evaluate(vae, iwaeX, ctx.Rng).NegElbo);
        TrainingSection(chapter.AddSection("Training curves"), vae, cfg, data, history, iwae);
        chapter.AddSection("Samples from the prior")
            .Paragraph($"100 images decoded from z ~ N(0, I) in {cfg.Latent} dimensions: each tile shows the Bernoulli means σ(decoder(z)), not binary draws. " +
                       "The tiles are smooth averages of plausible digits: the decoder outputs the mean image of everything its neighbourhood of z encodes, " +
                       "the blurriness the exam text attributes to the ELBO with a factorised likelihood.")
            .Image(Grid(vae.Sample(100, ctx.Rng).Data, 100, 10, 2), "10×10 grid of samples from the prior", 560);
        ReconstructionSection(chapter.AddSection("Reconstructions"), vae, data.Test.X);
        LatentSection(chapter.AddSection("Latent space"), vae, cfg, data.Test);
        ManifoldSection(chapter.AddSection("Decoded latent manifold"), vae, cfg);
    }

    private static void TrainingSection(Section section, Vae vae, VaeReportConfig cfg, MnistInputs data, VaeHistory h, (double Ll, double Elbo) iwae)
    {
        var last = h.Epochs[^1];
        var epochs = h.Epochs.Select(e => (double)e.Epoch).ToArray();
        var grid = new FigureGrid(3) { Title = "Per-epoch terms (nats per image)", PanelWidth = 320, PanelHeight = 240 };
        foreach (var (name, pick) in new (string, Func<ElboStats, double>)[] { ("−ELBO", s => s.NegElbo), ("reconstruction −log p(x|z)", s => s.Recon), ("KL(q(z|x) ‖ p(z))", s => s.Kl) })
        {
            var c = new LineChart { Title = name };
            c.X.Label = "epoch";
            c.Add("train", epochs, h.Epochs.Select(e => pick(e.Train))).Marker = MarkerShape.Circle;
            c.Add("test", epochs, h.Epochs.Select(e => pick(e.Test!.Value))).Marker = MarkerShape.Square;
            grid.Add(c);
        }
        var steps = new LineChart { Title = "Training minibatch terms per step", Width = 900, Height = 320 };
        steps.X.Label = "step";
        steps.Y.Label = "nats per image";
        steps.Y.Scale = AxisScale.Log;
        steps.Add("−ELBO", h.Steps.Select(s => (double)s.Step), h.Steps.Select(s => s.NegElbo));
        steps.Add("reconstruction", h.Steps.Select(s => (double)s.Step), h.Steps.Select(s => s.Recon));
        steps.Add("KL", h.Steps.Select(s => (double)s.Step), h.Steps.Select(s => s.Kl));
        var table = new Table("epoch", "train −ELBO", "train recon", "train KL", "test −ELBO", "test recon", "test KL", "seconds")
        {
            Caption = $"Final test −ELBO {last.Test!.Value.NegElbo:F2} nats per image; mean training time {h.Epochs.Average(e => e.Seconds):F2} s per epoch (1 thread unless --threads)",
        };
        foreach (var e in h.Epochs)
            table.AddRow(e.Epoch, F(e.Train.NegElbo), F(e.Train.Recon), F(e.Train.Kl), F(e.Test!.Value.NegElbo), F(e.Test.Value.Recon), F(e.Test.Value.Kl), F(e.Seconds));
        section.Paragraph($"Encoder {MnistInputs.Dim}→{cfg.Hidden} (ReLU)→(μ, log σ²), each of size {cfg.Latent}; decoder {cfg.Latent}→{cfg.Hidden} (ReLU)→{MnistInputs.Dim} logits; " +
                          $"Bernoulli likelihood (BCE with logits, summed over pixels), standard normal prior; {vae.ParameterCount():N0} parameters. " +
                          $"Adam lr {cfg.LearningRate}, batch {cfg.BatchSize}, {cfg.Epochs} epochs on {data.Train.Count:N0} images; the loss is the negative ELBO " +
                          "−E_q[log p(x|z)] + KL(q(z|x) ‖ N(0, I)) with one reparameterised sample z = μ + σ·ε per image. " +
                          $"Test terms use one sample per image on {data.Test.Count:N0} test images, as the PyTorch anchor script does.")
            .Table(table)
            .Paragraph($"Importance-weighted estimate of log p(x) (Burda et al. 2016, K = {cfg.IwaeSamples} samples from q(z|x)) on the first {Math.Min(cfg.IwaeImages, data.Test.Count):N0} test images: " +
                       $"{iwae.Ll:F2} nats per image, against an ELBO of {iwae.Elbo:F2} on the same images: the bound is {iwae.Ll - iwae.Elbo:F2} nats loose, the price of a Gaussian q(z|x).")
            .Figure(grid, "Train (running mean over the epoch) and test terms after each epoch.")
            .Figure(steps, $"Per-step minibatch terms (log scale). The KL term is the rate: about {h.Steps[^1].Kl:F1} nats per image go through the {cfg.Latent}-dimensional code at the end.");
    }

    private static void ReconstructionSection(Section section, Vae vae, Tensor test)
    {
        const int cols = 10, pairs = 3;
        int n = Math.Min(cols * pairs, test.Shape[0]);
        var x = test.Slice(0, 0, n);
        var rec = vae.Reconstruct(x);
        // Alternate rows: originals, then their reconstructions σ(decoder(μ(x))).
        var tiles = new float[2 * n * MnistInputs.Dim];
        int at = 0;
        for (int start = 0; start < n; start += cols)
        {
            int len = Math.Min(cols, n - start) * MnistInputs.Dim;
            x.Data.AsSpan(start * MnistInputs.Dim, len).CopyTo(tiles.AsSpan(at)); at += len;
            rec.Data.AsSpan(start * MnistInputs.Dim, len).CopyTo(tiles.AsSpan(at)); at += len;
        }
        section.Paragraph("Odd rows: test images; even rows: σ(decoder(μ(x))), the decoder's mean at the encoder mean. A 2-D code keeps the digit's " +
                          "identity and slant but loses stroke detail, and similar-looking digits (4/9, 3/5/8) are sometimes swapped.")
            .Image(Grid(tiles, 2 * n, cols, 2), "test images (odd rows) and reconstructions (even rows)", 560);
    }

    private static void LatentSection(Section section, Vae vae, VaeReportConfig cfg, LabelledData test)
    {
        int n = Math.Min(cfg.LatentPoints, test.Count);
        var mu = vae.EncodeMeans(test.X.Slice(0, 0, n));
        int d = cfg.Latent;
        var chart = new ScatterChart { Title = $"Encoder means μ(x) of {n:N0} test images", Width = 680, Height = 560, EqualAspect = true, Legend = LegendPosition.Right };
        chart.X.Label = "z₁";
        chart.Y.Label = d > 1 ? "z₂" : "(none)";
        var s = chart.AddCategorical("digit", Enumerable.Range(0, n).Select(i => mu.Data[i * d]),
            Enumerable.Range(0, n).Select(i => d > 1 ? mu.Data[i * d + 1] : 0f), test.Labels.Take(n), Enumerable.Range(0, 10).Select(k => k.ToString(CultureInfo.InvariantCulture)).ToArray());
        s.Size = 2;
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) { mx += mu.Data[i * d]; my += d > 1 ? mu.Data[i * d + 1] : 0; }
        mx /= n; my /= n;
        section.Paragraph($"Each point is μ(x) for one test image ({(d == 2 ? "both" : $"the first two of {d}")} latent coordinates), coloured by its true digit; the VAE never saw labels. " +
                          $"The cloud's centre is ({mx:F2}, {my:F2}): the KL term pulls the aggregate of q(z|x) towards the N(0, I) prior. " +
                          "Digits that share strokes overlap, and the space between clusters decodes to blends (see the manifold below).")
            .Figure(chart, "Latent means coloured by digit.");
    }

    private static void ManifoldSection(Section section, Vae vae, VaeReportConfig cfg)
    {
        var (images, coords) = vae.DecodeGrid(cfg.ManifoldSize);
        section.Paragraph($"σ(decoder(z)) for z on a {cfg.ManifoldSize}×{cfg.ManifoldSize} grid at the standard normal quantiles Φ⁻¹((i + ½)/{cfg.ManifoldSize}) " +
                          $"(z from {coords[0]:F2} to {coords[^1]:F2}; z₁ left to right, z₂ bottom to top), so equal areas of the prior get equal room. " +
                          (cfg.Latent > 2 ? "Other latent coordinates are 0. " : "") + "Neighbouring tiles morph smoothly: the decoder is a continuous map from the plane to digit images.")
            .Image(Grid(images.Data, cfg.ManifoldSize * cfg.ManifoldSize, cfg.ManifoldSize, 2), "decoded manifold", Math.Min(900, 45 * cfg.ManifoldSize));
    }

    private static RasterImage Grid(float[] pixels, int count, int columns, int scale) =>
        ImageGrid.FromBatch(pixels, count, 1, 28, 28, columns, padding: 2, scale: scale);

    private static string F(double v) => v.ToString("F2", CultureInfo.InvariantCulture);
}
