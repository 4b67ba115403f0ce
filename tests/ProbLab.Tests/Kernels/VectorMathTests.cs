// Vector exp and reciprocal against double-precision references, including the clamped extremes and NaN.
using System.Runtime.Intrinsics;
using ProbLab.Kernels;

namespace ProbLab.Tests.Kernels;

public class VectorMathTests
{
    private static float[] Lanes(Vector512<float> v) { var a = new float[16]; v.CopyTo(a); return a; }

    [Fact]
    public void ExpIsAccurateAcrossTheFloatRange()
    {
        if (!Vector512.IsHardwareAccelerated) return; // the scalar twin is MathF.Exp itself
        for (float x0 = -87f; x0 < 88f; x0 += 0.37f * 16)
        {
            var xs = Enumerable.Range(0, 16).Select(i => x0 + 0.37f * i).ToArray();
            var ys = Lanes(VectorMath.Exp(Vector512.Create((ReadOnlySpan<float>)xs)));
            for (int i = 0; i < 16; i++)
                if (xs[i] <= 88.3f) Check.Close(Math.Exp(xs[i]), ys[i], 0, 3e-7, $"exp({xs[i]})");
        }
    }

    [Fact]
    public void ExpClampsExtremesAndPropagatesNaN()
    {
        if (!Vector512.IsHardwareAccelerated) return;
        float[] xs = { -1e30f, -200f, -87.4f, 88.4f, 100f, 1e30f, float.NegativeInfinity, float.PositiveInfinity, float.NaN, 0f, 1f, -1f, 2f, -2f, 3f, -3f };
        var ys = Lanes(VectorMath.Exp(Vector512.Create((ReadOnlySpan<float>)xs)));
        for (int i = 0; i < 8; i++) Assert.True(float.IsFinite(ys[i]) && ys[i] > 0, $"exp({xs[i]}) = {ys[i]} should be clamped to a positive finite value");
        Assert.True(ys[0] < 1e-37f && ys[5] > 1e38f);
        Assert.True(float.IsNaN(ys[8]), $"exp(NaN) = {ys[8]}");
        Check.Close(1.0, ys[9], 0, 1e-7, "exp(0)");
    }

    [Fact]
    public void ReciprocalIsNearlyExact()
    {
        if (!Vector512.IsHardwareAccelerated) return;
        var xs = Enumerable.Range(0, 16).Select(i => (float)Math.Pow(10, i - 8) * (1 + 0.1f * i)).ToArray();
        var ys = Lanes(VectorMath.Reciprocal(Vector512.Create((ReadOnlySpan<float>)xs)));
        for (int i = 0; i < 16; i++) Check.Close(1.0 / xs[i], ys[i], 0, 3e-7, $"1/{xs[i]}");
    }
}
