// QwopSimulator against the plain-loop reference (QwopReference), plus invariants that need no reference:
// clipping, determinism, causality, the early-stop rule, standing still, SIMD lanes = scalar, bad input.
using ProbLab.Search;
using ProbLab.Tensors;

namespace ProbLab.Tests.Search;

public class QwopSimulatorTests
{
    private static double[] RandomPlan(Rng rng, double range = 1.0)
    {
        var p = new double[40];
        for (int i = 0; i < 40; i++) p[i] = rng.Uniform(-range, range);
        return p;
    }

    private static double[] ConstantPlan(double thigh, double knee)
    {
        var p = new double[40];
        for (int j = 0; j < 20; j++) { p[2 * j] = thigh; p[2 * j + 1] = knee; }
        return p;
    }

    [Fact]
    public void MatchesReferenceOnRandomPlans()
    {
        // The fast kernel uses reciprocals and its own atan2; the reference divides and calls Math.Atan2.
        // Both are rounding-level changes (~1e-16 per step) that 200 sub-steps amplify to ~1e-12 at most.
        var rng = new Rng(11);
        for (int n = 0; n < 300; n++)
        {
            double[] plan = RandomPlan(rng, 1.3); // beyond ±1 on purpose: both sides must clip
            Check.Close(QwopReference.Simulate(plan), QwopSimulator.Simulate(plan), atol: 1e-10, rtol: 0, name: $"plan {n}");
        }
    }

    [Fact]
    public void MatchesReferenceOnStructuredPlans()
    {
        double[][] plans =
        [
            ConstantPlan(0, 0), ConstantPlan(0.5, 0), ConstantPlan(1, 1), ConstantPlan(-1, -1), ConstantPlan(1, -1),
            Enumerable.Range(0, 40).Select(i => i % 4 < 2 ? 1.0 : -1.0).ToArray(),
            Enumerable.Range(0, 40).Select(i => Math.Sin(0.7 * i)).ToArray(),
        ];
        foreach (var plan in plans)
            Check.Close(QwopReference.Simulate(plan), QwopSimulator.Simulate(plan), atol: 1e-10, rtol: 0, name: QwopPlan.Format(plan));
    }

    [Fact]
    public void TrajectoryMatchesReferenceFrameByFrame()
    {
        var rng = new Rng(12);
        for (int n = 0; n < 20; n++)
        {
            double[] plan = RandomPlan(rng);
            var frames = new List<double[]>();
            double d = QwopReference.Simulate(plan, frames);
            QwopTrajectory t = QwopSimulator.Trace(plan);
            Assert.Equal(frames.Count, t.FrameCount);
            Check.Close(frames.SelectMany(f => f).ToArray(), t.Positions, atol: 1e-10, rtol: 0, name: $"plan {n} positions");
            Assert.Equal(QwopSimulator.Simulate(plan), t.Distance); // bitwise: same kernel
            Assert.Equal(t.X(t.SubSteps, 5), t.Distance);
            Check.Close(d, t.Distance, atol: 1e-10, rtol: 0, name: "distance");
        }
    }

    [Fact]
    public void BatchEqualsScalarBitwise()
    {
        // 37 plans: full 8-lane chunks, then a 4-lane chunk, then single plans; every path must give the same bits.
        var rng = new Rng(13);
        int n = 37;
        var flat = new double[n * 40];
        for (int i = 0; i < flat.Length; i++) flat[i] = rng.Uniform(-1.2, 1.2);
        var batch = new double[n];
        QwopSimulator.SimulateBatch(flat, batch);
        for (int r = 0; r < n; r++)
            Assert.Equal(QwopSimulator.Simulate(flat.AsSpan(r * 40, 40)), batch[r]);
    }

    [Fact]
    public void EveryLaneWidthGivesTheSameBits()
    {
        // Lane4/Lane8 also run (emulated) on hardware without AVX2/AVX-512, so this holds everywhere.
        var rng = new Rng(14);
        var plans = new double[8][];
        for (int l = 0; l < 8; l++) plans[l] = RandomPlan(rng);
        var lanes4 = new Lane4[40];
        var lanes8 = new Lane8[40];
        var column = new double[8];
        for (int i = 0; i < 40; i++)
        {
            for (int l = 0; l < 8; l++) column[l] = plans[l][i];
            lanes4[i] = Lane4.Load(column);
            lanes8[i] = Lane8.Load(column);
        }
        Lane4 d4 = QwopPhysics.Simulate<Lane4>(lanes4, default, out _, out _);
        Lane8 d8 = QwopPhysics.Simulate<Lane8>(lanes8, default, out _, out _);
        for (int l = 0; l < 8; l++)
        {
            double scalar = QwopSimulator.Simulate(plans[l]);
            Assert.Equal(scalar, Lane8.GetLane(d8, l));
            if (l < 4) Assert.Equal(scalar, Lane4.GetLane(d4, l));
        }
    }

    [Fact]
    public void ClippedPlanEqualsUnclipped()
    {
        var rng = new Rng(15);
        for (int n = 0; n < 50; n++)
        {
            double[] plan = RandomPlan(rng, 3.0);
            double[] clipped = plan.Select(v => Math.Clamp(v, -1, 1)).ToArray();
            Assert.Equal(QwopSimulator.Simulate(clipped), QwopSimulator.Simulate(plan));
        }
    }

    [Fact]
    public void IsDeterministic()
    {
        double[] plan = RandomPlan(new Rng(16));
        double first = QwopSimulator.Simulate(plan);
        for (int i = 0; i < 5; i++) Assert.Equal(first, QwopSimulator.Simulate(plan));
    }

    [Fact]
    public void LaterSegmentsDoNotChangeEarlierFrames()
    {
        // Segment j's commands enter from its first sub-step (λ = 0.05), so frames 0..10j are fixed by plan[0..2j-1].
        var rng = new Rng(17);
        double[] plan = ConstantPlan(0.5, 0); // stands for all 200 sub-steps
        for (int j = 1; j < 20; j += 6)
        {
            double[] changed = (double[])plan.Clone();
            for (int i = 2 * j; i < 40; i++) changed[i] = rng.Uniform(-1, 1);
            QwopTrajectory a = QwopSimulator.Trace(plan), b = QwopSimulator.Trace(changed);
            for (int f = 0; f <= 10 * j; f++)
                for (int p = 0; p < 6; p++)
                {
                    Assert.Equal(a.X(f, p), b.X(f, p));
                    Assert.Equal(a.Y(f, p), b.Y(f, p));
                }
            Assert.NotEqual(a.X(10 * j + 1, 0), b.X(10 * j + 1, 0));
        }
    }

    [Fact]
    public void StopsExactlyWhenHipOrHeadTouchesDown()
    {
        var rng = new Rng(18);
        int fell = 0;
        for (int n = 0; n < 100; n++)
        {
            QwopTrajectory t = QwopSimulator.Trace(RandomPlan(rng));
            // Contact is tested at the start of a sub-step, i.e. on the previous frame.
            for (int f = 0; f < t.SubSteps - 1; f++)
                Assert.True(t.Y(f, 0) > 0 && t.Y(f, 5) > 0, $"plan {n}: hip or head down at frame {f} but ran to {t.SubSteps}");
            bool downBeforeLast = t.Y(t.SubSteps - 1, 0) <= 0 || t.Y(t.SubSteps - 1, 5) <= 0;
            Assert.Equal(t.Fell, downBeforeLast);
            if (!t.Fell) Assert.Equal(QwopSimulator.MaxSubSteps, t.SubSteps);
            if (t.Fell) fell++;
        }
        Assert.InRange(fell, 10, 100); // random plans do fall, so the rule is exercised
    }

    [Fact]
    public void CommandsAfterAFallDoNotMatter()
    {
        var rng = new Rng(19);
        int used = 0;
        for (int n = 0; n < 30; n++)
        {
            double[] plan = RandomPlan(rng);
            QwopTrajectory t = QwopSimulator.Trace(plan);
            if (!t.Fell || t.SubSteps > 180) continue;
            int firstUnused = (t.SubSteps + 9) / 10 * 2; // segments after the one containing the last sub-step
            for (int i = firstUnused; i < 40; i++) plan[i] = -plan[i];
            Assert.Equal(t.Distance, QwopSimulator.Simulate(plan));
            used++;
        }
        Assert.True(used >= 5, $"only {used} plans fell early enough to test");
    }

    [Fact]
    public void ConstantRestingCommandStandsStill()
    {
        // thigh 0.5, knee 0 is also the "previous" command of segment 0, so the control never changes.
        QwopTrajectory t = QwopSimulator.Trace(ConstantPlan(0.5, 0));
        Assert.False(t.Fell);
        Assert.Equal(200, t.FrameCount - 1);
        for (int f = 150; f <= 200; f++)
        {
            // Both feet planted: on the ground, held in place by friction.
            Assert.Equal(0.0, t.Y(f, 2));
            Assert.Equal(0.0, t.Y(f, 4));
            Assert.Equal(t.X(150, 2), t.X(f, 2));
            Assert.Equal(t.X(150, 4), t.X(f, 4));
            Assert.InRange(t.Y(f, 0), 0.6, 0.9);  // hip stays up
            Assert.InRange(t.Y(f, 5), 1.4, 1.8);  // head stays up
        }
        // The sway dies down: per-step motion late in the run is far below the motion after the start.
        Assert.True(MaxStep(t, 181, 200) < 0.25 * MaxStep(t, 1, 20));
    }

    private static double MaxStep(QwopTrajectory t, int from, int to)
    {
        double m = 0;
        for (int f = from; f <= to; f++)
            for (int p = 0; p < 6; p++)
                m = Math.Max(m, Math.Abs(t.X(f, p) - t.X(f - 1, p)) + Math.Abs(t.Y(f, p) - t.Y(f - 1, p)));
        return m;
    }

    [Fact]
    public void FrozenRegressionDistances()
    {
        // Frozen from the reference implementation (QwopReference, Math.Atan2) on this commit's spec reading.
        Check.Close(1.9828948004369285, QwopSimulator.Simulate(ConstantPlan(0, 0)), atol: 1e-10, rtol: 0, name: "zeros");
        Check.Close(-0.1755947919130595, QwopSimulator.Simulate(ConstantPlan(0.5, 0)), atol: 1e-10, rtol: 0, name: "resting");
        Check.Close(2.895094681507079, QwopSimulator.Simulate(ConstantPlan(-1, -1)), atol: 1e-10, rtol: 0, name: "minus ones");
        Check.Close(1.9547961488814907, QwopSimulator.Simulate(ConstantPlan(1, 1)), atol: 1e-10, rtol: 0, name: "ones");
    }

    [Theory]
    [InlineData(39)]
    [InlineData(41)]
    [InlineData(0)]
    public void WrongLengthThrowsOneLine(int length)
    {
        var e = Assert.Throws<ArgumentException>(() => QwopSimulator.Simulate(new double[length]));
        Assert.Contains($"{length} values", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void NonFiniteValueThrowsNamingTheIndex(double bad)
    {
        var plan = new double[40];
        plan[17] = bad;
        var e = Assert.Throws<ArgumentException>(() => QwopSimulator.Simulate(plan));
        Assert.Contains("plan[17]", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        var flat = new double[80];
        flat[40 + 3] = bad;
        e = Assert.Throws<ArgumentException>(() => QwopSimulator.SimulateBatch(flat, new double[2]));
        Assert.Contains("plan 1[3]", e.Message);
        Assert.Throws<ArgumentException>(() => QwopSimulator.Trace(plan));
    }

    [Fact]
    public void BatchShapeErrors()
    {
        Assert.Throws<ArgumentException>(() => QwopSimulator.SimulateBatch(new double[79], new double[2]));
        Assert.Throws<ArgumentException>(() => QwopSimulator.SimulateBatch(new double[80], new double[1]));
    }
}
