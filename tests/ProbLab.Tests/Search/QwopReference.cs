// A plain, loop-based QWOP simulator written straight from the prose in REFERENCE.md §D, for testing the
// fast one. Clarity over speed: arrays indexed by point and edge, Math.Atan2, divisions exactly as the prose
// writes them. It shares no code with src/ (only the spec), so agreement to ~1e-12 checks both.
namespace ProbLab.Tests.Search;

internal static class QwopReference
{
    private static readonly double[] Mass = [30, 10, 5, 10, 5, 10];
    private static readonly double[] StartX = [0, 0, -0.25, 0.25, 0.25, 0.15];
    private static readonly double[] StartY = [1, 0.5, 0, 0.5, 0, 1.9];
    private static readonly (int A, int B)[] Edge = [(0, 1), (1, 2), (0, 3), (3, 4), (0, 5)];
    private static readonly double[] Rest = [0.5, 0.5, 0.5, 0.5, 0.9];
    private static readonly double[] EdgeStiff = [160, 180, 160, 180, 160];
    private const double EdgeDamp = 8;
    private static readonly (int E0, int E1)[] Angle = [(4, 0), (4, 2), (0, 1), (2, 3)];
    private static readonly double[] AngleStiff = [20, 20, 10, 10];
    private static readonly double[] AngleDamp = [8, 8, 4, 4];
    private const double Dt = 0.1, Gravity = 0.1, Friction = 1.0;

    /// <summary>Head x at the end; <paramref name="frames"/> (optional) receives (x, y) of the 6 points after every sub-step.</summary>
    public static double Simulate(double[] planIn, List<double[]>? frames = null, Func<double, double, double>? atan2 = null)
    {
        atan2 ??= Math.Atan2;
        var plan = new double[40];
        for (int i = 0; i < 40; i++) plan[i] = Math.Max(-1, Math.Min(1, planIn[i]));
        var px = (double[])StartX.Clone();
        var py = (double[])StartY.Clone();
        var vx = new double[6];
        var vy = new double[6];
        frames?.Add(Snapshot(px, py));

        for (int j = 0; j < 20; j++)
        {
            for (int k = 0; k < 10; k++)
            {
                double lambda = 0.05 + 0.1 * k;
                double prevThigh = j > 0 ? plan[2 * j - 2] : 0.5;
                double prevKnee = j > 0 ? plan[2 * j - 1] : 0.0;
                double t0 = (1 - lambda) * prevThigh + lambda * plan[2 * j];
                double t1 = (1 - lambda) * prevKnee + lambda * plan[2 * j + 1];
                double[] target = [-(2.8 + t0), -(2.8 - t0), -0.9 * (1 - t1), -0.9 * (1 + t1)];

                // Step 1: contact.
                var contact = new bool[6];
                for (int i = 0; i < 6; i++)
                    if (py[i] <= 0) { contact[i] = true; py[i] = 0; }

                // Step 2: edges.
                var dx = new double[5]; var dy = new double[5]; var len = new double[5];
                var fx = new double[5]; var fy = new double[5]; var theta = new double[5]; var omega = new double[5];
                for (int e = 0; e < 5; e++)
                {
                    var (a, b) = Edge[e];
                    dx[e] = px[b] - px[a];
                    dy[e] = py[b] - py[a];
                    len[e] = Math.Sqrt(dx[e] * dx[e] + dy[e] * dy[e]) + 0.01;
                    double nx = dx[e] / len[e], ny = dy[e] / len[e];
                    double dvx = vx[b] - vx[a], dvy = vy[b] - vy[a];
                    double s = 2 * (dx[e] * dvx + dy[e] * dvy);
                    double c = (Rest[e] - len[e]) * EdgeStiff[e] - s * EdgeDamp;
                    fx[e] = c * nx;
                    fy[e] = c * ny;
                    theta[e] = atan2(dy[e], dx[e]);
                    omega[e] = (dvx * dy[e] - dvy * dx[e]) / (len[e] * len[e]);
                }

                // Step 3: angle springs.
                for (int z = 0; z < 4; z++)
                {
                    var (e0, e1) = Angle[z];
                    double delta = theta[e1] - theta[e0] - target[z];
                    if (delta > Math.PI) delta -= 2 * Math.PI;
                    else if (delta < -Math.PI) delta += 2 * Math.PI;
                    double damping = Math.Min(len[e0] / Rest[e0], len[e1] / Rest[e1]);
                    double tau = delta * AngleStiff[z] - (omega[e1] - omega[e0]) * AngleDamp[z] * damping;
                    fx[e0] += tau * (-dy[e0] / (len[e0] * len[e0]));
                    fy[e0] += tau * (dx[e0] / (len[e0] * len[e0]));
                    fx[e1] -= tau * (-dy[e1] / (len[e1] * len[e1]));
                    fy[e1] -= tau * (dx[e1] / (len[e1] * len[e1]));
                }

                // Step 4: edge forces onto points.
                var forceX = new double[6]; var forceY = new double[6];
                for (int e = 0; e < 5; e++)
                {
                    var (a, b) = Edge[e];
                    forceX[a] -= fx[e]; forceY[a] -= fy[e];
                    forceX[b] += fx[e]; forceY[b] += fy[e];
                }

                // Step 5: integrate.
                for (int i = 0; i < 6; i++)
                {
                    forceY[i] -= Gravity * Mass[i];
                    vx[i] += forceX[i] * Dt / Mass[i];
                    vy[i] += forceY[i] * Dt / Mass[i];
                    if (contact[i])
                    {
                        double fric = 0;
                        if (vy[i] < 0) { fric = -vy[i] * Friction; vy[i] = 0; }
                        if (Math.Abs(vx[i]) < fric) vx[i] = 0;
                        else vx[i] -= fric * Math.Sign(vx[i]);
                    }
                    px[i] += vx[i] * Dt;
                    py[i] += vy[i] * Dt;
                }
                frames?.Add(Snapshot(px, py));

                // Step 6: early stop.
                if (contact[0] || contact[5]) return px[5];
            }
        }
        return px[5];
    }

    private static double[] Snapshot(double[] px, double[] py)
    {
        var f = new double[12];
        for (int i = 0; i < 6; i++) { f[2 * i] = px[i]; f[2 * i + 1] = py[i]; }
        return f;
    }
}
