// Fused axis-aligned uniform ("box") mixture log-likelihood and its backward. Shape letters as in
// MixtureGaussian.cs: B points (xT is D × B, feature-major), K components, D features; centers and
// logSizes are K × D, logWeights K (log-normalised), responsibilities K × B.
//
// Hard boxes (softness τ = 0, the course's model): log U(x | c, s) = −Σ_d log s_d inside c ± s/2
// (edges included) and OutsideLogProb = −1e6 outside, never −∞, so a point outside every box still has a
// finite ℓ ≈ −1e6 and no NaN reaches the loss. The indicator is flat almost everywhere, hence
// ∂ℓ/∂c = 0 and ∂ℓ/∂log s_d = −r_k inside: gradient descent can only shrink boxes, never move them.
//
// Smoothed boxes (τ > 0, our fix): each side's indicator becomes σ((x−lo)/τ) − σ((x−hi)/τ), divided by s.
// It integrates to exactly 1 for any τ (∫ σ((x−a)/τ) − σ((x−b)/τ) dx = b − a), so it is a proper density
// that tends to the hard box as τ → 0. With t = (x − c)/τ, z = s/τ, u = t + z/2, v = t − z/2:
//   σ(u) − σ(v) = σ(u) σ(−v) (1 − e^{−z})   ⇒   L_d = log σ(u) + log σ(−v) + log(1 − e^{−z}) − log s
// (no cancellation inside the box, unlike the textbook v + log expm1(z) − softplus(u) − softplus(v)), and
//   ∂L_d/∂c = (σ(v) − σ(−u)) / τ = −∂L_d/∂x,   ∂L_d/∂log s = z (½σ(−u) + ½σ(v) + 1/expm1(z)) − 1.
using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ProbLab.Kernels;

/// <summary>Forward/backward kernels of the uniform (box) mixture log-likelihood, hard or edge-smoothed, with naive twins.</summary>
public static class UniformMixtureKernels
{
    /// <summary>Log-density assigned outside a hard box (the course's −1e6 instead of −∞).</summary>
    public const float OutsideLogProb = -1e6f;

    private const int Tile = 512;

    /// <summary>
    /// Writes ℓ(x_b) = log Σ_k π_k U(x_b | c_k, s_k) into <paramref name="logLik"/> (B) and the
    /// responsibilities into <paramref name="resp"/> (K × B); <paramref name="softness"/> τ = 0 gives hard boxes.
    /// </summary>
    /// <exception cref="ArgumentException">A buffer is too short or τ is negative or not finite.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // SIMD hot loop: full JIT at first call, no tier-0 phase
    public static void Forward(Span<float> logLik, Span<float> resp, ReadOnlySpan<float> xT, ReadOnlySpan<float> logWeights,
        ReadOnlySpan<float> centers, ReadOnlySpan<float> logSizes, float softness, int B, int K, int D)
    {
        GaussianMixtureKernels.CheckShapes(logLik.Length, resp.Length, xT.Length, logWeights.Length, centers.Length, logSizes.Length, B, K, D);
        CheckSoftness(softness);
        var box = BoxConstants(centers, logSizes, softness, K, D);
        // Largest joint of each component: log π_k − Σ_d log s_kd (+ Σ_d log(1 − e^{−z}) when smoothed).
        float shift = float.NegativeInfinity;
        for (int k = 0; k < K; k++) shift = MathF.Max(shift, logWeights[k] + MaxLogDensity(box, k, D, softness));
        var exact = new ExactJoint(xT, logWeights, centers, logSizes, softness, B, D);
        // Outside every hard box: ℓ = logsumexp(log π) − 1e6 and r = softmax(log π), precomputed once.
        var emptyResp = new float[softness == 0 ? K : 0];
        float emptyLogLik = float.NaN;
        if (softness == 0)
        {
            float lse = SoftmaxKernels.LogSumExp(logWeights.Slice(0, K));
            for (int k = 0; k < K; k++) emptyResp[k] = MathF.Exp(logWeights[k] - lse);
            emptyLogLik = lse + OutsideLogProb;
        }
        Span<float> sum = stackalloc float[Tile];
        for (int b0 = 0; b0 < B; b0 += Tile)
        {
            int n = Math.Min(Tile, B - b0);
            sum.Slice(0, n).Clear();
            for (int k = 0; k < K; k++)
            {
                var e = resp.Slice(k * B + b0, n);
                if (softness == 0) HardJointExp(e, sum.Slice(0, n), xT, b0, B, k, D, logWeights[k] + MaxLogDensity(box, k, D, 0) - shift, box);
                else SmoothJointExp(e, sum.Slice(0, n), xT, b0, B, k, D, logWeights[k], shift, box, softness);
            }
            MixtureLogSumExp.Finish(logLik, resp, sum, B, b0, n, K, shift, in exact, emptyLogLik, emptyResp);
        }
        ArrayPool<float>.Shared.Return(box.Rented);
    }

    private static float MaxLogDensity(Box box, int k, int D, float softness)
    {
        if (softness == 0) return -box.SumLogSize[k];
        float c = 0;
        for (int d = 0; d < D; d++) c += box.Field(3)[k * D + d];
        return c;
    }

    // Double-precision joint for the points whose shifted exps underflow (e.g. outside every hard box).
    private readonly ref struct ExactJoint(ReadOnlySpan<float> xT, ReadOnlySpan<float> logWeights, ReadOnlySpan<float> centers,
        ReadOnlySpan<float> logSizes, float softness, int B, int D) : IMixtureJoint
    {
        private readonly ReadOnlySpan<float> _xT = xT, _logWeights = logWeights, _centers = centers, _logSizes = logSizes;

        public double Joint(int k, int b) => _logWeights[k] + StableLogDensity(_xT, _centers, _logSizes, softness, b, k, B, D);
    }

    /// <summary>
    /// Adds ∂L/∂log π (K), ∂L/∂c and ∂L/∂log s (K × D) and, unless empty, ∂L/∂x (D × B, zero for hard boxes)
    /// given ∂L/∂ℓ (B) and the responsibilities from <see cref="Forward"/> at the same τ.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // SIMD hot loop: full JIT at first call, no tier-0 phase
    public static void Backward(Span<float> dxT, Span<float> dLogWeights, Span<float> dCenters, Span<float> dLogSizes,
        ReadOnlySpan<float> dLogLik, ReadOnlySpan<float> resp, ReadOnlySpan<float> xT,
        ReadOnlySpan<float> centers, ReadOnlySpan<float> logSizes, float softness, int B, int K, int D)
    {
        GaussianMixtureKernels.CheckShapes(dLogLik.Length, resp.Length, xT.Length, dLogWeights.Length, dCenters.Length, dLogSizes.Length, B, K, D);
        CheckSoftness(softness);
        if (!dxT.IsEmpty && dxT.Length < D * B) throw new ArgumentException($"dxT has {dxT.Length} elements, expected {D * B}");
        var box = BoxConstants(centers, logSizes, softness, K, D);
        var wt = ArrayPool<float>.Shared.Rent(B);
        for (int k = 0; k < K; k++)
        {
            var w = wt.AsSpan(0, B);
            System.Numerics.Tensors.TensorPrimitives.Multiply(dLogLik.Slice(0, B), resp.Slice(k * B, B), w);
            dLogWeights[k] += System.Numerics.Tensors.TensorPrimitives.Sum<float>(w);
            if (softness == 0) HardBackward(dLogSizes, w, xT, B, k, D, box);
            else SmoothBackward(dxT, dCenters, dLogSizes, w, xT, B, k, D, box, softness);
        }
        ArrayPool<float>.Shared.Return(wt);
        ArrayPool<float>.Shared.Return(box.Rented);
    }

    // Per (k, d) fields: 0 lo, 1 hi, 2 z/2, 3 log(1 − e^{−z}) − log s, 4 z, 5 1/expm1(z), 6 c; then Σ_d log s_kd per k.
    private const int Fields = 7;

    private readonly record struct Box(float[] Rented, int K, int D)
    {
        public Span<float> Field(int f) => Rented.AsSpan(f * K * D, K * D);
        public Span<float> SumLogSize => Rented.AsSpan(Fields * K * D, K);
    }

    private static Box BoxConstants(ReadOnlySpan<float> centers, ReadOnlySpan<float> logSizes, float softness, int K, int D)
    {
        var box = new Box(ArrayPool<float>.Shared.Rent(Fields * K * D + K), K, D);
        Span<float> lo = box.Field(0), hi = box.Field(1), half = box.Field(2), lconst = box.Field(3), z = box.Field(4), q = box.Field(5);
        for (int k = 0; k < K; k++)
        {
            double sls = 0;
            for (int d = 0; d < D; d++)
            {
                int i = k * D + d;
                float s = MathF.Exp(logSizes[i]);
                sls += logSizes[i];
                // Same float arithmetic as c − s/2 ≤ x ≤ c + s/2 in the course's PyTorch code.
                lo[i] = centers[i] - s / 2;
                hi[i] = centers[i] + s / 2;
                box.Field(6)[i] = centers[i];
                if (softness > 0)
                {
                    double zz = (double)s / softness;
                    double oneMinus = zz < 1e-6 ? zz : 1 - Math.Exp(-zz); // 1 − e^{−z}, relative error ≤ 1e-10 for z ≥ 1e-6
                    z[i] = (float)zz;
                    half[i] = (float)(zz / 2);
                    lconst[i] = (float)(Math.Log(oneMinus) - logSizes[i]);
                    q[i] = (float)(Math.Exp(-zz) / oneMinus);
                }
            }
            box.SumLogSize[k] = (float)sls;
        }
        return box;
    }

    // e[i] = exp(log π_k − log area_k − shift) inside box k, else 0 (exp(−1e6 − …) underflows anyway).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // SIMD hot loop: full JIT at first call, no tier-0 phase
    private static void HardJointExp(Span<float> e, Span<float> sum, ReadOnlySpan<float> xT, int b0, int B, int k, int D, float inShifted, Box box)
    {
        ReadOnlySpan<float> lo = box.Field(0).Slice(k * D, D), hi = box.Field(1).Slice(k * D, D);
        float eIn = MixtureFastMath.Exp(inShifted);
        int w = Vector<float>.Count, n = e.Length, i = 0;
        ref float xr = ref MemoryMarshal.GetReference(xT);
        ref float er = ref MemoryMarshal.GetReference(e);
        ref float sr = ref MemoryMarshal.GetReference(sum);
        var vin = new Vector<float>(eIn);
        for (; i <= n - w; i += w)
        {
            var inside = Vector<int>.AllBitsSet;
            for (int d = 0; d < D; d++)
            {
                var x = Vector.LoadUnsafe(ref xr, (nuint)(d * B + b0 + i));
                inside &= Vector.GreaterThanOrEqual(x, new Vector<float>(lo[d])) & Vector.LessThanOrEqual(x, new Vector<float>(hi[d]));
            }
            var ev = Vector.ConditionalSelect(inside.As<int, float>(), vin, Vector<float>.Zero);
            ev.StoreUnsafe(ref er, (nuint)i);
            (Vector.LoadUnsafe(ref sr, (nuint)i) + ev).StoreUnsafe(ref sr, (nuint)i);
        }
        for (; i < n; i++)
        {
            e[i] = Inside(xT, b0 + i, B, D, lo, hi) ? eIn : 0f;
            sum[i] += e[i];
        }
    }

    private static bool Inside(ReadOnlySpan<float> xT, int b, int B, int D, ReadOnlySpan<float> lo, ReadOnlySpan<float> hi)
    {
        for (int d = 0; d < D; d++)
        {
            float x = xT[d * B + b];
            if (!(x >= lo[d] && x <= hi[d])) return false;
        }
        return true;
    }

    // e[i] = exp(max(joint, log π_k − 1e6) − shift), joint = log π_k + Σ_d [log σ(u) + log σ(−v) + log(1 − e^{−z}) − log s]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // SIMD hot loop: full JIT at first call, no tier-0 phase
    private static void SmoothJointExp(Span<float> e, Span<float> sum, ReadOnlySpan<float> xT, int b0, int B, int k, int D,
        float logW, float shift, Box box, float tau)
    {
        int w = Vector<float>.Count, n = e.Length, i = 0;
        ref float xr = ref MemoryMarshal.GetReference(xT);
        ref float er = ref MemoryMarshal.GetReference(e);
        ref float sr = ref MemoryMarshal.GetReference(sum);
        float constant = logW + MaxLogDensity(box, k, D, tau), floor = logW + OutsideLogProb;
        var vInvTau = new Vector<float>(1f / tau);
        for (; i <= n - w; i += w)
        {
            var acc = new Vector<float>(constant);
            for (int d = 0; d < D; d++)
            {
                int kd = k * D + d;
                var t = (Vector.LoadUnsafe(ref xr, (nuint)(d * B + b0 + i)) - new Vector<float>(CenterOf(box, kd))) * vInvTau;
                var h = new Vector<float>(box.Field(2)[kd]);
                acc -= Softplus(-t - h) + Softplus(t - h); // log σ(u) = −softplus(−u), log σ(−v) = −softplus(v)
            }
            var ev = MixtureFastMath.Exp(Vector.Max(acc, new Vector<float>(floor)) - new Vector<float>(shift));
            ev.StoreUnsafe(ref er, (nuint)i);
            (Vector.LoadUnsafe(ref sr, (nuint)i) + ev).StoreUnsafe(ref sr, (nuint)i);
        }
        for (; i < n; i++)
        {
            float acc = constant;
            for (int d = 0; d < D; d++)
            {
                int kd = k * D + d;
                float t = (xT[d * B + b0 + i] - CenterOf(box, kd)) / tau, h = box.Field(2)[kd];
                acc -= Softplus(-t - h) + Softplus(t - h);
            }
            e[i] = MixtureFastMath.Exp(MathF.Max(acc, floor) - shift);
            sum[i] += e[i];
        }
    }

    private static float CenterOf(Box box, int kd) => box.Field(6)[kd];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // SIMD hot loop: full JIT at first call, no tier-0 phase
    private static void HardBackward(Span<float> dLogSizes, ReadOnlySpan<float> w, ReadOnlySpan<float> xT, int B, int k, int D, Box box)
    {
        ReadOnlySpan<float> lo = box.Field(0).Slice(k * D, D), hi = box.Field(1).Slice(k * D, D);
        double inside = 0;
        for (int b = 0; b < B; b++) if (w[b] != 0 && Inside(xT, b, B, D, lo, hi)) inside += w[b];
        for (int d = 0; d < D; d++) dLogSizes[k * D + d] -= (float)inside;
    }

    // Per (k, d): Σ_b w_b ∂L/∂c and Σ_b w_b ∂L/∂log s, and dx −= w ∂L/∂c, with
    //   ∂L/∂c = (σ(v) − σ(−u))/τ,  ∂L/∂log s = z (½σ(−u) + ½σ(v) + 1/expm1(z)) − 1.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // SIMD hot loop: full JIT at first call, no tier-0 phase
    private static void SmoothBackward(Span<float> dxT, Span<float> dCenters, Span<float> dLogSizes, ReadOnlySpan<float> w,
        ReadOnlySpan<float> xT, int B, int k, int D, Box box, float tau)
    {
        int vw = Vector<float>.Count;
        bool wantDx = !dxT.IsEmpty;
        ref float wr = ref MemoryMarshal.GetReference(w);
        for (int d = 0; d < D; d++)
        {
            int kd = k * D + d;
            float c = CenterOf(box, kd), h = box.Field(2)[kd], z = box.Field(4)[kd], q = box.Field(5)[kd], invTau = 1f / tau;
            ref float xr = ref MemoryMarshal.GetReference(xT.Slice(d * B, B));
            ref float dxr = ref wantDx ? ref MemoryMarshal.GetReference(dxT.Slice(d * B, B)) : ref Unsafe.NullRef<float>();
            Vector<float> vc = new(c), vh = new(h), vz = new(z), vq = new(q), vInv = new(invTau), vHalf = new(0.5f);
            Vector<float> accC = Vector<float>.Zero, accS = Vector<float>.Zero;
            int b = 0;
            for (; b <= B - vw; b += vw)
            {
                var wv = Vector.LoadUnsafe(ref wr, (nuint)b);
                var t = (Vector.LoadUnsafe(ref xr, (nuint)b) - vc) * vInv;
                var sigV = Vector<float>.One / (Vector<float>.One + MixtureFastMath.Exp(vh - t));    // σ(t − h)
                var sigNegU = Vector<float>.One / (Vector<float>.One + MixtureFastMath.Exp(t + vh)); // σ(−t − h)
                var dc = (sigV - sigNegU) * vInv;
                accC = Vector.FusedMultiplyAdd(wv, dc, accC);
                var ds = Vector.FusedMultiplyAdd(vz, Vector.FusedMultiplyAdd(vHalf, sigNegU + sigV, vq), -Vector<float>.One);
                accS = Vector.FusedMultiplyAdd(wv, ds, accS);
                if (wantDx) (Vector.LoadUnsafe(ref dxr, (nuint)b) - wv * dc).StoreUnsafe(ref dxr, (nuint)b);
            }
            double sc = Vector.Sum(accC), ss = Vector.Sum(accS);
            for (; b < B; b++)
            {
                float t = (xT[d * B + b] - c) * invTau;
                float sigV = Sigmoid(t - h), sigNegU = Sigmoid(-(t + h));
                float dc = (sigV - sigNegU) * invTau;
                sc += w[b] * dc;
                ss += w[b] * (z * (0.5f * (sigNegU + sigV) + q) - 1f);
                if (wantDx) dxT[d * B + b] -= w[b] * dc;
            }
            dCenters[kd] += (float)sc;
            dLogSizes[kd] += (float)ss;
        }
    }

    // log U(x_b | k) in double with the same float box edges as the kernels: the stable smoothed form, or
    // −Σ log s inside / −1e6 outside for hard boxes; floored at −1e6 like the kernels.
    private static double StableLogDensity(ReadOnlySpan<float> xT, ReadOnlySpan<float> centers, ReadOnlySpan<float> logSizes,
        float softness, int b, int k, int B, int D)
    {
        double lp = 0;
        bool inside = true;
        for (int d = 0; d < D; d++)
        {
            int i = k * D + d;
            float x = xT[d * B + b];
            if (softness == 0)
            {
                float s = MathF.Exp(logSizes[i]);
                inside &= x >= centers[i] - s / 2 && x <= centers[i] + s / 2;
                lp -= logSizes[i];
                continue;
            }
            double sd = Math.Exp(logSizes[i]), z = sd / softness, t = (x - centers[i]) / (double)softness;
            double oneMinus = z < 1e-6 ? z : 1 - Math.Exp(-z);
            lp += LogSigmoid(t + z / 2) + LogSigmoid(z / 2 - t) + Math.Log(oneMinus) - logSizes[i];
        }
        return inside ? Math.Max(lp, OutsideLogProb) : OutsideLogProb;
    }

    private static double LogSigmoid(double a) => -(Math.Max(-a, 0) + Math.Log(1 + Math.Exp(-Math.Abs(a))));

    // ---- naive twins (tests only): double precision, straight from the formulas above ----------------

    /// <summary>Scalar double-precision reference of <see cref="Forward"/>.</summary>
    public static void ForwardNaive(Span<float> logLik, Span<float> resp, ReadOnlySpan<float> xT, ReadOnlySpan<float> logWeights,
        ReadOnlySpan<float> centers, ReadOnlySpan<float> logSizes, float softness, int B, int K, int D)
    {
        var joint = new double[K];
        for (int b = 0; b < B; b++)
        {
            double max = double.NegativeInfinity;
            for (int k = 0; k < K; k++)
            {
                double lp = 0;
                bool inside = true;
                for (int d = 0; d < D; d++)
                {
                    int i = k * D + d;
                    double x = xT[d * B + b], s = Math.Exp(logSizes[i]);
                    float sf = MathF.Exp(logSizes[i]); // the hard edges are float c ± s/2, as in the course's code
                    inside &= xT[d * B + b] >= centers[i] - sf / 2 && xT[d * B + b] <= centers[i] + sf / 2;
                    if (softness > 0)
                    {
                        double a = (x - centers[i] + s / 2) / softness, bb = (x - centers[i] - s / 2) / softness;
                        // σ(a) − σ(bb) = σ(−bb) − σ(−a): take the side where both terms are small (no cancellation).
                        double diff = a + bb > 0 ? NaiveSigmoid(-bb) - NaiveSigmoid(-a) : NaiveSigmoid(a) - NaiveSigmoid(bb);
                        lp += Math.Log(diff / s);
                    }
                    else lp -= logSizes[i];
                }
                if (softness == 0 && !inside) lp = OutsideLogProb;
                joint[k] = logWeights[k] + Math.Max(lp, OutsideLogProb);
                max = Math.Max(max, joint[k]);
            }
            double sum = 0;
            for (int k = 0; k < K; k++) sum += Math.Exp(joint[k] - max);
            double lse = max + Math.Log(sum);
            logLik[b] = (float)lse;
            for (int k = 0; k < K; k++) resp[k * B + b] = (float)Math.Exp(joint[k] - lse);
        }
    }

    /// <summary>Scalar double-precision reference of <see cref="Backward"/> (derivatives of the naive smoothed density by the chain rule).</summary>
    public static void BackwardNaive(Span<float> dxT, Span<float> dLogWeights, Span<float> dCenters, Span<float> dLogSizes,
        ReadOnlySpan<float> dLogLik, ReadOnlySpan<float> resp, ReadOnlySpan<float> xT,
        ReadOnlySpan<float> centers, ReadOnlySpan<float> logSizes, float softness, int B, int K, int D)
    {
        for (int b = 0; b < B; b++)
            for (int k = 0; k < K; k++)
            {
                double w = (double)dLogLik[b] * resp[k * B + b];
                dLogWeights[k] += (float)w;
                bool inside = true;
                for (int d = 0; d < D; d++)
                {
                    int i = k * D + d;
                    float sf = MathF.Exp(logSizes[i]);
                    inside &= xT[d * B + b] >= centers[i] - sf / 2 && xT[d * B + b] <= centers[i] + sf / 2;
                }
                for (int d = 0; d < D; d++)
                {
                    int i = k * D + d;
                    if (softness == 0)
                    {
                        if (inside) dLogSizes[i] -= (float)w;
                        continue;
                    }
                    // f = (σ(a) − σ(β))/s with a = (x − c + s/2)/τ, β = (x − c − s/2)/τ; σ' = σ(1 − σ).
                    double x = xT[d * B + b], s = Math.Exp(logSizes[i]), tau = softness;
                    double a = (x - centers[i] + s / 2) / tau, bb = (x - centers[i] - s / 2) / tau;
                    double sa = NaiveSigmoid(a), sb = NaiveSigmoid(bb);
                    double da = sa * NaiveSigmoid(-a) / tau, db = sb * NaiveSigmoid(-bb) / tau; // σ' = σ(t)σ(−t)
                    double diff = a + bb > 0 ? NaiveSigmoid(-bb) - NaiveSigmoid(-a) : sa - sb;
                    double dLdc = (-da + db) / diff;
                    double dLds = (0.5 * da + 0.5 * db) / diff - 1 / s;
                    dCenters[i] += (float)(w * dLdc);
                    dLogSizes[i] += (float)(w * dLds * s);
                    if (!dxT.IsEmpty) dxT[d * B + b] -= (float)(w * dLdc);
                }
            }
    }

    private static double NaiveSigmoid(double a) => 1 / (1 + Math.Exp(-a));

    // softplus(a) = max(a, 0) + log(1 + e^{−|a|}), stable for any a.
    private static Vector<float> Softplus(Vector<float> a) =>
        Vector.Max(a, Vector<float>.Zero) + MixtureFastMath.Log1pUnit(MixtureFastMath.Exp(-Vector.Abs(a)));

    private static float Softplus(float a) => MathF.Max(a, 0) + MathF.Log(1 + MathF.Exp(-MathF.Abs(a)));

    // 1/(1 + e^{−a}); e^{−a} = +∞ for a ≪ 0 gives exactly 0, never NaN.
    private static float Sigmoid(float a) => 1f / (1f + MathF.Exp(-a));

    private static void CheckSoftness(float softness)
    {
        if (!(softness >= 0) || float.IsInfinity(softness)) throw new ArgumentException($"box edge softness must be a finite number ≥ 0, got {softness}");
    }
}
