// 2-D convolution and transposed convolution kernels lowered to GEMM (im2col; Chellapilla et al. 2006).
// Images are processed in chunks of G so that each GEMM has G·N ≥ 256 columns (N = output pixels; a 7×7
// latent has only 49). With the K live taps of the optional weight mask, per chunk:
//   conv2d           Y (OC, G·N) = W̃ (OC, K) · col (K, G·N),   col = im2col of the G images side by side
//     backward       dW̃ += dY · colᵀ,   dx += col2im(W̃ᵀ · dY),   db += row sums of dY
//   conv_transpose2d cols (OC·KH·KW, G·N) = Wᵀ (OC·KH·KW, C) · X (C, G·N), y = col2im(cols)
//     backward       dcols = im2col(dy),   dX = W · dcols,   dW += X · dcolsᵀ
// W̃ = (W ⊙ mask) restricted to the taps the mask keeps, so masked-out taps are never gathered nor
// multiplied. im2col runs in slices of 256 taps (the GEMM's K block) accumulated with beta = 1, so the
// column buffer (≤ 256 × G·N floats) stays in L2 between the gather and the GEMM's packing; it is
// recomputed in backward (keeping it would cost B·K·N floats). With G = 1 the images' own buffers are
// used directly, and 1×1 stride-1 unpadded convs skip im2col altogether.
// Forward overwrites y; Backward ADDS into whichever of dx, dw, db is non-empty (the autograd contract).
using System.Buffers;
using System.Numerics.Tensors;

namespace ProbLab.Kernels;

/// <summary>conv2d forward/backward on NCHW spans, through the GEMM; optional (OC, C, KH, KW) weight mask.</summary>
public static class Conv2dKernels
{
    /// <summary>Taps gathered per GEMM call: the GEMM's K block, so a slice of im2col rows (256 × G·N floats,
    /// under 1 MB) is still in L2 when the GEMM packs it, instead of a full K × N buffer going through memory.</summary>
    internal const int TapSlice = GemmDriver.Kc;

    /// <summary>y = conv2d(x, w ⊙ mask) + bias. bias and mask may be empty (none).</summary>
    /// <exception cref="ArgumentException">A span length does not match the geometry.</exception>
    public static void Forward(in Conv2dGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        ReadOnlySpan<float> mask, Span<float> y)
    {
        CheckLengths(g, x.Length, weight.Length, bias.Length, mask.Length, y.Length, "y");
        var low = g.Lowering;
        int oc = g.OutChannels, n = low.Pixels, inPlane = g.InChannels * g.Height * g.Width;
        int[] taps = Taps(g, mask);
        int k = taps.Length, ldk = Math.Max(1, k); // k = 0 when the mask kills every tap
        float[] wt = MaskedWeights(g, weight, mask, taps);
        int group = ImageChunks.Size(g.Batch, n);
        bool direct = group == 1 && IsPointwise(g, k);
        var pool = ArrayPool<float>.Shared;
        float[]? col = direct ? null : pool.Rent(Math.Min(k, TapSlice) * group * n);
        float[]? yt = group == 1 ? null : pool.Rent(oc * group * n);
        try
        {
            for (int b0 = 0; b0 < g.Batch; b0 += group)
            {
                int gi = Math.Min(group, g.Batch - b0), w = gi * n;
                var dst = yt is null ? y.Slice(b0 * oc * n, oc * n) : yt.AsSpan(0, oc * w);
                if (bias.IsEmpty) dst.Clear(); else ImageChunks.FillRows(dst, bias, oc, w);
                if (col is null) Gemm.Sgemm(false, false, oc, w, k, wt, ldk, x.Slice(b0 * inPlane, inPlane), w, dst, w, beta: 1f);
                for (int t0 = 0; col is not null && t0 < k; t0 += TapSlice)
                {
                    int ks = Math.Min(TapSlice, k - t0);
                    for (int i = 0; i < gi; i++) low.Gather(x.Slice((b0 + i) * inPlane, inPlane), taps.AsSpan(t0, ks), col.AsSpan(i * n), w);
                    Gemm.Sgemm(false, false, oc, w, ks, wt.AsSpan(t0), ldk, col, w, dst, w, beta: 1f); // Y += W̃[:, slice]·col
                }
                if (yt is not null) ImageChunks.Unpack(yt, b0, gi, oc, n, y, add: false);
            }
        }
        finally
        {
            if (col is not null) pool.Return(col);
            if (yt is not null) pool.Return(yt);
        }
    }

    /// <summary>dx += ∂L/∂x, dw += ∂L/∂w (⊙ mask), db += ∂L/∂bias given dy = ∂L/∂y; pass an empty span to skip one.</summary>
    /// <exception cref="ArgumentException">A span length does not match the geometry.</exception>
    public static void Backward(in Conv2dGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> mask,
        ReadOnlySpan<float> dy, Span<float> dx, Span<float> dw, Span<float> db)
    {
        CheckLengths(g, x.Length, weight.Length, db.Length, mask.Length, dy.Length, "dy");
        if (!dx.IsEmpty && dx.Length != x.Length) throw new ArgumentException($"conv2d backward: dx has {dx.Length} elements, x has {x.Length}");
        if (!dw.IsEmpty && dw.Length != weight.Length) throw new ArgumentException($"conv2d backward: dw has {dw.Length} elements, weight has {weight.Length}");
        var low = g.Lowering;
        int oc = g.OutChannels, n = low.Pixels, inPlane = g.InChannels * g.Height * g.Width;
        int[] taps = Taps(g, mask);
        int k = taps.Length, ldk = Math.Max(1, k);
        float[] wt = MaskedWeights(g, weight, mask, taps);
        int group = ImageChunks.Size(g.Batch, n);
        bool direct = group == 1 && IsPointwise(g, k);
        var pool = ArrayPool<float>.Shared;
        float[]? col = direct ? null : pool.Rent(Math.Min(k, TapSlice) * group * n);
        float[]? dyt = group == 1 ? null : pool.Rent(oc * group * n);
        float[]? dwt = dw.IsEmpty ? null : pool.Rent(oc * k);
        if (dwt is not null) Array.Clear(dwt, 0, oc * k);
        try
        {
            for (int b0 = 0; b0 < g.Batch; b0 += group)
            {
                int gi = Math.Min(group, g.Batch - b0), w = gi * n;
                ReadOnlySpan<float> dY = dy.Slice(b0 * oc * n, oc * n); // (OC, G·N)
                if (dyt is not null) { ImageChunks.Pack(dy, b0, gi, oc, n, dyt); dY = dyt.AsSpan(0, oc * w); }
                if (!db.IsEmpty) ImageChunks.AddRowSums(dY, oc, w, db);
                if (col is null)
                {
                    // 1×1: col_b is x_b.  dW̃ += dy_b · x_bᵀ,  dx_b += W̃ᵀ · dy_b
                    if (dwt is not null) Gemm.Sgemm(false, true, oc, k, n, dY, n, x.Slice(b0 * inPlane, inPlane), n, dwt, ldk, beta: 1f);
                    if (!dx.IsEmpty) Gemm.Sgemm(true, false, k, n, oc, wt, ldk, dY, n, dx.Slice(b0 * inPlane, inPlane), n, beta: 1f);
                    continue;
                }
                for (int t0 = 0; t0 < k; t0 += TapSlice)
                {
                    int ks = Math.Min(TapSlice, k - t0);
                    var sliceTaps = taps.AsSpan(t0, ks);
                    if (dwt is not null)
                    {
                        for (int i = 0; i < gi; i++) low.Gather(x.Slice((b0 + i) * inPlane, inPlane), sliceTaps, col.AsSpan(i * n), w);
                        Gemm.Sgemm(false, true, oc, ks, w, dY, w, col, w, dwt.AsSpan(t0), ldk, beta: 1f); // dW̃[:, slice] += dY · colᵀ
                    }
                    if (dx.IsEmpty) continue;
                    Gemm.Sgemm(true, false, ks, w, oc, wt.AsSpan(t0), ldk, dY, w, col, w); // dcol (slice, G·N) = W̃[:, slice]ᵀ · dY
                    for (int i = 0; i < gi; i++) low.ScatterAdd(col.AsSpan(i * n), w, sliceTaps, dx.Slice((b0 + i) * inPlane, inPlane));
                }
            }
            if (dwt is not null) ScatterWeightGrad(g, dwt, mask, taps, dw);
        }
        finally
        {
            if (col is not null) pool.Return(col);
            if (dyt is not null) pool.Return(dyt);
            if (dwt is not null) pool.Return(dwt);
        }
    }

    private static int[] Taps(in Conv2dGeometry g, ReadOnlySpan<float> mask) =>
        mask.IsEmpty ? ConvMask.AllTaps(g.Taps) : ConvMask.ActiveTaps(mask, g.OutChannels, g.Taps);

    // 1×1, stride 1, no padding, every tap live: im2col of an image is the image itself.
    private static bool IsPointwise(in Conv2dGeometry g, int liveTaps) =>
        g.KernelH == 1 && g.KernelW == 1 && g.Stride == 1 && g.Padding == 0 && liveTaps == g.Taps;

    // W̃[o, r] = w[o, taps[r]] · mask[o, taps[r]] (OC, K).
    private static float[] MaskedWeights(in Conv2dGeometry g, ReadOnlySpan<float> weight, ReadOnlySpan<float> mask, int[] taps)
    {
        int all = g.Taps, k = taps.Length;
        var wt = new float[g.OutChannels * k];
        for (int o = 0; o < g.OutChannels; o++)
            for (int r = 0; r < k; r++)
            {
                int src = o * all + taps[r];
                wt[o * k + r] = mask.IsEmpty ? weight[src] : weight[src] * mask[src];
            }
        return wt;
    }

    // dw[o, taps[r]] += dW̃[o, r] · mask[o, taps[r]]; dropped taps get no gradient (y does not depend on them).
    private static void ScatterWeightGrad(in Conv2dGeometry g, float[] dwt, ReadOnlySpan<float> mask, int[] taps, Span<float> dw)
    {
        int all = g.Taps, k = taps.Length;
        for (int o = 0; o < g.OutChannels; o++)
            for (int r = 0; r < k; r++)
            {
                int dst = o * all + taps[r];
                dw[dst] += mask.IsEmpty ? dwt[o * k + r] : dwt[o * k + r] * mask[dst];
            }
    }

    private static void CheckLengths(in Conv2dGeometry g, int x, int w, int bias, int mask, int y, string yName)
    {
        int xNeed = g.Batch * g.InChannels * g.Height * g.Width, wNeed = g.OutChannels * g.Taps, yNeed = g.Batch * g.OutChannels * g.OutH * g.OutW;
        if (x != xNeed) throw new ArgumentException($"conv2d: x has {x} elements, geometry needs B·C·H·W = {xNeed}");
        if (w != wNeed) throw new ArgumentException($"conv2d: weight has {w} elements, geometry needs OC·C·KH·KW = {wNeed}");
        if (bias != 0 && bias != g.OutChannels) throw new ArgumentException($"conv2d: bias has {bias} elements, expected OC = {g.OutChannels}");
        if (mask != 0 && mask != wNeed) throw new ArgumentException($"conv2d: mask has {mask} elements, expected OC·C·KH·KW = {wNeed}");
        if (y != yNeed) throw new ArgumentException($"conv2d: {yName} has {y} elements, geometry needs B·OC·OH·OW = {yNeed}");
    }
}

/// <summary>conv_transpose2d forward/backward on NCHW spans (PyTorch semantics, weight (C, OC, KH, KW)), through the GEMM.</summary>
public static class ConvTranspose2dKernels
{
    /// <summary>y = conv_transpose2d(x, w) + bias (bias may be empty).</summary>
    /// <exception cref="ArgumentException">A span length does not match the geometry.</exception>
    public static void Forward(in ConvTranspose2dGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y)
    {
        CheckLengths(g, x.Length, weight.Length, bias.Length, y.Length, "y");
        var low = g.Lowering;
        int c = g.InChannels, m = g.OutChannels * g.KernelH * g.KernelW, n = g.Height * g.Width, outPlane = g.OutChannels * g.OutH * g.OutW;
        int[] taps = ConvMask.AllTaps(m);
        int group = ImageChunks.Size(g.Batch, n);
        bool direct = group == 1 && IsPointwise(g);
        var pool = ArrayPool<float>.Shared;
        float[]? cols = direct ? null : pool.Rent(Math.Min(m, Conv2dKernels.TapSlice) * group * n);
        float[]? xt = group == 1 ? null : pool.Rent(c * group * n);
        try
        {
            for (int b0 = 0; b0 < g.Batch; b0 += group)
            {
                int gi = Math.Min(group, g.Batch - b0), w = gi * n;
                ReadOnlySpan<float> xs = x.Slice(b0 * c * n, c * n); // X (C, G·N)
                if (xt is not null) { ImageChunks.Pack(x, b0, gi, c, n, xt); xs = xt.AsSpan(0, c * w); }
                for (int i = 0; i < gi; i++)
                {
                    var yb = y.Slice((b0 + i) * outPlane, outPlane);
                    if (bias.IsEmpty) yb.Clear(); else ImageChunks.FillRows(yb, bias, g.OutChannels, g.OutH * g.OutW);
                }
                // 1×1 stride 1: y_b += Wᵀ·x_b directly.
                if (cols is null) Gemm.Sgemm(true, false, m, n, c, weight, m, xs, n, y.Slice(b0 * outPlane, outPlane), n, beta: 1f);
                for (int r0 = 0; cols is not null && r0 < m; r0 += Conv2dKernels.TapSlice)
                {
                    int rs = Math.Min(Conv2dKernels.TapSlice, m - r0);
                    Gemm.Sgemm(true, false, rs, w, c, weight[r0..], m, xs, w, cols, w); // cols (slice, G·N) = W[:, slice]ᵀ · X
                    for (int i = 0; i < gi; i++) low.ScatterAdd(cols.AsSpan(i * n), w, taps.AsSpan(r0, rs), y.Slice((b0 + i) * outPlane, outPlane));
                }
            }
        }
        finally
        {
            if (cols is not null) pool.Return(cols);
            if (xt is not null) pool.Return(xt);
        }
    }

    /// <summary>dx += ∂L/∂x, dw += ∂L/∂w, db += ∂L/∂bias given dy = ∂L/∂y; pass an empty span to skip one.</summary>
    /// <exception cref="ArgumentException">A span length does not match the geometry.</exception>
    public static void Backward(in ConvTranspose2dGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> weight,
        ReadOnlySpan<float> dy, Span<float> dx, Span<float> dw, Span<float> db)
    {
        CheckLengths(g, x.Length, weight.Length, db.Length, dy.Length, "dy");
        if (!dx.IsEmpty && dx.Length != x.Length) throw new ArgumentException($"conv_transpose2d backward: dx has {dx.Length} elements, x has {x.Length}");
        if (!dw.IsEmpty && dw.Length != weight.Length) throw new ArgumentException($"conv_transpose2d backward: dw has {dw.Length} elements, weight has {weight.Length}");
        var low = g.Lowering;
        int c = g.InChannels, m = g.OutChannels * g.KernelH * g.KernelW, n = g.Height * g.Width, outPlane = g.OutChannels * g.OutH * g.OutW;
        for (int b = 0; !db.IsEmpty && b < g.Batch; b++)
            ImageChunks.AddRowSums(dy.Slice(b * outPlane, outPlane), g.OutChannels, g.OutH * g.OutW, db);
        if (dx.IsEmpty && dw.IsEmpty) return;
        int[] taps = ConvMask.AllTaps(m);
        int group = ImageChunks.Size(g.Batch, n);
        bool direct = group == 1 && IsPointwise(g);
        var pool = ArrayPool<float>.Shared;
        float[]? dcols = direct ? null : pool.Rent(Math.Min(m, Conv2dKernels.TapSlice) * group * n);
        float[]? xt = group == 1 ? null : pool.Rent(c * group * n);  // X (C, G·N) for dW
        float[]? dxt = group == 1 || dx.IsEmpty ? null : pool.Rent(c * group * n); // dX (C, G·N)
        try
        {
            for (int b0 = 0; b0 < g.Batch; b0 += group)
            {
                int gi = Math.Min(group, g.Batch - b0), w = gi * n;
                ReadOnlySpan<float> xs = x.Slice(b0 * c * n, c * n);
                if (xt is not null && !dw.IsEmpty) { ImageChunks.Pack(x, b0, gi, c, n, xt); xs = xt.AsSpan(0, c * w); }
                Span<float> dX = dxt is not null ? dxt.AsSpan(0, c * w) : dx.IsEmpty ? default : dx.Slice(b0 * c * n, c * n);
                if (dxt is not null) dX.Clear();
                for (int r0 = 0; r0 < m; r0 += Conv2dKernels.TapSlice)
                {
                    int rs = Math.Min(Conv2dKernels.TapSlice, m - r0);
                    // dcols (slice, G·N) = im2col(dy) through the taps the forward scattered to (dy_b itself for 1×1).
                    ReadOnlySpan<float> dc = dcols is null ? dy.Slice(b0 * outPlane + r0 * w, rs * w) : default;
                    if (dcols is not null)
                    {
                        for (int i = 0; i < gi; i++) low.Gather(dy.Slice((b0 + i) * outPlane, outPlane), taps.AsSpan(r0, rs), dcols.AsSpan(i * n), w);
                        dc = dcols.AsSpan(0, rs * w);
                    }
                    if (!dw.IsEmpty) Gemm.Sgemm(false, true, c, rs, w, xs, w, dc, w, dw[r0..], m, beta: 1f); // dW[:, slice] += X · dcolsᵀ
                    if (!dx.IsEmpty) Gemm.Sgemm(false, false, c, w, rs, weight[r0..], m, dc, w, dX, w, beta: 1f); // dX += W[:, slice] · dcols
                }
                if (dxt is not null) ImageChunks.Unpack(dxt, b0, gi, c, n, dx, add: true);
            }
        }
        finally
        {
            if (dcols is not null) pool.Return(dcols);
            if (xt is not null) pool.Return(xt);
            if (dxt is not null) pool.Return(dxt);
        }
    }

    private static bool IsPointwise(in ConvTranspose2dGeometry g) => g.KernelH == 1 && g.KernelW == 1 && g.Stride == 1 && g.Padding == 0;

    private static void CheckLengths(in ConvTranspose2dGeometry g, int x, int w, int bias, int y, string yName)
    {
        int xNeed = g.Batch * g.InChannels * g.Height * g.Width, wNeed = g.InChannels * g.OutChannels * g.KernelH * g.KernelW;
        int yNeed = g.Batch * g.OutChannels * g.OutH * g.OutW;
        if (x != xNeed) throw new ArgumentException($"conv_transpose2d: x has {x} elements, geometry needs B·C·H·W = {xNeed}");
        if (w != wNeed) throw new ArgumentException($"conv_transpose2d: weight has {w} elements, geometry needs C·OC·KH·KW = {wNeed}");
        if (bias != 0 && bias != g.OutChannels) throw new ArgumentException($"conv_transpose2d: bias has {bias} elements, expected OC = {g.OutChannels}");
        if (y != yNeed) throw new ArgumentException($"conv_transpose2d: {yName} has {y} elements, geometry needs B·OC·OH·OW = {yNeed}");
    }
}

/// <summary>Side-by-side layout of G images' (rows, N) planes as one (rows, G·N) matrix, and back.</summary>
internal static class ImageChunks
{
    /// <summary>GEMM columns wanted per chunk: below this the GEMM's column panels are mostly padding.</summary>
    public const int MinColumns = 256;

    /// <summary>Images per chunk for images of n pixels.</summary>
    public static int Size(int batch, int n) => Math.Clamp((MinColumns + n - 1) / n, 1, batch);

    /// <summary>dst[r, i·n + j] = src[b0 + i, r, j] for i &lt; count.</summary>
    public static void Pack(ReadOnlySpan<float> src, int b0, int count, int rows, int n, Span<float> dst)
    {
        int w = count * n;
        for (int i = 0; i < count; i++)
            for (int r = 0; r < rows; r++)
                src.Slice(((b0 + i) * rows + r) * n, n).CopyTo(dst.Slice(r * w + i * n, n));
    }

    /// <summary>dst[b0 + i, r, j] (+)= src[r, i·n + j] for i &lt; count.</summary>
    public static void Unpack(ReadOnlySpan<float> src, int b0, int count, int rows, int n, Span<float> dst, bool add)
    {
        int w = count * n;
        for (int i = 0; i < count; i++)
            for (int r = 0; r < rows; r++)
            {
                var s = src.Slice(r * w + i * n, n);
                var d = dst.Slice(((b0 + i) * rows + r) * n, n);
                if (add) TensorPrimitives.Add(d, s, d); else s.CopyTo(d);
            }
    }

    /// <summary>Row o of the (rows, n) matrix filled with bias[o] (nothing when bias is empty).</summary>
    public static void FillRows(Span<float> m, ReadOnlySpan<float> bias, int rows, int n)
    {
        if (bias.IsEmpty) return;
        for (int o = 0; o < rows; o++) m.Slice(o * n, n).Fill(bias[o]);
    }

    /// <summary>sums[o] += Σ_j m[o, j] over a (rows, n) matrix.</summary>
    public static void AddRowSums(ReadOnlySpan<float> m, int rows, int n, Span<float> sums)
    {
        for (int o = 0; o < rows; o++) sums[o] += TensorPrimitives.Sum(m.Slice(o * n, n));
    }
}
