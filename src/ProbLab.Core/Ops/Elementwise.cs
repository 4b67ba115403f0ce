// Elementwise autograd ops. Each op: forward with TensorPrimitives or a small loop, then a closure that
// ADDS into the inputs' gradients. Binary ops broadcast (NumPy rules); their backward reduces with
// Broadcast.SumToShape. Numerically delicate ops (sigmoid, softplus, log) use stable forms noted inline.
using System.Numerics.Tensors;
using ProbLab.Tensors;

namespace ProbLab.Ops;

/// <summary>Autograd operations on <see cref="Tensor"/> (extension methods).</summary>
public static partial class TensorOps
{
    private enum BinaryKind { Add, Sub, Mul, Div, Maximum, Minimum, Pow }

    /// <summary>a + b with broadcasting.</summary>
    public static Tensor Add(this Tensor a, Tensor b) => Binary(a, b, BinaryKind.Add, "add");

    /// <summary>a − b with broadcasting.</summary>
    public static Tensor Sub(this Tensor a, Tensor b) => Binary(a, b, BinaryKind.Sub, "sub");

    /// <summary>a · b (elementwise) with broadcasting.</summary>
    public static Tensor Mul(this Tensor a, Tensor b) => Binary(a, b, BinaryKind.Mul, "mul");

    /// <summary>a / b (elementwise) with broadcasting.</summary>
    public static Tensor Div(this Tensor a, Tensor b) => Binary(a, b, BinaryKind.Div, "div");

    /// <summary>Elementwise max(a, b); the gradient goes to a where a ≥ b, else to b.</summary>
    public static Tensor Maximum(this Tensor a, Tensor b) => Binary(a, b, BinaryKind.Maximum, "maximum");

    /// <summary>Elementwise min(a, b); the gradient goes to a where a ≤ b, else to b.</summary>
    public static Tensor Minimum(this Tensor a, Tensor b) => Binary(a, b, BinaryKind.Minimum, "minimum");

    /// <summary>Elementwise a^b for a &gt; 0 (b may be any real; the gradient to b uses log a).</summary>
    public static Tensor Pow(this Tensor a, Tensor b) => Binary(a, b, BinaryKind.Pow, "pow");

    private static Tensor Binary(Tensor a, Tensor b, BinaryKind kind, string name)
    {
        int[] shape = ShapeUtil.Same(a.Shape, b.Shape) ? a.Shape : ShapeUtil.Broadcast(a.Shape, b.Shape);
        float[] ad = Broadcast.Expand(a.Data, a.Shape, shape);
        float[] bd = Broadcast.Expand(b.Data, b.Shape, shape);
        var y = new Tensor(new float[ad.Length], (int[])shape.Clone());
        var o = y.Data;
        switch (kind)
        {
            case BinaryKind.Add: TensorPrimitives.Add(ad, bd, o); break;
            case BinaryKind.Sub: TensorPrimitives.Subtract(ad, bd, o); break;
            case BinaryKind.Mul: TensorPrimitives.Multiply(ad, bd, o); break;
            case BinaryKind.Div: TensorPrimitives.Divide(ad, bd, o); break;
            case BinaryKind.Maximum: TensorPrimitives.Max(ad, bd, o); break;
            case BinaryKind.Minimum: TensorPrimitives.Min(ad, bd, o); break;
            case BinaryKind.Pow: TensorPrimitives.Pow(ad, bd, o); break;
        }
        return y.Record(name, a, b, () =>
        {
            var g = y.Grad!;
            if (a.RequiresGrad) Broadcast.SumToShape(LocalGrad(kind, true, g, ad, bd, o), shape, a.Grad!, a.Shape);
            if (b.RequiresGrad) Broadcast.SumToShape(LocalGrad(kind, false, g, ad, bd, o), shape, b.Grad!, b.Shape);
        });
    }

    // d(out)/d(a or b) times the upstream gradient g, at full broadcast shape.
    private static float[] LocalGrad(BinaryKind kind, bool forA, float[] g, float[] a, float[] b, float[] y)
    {
        var r = new float[g.Length];
        switch (kind)
        {
            case BinaryKind.Add:
                g.CopyTo(r, 0);
                break;
            case BinaryKind.Sub:
                if (forA) g.CopyTo(r, 0); else TensorPrimitives.Negate(g, r);
                break;
            case BinaryKind.Mul:
                TensorPrimitives.Multiply(g, forA ? b : a, r);
                break;
            case BinaryKind.Div:
                // d(a/b)/da = 1/b ; d(a/b)/db = -a/b² = -y/b
                if (forA) TensorPrimitives.Divide(g, b, r);
                else
                {
                    TensorPrimitives.Multiply(g, y, r);
                    TensorPrimitives.Divide(r, b, r);
                    TensorPrimitives.Negate(r, r);
                }
                break;
            case BinaryKind.Maximum:
                for (int i = 0; i < r.Length; i++) r[i] = (forA ? a[i] >= b[i] : b[i] > a[i]) ? g[i] : 0f;
                break;
            case BinaryKind.Minimum:
                for (int i = 0; i < r.Length; i++) r[i] = (forA ? a[i] <= b[i] : b[i] < a[i]) ? g[i] : 0f;
                break;
            case BinaryKind.Pow:
                // d(a^b)/da = b·a^(b−1) ; d(a^b)/db = a^b · ln a
                for (int i = 0; i < r.Length; i++)
                    r[i] = forA ? g[i] * b[i] * MathF.Pow(a[i], b[i] - 1f) : g[i] * y[i] * MathF.Log(a[i]);
                break;
        }
        return r;
    }

    // ---- scalar-operand ops (no broadcasting bookkeeping) ------------------------------------------

    /// <summary>x + c.</summary>
    public static Tensor Add(this Tensor x, float c)
    {
        var y = Tensor.ZerosLike(x);
        TensorPrimitives.Add(x.Data, c, y.Data);
        return y.Record("add_scalar", x, () => TensorPrimitives.Add(x.Grad!, y.Grad!, x.Grad!));
    }

    /// <summary>x · c.</summary>
    public static Tensor Mul(this Tensor x, float c)
    {
        var y = Tensor.ZerosLike(x);
        TensorPrimitives.Multiply(x.Data, c, y.Data);
        return y.Record("mul_scalar", x, () => TensorPrimitives.MultiplyAdd(y.Grad!, c, x.Grad!, x.Grad!));
    }

    /// <summary>c − x.</summary>
    public static Tensor RSub(this Tensor x, float c)
    {
        var y = Tensor.ZerosLike(x);
        TensorPrimitives.Subtract(c, x.Data, y.Data);
        return y.Record("rsub_scalar", x, () => TensorPrimitives.Subtract(x.Grad!, y.Grad!, x.Grad!));
    }

    /// <summary>c / x.</summary>
    public static Tensor RDiv(this Tensor x, float c)
    {
        var y = Tensor.ZerosLike(x);
        TensorPrimitives.Divide(c, x.Data, y.Data);
        // d(c/x)/dx = -c/x² = -y/x
        return y.Record("rdiv_scalar", x, () =>
        {
            var xd = x.Data; var yd = y.Data; var g = y.Grad!; var dx = x.Grad!;
            for (int i = 0; i < dx.Length; i++) dx[i] -= g[i] * yd[i] / xd[i];
        });
    }

    /// <summary>−x.</summary>
    public static Tensor Neg(this Tensor x) => x.Mul(-1f);

    /// <summary>x^p for a constant exponent p.</summary>
    public static Tensor Pow(this Tensor x, float p)
    {
        var y = Tensor.ZerosLike(x);
        if (p == 2f) TensorPrimitives.Multiply(x.Data, x.Data, y.Data);
        else TensorPrimitives.Pow(x.Data, p, y.Data);
        return y.Record("pow_scalar", x, () =>
        {
            var xd = x.Data; var g = y.Grad!; var dx = x.Grad!;
            if (p == 2f) for (int i = 0; i < dx.Length; i++) dx[i] += 2f * xd[i] * g[i];
            else for (int i = 0; i < dx.Length; i++) dx[i] += p * MathF.Pow(xd[i], p - 1f) * g[i];
        });
    }

    /// <summary>x².</summary>
    public static Tensor Square(this Tensor x) => x.Pow(2f);

    // ---- unary math ------------------------------------------------------------------------------

    /// <summary>eˣ.</summary>
    public static Tensor Exp(this Tensor x)
    {
        var y = Tensor.ZerosLike(x);
        TensorPrimitives.Exp(x.Data, y.Data);
        return y.Record("exp", x, () => TensorPrimitives.MultiplyAdd(y.Grad!, y.Data, x.Grad!, x.Grad!));
    }

    /// <summary>Natural log (−∞ at 0, NaN below, as IEEE).</summary>
    public static Tensor Log(this Tensor x)
    {
        var y = Tensor.ZerosLike(x);
        TensorPrimitives.Log(x.Data, y.Data);
        return y.Record("log", x, () =>
        {
            var g = y.Grad!; var xd = x.Data; var dx = x.Grad!;
            for (int i = 0; i < dx.Length; i++) dx[i] += g[i] / xd[i];
        });
    }

    /// <summary>√x.</summary>
    public static Tensor Sqrt(this Tensor x)
    {
        var y = Tensor.ZerosLike(x);
        TensorPrimitives.Sqrt(x.Data, y.Data);
        return y.Record("sqrt", x, () =>
        {
            var g = y.Grad!; var yd = y.Data; var dx = x.Grad!;
            for (int i = 0; i < dx.Length; i++) dx[i] += 0.5f * g[i] / yd[i];
        });
    }

    /// <summary>|x| (subgradient 0 at 0).</summary>
    public static Tensor Abs(this Tensor x)
    {
        var y = Tensor.ZerosLike(x);
        TensorPrimitives.Abs(x.Data, y.Data);
        return y.Record("abs", x, () =>
        {
            var g = y.Grad!; var xd = x.Data; var dx = x.Grad!;
            for (int i = 0; i < dx.Length; i++) dx[i] += MathF.Sign(xd[i]) * g[i];
        });
    }

    /// <summary>tanh x.</summary>
    public static Tensor Tanh(this Tensor x)
    {
        var y = Tensor.ZerosLike(x);
        TensorPrimitives.Tanh(x.Data, y.Data);
        return y.Record("tanh", x, () =>
        {
            var g = y.Grad!; var yd = y.Data; var dx = x.Grad!;
            for (int i = 0; i < dx.Length; i++) dx[i] += (1f - yd[i] * yd[i]) * g[i];
        });
    }

    /// <summary>σ(x) = 1/(1+e⁻ˣ), evaluated without overflow for large |x|.</summary>
    public static Tensor Sigmoid(this Tensor x)
    {
        var y = Tensor.ZerosLike(x);
        var xd = x.Data; var yd = y.Data;
        // Stable: for x ≥ 0 use 1/(1+e^-x); for x < 0 use e^x/(1+e^x), so exp never overflows.
        for (int i = 0; i < yd.Length; i++)
        {
            float v = xd[i];
            if (v >= 0) yd[i] = 1f / (1f + MathF.Exp(-v));
            else { float e = MathF.Exp(v); yd[i] = e / (1f + e); }
        }
        return y.Record("sigmoid", x, () =>
        {
            var g = y.Grad!; var dx = x.Grad!;
            for (int i = 0; i < dx.Length; i++) dx[i] += yd[i] * (1f - yd[i]) * g[i];
        });
    }

    /// <summary>max(x, 0).</summary>
    public static Tensor Relu(this Tensor x)
    {
        var y = Tensor.ZerosLike(x);
        TensorPrimitives.Max(x.Data, 0f, y.Data);
        return y.Record("relu", x, () => ReluBackward(x.Grad!, y.Grad!, x.Data));
    }

    // dx += g where x > 0, branch-free: the mask selects g or 0 lane by lane (a data-dependent branch per
    // element mispredicts about half the time on real activations).
    private static void ReluBackward(float[] dx, float[] g, float[] x)
    {
        int i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            int n = System.Numerics.Vector<float>.Count;
            for (; i <= dx.Length - n; i += n)
            {
                var vx = new System.Numerics.Vector<float>(x, i);
                var vg = new System.Numerics.Vector<float>(g, i);
                var mask = System.Numerics.Vector.GreaterThan(vx, System.Numerics.Vector<float>.Zero);
                (new System.Numerics.Vector<float>(dx, i) + System.Numerics.Vector.ConditionalSelect(mask, vg, System.Numerics.Vector<float>.Zero)).CopyTo(dx, i);
            }
        }
        for (; i < dx.Length; i++) if (x[i] > 0) dx[i] += g[i];
    }

    /// <summary>log(1 + eˣ), stable: max(x, 0) + log1p(e^−|x|).</summary>
    public static Tensor Softplus(this Tensor x)
    {
        var y = Tensor.ZerosLike(x);
        var xd = x.Data; var yd = y.Data;
        for (int i = 0; i < yd.Length; i++)
        {
            float v = xd[i];
            yd[i] = MathF.Max(v, 0f) + (float)Math.Log(1.0 + Math.Exp(-Math.Abs(v)));
        }
        // d softplus / dx = σ(x), computed stably as above.
        return y.Record("softplus", x, () =>
        {
            var g = y.Grad!; var dx = x.Grad!;
            for (int i = 0; i < dx.Length; i++)
            {
                float v = xd[i];
                float s = v >= 0 ? 1f / (1f + MathF.Exp(-v)) : MathF.Exp(v) / (1f + MathF.Exp(v));
                dx[i] += s * g[i];
            }
        });
    }

    /// <summary>GELU, tanh approximation (Hendrycks &amp; Gimpel; GPT-2's "NewGELU"): ½x(1 + tanh(√(2/π)(x + 0.044715x³))).</summary>
    public static Tensor Gelu(this Tensor x)
    {
        const float k = 0.7978845608028654f; // √(2/π)
        var y = Tensor.ZerosLike(x);
        var xd = x.Data; var yd = y.Data;
        var th = new float[xd.Length];
        for (int i = 0; i < xd.Length; i++)
        {
            float v = xd[i];
            th[i] = MathF.Tanh(k * (v + 0.044715f * v * v * v));
            yd[i] = 0.5f * v * (1f + th[i]);
        }
        return y.Record("gelu", x, () =>
        {
            var g = y.Grad!; var dx = x.Grad!;
            for (int i = 0; i < dx.Length; i++)
            {
                float v = xd[i], t = th[i];
                // d/dx = ½(1+t) + ½x(1−t²)·k(1 + 3·0.044715x²)
                float d = 0.5f * (1f + t) + 0.5f * v * (1f - t * t) * k * (1f + 3f * 0.044715f * v * v);
                dx[i] += d * g[i];
            }
        });
    }

    /// <summary>Clamps to [min, max]; the gradient is zero where clamped.</summary>
    public static Tensor Clamp(this Tensor x, float min, float max)
    {
        if (min > max) throw new ArgumentException($"clamp range is empty: min {min} > max {max}");
        var y = Tensor.ZerosLike(x);
        TensorPrimitives.Clamp(x.Data, min, max, y.Data);
        return y.Record("clamp", x, () =>
        {
            var g = y.Grad!; var xd = x.Data; var dx = x.Grad!;
            for (int i = 0; i < dx.Length; i++) if (xd[i] >= min && xd[i] <= max) dx[i] += g[i];
        });
    }

    /// <summary>Selects <paramref name="a"/> where <paramref name="condition"/> is non-zero, else <paramref name="b"/> (all broadcast).</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        var shape = ShapeUtil.Broadcast(ShapeUtil.Broadcast(condition.Shape, a.Shape), b.Shape);
        var c = Broadcast.Expand(condition.Data, condition.Shape, shape);
        var ad = Broadcast.Expand(a.Data, a.Shape, shape);
        var bd = Broadcast.Expand(b.Data, b.Shape, shape);
        var y = new Tensor(new float[c.Length], shape);
        for (int i = 0; i < c.Length; i++) y.Data[i] = c[i] != 0f ? ad[i] : bd[i];
        return y.Record("where", new[] { a, b }, () =>
        {
            var g = y.Grad!;
            var ga = new float[g.Length]; var gb = new float[g.Length];
            for (int i = 0; i < g.Length; i++) { if (c[i] != 0f) ga[i] = g[i]; else gb[i] = g[i]; }
            if (a.RequiresGrad) Broadcast.SumToShape(ga, shape, a.Grad!, a.Shape);
            if (b.RequiresGrad) Broadcast.SumToShape(gb, shape, b.Grad!, b.Shape);
        });
    }
}
