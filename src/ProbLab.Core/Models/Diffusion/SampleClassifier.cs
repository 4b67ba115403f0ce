// A small MLP classifier trained on real data to judge generated samples by their content (e.g. "is this
// decoded image the requested digit?"), independently of the latent space the samples came from. This is
// the check behind the guidance figures: nearest-class-mean accuracy in latent space can be fooled by a
// latent that sits in the right region but decodes to an ambiguous image; a pixel classifier cannot.
using ProbLab.Nn;
using ProbLab.Nn.Optim;
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Models.Diffusion;

/// <summary>MLP classifier (ReLU hidden layers, softmax cross-entropy, Adam) for judging samples.</summary>
public sealed class SampleClassifier
{
    private readonly Mlp _mlp;

    /// <summary>Creates an untrained classifier with the given layer sizes [in, hidden..., classes].</summary>
    /// <exception cref="ArgumentException">Fewer than two sizes, or a size below 1.</exception>
    public SampleClassifier(int[] sizes, Rng rng)
    {
        if (sizes.Length < 2 || sizes.Any(s => s < 1)) throw new ArgumentException($"classifier sizes must be ≥ 1 with input and output, got [{string.Join(", ", sizes)}]");
        _mlp = new Mlp(sizes, Activation.Relu, rng);
        Classes = sizes[^1];
    }

    /// <summary>Number of classes.</summary>
    public int Classes { get; }

    /// <summary>Trains with minibatch Adam for <paramref name="epochs"/> passes over X (N, In) with labels (N); returns the mean loss per epoch (also passed to <paramref name="onEpoch"/>).</summary>
    /// <exception cref="ArgumentException">Shapes or labels do not match.</exception>
    public double[] Fit(Tensor x, int[] labels, int epochs, Rng rng, int batchSize = 128, float learningRate = 1e-3f, CancellationToken cancel = default,
        Action<int, double>? onEpoch = null)
    {
        if (x.Rank != 2 || x.Shape[0] != labels.Length || x.Shape[0] == 0) throw new ArgumentException($"{labels.Length} labels for inputs of shape {ShapeUtil.Format(x.Shape)}");
        if (x.Shape[1] != _mlp.Layers[0].InFeatures) throw new ArgumentException($"classifier expects {_mlp.Layers[0].InFeatures} input features, got {x.Shape[1]}");
        foreach (int y in labels)
            if (y < 0 || y >= Classes) throw new ArgumentOutOfRangeException(nameof(labels), $"label must be in 0..{Classes - 1}, got {y}");
        if (epochs < 1 || batchSize < 1) throw new ArgumentOutOfRangeException(nameof(epochs), $"epochs and batch size must be at least 1, got {epochs} and {batchSize}");
        int n = x.Shape[0], d = x.Shape[1];
        var opt = new Adam(_mlp.NamedParameters(), learningRate);
        var losses = new double[epochs];
        for (int e = 0; e < epochs; e++)
        {
            var order = rng.Permutation(n);
            double sum = 0;
            int batches = 0;
            for (int start = 0; start < n; start += batchSize)
            {
                cancel.ThrowIfCancellationRequested();
                int m = Math.Min(batchSize, n - start);
                var xb = Tensor.Zeros(m, d);
                var yb = new int[m];
                for (int i = 0; i < m; i++)
                {
                    Array.Copy(x.Data, order[start + i] * d, xb.Data, i * d, d);
                    yb[i] = labels[order[start + i]];
                }
                opt.ZeroGrad();
                var loss = _mlp.Forward(xb).CrossEntropy(yb);
                loss.Backward();
                opt.Step();
                sum += loss.Item();
                batches++;
            }
            losses[e] = sum / batches;
            onEpoch?.Invoke(e, losses[e]);
        }
        return losses;
    }

    /// <summary>Most likely class of each row of X (N, In).</summary>
    public int[] Predict(Tensor x)
    {
        using var _ = NoGrad.Scope();
        return _mlp.Forward(x).ArgMax();
    }

    /// <summary>Fraction of rows predicted as their label.</summary>
    public double Accuracy(Tensor x, int[] labels) => Predict(x).Zip(labels).Count(p => p.First == p.Second) / (double)labels.Length;
}
