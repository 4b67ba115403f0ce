// Scalar reference convolutions straight from the definitions (double accumulation), the twins the GEMM
// kernels in Conv2d.cs are tested against:
//   conv2d:           y[b,o,i,j] = bias[o] + Σ_{c,kh,kw} x[b, c, i·S − P + kh, j·S − P + kw] · w[o,c,kh,kw]·m[o,c,kh,kw]
//   conv_transpose2d: y[b,o,h·S − P + kh, w·S − P + kw] += x[b,c,h,w] · w[c,o,kh,kw]   (then + bias[o])
// Backward passes are the same sums read the other way round; all of them ADD into the gradients.
namespace ProbLab.Kernels;

/// <summary>Naive conv2d reference (tests only).</summary>
public static class Conv2dNaive
{
    /// <summary>Same contract as <see cref="Conv2dKernels.Forward"/>.</summary>
    public static void Forward(in Conv2dGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        ReadOnlySpan<float> mask, Span<float> y)
    {
        int oh = g.OutH, ow = g.OutW;
        for (int b = 0; b < g.Batch; b++)
            for (int o = 0; o < g.OutChannels; o++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        double acc = bias.IsEmpty ? 0 : bias[o];
                        for (int c = 0; c < g.InChannels; c++)
                            for (int kh = 0; kh < g.KernelH; kh++)
                                for (int kw = 0; kw < g.KernelW; kw++)
                                {
                                    int ih = i * g.Stride - g.Padding + kh, iw = j * g.Stride - g.Padding + kw;
                                    if (ih < 0 || ih >= g.Height || iw < 0 || iw >= g.Width) continue;
                                    int wi = ((o * g.InChannels + c) * g.KernelH + kh) * g.KernelW + kw;
                                    float wv = mask.IsEmpty ? weight[wi] : weight[wi] * mask[wi];
                                    acc += (double)x[((b * g.InChannels + c) * g.Height + ih) * g.Width + iw] * wv;
                                }
                        y[((b * g.OutChannels + o) * oh + i) * ow + j] = (float)acc;
                    }
    }

    /// <summary>Same contract as <see cref="Conv2dKernels.Backward"/>.</summary>
    public static void Backward(in Conv2dGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> mask,
        ReadOnlySpan<float> dy, Span<float> dx, Span<float> dw, Span<float> db)
    {
        int oh = g.OutH, ow = g.OutW;
        for (int b = 0; b < g.Batch; b++)
            for (int o = 0; o < g.OutChannels; o++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        float d = dy[((b * g.OutChannels + o) * oh + i) * ow + j];
                        if (!db.IsEmpty) db[o] += d;
                        for (int c = 0; c < g.InChannels; c++)
                            for (int kh = 0; kh < g.KernelH; kh++)
                                for (int kw = 0; kw < g.KernelW; kw++)
                                {
                                    int ih = i * g.Stride - g.Padding + kh, iw = j * g.Stride - g.Padding + kw;
                                    if (ih < 0 || ih >= g.Height || iw < 0 || iw >= g.Width) continue;
                                    int wi = ((o * g.InChannels + c) * g.KernelH + kh) * g.KernelW + kw;
                                    int xi = ((b * g.InChannels + c) * g.Height + ih) * g.Width + iw;
                                    float m = mask.IsEmpty ? 1f : mask[wi];
                                    if (!dx.IsEmpty) dx[xi] += d * weight[wi] * m;
                                    if (!dw.IsEmpty) dw[wi] += d * x[xi] * m;
                                }
                    }
    }
}

/// <summary>Naive conv_transpose2d reference (tests only).</summary>
public static class ConvTranspose2dNaive
{
    /// <summary>Same contract as <see cref="ConvTranspose2dKernels.Forward"/>.</summary>
    public static void Forward(in ConvTranspose2dGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y)
    {
        int oh = g.OutH, ow = g.OutW;
        var acc = new double[y.Length];
        for (int b = 0; b < g.Batch; b++)
            for (int c = 0; c < g.InChannels; c++)
                for (int h = 0; h < g.Height; h++)
                    for (int w = 0; w < g.Width; w++)
                    {
                        double xv = x[((b * g.InChannels + c) * g.Height + h) * g.Width + w];
                        for (int o = 0; o < g.OutChannels; o++)
                            for (int kh = 0; kh < g.KernelH; kh++)
                                for (int kw = 0; kw < g.KernelW; kw++)
                                {
                                    int i = h * g.Stride - g.Padding + kh, j = w * g.Stride - g.Padding + kw;
                                    if (i < 0 || i >= oh || j < 0 || j >= ow) continue;
                                    acc[((b * g.OutChannels + o) * oh + i) * ow + j] += xv * weight[((c * g.OutChannels + o) * g.KernelH + kh) * g.KernelW + kw];
                                }
                    }
        for (int t = 0; t < y.Length; t++)
            y[t] = (float)(acc[t] + (bias.IsEmpty ? 0 : bias[t / (oh * ow) % g.OutChannels]));
    }

    /// <summary>Same contract as <see cref="ConvTranspose2dKernels.Backward"/>.</summary>
    public static void Backward(in ConvTranspose2dGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> weight,
        ReadOnlySpan<float> dy, Span<float> dx, Span<float> dw, Span<float> db)
    {
        int oh = g.OutH, ow = g.OutW;
        if (!db.IsEmpty)
            for (int t = 0; t < dy.Length; t++) db[t / (oh * ow) % g.OutChannels] += dy[t];
        for (int b = 0; b < g.Batch; b++)
            for (int c = 0; c < g.InChannels; c++)
                for (int h = 0; h < g.Height; h++)
                    for (int w = 0; w < g.Width; w++)
                    {
                        int xi = ((b * g.InChannels + c) * g.Height + h) * g.Width + w;
                        for (int o = 0; o < g.OutChannels; o++)
                            for (int kh = 0; kh < g.KernelH; kh++)
                                for (int kw = 0; kw < g.KernelW; kw++)
                                {
                                    int i = h * g.Stride - g.Padding + kh, j = w * g.Stride - g.Padding + kw;
                                    if (i < 0 || i >= oh || j < 0 || j >= ow) continue;
                                    float d = dy[((b * g.OutChannels + o) * oh + i) * ow + j];
                                    int wi = ((c * g.OutChannels + o) * g.KernelH + kh) * g.KernelW + kw;
                                    if (!dx.IsEmpty) dx[xi] += d * weight[wi];
                                    if (!dw.IsEmpty) dw[wi] += d * x[xi];
                                }
                    }
    }
}
