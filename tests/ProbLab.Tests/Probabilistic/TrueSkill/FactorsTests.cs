// Factor messages: closed forms, the uniform/point-mass edge cases, and the identity that ADF's moment-form
// update equals the message composition it stands for (the cavity/marginal algebra of EP).
using ProbLab.Data;
using ProbLab.Probabilistic.Distributions;
using ProbLab.Probabilistic.TrueSkill;

namespace ProbLab.Tests.Probabilistic.TrueSkill;

public class FactorsTests
{
    private static readonly Gaussian A = Gaussian.FromMeanAndVariance(27, 9), B = Gaussian.FromMeanAndVariance(24, 4);

    [Fact]
    public void PerformanceMessagesAreLinearGaussian()
    {
        var h = Gaussian.FromMeanAndVariance(1, 0.5);
        var toT = PerformanceFactor.MessageToT(A, B, h, 16);
        Check.Close(27 - 24 + 1, toT.Mean, atol: 1e-14, rtol: 0, name: "mean t");
        Check.Close(9 + 4 + 0.5 + 16, toT.Variance, atol: 0, rtol: 1e-15, name: "var t");
        var t = Gaussian.FromMeanAndVariance(5, 2);
        var toA = PerformanceFactor.MessageToA(t, B, h, 16);
        Check.Close(5 + 24 - 1, toA.Mean, atol: 1e-13, rtol: 0, name: "mean to A");
        Check.Close(2 + 4 + 0.5 + 16, toA.Variance, atol: 0, rtol: 1e-15, name: "var to A");
        var toB = PerformanceFactor.MessageToB(t, A, h, 16);
        Check.Close(27 + 1 - 5, toB.Mean, atol: 1e-13, rtol: 0, name: "mean to B");
        var toH = PerformanceFactor.MessageToH(t, A, B, 16);
        Check.Close(5 - 27 + 24, toH.Mean, atol: 1e-13, rtol: 0, name: "mean to h");
        Assert.True(PerformanceFactor.MessageToA(Gaussian.Uniform(), B, h, 16).IsUniform);
        // A fixed home advantage is a point mass: it shifts the mean and adds no variance.
        var fixedH = PerformanceFactor.MessageToT(A, B, Gaussian.PointMass(2), 16);
        Check.Close(9 + 4 + 16, fixedH.Variance, atol: 0, rtol: 1e-15, name: "var with fixed h");
    }

    [Fact]
    public void IntervalMessageTimesIncomingIsTheTruncatedMoments()
    {
        var incoming = Gaussian.FromMeanAndVariance(3, 29);
        foreach (var (lo, hi) in new[] { (0.0, double.PositiveInfinity), (double.NegativeInfinity, 0.0), (-1.5, 1.5), (2.0, 4.0), (-40.0, -35.0) })
        {
            var msg = IntervalFactor.MessageToT(incoming, lo, hi);
            Assert.True(msg.Precision >= 0, "truncation message must not be improper");
            var post = msg * incoming;
            var (m, v) = TruncatedGaussian.Moments(3, 29, lo, hi);
            Check.Close(m, post.Mean, atol: 1e-12, rtol: 1e-12, name: $"posterior mean [{lo}, {hi}]");
            Check.Close(v, post.Variance, atol: 0, rtol: 1e-10, name: $"posterior var [{lo}, {hi}]");
            double s = Math.Sqrt(29);
            Check.Close(TruncatedGaussian.LogProbBetween((lo - 3) / s, (hi - 3) / s), IntervalFactor.LogEvidence(incoming, lo, hi), atol: 1e-14, rtol: 1e-14, name: "log evidence");
        }
        // Win: P(t > 0) = Φ(m/σ).
        Check.Close(Math.Log(SpecialFunctions.NormalCdf(3 / Math.Sqrt(29))), IntervalFactor.LogEvidence(incoming, 0, double.PositiveInfinity), atol: 1e-15, rtol: 1e-14, name: "log Φ");
        Assert.True(IntervalFactor.MessageToT(Gaussian.PointMass(1), 0, 2).IsUniform);
        Assert.Throws<InvalidOperationException>(() => IntervalFactor.MessageToT(Gaussian.PointMass(-1), 0, 2));
        Assert.Throws<InvalidOperationException>(() => IntervalFactor.MessageToT(Gaussian.Uniform(), 0, 2));
        Assert.Equal(double.NegativeInfinity, IntervalFactor.LogEvidence(Gaussian.PointMass(-1), 0, 2));
    }

    [Theory]
    [InlineData(0.0, double.PositiveInfinity, 0.0)]
    [InlineData(double.NegativeInfinity, 0.0, 0.0)]
    [InlineData(-1.2, 1.2, 0.0)]
    [InlineData(0.7, double.PositiveInfinity, 0.8)]
    [InlineData(double.NegativeInfinity, -3.0, 2.5)]
    public void MomentFormUpdateEqualsMessageComposition(double lo, double hi, double homeVar)
    {
        var h = homeVar > 0 ? Gaussian.FromMeanAndVariance(0.4, homeVar) : Gaussian.PointMass(0.4);
        var (a, b, home) = (A, B, h);
        AssumedDensityFiltering.UpdateByMomentMatching(ref a, ref b, ref home, lo, hi, 17.36);
        double ma = A.Mean, va = A.Variance, mb = B.Mean, vb = B.Variance, mh = 0.4, vh = homeVar;
        GameUpdate.Apply(ref ma, ref va, ref mb, ref vb, ref mh, ref vh, 17.36, lo, hi);
        Check.Close(a.Mean, ma, atol: 1e-12, rtol: 1e-13, name: "mean A");
        Check.Close(a.Variance, va, atol: 0, rtol: 1e-12, name: "var A");
        Check.Close(b.Mean, mb, atol: 1e-12, rtol: 1e-13, name: "mean B");
        Check.Close(b.Variance, vb, atol: 0, rtol: 1e-12, name: "var B");
        Check.Close(home.Mean, mh, atol: 1e-12, rtol: 1e-13, name: "mean h");
        Check.Close(home.Variance, vh, atol: 1e-300, rtol: 1e-12, name: "var h");
    }

    [Fact]
    public void SingleGameUpdateMatchesTheCourseClosedForm()
    {
        // Course Q8: mt = m1 − m2, vt = v1 + v2 + σt², z = mt/√vt; t's moments move by Δm = √vt·v(z), Δv = −vt·w(z);
        // m1' = m1 + (v1/vt)Δm, v1' = v1 + (v1/vt)²Δv, m2' = m2 − (v2/vt)Δm, v2' = v2 + (v2/vt)²Δv.
        double m1 = 25, v1 = 69.44, m2 = 25, v2 = 69.44, st2 = 17.36, vt = v1 + v2 + st2, z = (m1 - m2) / Math.Sqrt(vt);
        double dm = Math.Sqrt(vt) * TruncatedGaussian.V(z), dv = -vt * TruncatedGaussian.W(z);
        double ma = m1, va = v1, mb = m2, vb = v2, mh = 0, vh = 0;
        GameUpdate.Apply(ref ma, ref va, ref mb, ref vb, ref mh, ref vh, st2, 0, double.PositiveInfinity);
        Check.Close(m1 + v1 / vt * dm, ma, atol: 1e-12, rtol: 0, name: "m1'");
        Check.Close(v1 + v1 * v1 / (vt * vt) * dv, va, atol: 1e-12, rtol: 0, name: "v1'");
        Check.Close(m2 - v2 / vt * dm, mb, atol: 1e-12, rtol: 0, name: "m2'");
        Check.Close(v2 + v2 * v2 / (vt * vt) * dv, vb, atol: 1e-12, rtol: 0, name: "v2'");
        Assert.Equal(0, mh);
        Assert.Equal(0, vh);
    }

    [Fact]
    public void DriftAddsVariance()
    {
        var g = DriftFactor.MessageToNew(Gaussian.FromMeanAndVariance(3, 2), 0.25);
        Check.Close(2.25, g.Variance, atol: 0, rtol: 1e-15, name: "variance");
        Check.Close(3, g.Mean, atol: 1e-15, rtol: 0, name: "mean");
        Assert.True(DriftFactor.MessageToNew(Gaussian.Uniform(), 1).IsUniform);
    }

    [Fact]
    public void ModelIntervalsAndValidation()
    {
        var m = TrueSkillModel.Default with { Draws = DrawHandling.Margin, DrawMargin = 0.5, MarginStep = 2 };
        Assert.True(m.TryOutcomeInterval(new Match(0, 1, MatchOutcome.AWins, 3, 0), out double lo, out double hi));
        Assert.Equal((0.5 + 2 * 2, double.PositiveInfinity), (lo, hi));
        Assert.True(m.TryOutcomeInterval(new Match(0, 1, MatchOutcome.BWins, 1, 2), out lo, out hi));
        Assert.Equal((double.NegativeInfinity, -0.5), (lo, hi));
        Assert.True(m.TryOutcomeInterval(new Match(0, 1, MatchOutcome.Draw, 1, 1), out lo, out hi));
        Assert.Equal((-0.5, 0.5), (lo, hi));
        Assert.False(TrueSkillModel.Default.TryOutcomeInterval(new Match(0, 1, MatchOutcome.Draw), out _, out _));
        Assert.Throws<ArgumentException>(() => m.TryOutcomeInterval(new Match(0, 1, MatchOutcome.AWins), out _, out _));
        var e = Assert.Throws<ArgumentException>(() => (TrueSkillModel.Default with { SigmaT = -1 }).Validate());
        Assert.Contains("SigmaT", e.Message);
        Assert.Throws<ArgumentException>(() => (TrueSkillModel.Default with { Sigma = double.NaN }).Validate());
        Assert.Throws<ArgumentException>(() => (TrueSkillModel.Default with { Tau = -0.1 }).Validate());
        // ε from a draw probability: two exactly known equal players draw with probability p.
        double eps = TrueSkillModel.DrawMarginFromProbability(0.28, 4);
        Check.Close(0.28, SpecialFunctions.NormalCdf(eps / 4) - SpecialFunctions.NormalCdf(-eps / 4), atol: 1e-14, rtol: 0, name: "P(draw)");
        Assert.Throws<ArgumentOutOfRangeException>(() => TrueSkillModel.DrawMarginFromProbability(1, 4));
    }

    [Fact]
    public void PredictionsSumToOne()
    {
        var m = TrueSkillModel.Default with { Draws = DrawHandling.Margin, DrawMargin = 1.2 };
        var (pa, pd, pb) = m.Predict(A, B, Gaussian.PointMass(0.5));
        Check.Close(1, pa + pd + pb, atol: 1e-15, rtol: 0, name: "sum");
        double s = Math.Sqrt(9 + 4 + m.NoiseVariance);
        Check.Close(SpecialFunctions.NormalCdf((3.5 - 1.2) / s), pa, atol: 1e-15, rtol: 0, name: "P(A)");
    }
}
