// Stochastic gradient descent with optional momentum, Nesterov and L2 weight decay (torch.optim.SGD semantics:
// buf = μ·buf + g (g itself on the first step), update = g + μ·buf if Nesterov else buf).
using System.Numerics.Tensors;
using ProbLab.Tensors;

namespace ProbLab.Nn.Optim;

/// <summary>SGD with momentum, as torch.optim.SGD.</summary>
public sealed class Sgd : Optimizer
{
    private readonly Dictionary<string, float[]> _momentum = new();
    private readonly float[]?[] _buffers;   // per parameter, in Params order (null without momentum)
    private readonly float _mu, _weightDecay;
    private readonly bool _nesterov;

    /// <summary>Creates SGD; momentum 0 is plain gradient descent.</summary>
    public Sgd(IEnumerable<(string Name, Tensor Param)> parameters, float learningRate, float momentum = 0f, float weightDecay = 0f, bool nesterov = false)
        : base(parameters, learningRate)
    {
        if (momentum < 0 || momentum >= 1) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be in [0, 1)");
        _mu = momentum;
        _weightDecay = weightDecay;
        _nesterov = nesterov;
        _buffers = new float[]?[Params.Length];
        if (_mu > 0)
            for (int i = 0; i < Params.Length; i++) _buffers[i] = Buffer(_momentum, Params[i].Name + ".momentum_buffer", Params[i].Param.Size);
    }

    /// <inheritdoc/>
    protected override void Update(int index, Tensor p, float[] grad)
    {
        var g = grad;
        if (_weightDecay != 0)
        {
            g = (float[])grad.Clone();
            TensorPrimitives.MultiplyAdd(p.Data, _weightDecay, g, g);
        }
        if (_mu > 0)
        {
            var buf = _buffers[index]!;
            if (StepCount == 1) g.CopyTo(buf, 0);
            else TensorPrimitives.MultiplyAdd(buf, _mu, g, buf);
            if (_nesterov)
            {
                var u = new float[g.Length];
                TensorPrimitives.MultiplyAdd(buf, _mu, g, u);
                g = u;
            }
            else g = buf;
        }
        TensorPrimitives.MultiplyAdd(g, -LearningRate, p.Data, p.Data);
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, float[]> StateBuffers() => _momentum;
}
