// Conv2d / ConvTranspose2d GEMM kernels vs their naive twins over odd shapes, strides, paddings and
// masks (PixelCNN A/B with and without colour groups, random and fractional masks, a mask that kills every
// tap), forward and accumulating backward; plus geometry errors and the PixelCNN mask layout itself.
using ProbLab.Kernels;
using ProbLab.Tensors;

namespace ProbLab.Tests.Kernels;

public class ConvTests
{
    private static float[] Random(Rng rng, int n)
    {
        var x = new float[n];
        rng.FillUniform(x, -1f, 1f);
        return x;
    }

    private static void CompareConv(Rng rng, Conv2dGeometry g, bool bias, float[]? mask, string name)
    {
        var x = Random(rng, g.Batch * g.InChannels * g.Height * g.Width);
        var w = Random(rng, g.OutChannels * g.Taps);
        var b = bias ? Random(rng, g.OutChannels) : Array.Empty<float>();
        var m = mask ?? Array.Empty<float>();
        int ySize = g.Batch * g.OutChannels * g.OutH * g.OutW;
        var yFast = new float[ySize];
        var yRef = new float[ySize];
        Conv2dKernels.Forward(g, x, w, b, m, yFast);
        Conv2dNaive.Forward(g, x, w, b, m, yRef);
        double atol = 2e-6 * g.Taps + 1e-6;
        Check.Close(yRef, yFast, atol, 1e-5, $"{name} y");

        // Backward adds into pre-filled buffers: start both from the same non-zero values.
        var dy = Random(rng, ySize);
        var dxF = Random(rng, x.Length); var dxR = (float[])dxF.Clone();
        var dwF = Random(rng, w.Length); var dwR = (float[])dwF.Clone();
        var dbF = bias ? Random(rng, b.Length) : Array.Empty<float>(); var dbR = (float[])dbF.Clone();
        Conv2dKernels.Backward(g, x, w, m, dy, dxF, dwF, dbF);
        Conv2dNaive.Backward(g, x, w, m, dy, dxR, dwR, dbR);
        double atolBack = 2e-6 * (g.OutChannels * g.KernelH * g.KernelW + g.Batch * g.OutH * g.OutW) + 1e-6;
        Check.Close(dxR, dxF, atolBack, 1e-5, $"{name} dx");
        Check.Close(dwR, dwF, atolBack, 1e-5, $"{name} dw");
        Check.Close(dbR, dbF, atolBack, 1e-5, $"{name} db");
    }

    private static void CompareTranspose(Rng rng, ConvTranspose2dGeometry g, bool bias, string name)
    {
        var x = Random(rng, g.Batch * g.InChannels * g.Height * g.Width);
        var w = Random(rng, g.InChannels * g.OutChannels * g.KernelH * g.KernelW);
        var b = bias ? Random(rng, g.OutChannels) : Array.Empty<float>();
        int ySize = g.Batch * g.OutChannels * g.OutH * g.OutW;
        var yFast = Random(rng, ySize); // garbage: forward must overwrite
        var yRef = new float[ySize];
        ConvTranspose2dKernels.Forward(g, x, w, b, yFast);
        ConvTranspose2dNaive.Forward(g, x, w, b, yRef);
        double atol = 2e-6 * g.InChannels * g.KernelH * g.KernelW + 1e-6;
        Check.Close(yRef, yFast, atol, 1e-5, $"{name} y");

        var dy = Random(rng, ySize);
        var dxF = Random(rng, x.Length); var dxR = (float[])dxF.Clone();
        var dwF = Random(rng, w.Length); var dwR = (float[])dwF.Clone();
        var dbF = bias ? Random(rng, b.Length) : Array.Empty<float>(); var dbR = (float[])dbF.Clone();
        ConvTranspose2dKernels.Backward(g, x, w, dy, dxF, dwF, dbF);
        ConvTranspose2dNaive.Backward(g, x, w, dy, dxR, dwR, dbR);
        double atolBack = 2e-6 * (g.OutChannels * g.KernelH * g.KernelW + g.Batch * g.Height * g.Width + ySize / g.OutChannels) + 1e-6;
        Check.Close(dxR, dxF, atolBack, 1e-5, $"{name} dx");
        Check.Close(dwR, dwF, atolBack, 1e-5, $"{name} dw");
        Check.Close(dbR, dbF, atolBack, 1e-5, $"{name} db");
    }

    [Fact]
    public void Conv2dMatchesNaiveOverOddShapes()
    {
        var rng = new Rng(21);
        int cases = 0;
        for (int t = 0; cases < 120; t++)
        {
            int k = 1 + rng.NextInt(5), kw = rng.NextInt(3) == 0 ? 1 + rng.NextInt(5) : k;
            int s = 1 + rng.NextInt(3), p = rng.NextInt(4);
            int h = 1 + rng.NextInt(11), w = 1 + rng.NextInt(11);
            if (h + 2 * p < k || w + 2 * p < kw) continue;
            var g = new Conv2dGeometry(1 + rng.NextInt(2), 1 + rng.NextInt(4), h, w, 1 + rng.NextInt(6), k, kw, s, p);
            CompareConv(rng, g, bias: t % 2 == 0, mask: null, $"case {t} {g}");
            cases++;
        }
    }

    [Fact]
    public void Conv2dLargerThanGemmBlocks()
    {
        // 20 channels × 5×5 taps = 500 > KC and 33×31 pixels (one image per GEMM); 1×1 convs without im2col
        // (one image per GEMM) and with it (images side by side); 10×10 images go 3 per GEMM, so batch 4
        // ends in a partial chunk.
        var rng = new Rng(22);
        CompareConv(rng, new Conv2dGeometry(2, 20, 33, 31, 17, 5, 5, 1, 2), true, null, "deep");
        CompareConv(rng, new Conv2dGeometry(1, 67, 9, 7, 13, 1, 1), true, null, "1x1 direct");
        CompareConv(rng, new Conv2dGeometry(3, 8, 16, 16, 5, 1, 1), false, null, "1x1 direct, 256 pixels");
        CompareConv(rng, new Conv2dGeometry(2, 67, 9, 7, 13, 1, 1), true, null, "1x1 chunked");
        CompareConv(rng, new Conv2dGeometry(1, 5, 15, 15, 7, 1, 1, 2, 0), false, null, "1x1 stride 2");
        CompareConv(rng, new Conv2dGeometry(4, 3, 10, 10, 6, 3, 3, 1, 1), true, ConvMask.PixelCnn(6, 3, 3, false), "partial chunk");
    }

    [Fact]
    public void MaskedConv2dMatchesNaive()
    {
        var rng = new Rng(23);
        foreach (bool typeA in new[] { true, false })
        {
            CompareConv(rng, new Conv2dGeometry(2, 1, 9, 8, 4, 7, 7, 1, 3), true, ConvMask.PixelCnn(4, 1, 7, typeA), $"pixelcnn {(typeA ? "A" : "B")} 7x7");
            CompareConv(rng, new Conv2dGeometry(1, 6, 6, 7, 9, 3, 3, 1, 1), true, ConvMask.PixelCnn(9, 6, 3, typeA, 3), $"pixelcnn groups {(typeA ? "A" : "B")}");
            CompareConv(rng, new Conv2dGeometry(2, 3, 5, 5, 3, 1, 1), false, ConvMask.PixelCnn(3, 3, 1, typeA, 3), $"pixelcnn 1x1 groups {(typeA ? "A" : "B")}");
        }
        CompareConv(rng, new Conv2dGeometry(2, 16, 8, 8, 5, 7, 7, 1, 3), true, ConvMask.PixelCnn(5, 16, 7, false), "pixelcnn B, 400 live taps (2 slices)");
        var random = new float[5 * 3 * 3 * 3];
        for (int i = 0; i < random.Length; i++) random[i] = rng.NextInt(3) == 0 ? 0f : (float)rng.Uniform(0.2, 1.5);
        CompareConv(rng, new Conv2dGeometry(2, 3, 7, 6, 5, 3, 3, 2, 1), true, random, "random fractional mask");
        CompareConv(rng, new Conv2dGeometry(1, 2, 4, 4, 3, 3, 3, 1, 1), true, new float[3 * 2 * 3 * 3], "all-zero mask");
    }

    [Fact]
    public void ConvTranspose2dMatchesNaiveOverOddShapes()
    {
        var rng = new Rng(24);
        int cases = 0;
        for (int t = 0; cases < 100; t++)
        {
            int k = 1 + rng.NextInt(5), s = 1 + rng.NextInt(3), p = rng.NextInt(3), op = rng.NextInt(s);
            int h = 1 + rng.NextInt(7), w = 1 + rng.NextInt(7);
            if ((h - 1) * s - 2 * p + k + op < 1 || (w - 1) * s - 2 * p + k + op < 1) continue;
            var g = new ConvTranspose2dGeometry(1 + rng.NextInt(2), 1 + rng.NextInt(4), h, w, 1 + rng.NextInt(5), k, k, s, p, op);
            CompareTranspose(rng, g, bias: t % 2 == 1, $"case {t} {g}");
            cases++;
        }
        CompareTranspose(rng, new ConvTranspose2dGeometry(2, 40, 7, 7, 19, 4, 4, 2, 1), true, "decoder-like 4x4 stride 2");
        CompareTranspose(rng, new ConvTranspose2dGeometry(1, 9, 5, 6, 11, 1, 1), false, "1x1 direct");
        CompareTranspose(rng, new ConvTranspose2dGeometry(3, 4, 16, 16, 5, 1, 1), true, "1x1 direct, 256 pixels");
        CompareTranspose(rng, new ConvTranspose2dGeometry(1, 3, 16, 16, 300, 1, 1), true, "1x1 direct, 300 channels (2 slices)");
        CompareTranspose(rng, new ConvTranspose2dGeometry(4, 3, 10, 10, 2, 3, 3, 2, 1, 1), true, "partial chunk");
    }

    [Fact]
    public void PixelCnnMaskLayout()
    {
        // 1 channel, 3×3: type A keeps the 3 taps above and the 1 to the left; type B also the centre.
        Check.Close(new float[] { 1, 1, 1, 1, 0, 0, 0, 0, 0 }, ConvMask.PixelCnn(1, 1, 3, typeA: true), 0, 0, "A");
        Check.Close(new float[] { 1, 1, 1, 1, 1, 0, 0, 0, 0 }, ConvMask.PixelCnn(1, 1, 3, typeA: false), 0, 0, "B");
        // RGB groups, 1×1 kernel: centre connects in-group gi to out-group go when gi < go (A) or gi ≤ go (B).
        Check.Close(new float[] { 0, 0, 0, 1, 0, 0, 1, 1, 0 }, ConvMask.PixelCnn(3, 3, 1, typeA: true, colorGroups: 3), 0, 0, "A groups");
        Check.Close(new float[] { 1, 0, 0, 1, 1, 0, 1, 1, 1 }, ConvMask.PixelCnn(3, 3, 1, typeA: false, colorGroups: 3), 0, 0, "B groups");
        Assert.Equal(new[] { 0, 1, 2, 3 }, ConvMask.ActiveTaps(ConvMask.PixelCnn(2, 1, 3, true), 2, 9));
    }

    [Fact]
    public void GeometryAndLengthErrors()
    {
        Assert.Throws<ArgumentException>(() => new Conv2dGeometry(1, 1, 2, 2, 1, 5, 5));          // kernel larger than input
        Assert.Throws<ArgumentException>(() => new Conv2dGeometry(1, 1, 5, 5, 1, 3, 3, 0, 0));    // stride 0
        Assert.Throws<ArgumentException>(() => new Conv2dGeometry(1, 1, 5, 5, 1, 3, 3, 1, -1));   // negative padding
        Assert.Throws<ArgumentException>(() => new Conv2dGeometry(0, 1, 5, 5, 1, 3, 3));          // empty batch
        Assert.Throws<ArgumentException>(() => new ConvTranspose2dGeometry(1, 1, 3, 3, 1, 3, 3, 2, 0, 2)); // outputPadding ≥ stride
        Assert.Throws<ArgumentException>(() => new ConvTranspose2dGeometry(1, 1, 1, 1, 1, 1, 1, 1, 1));    // empty output
        Assert.Throws<ArgumentException>(() => ConvMask.PixelCnn(4, 1, 4, true));                          // even kernel
        var g = new Conv2dGeometry(1, 2, 4, 4, 3, 3, 3, 1, 1);
        Assert.Throws<ArgumentException>(() => Conv2dKernels.Forward(g, new float[31], new float[54], default, default, new float[48]));
        Assert.Throws<ArgumentException>(() => Conv2dKernels.Forward(g, new float[32], new float[53], default, default, new float[48]));
        Assert.Throws<ArgumentException>(() => Conv2dKernels.Forward(g, new float[32], new float[54], new float[2], default, new float[48]));
        Assert.Throws<ArgumentException>(() => Conv2dKernels.Forward(g, new float[32], new float[54], default, new float[9], new float[48]));
        Assert.Throws<ArgumentException>(() => Conv2dKernels.Forward(g, new float[32], new float[54], default, default, new float[47]));
    }
}
