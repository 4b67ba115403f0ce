// Convolution autograd ops (PyTorch's F.conv2d / F.conv_transpose2d, NCHW, square stride and padding):
// shape checks here, the im2col + GEMM work in Kernels/Conv2d.cs. Conv2d takes an optional constant
// weight mask (PixelCNN's masked convolutions): the op computes conv2d(x, w ⊙ mask) and its kernels skip
// every tap the mask zeroes for all output channels.
using ProbLab.Kernels;
using ProbLab.Tensors;

namespace ProbLab.Ops;

public static partial class TensorOps
{
    /// <summary>
    /// 2-D convolution y = conv2d(x, weight ⊙ mask) + bias: x (B, C, H, W), weight (OC, C, KH, KW), bias (OC) or null,
    /// mask null, (KH, KW) (same spatial mask for every channel pair) or (OC, C, KH, KW); the mask is a constant.
    /// Output (B, OC, OH, OW) with OH = ⌊(H + 2·padding − KH)/stride⌋ + 1.
    /// </summary>
    /// <exception cref="ArgumentException">Ranks or channel counts do not match, or the geometry is invalid.</exception>
    public static Tensor Conv2d(this Tensor x, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, Tensor? mask = null)
    {
        if (x.Rank != 4) throw new ArgumentException($"conv2d: input must be (B, C, H, W), got {ShapeUtil.Format(x.Shape)}");
        if (weight.Rank != 4) throw new ArgumentException($"conv2d: weight must be (OC, C, KH, KW), got {ShapeUtil.Format(weight.Shape)}");
        if (weight.Shape[1] != x.Shape[1])
            throw new ArgumentException($"conv2d: input has {x.Shape[1]} channels but weight {ShapeUtil.Format(weight.Shape)} expects {weight.Shape[1]}");
        int oc = weight.Shape[0];
        CheckBias("conv2d", bias, oc);
        var g = new Conv2dGeometry(x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3], oc, weight.Shape[2], weight.Shape[3], stride, padding);
        float[] m = FullMask(mask, weight.Shape);
        var y = new Tensor(new float[g.Batch * oc * g.OutH * g.OutW], g.Batch, oc, g.OutH, g.OutW);
        Conv2dKernels.Forward(g, x.Data, weight.Data, bias is null ? default : bias.Data, m, y.Data);
        var parents = bias is null ? new[] { x, weight } : new[] { x, weight, bias };
        return y.Record("conv2d", parents, () =>
            Conv2dKernels.Backward(g, x.Data, weight.Data, m, y.Grad!, GradOrEmpty(x), GradOrEmpty(weight), GradOrEmpty(bias)));
    }

    /// <summary>
    /// Transposed 2-D convolution (PyTorch's conv_transpose2d, the input-gradient of conv2d): x (B, C, H, W),
    /// weight (C, OC, KH, KW), bias (OC) or null → (B, OC, OH, OW), OH = (H − 1)·stride − 2·padding + KH + outputPadding.
    /// </summary>
    /// <exception cref="ArgumentException">Ranks or channel counts do not match, outputPadding ∉ [0, stride), or the output would be empty.</exception>
    public static Tensor ConvTranspose2d(this Tensor x, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int outputPadding = 0)
    {
        if (x.Rank != 4) throw new ArgumentException($"conv_transpose2d: input must be (B, C, H, W), got {ShapeUtil.Format(x.Shape)}");
        if (weight.Rank != 4) throw new ArgumentException($"conv_transpose2d: weight must be (C, OC, KH, KW), got {ShapeUtil.Format(weight.Shape)}");
        if (weight.Shape[0] != x.Shape[1])
            throw new ArgumentException($"conv_transpose2d: input has {x.Shape[1]} channels but weight {ShapeUtil.Format(weight.Shape)} expects {weight.Shape[0]}");
        int oc = weight.Shape[1];
        CheckBias("conv_transpose2d", bias, oc);
        var g = new ConvTranspose2dGeometry(x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3], oc, weight.Shape[2], weight.Shape[3],
            stride, padding, outputPadding);
        var y = new Tensor(new float[g.Batch * oc * g.OutH * g.OutW], g.Batch, oc, g.OutH, g.OutW);
        ConvTranspose2dKernels.Forward(g, x.Data, weight.Data, bias is null ? default : bias.Data, y.Data);
        var parents = bias is null ? new[] { x, weight } : new[] { x, weight, bias };
        return y.Record("conv_transpose2d", parents, () =>
            ConvTranspose2dKernels.Backward(g, x.Data, weight.Data, y.Grad!, GradOrEmpty(x), GradOrEmpty(weight), GradOrEmpty(bias)));
    }

    private static void CheckBias(string op, Tensor? bias, int outChannels)
    {
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != outChannels))
            throw new ArgumentException($"{op}: bias must have shape ({outChannels}), got {ShapeUtil.Format(bias.Shape)}");
    }

    // The gradient buffer to add into, or an empty span when this input needs no gradient.
    private static Span<float> GradOrEmpty(Tensor? t) => t is not null && t.RequiresGrad ? t.Grad : Span<float>.Empty;

    // Mask as a full (OC, C, KH, KW) array; a (KH, KW) mask is repeated over every (OC, C) pair. Empty when null.
    private static float[] FullMask(Tensor? mask, int[] weightShape)
    {
        if (mask is null) return Array.Empty<float>();
        int taps = weightShape[2] * weightShape[3], pairs = weightShape[0] * weightShape[1];
        if (mask.Rank == 4 && mask.Shape.AsSpan().SequenceEqual(weightShape)) return mask.Data;
        if (mask.Rank == 2 && mask.Shape[0] == weightShape[2] && mask.Shape[1] == weightShape[3])
        {
            var full = new float[pairs * taps];
            for (int p = 0; p < pairs; p++) mask.Data.CopyTo(full, p * taps);
            return full;
        }
        throw new ArgumentException($"conv2d: mask must be ({weightShape[2]}, {weightShape[3]}) or {ShapeUtil.Format(weightShape)}, got {ShapeUtil.Format(mask.Shape)}");
    }
}
