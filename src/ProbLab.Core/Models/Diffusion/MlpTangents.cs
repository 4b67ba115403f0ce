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
        int inF = CheckInput(mlp, u);
        if (inputs < 1 || inputs > inF)
            throw new ArgumentOutOfRangeException(nameof(inputs), $"tangent inputs must be in 1..{inF}, got {inputs}");
        // The tangent of u along its own coordinate j is e_j, so the first layer's tangent is W[:, j].
        var w = mlp.Layers[0].Weight;
        var first = w.Slice(1, 0, inputs).Transpose(0, 1).Reshape(inputs, 1, w.Shape[0]);   // (J, 1, H)
        return Propagate(mlp, u, first, inputs);
    }

    /// <summary>
    /// y = mlp(u) and dy/dx along J directions, given the input tangents U̇ (J, N, In) = ∂u/∂x_j (treated as
    /// constants: u is a fixed feature map of data, e.g. sinusoids of x). Returns y (N, Out) and (J, N, Out).
    /// </summary>
    /// <exception cref="ArgumentException">Shapes do not match, or the activation has no tangent rule.</exception>
    public static (Tensor Output, Tensor Jacobian) ForwardWithJacobian(this Mlp mlp, Tensor u, Tensor inputTangent)
    {
        int inF = CheckInput(mlp, u);
        if (inputTangent.Rank != 3 || inputTangent.Shape[1] != u.Shape[0] || inputTangent.Shape[2] != inF)
            throw new ArgumentException($"input tangents must have shape (J, {u.Shape[0]}, {inF}), got {ShapeUtil.Format(inputTangent.Shape)}");
        var first = inputTangent.Linear(mlp.Layers[0].Weight);                                   // (J, N, H)
        return Propagate(mlp, u, first, inputTangent.Shape[0]);
    }

    // Runs the layers, carrying the tangents; `firstTangent` is Ż of the first Linear, (J, 1 or N, H).
    private static (Tensor Output, Tensor Jacobian) Propagate(Mlp mlp, Tensor u, Tensor firstTangent, int directions)
    {
        var layers = mlp.Layers;
        int n = u.Shape[0];
        Tensor h = u, zt = firstTangent;
        for (int i = 0; ; i++)
        {
            var z = layers[i].Forward(h);                                                       // (N, H)
            if (i > 0) zt = zt.Linear(layers[i].Weight);                                        // (J, N, H)
            if (i == layers.Count - 1)
            {
                if (zt.Shape[1] != n) zt = zt.Add(Tensor.Zeros(directions, n, layers[i].OutFeatures)); // broadcast constant rows
                return (z, zt);
            }
            var a = mlp.Activation.Apply(z);
            zt = zt.Mul(Derivative(mlp.Activation, z, a));                                      // (J, N, H)
            h = a;
        }
    }

    private static int CheckInput(Mlp mlp, Tensor u)
    {
        int inF = mlp.Layers[0].InFeatures;
        if (u.Rank != 2 || u.Shape[1] != inF) throw new ArgumentException($"expected input of shape (N, {inF}), got {ShapeUtil.Format(u.Shape)}");
        return inF;
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
