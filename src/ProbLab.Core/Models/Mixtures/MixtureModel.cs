// MixtureModel: base of the SGD-trained mixtures. It owns the parameters (logits (K), locations and
// log-scales (K, D)), the fit loop (epochs of shuffled minibatches, Adam, per-epoch history, snapshots) and
// the scikit-learn-style API (ScoreSamples, Score, Predict, PredictProba, Sample, SampleComponent).
// Subclasses supply the per-point log-likelihood op, its forward kernel, the log-scale init and how to
// draw from one component. Everything random takes the caller's Rng.
using System.Buffers;
using System.Diagnostics;
using ProbLab.Nn.Optim;
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Models.Mixtures;

/// <summary>A K-component mixture over R^D fitted by minibatch Adam on the mean log-likelihood.</summary>
public abstract class MixtureModel
{
    private Tensor? _logits, _locs, _logScales;

    /// <summary>Creates an unfitted model; the options are validated here.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    protected MixtureModel(MixtureOptions options)
    {
        options.Validate();
        Options = options;
    }

    /// <summary>The options the model was built with.</summary>
    public MixtureOptions Options { get; }

    /// <summary>Number of components K.</summary>
    public int Components => Options.Components;

    /// <summary>Number of features D (known after Fit).</summary>
    public int Features { get; private set; }

    /// <summary>Whether the model has parameters (after Fit or FromSnapshot).</summary>
    public bool IsFitted => _logits is not null;

    /// <summary>What the last Fit recorded, or null.</summary>
    public FitHistory? History { get; protected set; }

    /// <summary>Names of the location and log-scale parameters ("means"/"log_variances", "centers"/"log_sizes").</summary>
    protected abstract (string Locations, string LogScales) ParameterNames { get; }

    /// <summary>Mixture logits (K); weights are softmax(logits).</summary>
    protected Tensor Logits => _logits ?? throw NotFitted();

    /// <summary>Component locations (K, D): means or box centres.</summary>
    protected Tensor Locations => _locs ?? throw NotFitted();

    /// <summary>Component log-scales (K, D): log-variances or log side lengths.</summary>
    protected Tensor LogScales => _logScales ?? throw NotFitted();

    /// <summary>Per-point log-likelihood (B) of x (B, D) as an autograd op, at the training settings of <paramref name="epoch"/>.</summary>
    protected abstract Tensor LogLikelihood(Tensor x, int epoch);

    /// <summary>Forward kernel of the fitted model: ℓ (n) and responsibilities (K × n) for feature-major xT (D × n).</summary>
    protected abstract void ForwardKernel(Span<float> logLik, Span<float> resp, ReadOnlySpan<float> xT, int n);

    /// <summary>Fills the initial log-scales (K × D).</summary>
    protected abstract void InitLogScales(Span<float> logScales, Rng rng);

    /// <summary>Writes one draw from component k into dst (D).</summary>
    protected abstract void SampleFromComponent(int k, Span<float> dst, Rng rng);

    /// <summary>A new unfitted model of the same type and options.</summary>
    protected abstract MixtureModel CreateEmpty();

    /// <summary>Hook after the last epoch of Fit (the smoothed uniform mixture repairs coverage here).</summary>
    protected virtual void AfterFit(Tensor x) { }

    /// <summary>(name, tensor) pairs in a fixed order: logits, locations, log-scales.</summary>
    public IEnumerable<(string Name, Tensor Param)> NamedParameters()
    {
        var (ln, sn) = ParameterNames;
        yield return ("logits", Logits);
        yield return (ln, Locations);
        yield return (sn, LogScales);
    }

    /// <summary>Mixture weights π = softmax(logits) (K).</summary>
    public float[] Weights()
    {
        using var _ = NoGrad.Scope();
        return Logits.Softmax().Data;
    }

    /// <summary>
    /// Fits by minibatch Adam on −mean ℓ: <see cref="MixtureOptions.Epochs"/> epochs over a fresh permutation
    /// of x (N, D) each, recording train (and <paramref name="test"/>) mean log-likelihood per epoch.
    /// <paramref name="labels"/> (N) are needed for <see cref="MixtureInit.ClassMeans"/>. Returns this.
    /// </summary>
    /// <exception cref="ArgumentException">Empty data, NaN/∞ values, mismatched shapes or labels.</exception>
    public MixtureModel Fit(Tensor x, Rng rng, Tensor? test = null, int[]? labels = null, IProgress<EpochRecord>? progress = null)
    {
        MixtureData.CheckPoints(x, "x");
        if (test is not null) MixtureData.CheckPoints(test, "test", x.Shape[1]);
        Initialize(x, labels, rng);
        var sw = Stopwatch.StartNew();
        var opt = new Adam(NamedParameters(), Options.LearningRate);
        var epochs = new List<EpochRecord>();
        var snaps = new List<MixtureSnapshot>();
        if (Options.SnapshotEpochs.Contains(0)) snaps.Add(Snapshot(0));
        int n = x.Shape[0], d = Features, steps = 0;
        for (int epoch = 1; epoch <= Options.Epochs; epoch++)
        {
            var perm = rng.Permutation(n);
            double lossSum = 0, gl = 0, gm = 0, gs = 0;
            int batches = 0;
            for (int start = 0; start < n; start += Options.BatchSize)
            {
                int m = Math.Min(Options.BatchSize, n - start);
                var xb = Tensor.Zeros(m, d); // (m, D)
                for (int i = 0; i < m; i++)
                {
                    int src = perm[start + i] * d;
                    for (int j = 0; j < d; j++) xb.Data[i * d + j] = x.Data[src + j];
                }
                opt.ZeroGrad();
                var loss = LogLikelihood(xb, epoch).Mean().Neg();
                loss.Backward();
                gl += Norm(Logits.Grad); gm += Norm(Locations.Grad); gs += Norm(LogScales.Grad);
                opt.Step();
                lossSum += loss.Item();
                batches++;
                steps++;
            }
            if (epoch == Options.Epochs) AfterFit(x);
            bool eval = Options.EvaluateEveryEpoch || epoch == Options.Epochs;
            var rec = new EpochRecord(epoch, eval ? Score(x) : double.NaN, eval && test is not null ? Score(test) : double.NaN,
                lossSum / batches, new GradientNorms(gl / batches, gm / batches, gs / batches), sw.Elapsed.TotalSeconds);
            epochs.Add(rec);
            if (Options.SnapshotEpochs.Contains(epoch)) snaps.Add(Snapshot(epoch));
            progress?.Report(rec);
        }
        History = new FitHistory(epochs, snaps, steps, sw.Elapsed.TotalSeconds, "sgd");
        return this;
    }

    private static double Norm(float[]? g)
    {
        if (g is null) return 0;
        double s = 0;
        foreach (float v in g) s += (double)v * v;
        return Math.Sqrt(s);
    }

    // The course's order of draws: logits ~ N(0,1) (K), locations ~ N(0,1) (K, D), then the log-scales.
    private void Initialize(Tensor x, int[]? labels, Rng rng)
    {
        Features = x.Shape[1];
        int k = Components, d = Features;
        var (ln, sn) = ParameterNames;
        var logits = Tensor.RandN(rng, new[] { k });
        var locs = Tensor.RandN(rng, new[] { k, d });
        var logScales = Tensor.Zeros(k, d);
        InitLogScales(logScales.Data, rng);
        if (Options.Init == MixtureInit.ClassMeans)
        {
            if (labels is null) throw new ArgumentException($"{Options.GetType().Name}.Init = ClassMeans needs class labels for the training points");
            MixtureData.ClassMeans(x, labels, k).CopyTo(locs.Data, 0);
        }
        SetParameters(logits.Data, locs.Data, logScales.Data, ln, sn);
    }

    private void SetParameters(float[] logits, float[] locs, float[] logScales, string ln, string sn)
    {
        int k = Components, d = locs.Length / k;
        Features = d;
        _logits = new Tensor(logits, k) { Name = "logits" }.RequireGrad();
        _locs = new Tensor(locs, k, d) { Name = ln }.RequireGrad();
        _logScales = new Tensor(logScales, k, d) { Name = sn }.RequireGrad();
    }

    /// <summary>Copies of the current parameters, tagged with <paramref name="epoch"/>.</summary>
    public MixtureSnapshot Snapshot(int epoch) =>
        new(epoch, (float[])Logits.Data.Clone(), (float[])Locations.Data.Clone(), (float[])LogScales.Data.Clone());

    /// <summary>A fitted model of the same type and options whose parameters are copies of <paramref name="snapshot"/>.</summary>
    /// <exception cref="ArgumentException">The snapshot's sizes do not fit K components.</exception>
    public MixtureModel FromSnapshot(MixtureSnapshot snapshot)
    {
        int k = Components;
        if (snapshot.Logits.Length != k || snapshot.Locations.Length % k != 0 || snapshot.Locations.Length == 0 || snapshot.LogScales.Length != snapshot.Locations.Length)
            throw new ArgumentException($"snapshot of epoch {snapshot.Epoch} has {snapshot.Logits.Length} logits and {snapshot.Locations.Length} locations, expected K = {k}");
        var m = CreateEmpty();
        var (ln, sn) = ParameterNames;
        m.SetParameters((float[])snapshot.Logits.Clone(), (float[])snapshot.Locations.Clone(), (float[])snapshot.LogScales.Clone(), ln, sn);
        return m;
    }

    /// <summary>Replaces the parameters (used by EM and the box-cover repair); sizes must match K × D.</summary>
    protected void Assign(float[] logits, float[] locs, float[] logScales)
    {
        var (ln, sn) = ParameterNames;
        SetParameters(logits, locs, logScales, ln, sn);
    }

    // ---- scikit-learn-style API ----------------------------------------------------------------------

    /// <summary>Per-point log-likelihood log p(x_n) of x (N, D).</summary>
    /// <exception cref="InvalidOperationException">The model is not fitted.</exception>
    /// <exception cref="ArgumentException">x is empty, has NaN/∞ or the wrong number of features.</exception>
    public float[] ScoreSamples(Tensor x)
    {
        var ll = new float[x.Shape[0]];
        ForEachChunk(x, (b0, n, l, _) => l.CopyTo(ll.AsSpan(b0, n)));
        return ll;
    }

    /// <summary>Mean per-point log-likelihood of x (N, D), summed in double.</summary>
    public double Score(Tensor x)
    {
        double s = 0;
        foreach (float v in ScoreSamples(x)) s += v;
        return s / x.Shape[0];
    }

    /// <summary>Posterior component probabilities p(k | x_n) (N, K); rows sum to 1.</summary>
    public Tensor PredictProba(Tensor x)
    {
        int k = Components;
        var p = Tensor.Zeros(x.Shape[0], k);
        ForEachChunk(x, (b0, n, _, resp) =>
        {
            for (int c = 0; c < k; c++)
                for (int i = 0; i < n; i++) p.Data[(b0 + i) * k + c] = resp[c * n + i];
        });
        return p;
    }

    /// <summary>Σ_n p(k | x_n) for each component (K), summed in double: the EM weight statistics.</summary>
    protected double[] ResponsibilitySums(Tensor x)
    {
        var sums = new double[Components];
        ForEachChunk(x, (_, n, _, resp) =>
        {
            for (int c = 0; c < sums.Length; c++)
            {
                double s = 0;
                foreach (float r in resp.Slice(c * n, n)) s += r;
                sums[c] += s;
            }
        });
        return sums;
    }

    /// <summary>Most probable component argmax_k p(k | x_n) for each row of x (N, D).</summary>
    public int[] Predict(Tensor x)
    {
        int k = Components;
        var labels = new int[x.Shape[0]];
        ForEachChunk(x, (b0, n, _, resp) =>
        {
            for (int i = 0; i < n; i++)
            {
                int best = 0;
                for (int c = 1; c < k; c++) if (resp[c * n + i] > resp[best * n + i]) best = c;
                labels[b0 + i] = best;
            }
        });
        return labels;
    }

    /// <summary>n draws from the mixture: pick k ~ softmax(logits), then x ~ p(x | k). Returns X (n, D) and the components.</summary>
    /// <exception cref="ArgumentOutOfRangeException">n is negative.</exception>
    public (Tensor X, int[] Components) Sample(int n, Rng rng)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, "sample count must be non-negative");
        var w = Weights();
        var ks = rng.Multinomial(w, n);
        var x = Tensor.Zeros(n, Features);
        for (int i = 0; i < n; i++) SampleFromComponent(ks[i], x.Data.AsSpan(i * Features, Features), rng);
        return (x, ks);
    }

    /// <summary>n draws from component k alone, p(x | k), as (n, D).</summary>
    /// <exception cref="ArgumentOutOfRangeException">k is not in [0, K) or n is negative.</exception>
    public Tensor SampleComponent(int k, int n, Rng rng)
    {
        if (k < 0 || k >= Components) throw new ArgumentOutOfRangeException(nameof(k), k, $"component index must be in [0, {Components})");
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, "sample count must be non-negative");
        _ = Logits;
        var x = Tensor.Zeros(n, Features);
        for (int i = 0; i < n; i++) SampleFromComponent(k, x.Data.AsSpan(i * Features, Features), rng);
        return x;
    }

    private delegate void ChunkAction(int b0, int n, ReadOnlySpan<float> logLik, ReadOnlySpan<float> resp);

    // Runs the forward kernel over x in chunks of 4096 points (pooled scratch) and hands each chunk over.
    private void ForEachChunk(Tensor x, ChunkAction action)
    {
        _ = Logits;
        MixtureData.CheckPoints(x, "x", Features);
        int total = x.Shape[0], d = Features, k = Components, chunk = Math.Min(total, 4096);
        var xT = ArrayPool<float>.Shared.Rent(d * chunk);
        var resp = ArrayPool<float>.Shared.Rent(k * chunk);
        var ll = ArrayPool<float>.Shared.Rent(chunk);
        for (int b0 = 0; b0 < total; b0 += chunk)
        {
            int n = Math.Min(chunk, total - b0);
            for (int j = 0; j < d; j++)
                for (int i = 0; i < n; i++) xT[j * n + i] = x.Data[(b0 + i) * d + j];
            ForwardKernel(ll.AsSpan(0, n), resp.AsSpan(0, k * n), xT.AsSpan(0, d * n), n);
            action(b0, n, ll.AsSpan(0, n), resp.AsSpan(0, k * n));
        }
        ArrayPool<float>.Shared.Return(xT);
        ArrayPool<float>.Shared.Return(resp);
        ArrayPool<float>.Shared.Return(ll);
    }

    /// <summary>log softmax(logits) as a plain array (K), for kernels.</summary>
    protected float[] LogWeightsArray()
    {
        using var _ = NoGrad.Scope();
        return Logits.LogSoftmax().Data;
    }

    private InvalidOperationException NotFitted() => new($"{GetType().Name} is not fitted; call Fit first");
}
