// 2-D convolution and transposed convolution kernels lowered to GEMM (im2col; Chellapilla et al. 2006).
// Per batch element, with N = OH·OW output pixels and the K live taps of the (optional) weight mask:
//   conv2d           y_b (OC, N) = W̃ (OC, K) · col_b (K, N),   col_b = im2col(x_b)
//     backward       dW̃ += dy_b · col_bᵀ,   dx_b += col2im(W̃ᵀ · dy_b),   db += Σ_pixels dy_b
//   conv_transpose2d y_b = col2im(Wᵀ (OC·KH·KW, C) · x_b (C, H·W))  (the input-gradient of a conv2d)
//     backward       dx_b += W · im2col(dy_b),   dW += x_b · im2col(dy_b)ᵀ
// W̃ = (W ⊙ mask) restricted to the taps the mask keeps, so masked-out taps are never gathered nor
// multiplied. Column buffers are recomputed in backward (storing them would cost B·K·N floats).
// Forward overwrites y; Backward ADDS into whichever of dx, dw, db is non-empty (the autograd contract).
using System.Buffers;
using System.Numerics.Tensors;

namespace ProbLab.Kernels;

/// <summary>conv2d forward/backward on NCHW spans, through the GEMM; optional (OC, C, KH, KW) weight mask.</summary>
public static class Conv2dKernels
{
    /// <summary>y = conv2d(x, w ⊙ mask) + bias. bias and mask may be empty (none).</summary>
    /// <exception cref="ArgumentException">A span length does not match the geometry.</exception>
    public static void Forward(in Conv2dGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        ReadOnlySpan<float> mask, Span<float> y)
    {
        CheckLengths(g, x.Length, weight.Length, bias.Length, mask.Length, y.Length, "y");
        var low = g.Lowering;
        int oc = g.OutChannels, n = low.Pixels, inPlane = g.InChannels * g.Height * g.Width;
        int[] taps = Taps(g, mask, out bool direct);
        int k = taps.Length, ldk = Math.Max(1, k); // k = 0 when the mask kills every tap
        float[] wt = MaskedWeights(g, weight, mask, taps);
        float[]? col = direct ? null : ArrayPool<float>.Shared.Rent(k * n);
        try
        {
            for (int b = 0; b < g.Batch; b++)
            {
                var yb = y.Slice(b * oc * n, oc * n);
                var xb = x.Slice(b * inPlane, inPlane);
                if (col is not null) low.Gather(xb, taps, col);
                FillBias(yb, bias, oc, n);
                Gemm.Sgemm(false, false, oc, n, k, wt.AsSpan(0, oc * k), ldk, col is null ? xb : col.AsSpan(0, k * n), n, yb, n,
                    beta: bias.IsEmpty ? 0f : 1f);
            }
        }
        finally
        {
            if (col is not null) ArrayPool<float>.Shared.Return(col);
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
        int[] taps = Taps(g, mask, out bool direct);
        int k = taps.Length, ldk = Math.Max(1, k);
        float[] wt = MaskedWeights(g, weight, mask, taps);
        var pool = ArrayPool<float>.Shared;
        float[]? col = direct ? null : pool.Rent(k * n);
        float[]? dwt = dw.IsEmpty ? null : pool.Rent(oc * k);
        if (dwt is not null) Array.Clear(dwt, 0, oc * k);
        try
        {
            for (int b = 0; b < g.Batch; b++)
            {
                var dyb = dy.Slice(b * oc * n, oc * n);
                var xb = x.Slice(b * inPlane, inPlane);
                if (!db.IsEmpty) AddRowSums(dyb, oc, n, db);
                if (dwt is not null)
                {
                    if (col is not null) low.Gather(xb, taps, col);
                    // dW̃ (OC, K) += dy_b (OC, N) · col_bᵀ (N, K)
                    Gemm.Sgemm(false, true, oc, k, n, dyb, n, col is null ? xb : col.AsSpan(0, k * n), n, dwt.AsSpan(0, oc * k), ldk, beta: 1f);
                }
                if (dx.IsEmpty) continue;
                var dxb = dx.Slice(b * inPlane, inPlane);
                if (col is null) Gemm.Sgemm(true, false, k, n, oc, wt.AsSpan(0, oc * k), ldk, dyb, n, dxb, n, beta: 1f); // 1×1: dx_b += W̃ᵀ·dy_b
                else
                {
                    // dcol (K, N) = W̃ᵀ · dy_b, then scatter-add through the taps.
                    Gemm.Sgemm(true, false, k, n, oc, wt.AsSpan(0, oc * k), ldk, dyb, n, col, n);
                    low.ScatterAdd(col.AsSpan(0, k * n), taps, dxb);
                }
            }
            if (dwt is not null) ScatterWeightGrad(g, dwt, mask, taps, dw);
        }
        finally
        {
            if (col is not null) pool.Return(col);
            if (dwt is not null) pool.Return(dwt);
        }
    }

    // Taps the mask keeps. `direct`: 1×1, stride 1, no padding, all taps live → col_b is x_b itself.
    private static int[] Taps(in Conv2dGeometry g, ReadOnlySpan<float> mask, out bool direct)
    {
        int[] taps = mask.IsEmpty ? ConvMask.AllTaps(g.Taps) : ConvMask.ActiveTaps(mask, g.OutChannels, g.Taps);
        direct = g.KernelH == 1 && g.KernelW == 1 && g.Stride == 1 && g.Padding == 0 && taps.Length == g.Taps;
        return taps;
    }

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

    internal static void FillBias(Span<float> yb, ReadOnlySpan<float> bias, int channels, int n)
    {
        if (bias.IsEmpty) return;
        for (int o = 0; o < channels; o++) yb.Slice(o * n, n).Fill(bias[o]);
    }

    internal static void AddRowSums(ReadOnlySpan<float> rows, int count, int n, Span<float> sums)
    {
        for (int o = 0; o < count; o++) sums[o] += TensorPrimitives.Sum(rows.Slice(o * n, n));
    }

    private static void CheckLengths(in Conv2dGeometry g, int x, int w, int bias, int mask, int y, string yName)
    {
        int oh = g.OutH, ow = g.OutW;
        if (x != g.Batch * g.InChannels * g.Height * g.Width) throw new ArgumentException($"conv2d: x has {x} elements, geometry needs B·C·H·W = {g.Batch * g.InChannels * g.Height * g.Width}");
        if (w != g.OutChannels * g.Taps) throw new ArgumentException($"conv2d: weight has {w} elements, geometry needs OC·C·KH·KW = {g.OutChannels * g.Taps}");
        if (bias != 0 && bias != g.OutChannels) throw new ArgumentException($"conv2d: bias has {bias} elements, expected OC = {g.OutChannels}");
        if (mask != 0 && mask != g.OutChannels * g.Taps) throw new ArgumentException($"conv2d: mask has {mask} elements, expected OC·C·KH·KW = {g.OutChannels * g.Taps}");
        if (y != g.Batch * g.OutChannels * oh * ow) throw new ArgumentException($"conv2d: {yName} has {y} elements, geometry needs B·OC·OH·OW = {g.Batch * g.OutChannels * oh * ow}");
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
        bool direct = m == g.OutChannels && g.Stride == 1 && g.Padding == 0;
        int[] taps = ConvMask.AllTaps(m);
        float[]? col = direct ? null : ArrayPool<float>.Shared.Rent(m * n);
        try
        {
            for (int b = 0; b < g.Batch; b++)
            {
                var xb = x.Slice(b * c * n, c * n);
                var yb = y.Slice(b * outPlane, outPlane);
                Conv2dKernels.FillBias(yb, bias, g.OutChannels, g.OutH * g.OutW);
                if (bias.IsEmpty && !direct) yb.Clear();
                // col (OC·KH·KW, H·W) = Wᵀ · x_b, W stored (C, OC·KH·KW); 1×1 stride 1 writes y_b directly.
                if (direct) Gemm.Sgemm(true, false, m, n, c, weight, m, xb, n, yb, n, beta: bias.IsEmpty ? 0f : 1f);
                else
                {
                    Gemm.Sgemm(true, false, m, n, c, weight, m, xb, n, col, n);
                    low.ScatterAdd(col.AsSpan(0, m * n), taps, yb);
                }
            }
        }
        finally
        {
            if (col is not null) ArrayPool<float>.Shared.Return(col);
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
        bool direct = m == g.OutChannels && g.Stride == 1 && g.Padding == 0;
        int[] taps = ConvMask.AllTaps(m);
        float[]? col = direct || (dx.IsEmpty && dw.IsEmpty) ? null : ArrayPool<float>.Shared.Rent(m * n);
        try
        {
            for (int b = 0; b < g.Batch; b++)
            {
                var dyb = dy.Slice(b * outPlane, outPlane);
                if (!db.IsEmpty) Conv2dKernels.AddRowSums(dyb, g.OutChannels, g.OutH * g.OutW, db);
                if (dx.IsEmpty && dw.IsEmpty) continue;
                // dcol (OC·KH·KW, H·W) = im2col(dy_b) over the same taps the forward scattered through.
                ReadOnlySpan<float> dcol = dyb;
                if (col is not null) { low.Gather(dyb, taps, col); dcol = col.AsSpan(0, m * n); }
                if (!dx.IsEmpty) Gemm.Sgemm(false, false, c, n, m, weight, m, dcol, n, dx.Slice(b * c * n, c * n), n, beta: 1f);  // dx_b += W · dcol
                if (!dw.IsEmpty) Gemm.Sgemm(false, true, c, m, n, x.Slice(b * c * n, c * n), n, dcol, n, dw, m, beta: 1f);      // dW += x_b · dcolᵀ
            }
        }
        finally
        {
            if (col is not null) ArrayPool<float>.Shared.Return(col);
        }
    }

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
