// Forward-mode tangents through an Mlp, built from ordinary differentiable ops, so that reverse mode then
// gives parameter gradients of Jacobian terms (the divergence in the Hyvärinen objective) without
// second-order autograd. For input u (N, In) and the first J input coordinates, each layer carries
//   h (N, H)   and   Ḣ_j = ∂h/∂u_j (J, N, H):
//   Linear:      z = h Wᵀ + b,            Ż_j = Ḣ_j Wᵀ          (no bias; Ż_j = W[:, j] at the first layer)
//   activation:  a = φ(z),                Ȧ_j = φ'(z) ⊙ Ż_j      (φ' written as ops of z and a)
// Because φ'(z) is itself a recorded op of z, backward through Ȧ reaches φ''(z) and W correctly: this is
// "forward-over-reverse" assembled by hand. Cost: one extra GEMM per layer on J·N rows.
using ProbLab.Nn;
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Models.Diffusion;

/// <summary>Output and input-Jacobian of an <see cref="Mlp"/> in one differentiable pass (forward-mode tangents).</summary>
public static class MlpTangents
{
    /// <summary>
    /// y = mlp(u) (N, Out) and its Jacobian J (J, N, Out) with J[j, n, :] = ∂y_n/∂u_{n,j} for the first
    /// <paramref name="inputs"/> input coordinates. Both are differentiable in the MLP's parameters.
    /// </summary>
    /// <exception cref="ArgumentException">u is not (N, In), <paramref name="inputs"/> is outside 1..In, or the activation has no tangent rule.</exception>
    public static (Tensor Output, Tensor Jacobian) ForwardWithJacobian(this Mlp mlp, Tensor u, int inputs)
    {
        var layers = mlp.Layers;
        if (u.Rank != 2 || u.Shape[1] != layers[0].InFeatures)
            throw new ArgumentException($"expected input of shape (N, {layers[0].InFeatures}), got {ShapeUtil.Format(u.Shape)}");
        if (inputs < 1 || inputs > layers[0].InFeatures)
            throw new ArgumentOutOfRangeException(nameof(inputs), $"tangent inputs must be in 1..{layers[0].InFeatures}, got {inputs}");
        int n = u.Shape[0];
        Tensor h = u, tangent = null!;
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            var z = layer.Forward(h);                                                   // (N, H)
            var zt = i == 0
                ? layer.Weight.Slice(1, 0, inputs).Transpose(0, 1).Reshape(inputs, 1, layer.OutFeatures) // (J, 1, H): W[:, j]
                : tangent.Linear(layer.Weight);                                          // (J, N, H)
            if (i == layers.Count - 1)
            {
                if (i == 0) zt = zt.Add(Tensor.Zeros(inputs, n, layer.OutFeatures)); // broadcast the constant rows
                return (z, zt);
            }
            var a = mlp.Activation.Apply(z);
            tangent = zt.Mul(Derivative(mlp.Activation, z, a));                          // (J, N, H)
            h = a;
        }
        throw new InvalidOperationException("unreachable: an Mlp has at least one layer");
    }

    /// <summary>φ'(z) as a differentiable op of z and a = φ(z) (needed so reverse mode sees φ'').</summary>
    /// <exception cref="ArgumentException">The activation has no tangent rule here (GELU).</exception>
    public static Tensor Derivative(Activation act, Tensor z, Tensor a) => act switch
    {
        Activation.None => Tensor.Ones(z.Shape),
        Activation.Tanh => a.Square().RSub(1f),                                         // 1 − tanh²
        Activation.Sigmoid => a.Mul(a.RSub(1f)),                                        // σ(1 − σ)
        Activation.Softplus => z.Sigmoid(),                                             // softplus' = σ
        Activation.Silu => SiluDerivative(z),
        Activation.Relu => Relu01(z),
        _ => throw new ArgumentException($"activation {act} has no tangent rule; use Tanh, Silu, Softplus, Sigmoid, Relu or None"),
    };

    // d/dz [z σ(z)] = σ(z) (1 + z (1 − σ(z)))
    private static Tensor SiluDerivative(Tensor z)
    {
        var s = z.Sigmoid();
        return s.Mul(z.Mul(s.RSub(1f)).Add(1f));
    }

    // ReLU' is the constant step 1[z > 0] (its own derivative is 0 almost everywhere): no history needed.
    private static Tensor Relu01(Tensor z)
    {
        var d = Tensor.ZerosLike(z);
        for (int i = 0; i < d.Size; i++) d.Data[i] = z.Data[i] > 0 ? 1f : 0f;
        return d;
    }

    /// <summary>Trace over the first and last axes of J (J, N, J): Σ_j J[j, n, j], shape (N). Differentiable.</summary>
    /// <exception cref="ArgumentException">J is not (J, N, J).</exception>
    public static Tensor Trace(Tensor jacobian)
    {
        if (jacobian.Rank != 3 || jacobian.Shape[0] != jacobian.Shape[2])
            throw new ArgumentException($"expected a Jacobian of shape (J, N, J), got {ShapeUtil.Format(jacobian.Shape)}");
        int d = jacobian.Shape[0];
        var eye = Tensor.Zeros(d, 1, d);
        for (int j = 0; j < d; j++) eye.Data[j * d + j] = 1f;
        return jacobian.Mul(eye).Sum(2).Sum(0);                                       // (N)
    }
}
