// QwopPhysics: the QWOP walker's sub-step loop, written once over ILanes<T> so it runs one plan (Lane1) or
// 4/8 plans in lock-step (Lane4/Lane8) with bitwise-identical per-plan results. The physics follows the
// prose spec (REFERENCE.md §D, Chalmers variant: every edge length gets +0.01): 6 point masses, 5 damped
// springs, 4 damped angle springs, ground contact with friction, dt = 0.1, gravity 0.1, ≤ 200 sub-steps,
// early stop when the hip or the head touches the ground. Result: the head's final x.
// Speed: the edge loop and the body are unrolled by hand, divisions are replaced by one reciprocal per
// edge, and atan2 is our own (one division, no libm call): libm atan2 alone cost ~30 ns here. The hot
// methods skip tiered compilation (AggressiveOptimization): their tier-0 code, with every lane operator a
// real call, is ~100x slower and made short runs on a loaded machine crawl until the rejit arrived.
using System.Runtime.CompilerServices;

namespace ProbLab.Search;

/// <summary>The lane-generic QWOP integrator and its atan2.</summary>
internal static class QwopPhysics
{
    private const double Dt = 0.1, Gravity = 0.1, LengthPad = 0.01, EdgeDamping = 8.0;
    private const double TwoPi = 2.0 * Math.PI;

    // Point masses: 0 hip, 1 knee A, 2 foot A, 3 knee B, 4 foot B, 5 head.
    private const double M0 = 30, M1 = 10, M2 = 5, M3 = 10, M4 = 5, M5 = 10;
    // Edges (tail, head): e0 (0,1) thigh A, e1 (1,2) calf A, e2 (0,3) thigh B, e3 (3,4) calf B, e4 (0,5) torso.
    private const double Rest0 = 0.5, Rest1 = 0.5, Rest2 = 0.5, Rest3 = 0.5, Rest4 = 0.9;
    private const double K0 = 160, K1 = 180, K2 = 160, K3 = 180, K4 = 160;

    /// <summary>Simulates Count plans at once; returns each plan's final head x.</summary>
    /// <param name="plan">40 lane values (already clipped to [−1, 1]): plan[2j] thigh, plan[2j+1] knee.</param>
    /// <param name="frames">Empty, or room for (201, 6, 2) positions (lane 0 only): frame 0 is the start.</param>
    /// <param name="subSteps">Sub-steps run by lane 0 (≤ 200).</param>
    /// <param name="fell">Whether lane 0 stopped because its hip or head touched the ground.</param>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static T Simulate<T>(ReadOnlySpan<T> plan, Span<double> frames, out int subSteps, out bool fell)
        where T : unmanaged, ILanes<T>
    {
        T zero = T.Splat(0);
        Body<T> b = default;
        b.Px0 = zero; b.Px1 = zero; b.Px2 = T.Splat(-0.25); b.Px3 = T.Splat(0.25); b.Px4 = T.Splat(0.25); b.Px5 = T.Splat(0.15);
        b.Py0 = T.Splat(1); b.Py1 = T.Splat(0.5); b.Py2 = zero; b.Py3 = T.Splat(0.5); b.Py4 = zero; b.Py5 = T.Splat(1.9);
        b.Vx0 = b.Vx1 = b.Vx2 = b.Vx3 = b.Vx4 = b.Vx5 = zero;
        b.Vy0 = b.Vy1 = b.Vy2 = b.Vy3 = b.Vy4 = b.Vy5 = zero;
        bool record = !frames.IsEmpty;
        if (record) b.Record(frames, 0);

        T result = zero, active = T.AllTrue;
        bool lane0Running = true;
        T prevThigh = T.Splat(0.5), prevKnee = zero;
        int steps = 0;
        fell = false;
        for (int j = 0; j < 20; j++)
        {
            T thigh = plan[2 * j], knee = plan[2 * j + 1];
            for (int k = 0; k < 10; k++)
            {
                // Linear blend from the previous segment's command to this one: λ = 0.05 + 0.1k.
                double lam = 0.05 + 0.1 * k;
                T l = T.Splat(lam), oneMinusL = T.Splat(1 - lam);
                T t0 = oneMinusL * prevThigh + l * thigh;
                T t1 = oneMinusL * prevKnee + l * knee;
                T stop = SubStep(ref b, t0, t1);

                // A lane that stops keeps the head x of the sub-step in which hip or head touched down.
                result = T.Select(active, b.Px5, result);
                active = T.AndNot(active, stop);
                if (lane0Running)
                {
                    steps++;
                    if (record) b.Record(frames, steps);
                    if (T.GetLane(stop, 0) != 0) { fell = true; lane0Running = false; }
                }
                if (!T.AnyTrue(active)) { subSteps = steps; return result; }
            }
            prevThigh = thigh;
            prevKnee = knee;
        }
        subSteps = steps;
        return result;
    }

    /// <summary>Positions and velocities of the 6 points, one field each so the JIT can keep them in registers.</summary>
    private struct Body<T> where T : unmanaged, ILanes<T>
    {
        public T Px0, Px1, Px2, Px3, Px4, Px5, Py0, Py1, Py2, Py3, Py4, Py5;
        public T Vx0, Vx1, Vx2, Vx3, Vx4, Vx5, Vy0, Vy1, Vy2, Vy3, Vy4, Vy5;

        public readonly void Record(Span<double> frames, int frame)
        {
            Span<double> f = frames.Slice(frame * 12, 12);
            f[0] = T.GetLane(Px0, 0); f[1] = T.GetLane(Py0, 0);
            f[2] = T.GetLane(Px1, 0); f[3] = T.GetLane(Py1, 0);
            f[4] = T.GetLane(Px2, 0); f[5] = T.GetLane(Py2, 0);
            f[6] = T.GetLane(Px3, 0); f[7] = T.GetLane(Py3, 0);
            f[8] = T.GetLane(Px4, 0); f[9] = T.GetLane(Py4, 0);
            f[10] = T.GetLane(Px5, 0); f[11] = T.GetLane(Py5, 0);
        }
    }

    /// <summary>The per-edge quantities of spec step 2 (and the torque direction of step 3).</summary>
    private struct Edge<T> where T : unmanaged, ILanes<T>
    {
        public T Fx, Fy;          // F_e = c·n, later plus/minus the angle-spring torques
        public T Theta, Omega;    // atan2(d_y, d_x) and (dv_x d_y − dv_y d_x)/L²
        public T PerpX, PerpY;    // torque direction (−d_y, d_x)/L²
        public T Stretch;         // L / rest, for the angle-spring damping factor
    }

    /// <summary>Spec step 2 for edge a→b: d = p_b − p_a, L = |d| + 0.01, spring-damper force along d/L.</summary>
    /// <remarks>Not inlined, so that it and its atan2 get their own JIT inlining budget (see <see cref="SubStep"/>).</remarks>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void ComputeEdge<T>(in T pxa, in T pya, in T vxa, in T vya, in T pxb, in T pyb, in T vxb, in T vyb,
        double rest, double stiffness, out Edge<T> e) where T : unmanaged, ILanes<T>
    {
        T dx = pxb - pxa, dy = pyb - pya;
        T len = T.Sqrt(dx * dx + dy * dy) + T.Splat(LengthPad);
        T invLen = T.Splat(1.0) / len;
        T dvx = vxb - vxa, dvy = vyb - vya;
        T s = T.Splat(2.0) * (dx * dvx + dy * dvy);
        T c = (T.Splat(rest) - len) * T.Splat(stiffness) - s * T.Splat(EdgeDamping);
        e.Fx = c * (dx * invLen);
        e.Fy = c * (dy * invLen);
        e.Theta = Atan2(dy, dx);
        T invLen2 = invLen * invLen;
        e.Omega = (dvx * dy - dvy * dx) * invLen2;
        e.PerpX = -dy * invLen2;
        e.PerpY = dx * invLen2;
        e.Stretch = len * T.Splat(1.0 / rest);
    }

    /// <summary>Spec step 3 for one angle spring between edges e0 and e1: torque τ pushes e0 by +τ·dir, e1 by −τ·dir.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ApplyAngleSpring<T>(ref Edge<T> e0, ref Edge<T> e1, T target, double stiffness, double damping)
        where T : unmanaged, ILanes<T>
    {
        T delta = e1.Theta - e0.Theta - target;
        // Wrapped ONCE by ±2π, as the spec says (a second wrap is never applied, even if still outside [−π, π]).
        delta = T.Select(T.GreaterThan(delta, T.Splat(Math.PI)), delta - T.Splat(TwoPi),
                T.Select(T.LessThan(delta, T.Splat(-Math.PI)), delta + T.Splat(TwoPi), delta));
        T tau = delta * T.Splat(stiffness) - (e1.Omega - e0.Omega) * T.Splat(damping) * T.Min(e0.Stretch, e1.Stretch);
        e0.Fx += tau * e0.PerpX; e0.Fy += tau * e0.PerpY;
        e1.Fx -= tau * e1.PerpX; e1.Fy -= tau * e1.PerpY;
    }

    /// <summary>One sub-step (spec steps 1-5); returns the mask "hip or head was in contact" (step 6).</summary>
    /// <remarks>
    /// Not inlined: the JIT's inlining budget is per compiled method, and every lane operator is an inlinee;
    /// with the whole sub-step in one method the budget ran out and ~100 operators stayed calls (3x slower).
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static T SubStep<T>(ref Body<T> b, T t0, T t1) where T : unmanaged, ILanes<T>
    {
        T zero = T.Splat(0);
        // 1. Contact: y ≤ 0 → in contact, clamp y to 0.
        T c0 = T.LessOrEqual(b.Py0, zero), c1 = T.LessOrEqual(b.Py1, zero), c2 = T.LessOrEqual(b.Py2, zero);
        T c3 = T.LessOrEqual(b.Py3, zero), c4 = T.LessOrEqual(b.Py4, zero), c5 = T.LessOrEqual(b.Py5, zero);
        b.Py0 = T.Select(c0, zero, b.Py0); b.Py1 = T.Select(c1, zero, b.Py1); b.Py2 = T.Select(c2, zero, b.Py2);
        b.Py3 = T.Select(c3, zero, b.Py3); b.Py4 = T.Select(c4, zero, b.Py4); b.Py5 = T.Select(c5, zero, b.Py5);

        // 2. Edges.
        ComputeEdge(b.Px0, b.Py0, b.Vx0, b.Vy0, b.Px1, b.Py1, b.Vx1, b.Vy1, Rest0, K0, out Edge<T> e0);
        ComputeEdge(b.Px1, b.Py1, b.Vx1, b.Vy1, b.Px2, b.Py2, b.Vx2, b.Vy2, Rest1, K1, out Edge<T> e1);
        ComputeEdge(b.Px0, b.Py0, b.Vx0, b.Vy0, b.Px3, b.Py3, b.Vx3, b.Vy3, Rest2, K2, out Edge<T> e2);
        ComputeEdge(b.Px3, b.Py3, b.Vx3, b.Vy3, b.Px4, b.Py4, b.Vx4, b.Vy4, Rest3, K3, out Edge<T> e3);
        ComputeEdge(b.Px0, b.Py0, b.Vx0, b.Vy0, b.Px5, b.Py5, b.Vx5, b.Vy5, Rest4, K4, out Edge<T> e4);

        // 3. Angle springs (e0, e1): torso–thigh A, torso–thigh B, thigh A–calf A, thigh B–calf B.
        T a28 = T.Splat(2.8), one = T.Splat(1), a09 = T.Splat(0.9);
        ApplyAngleSpring(ref e4, ref e0, -(a28 + t0), 20, 8);
        ApplyAngleSpring(ref e4, ref e2, -(a28 - t0), 20, 8);
        ApplyAngleSpring(ref e0, ref e1, -(a09 * (one - t1)), 10, 4);
        ApplyAngleSpring(ref e2, ref e3, -(a09 * (one + t1)), 10, 4);

        // 4. Tail gets −F_e, head gets +F_e, summed in edge order (hip: e0, e2, e4; knee A: e0, e1; knee B: e2, e3).
        T fx0 = -e0.Fx - e2.Fx - e4.Fx, fy0 = -e0.Fy - e2.Fy - e4.Fy;
        T fx1 = e0.Fx - e1.Fx, fy1 = e0.Fy - e1.Fy;
        T fx3 = e2.Fx - e3.Fx, fy3 = e2.Fy - e3.Fy;

        // 5. Gravity, velocity, contact friction, position.
        Integrate(ref b, fx0, fy0, fx1, fy1, e1.Fx, e1.Fy, fx3, fy3, e3.Fx, e3.Fy, e4.Fx, e4.Fy, c0, c1, c2, c3, c4, c5);
        return T.Or(c0, c5);
    }

    /// <summary>Spec step 5 for all six points (its own JIT root, like <see cref="ComputeEdge"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Integrate<T>(ref Body<T> b, in T fx0, in T fy0, in T fx1, in T fy1, in T fx2, in T fy2,
        in T fx3, in T fy3, in T fx4, in T fy4, in T fx5, in T fy5, in T c0, in T c1, in T c2, in T c3, in T c4, in T c5)
        where T : unmanaged, ILanes<T>
    {
        MovePoint(ref b.Px0, ref b.Py0, ref b.Vx0, ref b.Vy0, fx0, fy0, c0, M0);
        MovePoint(ref b.Px1, ref b.Py1, ref b.Vx1, ref b.Vy1, fx1, fy1, c1, M1);
        MovePoint(ref b.Px2, ref b.Py2, ref b.Vx2, ref b.Vy2, fx2, fy2, c2, M2);
        MovePoint(ref b.Px3, ref b.Py3, ref b.Vx3, ref b.Vy3, fx3, fy3, c3, M3);
        MovePoint(ref b.Px4, ref b.Py4, ref b.Vx4, ref b.Vy4, fx4, fy4, c4, M4);
        MovePoint(ref b.Px5, ref b.Py5, ref b.Vx5, ref b.Vy5, fx5, fy5, c5, M5);
    }

    /// <summary>Spec step 5 for one point: f_y −= 0.1·m; v += f·dt/m; ground friction if in contact; p += v·dt.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MovePoint<T>(ref T px, ref T py, ref T vx, ref T vy, T fx, T fy, T contact, double mass)
        where T : unmanaged, ILanes<T>
    {
        T zero = T.Splat(0);
        fy -= T.Splat(Gravity * mass);
        T dtOverMass = T.Splat(Dt / mass);
        vx += fx * dtOverMass;
        vy += fy * dtOverMass;
        // In contact: a downward velocity is cancelled and its size becomes the friction budget (friction 1.0),
        // which stops the horizontal velocity or reduces it by that amount.
        if (T.AnyTrue(contact)) // knees, hip and head are rarely down: skip the friction arithmetic then
        {
            T falling = T.And(contact, T.LessThan(vy, zero));
            T fric = T.Select(falling, -vy, zero);
            vy = T.Select(falling, zero, vy);
            T sign = T.Select(T.GreaterThan(vx, zero), T.Splat(1), T.Select(T.LessThan(vx, zero), T.Splat(-1), zero));
            T slowed = T.Select(T.LessThan(T.Abs(vx), fric), zero, vx - fric * sign);
            vx = T.Select(contact, slowed, vx);
        }
        px += vx * T.Splat(Dt);
        py += vy * T.Splat(Dt);
    }

    // atan(k/4) for k = 0..4, correctly rounded doubles (atan(1) = π/4).
    private const double Atan025 = 0.24497866312686414, Atan050 = 0.46364760900080611, Atan075 = 0.64350110879328437;
    private const double Atan100 = Math.PI / 4;

    /// <summary>atan2(y, x) in (−π, π] within ~2 ulp, with IEEE signs for ±0; same bits in every lane width.</summary>
    /// <remarks>
    /// Reduce to t = min(|x|,|y|)/max(|x|,|y|) ∈ [0, 1], pick the node c = k/4 nearest t and use
    /// atan(t) = atan(c) + atan(u), u = (t − c)/(1 + t·c) = (num − c·den)/(den + c·num) (one division), |u| ≤ 1/8.
    /// The Taylor series of atan(u) to u^17 then has a truncation error below u^19/19 ≤ 3e-18·|u|.
    /// Finally undo the octant: π/2 − r if |y| > |x|, π − r if x is negative, and give r the sign of y.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Atan2<T>(T y, T x) where T : unmanaged, ILanes<T>
    {
        T ax = T.Abs(x), ay = T.Abs(y);
        T num = T.Min(ax, ay), den = T.Max(ax, ay);
        T c = T.Splat(0), atanC = T.Splat(0);
        T m = T.GreaterThan(num, T.Splat(0.125) * den);
        c = T.Select(m, T.Splat(0.25), c); atanC = T.Select(m, T.Splat(Atan025), atanC);
        m = T.GreaterThan(num, T.Splat(0.375) * den);
        c = T.Select(m, T.Splat(0.50), c); atanC = T.Select(m, T.Splat(Atan050), atanC);
        m = T.GreaterThan(num, T.Splat(0.625) * den);
        c = T.Select(m, T.Splat(0.75), c); atanC = T.Select(m, T.Splat(Atan075), atanC);
        m = T.GreaterThan(num, T.Splat(0.875) * den);
        c = T.Select(m, T.Splat(1.00), c); atanC = T.Select(m, T.Splat(Atan100), atanC);

        T u = T.MultiplyAdd(-c, den, num) / T.MultiplyAdd(c, num, den);
        u = T.Select(T.LessOrEqual(den, T.Splat(0)), T.Splat(0), u); // atan2(±0, ±0): u = 0, not 0/0
        T z = u * u;
        T p = T.MultiplyAdd(T.Splat(1.0 / 17), z, T.Splat(-1.0 / 15));
        p = T.MultiplyAdd(p, z, T.Splat(1.0 / 13));
        p = T.MultiplyAdd(p, z, T.Splat(-1.0 / 11));
        p = T.MultiplyAdd(p, z, T.Splat(1.0 / 9));
        p = T.MultiplyAdd(p, z, T.Splat(-1.0 / 7));
        p = T.MultiplyAdd(p, z, T.Splat(1.0 / 5));
        p = T.MultiplyAdd(p, z, T.Splat(-1.0 / 3));
        T r = atanC + T.MultiplyAdd(u * z, p, u);

        r = T.Select(T.GreaterThan(ay, ax), T.Splat(Math.PI / 2) - r, r);
        r = T.Select(T.IsNegative(x), T.Splat(Math.PI) - r, r);
        return T.CopySign(r, y);
    }
}
