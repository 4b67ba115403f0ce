// Gauss–Legendre nodes and weights on [−1, 1], computed once at start-up by Newton's method on the Legendre
// polynomial P_n (three-term recurrence for P_n and P_n'), as in any numerical-analysis text; no table to trust.
namespace ProbLab.Probabilistic.Distributions;

/// <summary>Sixteen-point Gauss–Legendre rule on [−1, 1] (exact for polynomials of degree ≤ 31).</summary>
internal static class GaussLegendre
{
    public const int Points = 16;
    public static readonly double[] Nodes = new double[Points];
    public static readonly double[] Weights = new double[Points];

    static GaussLegendre()
    {
        const int n = Points;
        for (int i = 0; i < n; i++)
        {
            // Chebyshev-like initial guess for the i-th root, then Newton until the step is at rounding level.
            double x = Math.Cos(Math.PI * (i + 0.75) / (n + 0.5));
            double dp = 0;
            for (int iter = 0; iter < 100; iter++)
            {
                double p0 = 1, p1 = x;
                for (int k = 2; k <= n; k++)
                {
                    double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
                    p0 = p1; p1 = p2;
                }
                dp = n * (x * p1 - p0) / (x * x - 1);   // P_n'(x) from P_n and P_{n−1}
                double step = p1 / dp;
                x -= step;
                if (Math.Abs(step) < 1e-16) break;
            }
            Nodes[i] = x;
            Weights[i] = 2 / ((1 - x * x) * dp * dp);
        }
    }
}
