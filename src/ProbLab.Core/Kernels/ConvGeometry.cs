// Shapes of 2-D convolutions (PyTorch's NCHW layout and output-size formulas) and the im2col/col2im
// lowering both convolution kinds share. A convolution reads a "large" grid (C, H, W) at the positions of
// a "small" grid (OH, OW): tap (c, kh, kw) of output pixel (oh, ow) sits at (c, oh·S − P + kh, ow·S − P + kw)
// and is zero outside the large grid. Conv2d's large grid is its input; ConvTranspose2d's is its output.
namespace ProbLab.Kernels;

/// <summary>Geometry of y = conv2d(x, w): x (B, C, H, W), w (OC, C, KH, KW) → y (B, OC, OH, OW), OH = ⌊(H + 2P − KH)/S⌋ + 1.</summary>
public readonly record struct Conv2dGeometry
{
    public int Batch { get; }
    public int InChannels { get; }
    public int Height { get; }
    public int Width { get; }
    public int OutChannels { get; }
    public int KernelH { get; }
    public int KernelW { get; }
    public int Stride { get; }
    public int Padding { get; }
    public int OutH => (Height + 2 * Padding - KernelH) / Stride + 1;
    public int OutW => (Width + 2 * Padding - KernelW) / Stride + 1;
    /// <summary>Taps per output channel, C·KH·KW (the GEMM depth before masking).</summary>
    public int Taps => InChannels * KernelH * KernelW;

    /// <summary>Validates and stores a convolution shape.</summary>
    /// <exception cref="ArgumentException">A size is below 1, padding is negative, or the kernel does not fit the padded input.</exception>
    public Conv2dGeometry(int batch, int inChannels, int height, int width, int outChannels, int kernelH, int kernelW, int stride = 1, int padding = 0)
    {
        if (batch < 1 || inChannels < 1 || height < 1 || width < 1 || outChannels < 1 || kernelH < 1 || kernelW < 1)
            throw new ArgumentException($"conv2d: sizes must be ≥ 1 (B={batch}, C={inChannels}, H={height}, W={width}, OC={outChannels}, KH={kernelH}, KW={kernelW})");
        if (stride < 1) throw new ArgumentException($"conv2d: stride must be ≥ 1, got {stride}");
        if (padding < 0) throw new ArgumentException($"conv2d: padding must be ≥ 0, got {padding}");
        if (height + 2 * padding < kernelH || width + 2 * padding < kernelW)
            throw new ArgumentException($"conv2d: kernel {kernelH}×{kernelW} is larger than the padded input {height + 2 * padding}×{width + 2 * padding}");
        (Batch, InChannels, Height, Width, OutChannels, KernelH, KernelW, Stride, Padding) =
            (batch, inChannels, height, width, outChannels, kernelH, kernelW, stride, padding);
    }

    internal Im2Col Lowering => new(InChannels, Height, Width, KernelH, KernelW, Stride, Padding, OutH, OutW);
}

/// <summary>
/// Geometry of y = conv_transpose2d(x, w) (PyTorch): x (B, C, H, W), w (C, OC, KH, KW) → y (B, OC, OH, OW),
/// OH = (H − 1)·S − 2P + KH + outputPadding. It is the input-gradient of a conv2d from y's grid to x's.
/// </summary>
public readonly record struct ConvTranspose2dGeometry
{
    public int Batch { get; }
    public int InChannels { get; }
    public int Height { get; }
    public int Width { get; }
    public int OutChannels { get; }
    public int KernelH { get; }
    public int KernelW { get; }
    public int Stride { get; }
    public int Padding { get; }
    public int OutputPadding { get; }
    public int OutH => (Height - 1) * Stride - 2 * Padding + KernelH + OutputPadding;
    public int OutW => (Width - 1) * Stride - 2 * Padding + KernelW + OutputPadding;

    /// <summary>Validates and stores a transposed-convolution shape.</summary>
    /// <exception cref="ArgumentException">A size is below 1, padding is negative, outputPadding is not in [0, stride), or the output would be empty.</exception>
    public ConvTranspose2dGeometry(int batch, int inChannels, int height, int width, int outChannels, int kernelH, int kernelW,
        int stride = 1, int padding = 0, int outputPadding = 0)
    {
        if (batch < 1 || inChannels < 1 || height < 1 || width < 1 || outChannels < 1 || kernelH < 1 || kernelW < 1)
            throw new ArgumentException($"conv_transpose2d: sizes must be ≥ 1 (B={batch}, C={inChannels}, H={height}, W={width}, OC={outChannels}, KH={kernelH}, KW={kernelW})");
        if (stride < 1) throw new ArgumentException($"conv_transpose2d: stride must be ≥ 1, got {stride}");
        if (padding < 0) throw new ArgumentException($"conv_transpose2d: padding must be ≥ 0, got {padding}");
        if (outputPadding < 0 || outputPadding >= stride)
            throw new ArgumentException($"conv_transpose2d: outputPadding must be in [0, stride={stride}), got {outputPadding}");
        (Batch, InChannels, Height, Width, OutChannels, KernelH, KernelW, Stride, Padding, OutputPadding) =
            (batch, inChannels, height, width, outChannels, kernelH, kernelW, stride, padding, outputPadding);
        if (OutH < 1 || OutW < 1)
            throw new ArgumentException($"conv_transpose2d: output would be {OutH}×{OutW} (padding {padding} too large for {height}×{width}, kernel {kernelH}×{kernelW}, stride {stride})");
    }

    // The large grid is the output (OC, OH, OW); the small grid is the input (H, W).
    internal Im2Col Lowering => new(OutChannels, OutH, OutW, KernelH, KernelW, Stride, Padding, Height, Width);
}

/// <summary>im2col / col2im between a large grid (C, H, W) and a column matrix (taps, OH·OW) with row stride ld ≥ OH·OW.</summary>
internal readonly record struct Im2Col(int C, int H, int W, int KH, int KW, int S, int P, int OH, int OW)
{
    public int Pixels => OH * OW;
    public int AllTaps => C * KH * KW;

    /// <summary>col[r·ld + oh·OW + ow] = grid[tap r] at output pixel (oh, ow), for the listed taps t = (c·KH + kh)·KW + kw.</summary>
    public void Gather(ReadOnlySpan<float> grid, ReadOnlySpan<int> taps, Span<float> col, int ld)
    {
        for (int r = 0; r < taps.Length; r++)
        {
            var (plane, kh, kw) = Split(taps[r]);
            var src = grid.Slice(plane * H * W, H * W);
            var dst = col.Slice(r * ld, Pixels);
            var (owLo, owHi) = ValidColumns(kw);
            for (int oh = 0; oh < OH; oh++)
            {
                var row = dst.Slice(oh * OW, OW);
                int ih = oh * S - P + kh;
                if ((uint)ih >= (uint)H || owLo >= owHi) { row.Clear(); continue; }
                var srcRow = src.Slice(ih * W, W);
                row[..owLo].Clear();
                row[owHi..].Clear();
                int iw0 = owLo * S - P + kw;
                if (S == 1) srcRow.Slice(iw0, owHi - owLo).CopyTo(row[owLo..owHi]);
                else for (int ow = owLo, iw = iw0; ow < owHi; ow++, iw += S) row[ow] = srcRow[iw];
            }
        }
    }

    /// <summary>grid[tap r at (oh, ow)] += col[r·ld + oh·OW + ow] (the adjoint of <see cref="Gather"/>).</summary>
    public void ScatterAdd(ReadOnlySpan<float> col, int ld, ReadOnlySpan<int> taps, Span<float> grid)
    {
        for (int r = 0; r < taps.Length; r++)
        {
            var (plane, kh, kw) = Split(taps[r]);
            var dst = grid.Slice(plane * H * W, H * W);
            var src = col.Slice(r * ld, Pixels);
            var (owLo, owHi) = ValidColumns(kw);
            if (owLo >= owHi) continue;
            for (int oh = 0; oh < OH; oh++)
            {
                int ih = oh * S - P + kh;
                if ((uint)ih >= (uint)H) continue;
                var dstRow = dst.Slice(ih * W, W);
                var row = src.Slice(oh * OW, OW);
                int iw0 = owLo * S - P + kw;
                if (S == 1)
                {
                    var d = dstRow.Slice(iw0, owHi - owLo);
                    System.Numerics.Tensors.TensorPrimitives.Add(d, row[owLo..owHi], d);
                }
                else for (int ow = owLo, iw = iw0; ow < owHi; ow++, iw += S) dstRow[iw] += row[ow];
            }
        }
    }

    private (int Plane, int Kh, int Kw) Split(int tap) => (tap / (KH * KW), tap / KW % KH, tap % KW);

    // Output columns whose input column ow·S − P + kw lies in [0, W): ow ∈ [lo, hi).
    private (int Lo, int Hi) ValidColumns(int kw)
    {
        int lo = Math.Max(0, (P - kw + S - 1) / S);
        int hi = Math.Min(OW, (W - 1 + P - kw) / S + 1);
        if (W - 1 + P - kw < 0) hi = 0;
        return (lo, Math.Max(lo, hi));
    }
}
