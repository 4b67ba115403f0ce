// Variational autoencoder (Kingma & Welling 2014) with MLP encoder and decoder and a Bernoulli likelihood,
// as in the SSY316 exam P3.1: x (B, 784) → ReLU(400) → μ, log σ² (B, d_z); z = μ + σ·ε; z → ReLU(400) →
// logits (B, 784). The loss is the negative ELBO summed over the batch (PyTorch's reduction="sum"):
//   −ELBO(x) = BCE(σ(logits), x) + KL(q(z|x) ‖ N(0, I)),  KL = −½ Σ (1 + log σ² − μ² − σ²).
// Checkpoints store the config in their metadata so Vae.Load can rebuild the network before the weights.
using System.Globalization;
using ProbLab.Checkpoints;
using ProbLab.Nn;
using ProbLab.Nn.Optim;
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Models;

/// <summary>Sizes of a <see cref="Vae"/>: input pixels, hidden units (encoder and decoder) and latent dimension d_z.</summary>
public sealed record VaeConfig(int InputSize = 784, int Hidden = 400, int Latent = 2)
{
    /// <summary>Throws if a size is below 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1 (the message names the field).</exception>
    public VaeConfig Validate()
    {
        if (InputSize < 1) throw new ArgumentOutOfRangeException(nameof(InputSize), InputSize, "VAE input size must be at least 1");
        if (Hidden < 1) throw new ArgumentOutOfRangeException(nameof(Hidden), Hidden, "VAE hidden size must be at least 1");
        if (Latent < 1) throw new ArgumentOutOfRangeException(nameof(Latent), Latent, "VAE latent size must be at least 1");
        return this;
    }
}

/// <summary>
/// Negative ELBO of a batch: <see cref="Loss"/> is the differentiable sum over the batch; <see cref="Recon"/>
/// (Bernoulli negative log-likelihood) and <see cref="Kl"/> are the two terms' batch sums.
/// </summary>
public readonly record struct ElboResult(Tensor Loss, double Recon, double Kl, int Count)
{
    /// <summary>−ELBO in nats per image.</summary>
    public double NegElboPerImage => (Recon + Kl) / Count;
    /// <summary>Reconstruction term in nats per image.</summary>
    public double ReconPerImage => Recon / Count;
    /// <summary>KL term in nats per image.</summary>
    public double KlPerImage => Kl / Count;
}

/// <summary>MLP VAE with a Bernoulli decoder and a standard normal prior.</summary>
public sealed class Vae : Module
{
    private readonly Linear _enc, _mu, _logVar, _dec, _out;

    /// <summary>The sizes this network was built with.</summary>
    public VaeConfig Config { get; }

    /// <summary>Builds the network with PyTorch's default Linear initialisation drawn from <paramref name="rng"/>.</summary>
    public Vae(VaeConfig config, Rng rng)
    {
        Config = config.Validate();
        _enc = Child("enc", new Linear(config.InputSize, config.Hidden, rng));
        _mu = Child("mu", new Linear(config.Hidden, config.Latent, rng));
        _logVar = Child("logvar", new Linear(config.Hidden, config.Latent, rng));
        _dec = Child("dec", new Linear(config.Latent, config.Hidden, rng));
        _out = Child("out", new Linear(config.Hidden, config.InputSize, rng));
    }

    /// <summary>q(z|x): x (B, InputSize) → μ (B, d_z), log σ² (B, d_z).</summary>
    /// <exception cref="ArgumentException">x does not have InputSize columns.</exception>
    public (Tensor Mu, Tensor LogVar) Encode(Tensor x)
    {
        CheckInput(x);
        var h = x.LinearRelu(_enc.Weight, _enc.Bias); // (B, H)
        return (_mu.Forward(h), _logVar.Forward(h)); // (B, d_z) each
    }

    /// <summary>p(x|z) logits: z (B, d_z) → (B, InputSize); the pixel probabilities are σ(logits).</summary>
    /// <exception cref="ArgumentException">z does not have d_z columns.</exception>
    public Tensor Decode(Tensor z)
    {
        if (z.Rank != 2 || z.Shape[1] != Config.Latent)
            throw new ArgumentException($"VAE decode: z has shape {ShapeUtil.Format(z.Shape)}, expected (B, {Config.Latent})");
        return _out.Forward(z.LinearRelu(_dec.Weight, _dec.Bias)); // (B, H) → (B, InputSize)
    }

    /// <summary>Pixel probabilities σ(Decode(z)), computed without recording gradients.</summary>
    public Tensor DecodeProbs(Tensor z)
    {
        using var _ = NoGrad.Scope();
        return Decode(z).Sigmoid();
    }

    /// <summary>
    /// One-sample negative ELBO of the batch x (B, InputSize), pixel values in [0, 1]:
    /// BCE(σ(Decode(μ + σε)), x) + KL(N(μ, σ²) ‖ N(0, I)) with ε ~ N(0, I) drawn from <paramref name="rng"/>.
    /// </summary>
    public ElboResult Elbo(Tensor x, Rng rng)
    {
        CheckInput(x);
        return Elbo(x, Tensor.RandN(rng, new[] { x.Shape[0], Config.Latent }));
    }

    /// <summary>As <see cref="Elbo(Tensor, Rng)"/> with the given standard normal noise ε (B, d_z), e.g. fixed for gradient checks.</summary>
    /// <exception cref="ArgumentException">ε does not have shape (B, d_z).</exception>
    public ElboResult Elbo(Tensor x, Tensor eps)
    {
        var (mu, logVar) = Encode(x);                   // (B, d_z) each
        var z = mu.Reparameterize(logVar, eps);         // (B, d_z)
        var recon = Decode(z).BceWithLogits(x);          // scalar: Σ over batch and pixels
        var kl = mu.GaussianKl(logVar);                 // scalar: Σ over batch and latent dims
        var loss = recon + kl;
        return new ElboResult(loss, recon.Item(), kl.Item(), x.Shape[0]);
    }

    /// <summary>Pixel probabilities of <paramref name="n"/> images decoded from z ~ N(0, I): (n, InputSize).</summary>
    /// <exception cref="ArgumentOutOfRangeException">n is below 1.</exception>
    public Tensor Sample(int n, Rng rng)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "number of samples must be at least 1");
        return DecodeProbs(Tensor.RandN(rng, new[] { n, Config.Latent }));
    }

    /// <summary>Deterministic reconstruction σ(Decode(μ(x))) of x (B, InputSize).</summary>
    public Tensor Reconstruct(Tensor x)
    {
        using var _ = NoGrad.Scope();
        return DecodeProbs(Encode(x).Mu);
    }

    /// <summary>Encoder means μ(x) for every row of x (N, InputSize), in batches, without gradients: (N, d_z).</summary>
    public Tensor EncodeMeans(Tensor x, int batchSize = 1000)
    {
        CheckInput(x);
        using var _ = NoGrad.Scope();
        int n = x.Shape[0], d = Config.Latent;
        var result = Tensor.Zeros(n, d);
        for (int start = 0; start < n; start += batchSize)
        {
            int b = Math.Min(batchSize, n - start);
            var mu = Encode(Rows(x, start, b)).Mu;
            mu.Data.CopyTo(result.Data, start * d);
        }
        return result;
    }

    /// <summary>
    /// The decoded manifold: z on an n×n grid over the first two latent dims at the standard normal quantiles
    /// Φ⁻¹((i + ½)/n) (Kingma &amp; Welling's Fig. 4), other dims 0. Returns probabilities (n·n, InputSize),
    /// row-major with z₂ decreasing down the rows and z₁ increasing along them, and the grid coordinates.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">n is below 2.</exception>
    public (Tensor Images, float[] Coords) DecodeGrid(int n)
    {
        if (n < 2) throw new ArgumentOutOfRangeException(nameof(n), n, "manifold grid needs at least 2 points per side");
        var coords = new float[n];
        for (int i = 0; i < n; i++) coords[i] = (float)MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, (i + 0.5) / n);
        var z = Tensor.Zeros(n * n, Config.Latent);
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++)
            {
                z[r * n + c, 0] = coords[c];
                if (Config.Latent > 1) z[r * n + c, 1] = coords[n - 1 - r];
            }
        return (DecodeProbs(z), coords);
    }

    // ---- checkpoints ------------------------------------------------------------------------------

    /// <summary>Saves weights, optional optimizer state and the config atomically into the folder <paramref name="dir"/>.</summary>
    public void Save(string dir, Optimizer? optimizer = null, TrainingState? state = null)
    {
        var s = state ?? new TrainingState();
        var meta = new Dictionary<string, string>(s.Metadata)
        {
            ["model"] = "vae",
            ["vae.input_size"] = Config.InputSize.ToString(CultureInfo.InvariantCulture),
            ["vae.hidden"] = Config.Hidden.ToString(CultureInfo.InvariantCulture),
            ["vae.latent"] = Config.Latent.ToString(CultureInfo.InvariantCulture),
        };
        Checkpoint.Save(dir, this, optimizer, s with { Metadata = meta });
    }

    /// <summary>Reads the config stored in a VAE checkpoint folder.</summary>
    /// <exception cref="FileNotFoundException">No checkpoint in the folder.</exception>
    /// <exception cref="InvalidDataException">The checkpoint is not a VAE or its config is malformed (one line).</exception>
    public static VaeConfig ReadConfig(string dir)
    {
        var meta = Checkpoint.ReadState(dir).Metadata;
        if (!meta.TryGetValue("model", out var model) || model != "vae")
            throw new InvalidDataException($"{dir}: not a VAE checkpoint (metadata 'model' is '{(model ?? "missing")}')");
        int Get(string key) => meta.TryGetValue(key, out var v) && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) && i >= 1
            ? i : throw new InvalidDataException($"{dir}: VAE checkpoint field '{key}' is missing or not a positive integer");
        return new VaeConfig(Get("vae.input_size"), Get("vae.hidden"), Get("vae.latent"));
    }

    /// <summary>Builds a VAE from the config stored in <paramref name="dir"/> and loads its weights (to resume
    /// training, build with <see cref="ReadConfig"/>, create the optimizer, then call <see cref="LoadWeights"/>).</summary>
    /// <exception cref="FileNotFoundException">No checkpoint in the folder.</exception>
    /// <exception cref="InvalidDataException">Not a VAE checkpoint, or corrupt (one-line message).</exception>
    public static Vae Load(string dir)
    {
        var vae = new Vae(ReadConfig(dir), new Rng(0));
        Checkpoint.Load(dir, vae);
        return vae;
    }

    /// <summary>Loads weights from <paramref name="dir"/> into this network after checking the stored config matches.</summary>
    /// <exception cref="InvalidDataException">The stored latent, hidden or input size differs (one-line message).</exception>
    public TrainingState LoadWeights(string dir, Optimizer? optimizer = null)
    {
        var stored = ReadConfig(dir);
        if (stored.Latent != Config.Latent)
            throw new InvalidDataException($"{dir}: checkpoint has latent size {stored.Latent}, this VAE has {Config.Latent}");
        if (stored != Config)
            throw new InvalidDataException($"{dir}: checkpoint VAE is {stored.InputSize}-{stored.Hidden}-{stored.Latent}, this VAE is {Config.InputSize}-{Config.Hidden}-{Config.Latent}");
        return Checkpoint.Load(dir, this, optimizer);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private void CheckInput(Tensor x)
    {
        if (x.Rank != 2 || x.Shape[1] != Config.InputSize)
            throw new ArgumentException($"VAE input has shape {ShapeUtil.Format(x.Shape)}, expected (B, {Config.InputSize})");
    }

    /// <summary>Rows [start, start + count) of a (N, D) tensor, copied into a new (count, D) tensor.</summary>
    internal static Tensor Rows(Tensor x, int start, int count)
    {
        int d = x.Shape[1];
        return new Tensor(x.Data.AsSpan(start * d, count * d).ToArray(), count, d);
    }
}
