// C# operators on Tensor, forwarding to the autograd ops in ProbLab.Ops.TensorOps.
using ProbLab.Ops;

namespace ProbLab.Tensors;

public sealed partial class Tensor
{
    /// <summary>Elementwise sum with broadcasting.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
    /// <summary>Elementwise difference with broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);
    /// <summary>Elementwise product with broadcasting (not a matrix product; see MatMul).</summary>
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);
    /// <summary>Elementwise quotient with broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);
    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a) => a.Neg();
    /// <summary>Adds a constant.</summary>
    public static Tensor operator +(Tensor a, float c) => a.Add(c);
    /// <summary>Adds a constant.</summary>
    public static Tensor operator +(float c, Tensor a) => a.Add(c);
    /// <summary>Subtracts a constant.</summary>
    public static Tensor operator -(Tensor a, float c) => a.Add(-c);
    /// <summary>Constant minus tensor.</summary>
    public static Tensor operator -(float c, Tensor a) => a.RSub(c);
    /// <summary>Scales by a constant.</summary>
    public static Tensor operator *(Tensor a, float c) => a.Mul(c);
    /// <summary>Scales by a constant.</summary>
    public static Tensor operator *(float c, Tensor a) => a.Mul(c);
    /// <summary>Divides by a constant.</summary>
    public static Tensor operator /(Tensor a, float c) => a.Mul(1f / c);
    /// <summary>Constant divided by tensor.</summary>
    public static Tensor operator /(float c, Tensor a) => a.RDiv(c);
}
