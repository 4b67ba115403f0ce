// One-step-ahead prediction scores (course Q6): each match is predicted from ratings that saw only earlier
// matches. The course's number is r = correct / decisive with a deterministic ±1 guess; we also keep proper
// scoring rules, which reward calibrated probabilities: the binary log-loss and Brier score on decisive
// matches (P(A | decisive) = P(A)/(P(A) + P(B))) and, when draws are modelled, the three-way log-loss.
namespace ProbLab.Probabilistic.TrueSkill;

/// <summary>Summary of one-step-ahead predictions over a match sequence.</summary>
/// <param name="Matches">All matches seen.</param>
/// <param name="Decisive">Matches with a winner (the ones the ±1 guess is scored on).</param>
/// <param name="Correct">Decisive matches whose winner was predicted.</param>
/// <param name="LogLoss">Mean −ln P(actual winner | decisive) over decisive matches.</param>
/// <param name="Brier">Mean (P(A | decisive) − 1[A won])² over decisive matches.</param>
/// <param name="LogLoss3">Mean −ln P(actual outcome) over all matches with win/draw/loss probabilities (NaN when draws are skipped).</param>
/// <param name="AWinsDecisive">Decisive matches won by side A (the "always predict home/white" baseline's hits).</param>
public sealed record PredictionSummary(int Matches, int Decisive, int Correct, double LogLoss, double Brier, double LogLoss3, int AWinsDecisive)
{
    /// <summary>r = Correct / Decisive (NaN when there are no decisive matches).</summary>
    public double Rate => Decisive == 0 ? double.NaN : (double)Correct / Decisive;
    /// <summary>The rate of always predicting side A (home / white).</summary>
    public double AlwaysARate => Decisive == 0 ? double.NaN : (double)AWinsDecisive / Decisive;
}

/// <summary>Accumulates <see cref="PredictionSummary"/> one match at a time (no allocation).</summary>
internal struct PredictionTally(bool drawsModelled)
{
    private int _matches, _decisive, _correct, _aWins;
    private double _logLoss, _brier, _logLoss3;

    public void Add(double pa, double pd, double pb, sbyte predicted, sbyte actual)
    {
        _matches++;
        if (drawsModelled)
        {
            double p = actual > 0 ? pa : actual < 0 ? pb : pd;
            _logLoss3 -= Math.Log(Math.Max(p, 1e-300));
        }
        if (actual == 0) return;
        _decisive++;
        if (predicted == actual) _correct++;
        if (actual > 0) _aWins++;
        double pA = pa / (pa + pb);
        double pActual = actual > 0 ? pA : 1 - pA;
        _logLoss -= Math.Log(Math.Max(pActual, 1e-300));
        double y = actual > 0 ? 1 : 0;
        _brier += (pA - y) * (pA - y);
    }

    public readonly PredictionSummary Summary()
    {
        double d = Math.Max(_decisive, 1);
        return new PredictionSummary(_matches, _decisive, _correct, _logLoss / d, _brier / d,
            drawsModelled ? _logLoss3 / Math.Max(_matches, 1) : double.NaN, _aWins);
    }
}
