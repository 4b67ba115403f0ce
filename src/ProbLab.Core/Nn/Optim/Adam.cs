// Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019) with torch.optim's exact arithmetic:
//   m = β1·m + (1−β1)·g ;  v = β2·v + (1−β2)·g²
//   p −= (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + ε)
// Adam's weight decay is L2 (added to g); AdamW decays the weights directly, p ·= (1 − lr·wd), and by
// default only for parameters of rank ≥ 2 (nanoGPT's configure_optimizers: no decay on biases and norms).
using System.Numerics;
using ProbLab.Tensors;

namespace ProbLab.Nn.Optim;

/// <summary>Adam, or AdamW when constructed with <c>decoupled: true</c> (see <see cref="AdamW"/>).</summary>
public class Adam : Optimizer
{
    private readonly Dictionary<string, float[]> _state = new();
    private readonly float[][] _m, _v;   // per parameter, in Params order; the same arrays as in _state
    private readonly bool[] _decay;
    private readonly float _beta1, _beta2, _eps, _weightDecay;
    private readonly bool _decoupled;

    /// <summary>Creates Adam with L2 weight decay (torch.optim.Adam).</summary>
    public Adam(IEnumerable<(string Name, Tensor Param)> parameters, float learningRate = 1e-3f,
        float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 0f)
        : this(parameters, learningRate, beta1, beta2, eps, weightDecay, decoupled: false, decayFilter: null) { }

    /// <summary>Shared constructor for Adam and AdamW.</summary>
    protected Adam(IEnumerable<(string Name, Tensor Param)> parameters, float learningRate, float beta1, float beta2, float eps,
        float weightDecay, bool decoupled, Func<string, Tensor, bool>? decayFilter)
        : base(parameters, learningRate)
    {
        if (beta1 < 0 || beta1 >= 1) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1)");
        if (beta2 < 0 || beta2 >= 1) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1)");
        if (!(eps > 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be positive");
        if (weightDecay < 0) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weight decay must be non-negative");
        _beta1 = beta1; _beta2 = beta2; _eps = eps; _weightDecay = weightDecay; _decoupled = decoupled;
        _m = new float[Params.Length][];
        _v = new float[Params.Length][];
        _decay = new bool[Params.Length];
        for (int i = 0; i < Params.Length; i++)
        {
            var (n, p) = Params[i];
            _m[i] = Buffer(_state, n + ".exp_avg", p.Size);
            _v[i] = Buffer(_state, n + ".exp_avg_sq", p.Size);
            _decay[i] = decayFilter?.Invoke(n, p) ?? true;
        }
    }

    /// <inheritdoc/>
    protected override void Update(int index, Tensor p, float[] grad)
    {
        var m = _m[index];
        var v = _v[index];
        var w = p.Data;
        float lr = LearningRate;
        bool decay = _weightDecay != 0 && _decay[index];
        if (decay && _decoupled)
        {
            float f = 1f - lr * _weightDecay;
            for (int i = 0; i < w.Length; i++) w[i] *= f;
        }
        float l2 = decay && !_decoupled ? _weightDecay : 0f;
        float bc1 = 1f - MathF.Pow(_beta1, StepCount);
        float bc2Sqrt = MathF.Sqrt(1f - MathF.Pow(_beta2, StepCount));
        float stepSize = lr / bc1;
        float b1 = _beta1, b2 = _beta2, omb1 = 1f - _beta1, omb2 = 1f - _beta2, eps = _eps;

        int i0 = 0;
        if (Vector.IsHardwareAccelerated && w.Length >= Vector<float>.Count)
        {
            var vb1 = new Vector<float>(b1); var vb2 = new Vector<float>(b2);
            var vomb1 = new Vector<float>(omb1); var vomb2 = new Vector<float>(omb2);
            var vl2 = new Vector<float>(l2); var vstep = new Vector<float>(stepSize);
            var vbc2 = new Vector<float>(bc2Sqrt); var veps = new Vector<float>(eps);
            int n = Vector<float>.Count;
            for (; i0 <= w.Length - n; i0 += n)
            {
                var vw = new Vector<float>(w, i0);
                var g = new Vector<float>(grad, i0) + vl2 * vw;
                var vm = vb1 * new Vector<float>(m, i0) + vomb1 * g;
                var vv = vb2 * new Vector<float>(v, i0) + vomb2 * g * g;
                vm.CopyTo(m, i0);
                vv.CopyTo(v, i0);
                var denom = Vector.SquareRoot(vv) / vbc2 + veps;
                (vw - vstep * vm / denom).CopyTo(w, i0);
            }
        }
        for (int i = i0; i < w.Length; i++)
        {
            float g = grad[i] + l2 * w[i];
            m[i] = b1 * m[i] + omb1 * g;
            v[i] = b2 * v[i] + omb2 * g * g;
            float denom = MathF.Sqrt(v[i]) / bc2Sqrt + eps;
            w[i] -= stepSize * m[i] / denom;
        }
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, float[]> StateBuffers() => _state;
}

/// <summary>AdamW: decoupled weight decay (default 0.01, torch's), applied to rank ≥ 2 parameters unless a filter says otherwise.</summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates AdamW.</summary>
    public AdamW(IEnumerable<(string Name, Tensor Param)> parameters, float learningRate = 1e-3f,
        float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 0.01f,
        Func<string, Tensor, bool>? decayFilter = null)
        : base(parameters, learningRate, beta1, beta2, eps, weightDecay, decoupled: true, decayFilter ?? ((_, p) => p.Rank >= 2)) { }
}
