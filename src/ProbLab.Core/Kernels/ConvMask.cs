// Weight masks for masked convolutions: the PixelCNN causal masks (van den Oord et al. 2016, "Pixel
// Recurrent Neural Networks", §3.4: type A excludes the centre pixel, type B includes it; with colour
// groups the centre tap connects input group gi to output group go when gi < go for A, gi ≤ go for B),
// and the list of taps a mask leaves alive, which is what the convolution kernels gather (a 7×7 causal
// mask keeps 24 or 25 of 49 taps, so roughly half the im2col copy and GEMM depth disappear).
namespace ProbLab.Kernels;

/// <summary>Convolution weight masks (OC, C, KH, KW) and the taps they keep.</summary>
public static class ConvMask
{
    /// <summary>
    /// PixelCNN causal mask (OC, C, k, k): 1 above the centre row and left of the centre on its row; the centre
    /// tap is 0 for type A and 1 for type B, or, with colorGroups &gt; 1, decided per (output, input) channel group.
    /// </summary>
    /// <exception cref="ArgumentException">k is even or below 1, a channel count is below colorGroups, or colorGroups &lt; 1.</exception>
    public static float[] PixelCnn(int outChannels, int inChannels, int kernelSize, bool typeA, int colorGroups = 1)
    {
        if (kernelSize < 1 || kernelSize % 2 == 0) throw new ArgumentException($"PixelCNN mask: kernel size must be odd and ≥ 1, got {kernelSize}");
        if (colorGroups < 1) throw new ArgumentException($"PixelCNN mask: colorGroups must be ≥ 1, got {colorGroups}");
        if (outChannels < colorGroups || inChannels < colorGroups)
            throw new ArgumentException($"PixelCNN mask: {colorGroups} colour groups need at least that many channels (OC={outChannels}, C={inChannels})");
        int k = kernelSize, centre = k / 2, taps = k * k;
        var mask = new float[outChannels * inChannels * taps];
        for (int o = 0; o < outChannels; o++)
            for (int c = 0; c < inChannels; c++)
            {
                var m = mask.AsSpan((o * inChannels + c) * taps, taps);
                m[..(centre * k + centre)].Fill(1f); // every row above, and the left part of the centre row
                int go = o * colorGroups / outChannels, gi = c * colorGroups / inChannels;
                bool centreOn = colorGroups == 1 ? !typeA : typeA ? gi < go : gi <= go;
                if (centreOn) m[centre * k + centre] = 1f;
            }
        return mask;
    }

    /// <summary>Taps t ∈ [0, taps) with mask[o·taps + t] ≠ 0 for some output channel o.</summary>
    internal static int[] ActiveTaps(ReadOnlySpan<float> mask, int outChannels, int taps)
    {
        var alive = new bool[taps];
        int count = 0;
        for (int o = 0; o < outChannels; o++)
        {
            var row = mask.Slice(o * taps, taps);
            for (int t = 0; t < taps; t++)
                if (row[t] != 0f && !alive[t]) { alive[t] = true; count++; }
        }
        var list = new int[count];
        for (int t = 0, r = 0; t < taps; t++)
            if (alive[t]) list[r++] = t;
        return list;
    }

    /// <summary>0, 1, ..., taps − 1 (no mask).</summary>
    internal static int[] AllTaps(int taps)
    {
        var list = new int[taps];
        for (int t = 0; t < taps; t++) list[t] = t;
        return list;
    }
}
