// Conv2d / ConvTranspose2d autograd ops: finite-difference gradient checks over strides, paddings, bias
// and masks, PyTorch golden values (TestData/conv_golden.json from tools/golden_conv.py), masked-weight
// gradients, and shape errors.
using System.Text.Json;
using ProbLab.Kernels;
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Tests.Ops;

public class ConvOpTests
{
    private static Tensor Rand(Rng rng, params int[] shape) => Tensor.Rand(rng, shape, -1f, 1f).RequireGrad();

    [Theory]
    [InlineData(1, 0, true)]
    [InlineData(1, 1, false)]
    [InlineData(2, 1, true)]
    [InlineData(2, 0, false)]
    [InlineData(1, 3, true)]
    [InlineData(2, 3, false)]
    public void Conv2dGradCheck(int stride, int padding, bool withBias)
    {
        var rng = new Rng(31);
        var x = Rand(rng, 2, 3, 6, 5);
        var w = Rand(rng, 4, 3, 3, 2);
        var inputs = withBias ? new[] { x, w, Rand(rng, 4) } : new[] { x, w };
        GradCheck.Run(t => t[0].Conv2d(t[1], withBias ? t[2] : null, stride, padding), inputs, name: $"conv2d s{stride} p{padding}");
    }

    [Fact]
    public void MaskedConv2dGradCheck()
    {
        var rng = new Rng(32);
        var x = Rand(rng, 2, 3, 5, 5);
        var w = Rand(rng, 6, 3, 3, 3);
        var b = Rand(rng, 6);
        var full = Tensor.FromArray(ConvMask.PixelCnn(6, 3, 3, typeA: false, colorGroups: 3), 6, 3, 3, 3);
        GradCheck.Run(t => t[0].Conv2d(t[1], t[2], 1, 1, full), new[] { x, w, b }, name: "conv2d pixelcnn B groups");
        var spatial = Tensor.FromArray(new float[] { 1, 0.5f, 1, 1, 0, 0, 0, 0, 0 }, 3, 3);
        GradCheck.Run(t => t[0].Conv2d(t[1], null, 2, 1, spatial), new[] { x, w }, name: "conv2d spatial mask");
    }

    [Fact]
    public void MaskedTapsGetNoGradientAndDoNotMatter()
    {
        var rng = new Rng(33);
        var x = Rand(rng, 1, 1, 6, 6);
        var w = Rand(rng, 2, 1, 5, 5);
        var mask = Tensor.FromArray(ConvMask.PixelCnn(2, 1, 5, typeA: true), 2, 1, 5, 5);
        var y = x.Conv2d(w, null, 1, 2, mask);
        y.Sum().Backward();
        for (int i = 0; i < w.Size; i++)
            if (mask.Data[i] == 0f) Check.Close(0, w.Grad![i], 0, 0, $"dw[{i}] of a masked tap");
        // Changing a masked weight changes nothing.
        var w2 = w.Detach().Clone();
        for (int i = 0; i < w2.Size; i++) if (mask.Data[i] == 0f) w2.Data[i] = 100f;
        Check.Close(y.Detach(), x.Detach().Conv2d(w2, null, 1, 2, mask), 0, 0, "masked weights are ignored");
    }

    [Theory]
    [InlineData(1, 0, 0, true)]
    [InlineData(2, 1, 1, false)]
    [InlineData(2, 0, 0, true)]
    [InlineData(3, 1, 2, true)]
    public void ConvTranspose2dGradCheck(int stride, int padding, int outputPadding, bool withBias)
    {
        var rng = new Rng(34);
        var x = Rand(rng, 2, 3, 4, 3);
        var w = Rand(rng, 3, 2, 3, 3);
        var inputs = withBias ? new[] { x, w, Rand(rng, 2) } : new[] { x, w };
        GradCheck.Run(t => t[0].ConvTranspose2d(t[1], withBias ? t[2] : null, stride, padding, outputPadding), inputs,
            name: $"conv_transpose2d s{stride} p{padding} op{outputPadding}");
    }

    [Fact]
    public void MatchesPyTorchGoldenValues()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "conv_golden.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        int count = 0;
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            string name = c.GetProperty("name").GetString()!;
            var x = Load(c.GetProperty("x")).RequireGrad();
            var w = Load(c.GetProperty("w")).RequireGrad();
            var b = c.GetProperty("b").ValueKind == JsonValueKind.Null ? null : Load(c.GetProperty("b")).RequireGrad();
            var mask = c.GetProperty("mask").ValueKind == JsonValueKind.Null ? null : Load(c.GetProperty("mask"));
            int s = c.GetProperty("stride").GetInt32(), p = c.GetProperty("padding").GetInt32(), op = c.GetProperty("output_padding").GetInt32();
            var y = c.GetProperty("kind").GetString() == "conv2d" ? x.Conv2d(w, b, s, p, mask) : x.ConvTranspose2d(w, b, s, p, op);
            Check.Close(Load(c.GetProperty("y")), y, 1e-4, 1e-4, $"{name} y");
            y.Mul(Load(c.GetProperty("r"))).Sum().Backward();
            Check.Close(Load(c.GetProperty("dx")).Data, x.Grad, 1e-4, 1e-4, $"{name} dx");
            Check.Close(Load(c.GetProperty("dw")).Data, w.Grad, 1e-4, 1e-4, $"{name} dw");
            if (b is not null) Check.Close(Load(c.GetProperty("db")).Data, b.Grad, 1e-4, 1e-4, $"{name} db");
            count++;
        }
        Assert.Equal(8, count);
    }

    private static Tensor Load(JsonElement e)
    {
        var shape = e.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var data = e.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        return Tensor.FromArray(data, shape);
    }

    [Fact]
    public void ShapeErrors()
    {
        var x = Tensor.Zeros(1, 3, 5, 5);
        Assert.Throws<ArgumentException>(() => x.Conv2d(Tensor.Zeros(2, 4, 3, 3)));                   // channel mismatch
        Assert.Throws<ArgumentException>(() => x.Conv2d(Tensor.Zeros(2, 3, 3)));                      // weight rank
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(3, 5, 5).Conv2d(Tensor.Zeros(2, 3, 3, 3))); // input rank
        Assert.Throws<ArgumentException>(() => x.Conv2d(Tensor.Zeros(2, 3, 3, 3), Tensor.Zeros(3)));  // bias size
        Assert.Throws<ArgumentException>(() => x.Conv2d(Tensor.Zeros(2, 3, 3, 3), mask: Tensor.Zeros(2, 2))); // mask shape
        Assert.Throws<ArgumentException>(() => x.ConvTranspose2d(Tensor.Zeros(2, 3, 3, 3)));          // channel mismatch
        Assert.Throws<ArgumentException>(() => x.ConvTranspose2d(Tensor.Zeros(3, 2, 3, 3), stride: 2, outputPadding: 2));
    }
}
