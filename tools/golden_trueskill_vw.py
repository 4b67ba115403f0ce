#!/usr/bin/env python3
"""High-precision expectations for the TrueSkill special functions, written to
tests/ProbLab.Tests/TestData/trueskill_vw.csv (checked in; the tests read it, never this script).

Columns: function,x,y,expected. One-argument functions leave y empty.
  erfcx(x) = exp(x^2) erfc(x);  normcdf(x) = Phi(x);  normlogcdf(x) = log Phi(x)
  v(x) = phi(x)/Phi(x);  w(x) = v(v + x);  one_minus_w(x) = 1 - w(x) = Var[X | X > -x]
  trunc_mean(x, y), trunc_var(x, y): mean and variance of X ~ N(0,1) given x <= X <= y (x may be -inf, y +inf)
  log_prob_between(x, y) = log P(x <= X <= y);  quantile(x) = Phi^{-1}(x)
Everything is evaluated with mpmath at 60 significant digits; tail probabilities use erfc of the
positive argument so that no difference of nearly equal numbers is formed at any precision.

Usage: python3 tools/golden_trueskill_vw.py   (needs mpmath; run from the repository root)
"""
import mpmath as mp

mp.mp.dps = 60
OUT = "tests/ProbLab.Tests/TestData/trueskill_vw.csv"


def Q(x):  # upper tail P(X > x)
    return mp.erfc(x / mp.sqrt(2)) / 2


def Phi(x):
    return Q(-x)


def prob_between(a, b):
    if a + b >= 0:
        return Q(a) - Q(b) if a >= 0 else 1 - Q(-a) - Q(b) if b != mp.inf else 1 - Q(-a)
    return prob_between(-b, -a)


def trunc_moments(a, b):
    Z = prob_between(a, b)
    pa = mp.npdf(a) if a != -mp.inf else mp.mpf(0)
    pb = mp.npdf(b) if b != mp.inf else mp.mpf(0)
    apa = a * pa if a != -mp.inf else mp.mpf(0)
    bpb = b * pb if b != mp.inf else mp.mpf(0)
    mean = (pa - pb) / Z
    var = 1 + (apa - bpb) / Z - mean ** 2
    return mean, var


def v(x):
    return mp.npdf(x) / Phi(x)


def quantile(p):
    # Solve log Phi(x) = log p (well conditioned in both tails), starting from the tail asymptote.
    if p == mp.mpf(1) / 2:
        return mp.mpf(0)
    if p > mp.mpf(1) / 2:
        return -quantile(1 - p)
    guess = -mp.sqrt(2 * mp.log(1 / p)) + 0.5
    return mp.findroot(lambda x: mp.log(Phi(x)) - mp.log(p), guess)


def fmt(x):
    if x == mp.inf:
        return "inf"
    if x == -mp.inf:
        return "-inf"
    return mp.nstr(x, 20)


def main():
    rows = []
    xs = [-1e8, -1e5, -1000, -100, -40, -38, -30, -27, -20, -10, -8, -6, -5, -4, -3.5, -3.01, -3, -2.99, -2.5, -2,
          -1.5, -1, -0.75, -0.5, -0.25, -1e-3, 0, 1e-3, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 20, 30, 38]
    for x in xs:
        x = mp.mpf(x)
        vx = v(x)
        w = vx * (vx + x)
        rows += [("v", x, None, vx), ("w", x, None, w), ("one_minus_w", x, None, 1 - w)]
        if x > -38.4:   # Phi underflows double below this; erfcx(-x) overflows for -x < -26.6
            rows.append(("normcdf", x, None, Phi(x)))
        rows.append(("normlogcdf", x, None, mp.log(Phi(x)) if x < 0 else mp.log1p(-Q(x))))
    for x in [0, 1e-8, 0.1, 0.5, 1, 1.9, 2, 3, 4, 5, 7, 10, 15, 20, 26, 27, 30, 45, 49.9, 50, 60, 100, 1e3, 1e6, -0.5, -1, -3, -10, -26]:
        x = mp.mpf(x)
        rows.append(("erfcx", x, None, mp.exp(x * x) * mp.erfc(x)))
    pairs = [(-mp.inf, 0), (0, mp.inf), (-1, 1), (-0.3, 0.3), (-1e-3, 1e-3), (-2, 0.5), (0.5, 3), (1, 1.2), (1, 5), (3, 3.1),
             (3, 8), (5, 5.01), (10, 10.05), (10, 12), (30, 30.01), (30, 31), (40, 50), (-5, 5), (-10, -9), (-0.1, 2.4),
             (-3, 1.3), (2, mp.inf), (-mp.inf, -6), (0.7, 1.6), (100, 100.001), (-1e4, -9999.99)]
    for a, b in pairs:
        a, b = mp.mpf(a), mp.mpf(b)
        m, var = trunc_moments(a, b)
        rows += [("trunc_mean", a, b, m), ("trunc_var", a, b, var), ("log_prob_between", a, b, mp.log(prob_between(a, b)))]
    for p in ["1e-300", "1e-20", "1e-5", "0.01", "0.1", "0.3", "0.5", "0.55", "0.8", "0.975", "0.999999"]:
        p = mp.mpf(float(p))   # the double the tests will pass, not the decimal string
        rows.append(("quantile", p, None, quantile(p)))
    with open(OUT, "w") as f:
        f.write("function,x,y,expected\n")
        for fn, x, y, e in rows:
            f.write(f"{fn},{fmt(x)},{'' if y is None else fmt(y)},{mp.nstr(e, 20)}\n")
    print(f"wrote {len(rows)} rows to {OUT}")


if __name__ == "__main__":
    main()
