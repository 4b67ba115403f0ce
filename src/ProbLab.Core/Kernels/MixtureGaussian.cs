// Fused diagonal-Gaussian mixture log-likelihood: component log-densities + log-sum-exp in one pass, and
// its analytic backward. Shape letters: B points, K components, D features. Points are stored feature-major
// (xT is D × B) so the inner loops run over points with full SIMD vectors; components and features are
// the short outer loops. Component parameters: logWeights (K, already log-normalised), means and logVars
// (K × D). Responsibilities r (K × B) are written by Forward and read by Backward.
//
//   log N(x | μ_k, σ_k²) = −(D/2) log 2π − ½ Σ_d log σ²_kd − ½ Σ_d (x_d − μ_kd)² / σ²_kd
//   ℓ(x) = logsumexp_k (log π_k + log N(x | k)),        r_k(x) = exp(log π_k + log N(x | k) − ℓ(x))
//
// Backward for an upstream gradient g_b = ∂L/∂ℓ(x_b), with w_kb = g_b r_kb (Bishop PRML eqs. 9.17-9.19
// are the same sums, set to zero there instead of followed):
//   ∂L/∂log π_k = Σ_b w_kb,   ∂L/∂μ_kd = Σ_b w_kb (x_db − μ_kd) / σ²_kd,
//   ∂L/∂log σ²_kd = ½ Σ_b w_kb [(x_db − μ_kd)² / σ²_kd − 1],   ∂L/∂x_db = −Σ_k w_kb (x_db − μ_kd) / σ²_kd.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ProbLab.Kernels;

/// <summary>Forward/backward kernels of the diagonal Gaussian mixture log-likelihood, with naive twins for tests.</summary>
public static class GaussianMixtureKernels
{
    /// <summary>Points per tile: K rows of this many floats stay in L1/L2 across the three forward passes.</summary>
    private const int Tile = 512;

    private static readonly float Log2Pi = MathF.Log(2f * MathF.PI);

    /// <summary>
    /// Writes ℓ(x_b) = log Σ_k π_k N(x_b | μ_k, diag σ²_k) into <paramref name="logLik"/> (B) and the
    /// responsibilities r_kb into <paramref name="resp"/> (K × B).
    /// </summary>
    /// <exception cref="ArgumentException">A buffer is shorter than its shape requires.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // SIMD hot loop: full JIT at first call, no tier-0 phase
    public static void Forward(Span<float> logLik, Span<float> resp, ReadOnlySpan<float> xT,
        ReadOnlySpan<float> logWeights, ReadOnlySpan<float> means, ReadOnlySpan<float> logVars, int B, int K, int D)
    {
        CheckShapes(logLik.Length, resp.Length, xT.Length, logWeights.Length, means.Length, logVars.Length, B, K, D);
        float[] prec = new float[K * D], cst = new float[K];
        ComponentConstants(prec, cst, logWeights, logVars, K, D);
        // The largest joint any point can reach (see MixtureLogSumExp); cst − shift ≤ 0 for every k.
        float shift = System.Numerics.Tensors.TensorPrimitives.Max<float>(cst);
        var exact = new ExactJoint(xT, logWeights, means, logVars, B, D);
        Span<float> sum = stackalloc float[Tile];
        for (int b0 = 0; b0 < B; b0 += Tile)
        {
            int n = Math.Min(Tile, B - b0);
            sum.Slice(0, n).Clear();
            // e_kb = exp(log π_k + log N(x_b | k) − shift), summed per point, in one pass per component
            for (int k = 0; k < K; k++)
                JointExp(resp.Slice(k * B + b0, n), sum.Slice(0, n), xT, b0, B, means.Slice(k * D, D), prec.AsSpan(k * D, D), cst[k] - shift, D);
            MixtureLogSumExp.Finish(logLik, resp, sum, B, b0, n, K, shift, in exact);
        }
    }

    // Double-precision joint for the rare points whose shifted exps underflow.
    private readonly ref struct ExactJoint(ReadOnlySpan<float> xT, ReadOnlySpan<float> logWeights, ReadOnlySpan<float> means,
        ReadOnlySpan<float> logVars, int B, int D) : IMixtureJoint
    {
        private readonly ReadOnlySpan<float> _xT = xT, _logWeights = logWeights, _means = means, _logVars = logVars;

        public double Joint(int k, int b)
        {
            double lp = _logWeights[k] - 0.5 * D * Math.Log(2 * Math.PI);
            for (int d = 0; d < D; d++)
            {
                double lv = _logVars[k * D + d], diff = _xT[d * B + b] - _means[k * D + d];
                lp -= 0.5 * (lv + diff * diff * Math.Exp(-lv));
            }
            return lp;
        }
    }

    /// <summary>
    /// Adds the gradients of L into <paramref name="dLogWeights"/> (K), <paramref name="dMeans"/> and
    /// <paramref name="dLogVars"/> (K × D) and, unless it is empty, <paramref name="dxT"/> (D × B), given
    /// <paramref name="dLogLik"/> = ∂L/∂ℓ (B) and the responsibilities from <see cref="Forward"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // SIMD hot loop: full JIT at first call, no tier-0 phase
    public static void Backward(Span<float> dxT, Span<float> dLogWeights, Span<float> dMeans, Span<float> dLogVars,
        ReadOnlySpan<float> dLogLik, ReadOnlySpan<float> resp, ReadOnlySpan<float> xT,
        ReadOnlySpan<float> means, ReadOnlySpan<float> logVars, int B, int K, int D)
    {
        CheckShapes(dLogLik.Length, resp.Length, xT.Length, dLogWeights.Length, dMeans.Length, dLogVars.Length, B, K, D);
        var s1 = new double[D];
        var s2 = new double[D];
        for (int k = 0; k < K; k++)
        {
            var mu = means.Slice(k * D, D);
            double s0 = WeightedMoments(s1, s2, dLogLik, resp.Slice(k * B, B), xT, mu, B, D);
            dLogWeights[k] += (float)s0;
            for (int d = 0; d < D; d++)
            {
                double p = Math.Exp(-logVars[k * D + d]);
                dMeans[k * D + d] += (float)(p * s1[d]);
                dLogVars[k * D + d] += (float)(0.5 * (p * s2[d] - s0));
            }
        }
        if (dxT.IsEmpty) return;
        if (dxT.Length < D * B) throw new ArgumentException($"dxT has {dxT.Length} elements, expected {D * B}");
        for (int k = 0; k < K; k++)
            for (int d = 0; d < D; d++)
            {
                float mu = means[k * D + d], p = MathF.Exp(-logVars[k * D + d]);
                var r = resp.Slice(k * B, B);
                var x = xT.Slice(d * B, B);
                var dx = dxT.Slice(d * B, B);
                for (int b = 0; b < B; b++) dx[b] -= dLogLik[b] * r[b] * p * (x[b] - mu);
            }
    }

    /// <summary>
    /// Weighted moments of one component about <paramref name="mu"/> (D): returns S0 = Σ_b g_b r_b and
    /// writes S1_d = Σ_b g_b r_b (x_db − μ_d) and S2_d = Σ_b g_b r_b (x_db − μ_d)² (double sums of float
    /// SIMD partial sums). With g = 1 these are the EM M-step statistics.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // SIMD hot loop: full JIT at first call, no tier-0 phase
    public static double WeightedMoments(Span<double> s1, Span<double> s2, ReadOnlySpan<float> g, ReadOnlySpan<float> r,
        ReadOnlySpan<float> xT, ReadOnlySpan<float> mu, int B, int D)
    {
        s1.Clear();
        s2.Clear();
        int w = Vector<float>.Count;
        double s0 = 0;
        ref float gr = ref MemoryMarshal.GetReference(g);
        ref float rr = ref MemoryMarshal.GetReference(r);
        // One feature at a time keeps three vector accumulators in registers; the weights are recomputed per
        // feature (one multiply), which is cheaper than storing them.
        for (int d = 0; d < D; d++)
        {
            ref float xr = ref MemoryMarshal.GetReference(xT.Slice(d * B, B));
            var vmu = new Vector<float>(mu[d]);
            Vector<float> a0 = Vector<float>.Zero, a1 = Vector<float>.Zero, a2 = Vector<float>.Zero;
            int b = 0;
            double t0 = 0, t1 = 0, t2 = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                var mu5 = Vector512.Create(mu[d]);
                Vector512<float> c0 = default, c1 = default, c2 = default;
                for (; b <= B - 16; b += 16)
                {
                    var wt = Vector512.LoadUnsafe(ref gr, (nuint)b) * Vector512.LoadUnsafe(ref rr, (nuint)b);
                    var diff = Vector512.LoadUnsafe(ref xr, (nuint)b) - mu5;
                    c0 += wt;
                    var wd = wt * diff;
                    c1 += wd;
                    c2 = Vector512.FusedMultiplyAdd(wd, diff, c2);
                }
                (t0, t1, t2) = (Vector512.Sum(c0), Vector512.Sum(c1), Vector512.Sum(c2));
            }
            for (; b <= B - w; b += w)
            {
                var wt = Vector.LoadUnsafe(ref gr, (nuint)b) * Vector.LoadUnsafe(ref rr, (nuint)b);
                var diff = Vector.LoadUnsafe(ref xr, (nuint)b) - vmu;
                a0 += wt;
                var wd = wt * diff;
                a1 += wd;
                a2 = Vector.FusedMultiplyAdd(wd, diff, a2);
            }
            t0 += Vector.Sum(a0);
            t1 += Vector.Sum(a1);
            t2 += Vector.Sum(a2);
            for (; b < B; b++)
            {
                float wt = Unsafe.Add(ref gr, b) * Unsafe.Add(ref rr, b);
                float diff = Unsafe.Add(ref xr, b) - mu[d];
                t0 += wt;
                t1 += wt * diff;
                t2 += wt * diff * diff;
            }
            if (d == 0) s0 = t0;
            s1[d] = t1;
            s2[d] = t2;
        }
        return s0;
    }

    // prec_kd = 1/σ²_kd ; cst_k = log π_k − (D/2) log 2π − ½ Σ_d log σ²_kd
    private static void ComponentConstants(Span<float> prec, Span<float> cst, ReadOnlySpan<float> logWeights, ReadOnlySpan<float> logVars, int K, int D)
    {
        for (int k = 0; k < K; k++)
        {
            double s = 0;
            for (int d = 0; d < D; d++)
            {
                s += logVars[k * D + d];
                prec[k * D + d] = (float)Math.Exp(-logVars[k * D + d]);
            }
            cst[k] = (float)(logWeights[k] - 0.5 * D * Log2Pi - 0.5 * s);
        }
    }

    // e[i] = exp(c − ½ Σ_d prec_d (x_d,b0+i − μ_d)²) with c = cst_k − shift ≤ 0;  sum[i] += e[i]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // SIMD hot loop: full JIT at first call, no tier-0 phase
    private static void JointExp(Span<float> e, Span<float> sum, ReadOnlySpan<float> xT, int b0, int B,
        ReadOnlySpan<float> mu, ReadOnlySpan<float> prec, float c, int D)
    {
        int w = Vector<float>.Count, n = e.Length, i = 0;
        ref float er = ref MemoryMarshal.GetReference(e);
        ref float sr = ref MemoryMarshal.GetReference(sum);
        ref float xr = ref MemoryMarshal.GetReference(xT);
        if (Vector512.IsHardwareAccelerated && D == 2) i = JointExp512(ref er, ref sr, ref Unsafe.Add(ref xr, b0), ref Unsafe.Add(ref xr, B + b0), n, mu, prec, c);
        var vc = new Vector<float>(c);
        var vHalf = new Vector<float>(-0.5f);
        for (; i <= n - w; i += w)
        {
            var acc = Vector<float>.Zero;
            for (int d = 0; d < D; d++)
            {
                var diff = Vector.LoadUnsafe(ref xr, (nuint)(d * B + b0 + i)) - new Vector<float>(mu[d]);
                acc = Vector.FusedMultiplyAdd(diff * diff, new Vector<float>(prec[d]), acc);
            }
            var ev = MixtureFastMath.Exp(Vector.FusedMultiplyAdd(acc, vHalf, vc));
            ev.StoreUnsafe(ref er, (nuint)i);
            (Vector.LoadUnsafe(ref sr, (nuint)i) + ev).StoreUnsafe(ref sr, (nuint)i);
        }
        for (; i < n; i++)
        {
            float acc = 0;
            for (int d = 0; d < D; d++)
            {
                float diff = Unsafe.Add(ref xr, d * B + b0 + i) - mu[d];
                acc += diff * diff * prec[d];
            }
            float ev = MixtureFastMath.Exp(c - 0.5f * acc);
            e[i] = ev;
            sum[i] += ev;
        }
    }

    // The 2-D case with 16 lanes (Vector<float> is 8 wide on this runtime even on AVX-512 hardware);
    // returns the index after the last full 16-lane block.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // SIMD hot loop: full JIT at first call, no tier-0 phase
    private static int JointExp512(ref float e, ref float sum, ref float x0, ref float x1, int n, ReadOnlySpan<float> mu, ReadOnlySpan<float> prec, float c)
    {
        Vector512<float> m0 = Vector512.Create(mu[0]), m1 = Vector512.Create(mu[1]), p0 = Vector512.Create(prec[0]), p1 = Vector512.Create(prec[1]);
        Vector512<float> vc = Vector512.Create(c), vHalf = Vector512.Create(-0.5f);
        int i = 0;
        for (; i <= n - 16; i += 16)
        {
            var d0 = Vector512.LoadUnsafe(ref x0, (nuint)i) - m0;
            var d1 = Vector512.LoadUnsafe(ref x1, (nuint)i) - m1;
            var acc = Vector512.FusedMultiplyAdd(d1 * d1, p1, d0 * d0 * p0);
            var ev = MixtureFastMath.Exp(Vector512.FusedMultiplyAdd(acc, vHalf, vc));
            ev.StoreUnsafe(ref e, (nuint)i);
            (Vector512.LoadUnsafe(ref sum, (nuint)i) + ev).StoreUnsafe(ref sum, (nuint)i);
        }
        return i;
    }

    internal static void CheckShapes(int outLen, int respLen, int xLen, int wLen, int aLen, int bLen, int B, int K, int D)
    {
        if (B < 0 || K < 1 || D < 1) throw new ArgumentException($"mixture kernel shape B={B}, K={K}, D={D} is invalid (need B ≥ 0, K ≥ 1, D ≥ 1)");
        if (outLen < B) throw new ArgumentException($"per-point buffer has {outLen} elements, expected {B}");
        if (respLen < K * B) throw new ArgumentException($"responsibility buffer has {respLen} elements, expected K·B = {K * B}");
        if (xLen < D * B) throw new ArgumentException($"xT has {xLen} elements, expected D·B = {D * B}");
        if (wLen < K) throw new ArgumentException($"weights buffer has {wLen} elements, expected K = {K}");
        if (aLen < K * D || bLen < K * D) throw new ArgumentException($"component parameter buffers have {aLen} and {bLen} elements, expected K·D = {K * D}");
    }

    // ---- naive twins (tests only): double precision, one point and one component at a time ----------

    /// <summary>Scalar double-precision reference of <see cref="Forward"/>.</summary>
    public static void ForwardNaive(Span<float> logLik, Span<float> resp, ReadOnlySpan<float> xT,
        ReadOnlySpan<float> logWeights, ReadOnlySpan<float> means, ReadOnlySpan<float> logVars, int B, int K, int D)
    {
        var joint = new double[K];
        for (int b = 0; b < B; b++)
        {
            double max = double.NegativeInfinity;
            for (int k = 0; k < K; k++)
            {
                double lp = logWeights[k] - 0.5 * D * Math.Log(2 * Math.PI);
                for (int d = 0; d < D; d++)
                {
                    double v = Math.Exp(logVars[k * D + d]), diff = xT[d * B + b] - means[k * D + d];
                    lp -= 0.5 * Math.Log(v) + 0.5 * diff * diff / v;
                }
                joint[k] = lp;
                max = Math.Max(max, lp);
            }
            double s = 0;
            for (int k = 0; k < K; k++) s += Math.Exp(joint[k] - max);
            double lse = max + Math.Log(s);
            logLik[b] = (float)lse;
            for (int k = 0; k < K; k++) resp[k * B + b] = (float)Math.Exp(joint[k] - lse);
        }
    }

    /// <summary>Scalar double-precision reference of <see cref="Backward"/>.</summary>
    public static void BackwardNaive(Span<float> dxT, Span<float> dLogWeights, Span<float> dMeans, Span<float> dLogVars,
        ReadOnlySpan<float> dLogLik, ReadOnlySpan<float> resp, ReadOnlySpan<float> xT,
        ReadOnlySpan<float> means, ReadOnlySpan<float> logVars, int B, int K, int D)
    {
        for (int b = 0; b < B; b++)
            for (int k = 0; k < K; k++)
            {
                double wkb = (double)dLogLik[b] * resp[k * B + b];
                dLogWeights[k] += (float)wkb;
                for (int d = 0; d < D; d++)
                {
                    double p = Math.Exp(-logVars[k * D + d]), diff = xT[d * B + b] - means[k * D + d];
                    dMeans[k * D + d] += (float)(wkb * diff * p);
                    dLogVars[k * D + d] += (float)(0.5 * wkb * (diff * diff * p - 1));
                    if (!dxT.IsEmpty) dxT[d * B + b] -= (float)(wkb * diff * p);
                }
            }
    }
}
