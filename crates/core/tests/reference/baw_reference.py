#!/usr/bin/env python3
"""Barone-Adesi–Whaley reference values for tests/baw_reference.rs, computed with QuantLib.

Regenerate (from the crate root):

    pip install QuantLib==1.44 mpmath==1.3.0
    python3 crates/core/tests/reference/baw_reference.py > crates/core/tests/data/baw_reference.csv

The committed CSV was made with QuantLib 1.44 (PyPI wheel) and mpmath 1.3.0 on
Python 3.11; the versions are also written into the CSV's first comment line.

An American option on a futures contract is priced with QuantLib's
`BaroneAdesiWhaleyApproximationEngine` on a `BlackScholesMertonProcess` whose spot is
the futures price and whose dividend yield equals the risk-free rate, so that the cost
of carry b = r - q is 0 (Barone-Adesi & Whaley 1987, section on futures options).
QuantLib works with dates, so expiries are whole days (ACT/365 Fixed, time = days/365).

For every case of a fixed grid (forward 1.5..3.5 USD/gal, strikes from deep ITM to
deep OTM, expiry 1 day .. 2 years, vol 5 %..150 %, rate 1 %, 4 % and 10 %, calls and
puts; plus absolute strikes deep in the money, where immediate exercise is optimal)
it writes, with 17 significant digits:

* ql_npv: QuantLib's BAW NPV, as the engine computes it. The engine stops its Newton
  iteration for the critical price at |LHS - RHS|/K <= 1e-6 (a constant in
  baroneadesiwhaleyengine.cpp, not a setting), which leaves its NPV off the BAW value it
  approximates by up to ~1e-3 relative (see the stderr summary);
* price: the same engine's computation with that iteration run to convergence (to
  2e-15, or until a Newton step is below 1e-12 relative, rounding level). The
  engine's steps are redone here with QuantLib's own pieces (ql.blackFormula,
  ql.CumulativeNormalDistribution, ql.BlackCalculator): the paper's seed, its Newton
  update of the critical price, then c + A*(F/S*)^q. With the engine's 1e-6 stop this
  re-run reproduces ql_npv (asserted: to 1e-9 relative); with a 2e-15 stop it is
  QuantLib's BAW without the truncation, and is what the Rust test matches to 1e-8;
* delta: dV/dF from a 5-point central difference of `price` with step 1e-3*F*min(1, vol*sqrt(T)) (the
  engine reports no greeks when early exercise can be optimal; the critical price does
  not depend on the futures price, so the difference is smooth). Empty when the stencil
  straddles the critical price (the BAW value has a gamma jump there);
* ql_delta: the same difference of ql_npv values (informational);
* european: the Black-76 price (QuantLib BlackCalculator), so the test can tell where
  the early-exercise premium (price - european) is material;
* critical: the critical futures price S* (calls) / S** (puts) from the exact
  evaluation below (immediate exercise is optimal beyond it);
* price_exact, delta_exact: the same BAW approximation evaluated with mpmath at 50
  digits, the critical price solved to 45 digits (bracketed root finder) and the
  analytic delta, rounded to double. QuantLib stops its Newton iteration for the
  critical price at |LHS - RHS|/K <= 1e-6, so its price may differ from the exact BAW
  value in the last digits (see the stderr summary);
* vega_exact: dV/dsigma of the exact BAW price (central difference at 50 digits);
* condition: price_exact / (vega_exact * vol), the factor by which a relative price
  error is amplified into a relative implied-vol error. The Rust test only demands the
  1e-10 implied-vol round trip where it is small.

The worst relative deviation of QuantLib from mpmath is printed on stderr.
"""
import math
import sys

import QuantLib as ql

import mpmath

FORWARDS = [1.5, 2.5, 3.5]
DAYS = [1, 7, 30, 91, 182, 365, 730]
VOLS = [0.05, 0.3, 0.8, 1.5]
RATES = [0.01, 0.04, 0.10]
KINDS = ["call", "put"]
# strike = forward * exp(m * vol * sqrt(T)): m < 0 is a call in the money, a put out of it.
MONEYNESS = [-3.0, -1.5, -0.5, 0.0, 0.5, 1.5, 3.0]

TODAY = ql.Date(2, 1, 2025)
DC = ql.Actual365Fixed()


def cases():
    n = 0
    for days in DAYS:
        for vol in VOLS:
            for rate in RATES:
                for kind in KINDS:
                    for m in MONEYNESS:
                        f = FORWARDS[n % len(FORWARDS)]
                        n += 1
                        t = days / 365.0
                        yield kind, f, f * math.exp(m * vol * math.sqrt(t)), days, vol, rate
    # listed-style absolute strikes around a 2.50 USD/gal forward, deep ITM included
    for days in [30, 182, 730]:
        for vol in [0.05, 0.3, 0.8]:
            for rate in [0.04, 0.10]:
                for kind in KINDS:
                    for k in [0.5, 1.5, 2.0, 3.0, 4.5]:
                        yield kind, 2.5, k, days, vol, rate


def ql_price(kind, f, k, days, vol, rate):
    ql.Settings.instance().evaluationDate = TODAY
    spot = ql.QuoteHandle(ql.SimpleQuote(f))
    curve = ql.YieldTermStructureHandle(ql.FlatForward(TODAY, rate, DC, ql.Continuous))
    vols = ql.BlackVolTermStructureHandle(ql.BlackConstantVol(TODAY, ql.NullCalendar(), vol, DC))
    # dividend yield = risk-free rate: b = r - q = 0, the futures-option case
    process = ql.BlackScholesMertonProcess(spot, curve, curve, vols)
    payoff = ql.PlainVanillaPayoff(ql.Option.Call if kind == "call" else ql.Option.Put, k)
    option = ql.VanillaOption(payoff, ql.AmericanExercise(TODAY, TODAY + days))
    option.setPricingEngine(ql.BaroneAdesiWhaleyApproximationEngine(process))
    return option.NPV()


NORMAL = ql.CumulativeNormalDistribution()


def ql_converged(kind, f, k, t, vol, rate, tolerance):
    """The engine's steps with QuantLib's pieces, b = 0, stopping at `tolerance`."""
    qtype = ql.Option.Call if kind == "call" else ql.Option.Put
    df = math.exp(-rate * t)
    var = vol * vol * t
    sd = math.sqrt(var)
    sign = 1.0 if kind == "call" else -1.0
    # seed (Barone-Adesi & Whaley 1987, eqs. 26/27 with b = 0)
    m = -2.0 * math.log(df) / var
    q_inf = (1.0 + sign * math.sqrt(1.0 + 4.0 * m)) / 2.0
    su = k / (1.0 - 1.0 / q_inf)
    if kind == "call":
        s = k + (su - k) * (1.0 - math.exp(-2.0 * sd * k / (su - k)))
    else:
        s = su + (k - su) * math.exp(-2.0 * sd * k / (k - su))
    big_k = -2.0 * math.log(df) / (var * (1.0 - df))
    q = (1.0 + sign * math.sqrt(1.0 + 4.0 * big_k)) / 2.0
    for _ in range(1000):
        d1 = (math.log(s / k) + 0.5 * var) / sd
        black = ql.blackFormula(qtype, k, s, sd) * df
        n1, dens = NORMAL(sign * d1), NORMAL.derivative(sign * d1)
        lhs = sign * (s - k)
        rhs = black + sign * (1.0 - df * n1) * s / q
        # slope: d(rhs)/dS for a call, -d(rhs)/dS for a put
        slope = sign * df * n1 * (1.0 - 1.0 / q) + (sign - df * dens / sd) / q
        if abs(lhs - rhs) / k <= tolerance:
            break
        # Newton step on lhs - rhs = 0; with a tolerance below rounding, stop when the
        # step is at rounding level instead
        step = (k + sign * (rhs - slope * s)) / (1.0 - sign * slope)
        if abs(step - s) <= 1e-12 * s:
            break
        s = step
    else:
        raise RuntimeError("critical price did not converge")
    euro = ql.BlackCalculator(ql.PlainVanillaPayoff(qtype, k), f, sd, df).value()
    d1 = (math.log(s / k) + 0.5 * var) / sd
    a = sign * (s / q) * (1.0 - df * NORMAL(sign * d1))
    if sign * (f - s) >= 0.0:
        return sign * (f - k)
    return euro + a * (f / s) ** q


def ql_black(kind, f, k, t, vol, rate):
    qtype = ql.Option.Call if kind == "call" else ql.Option.Put
    bc = ql.BlackCalculator(ql.PlainVanillaPayoff(qtype, k), f, vol * math.sqrt(t), math.exp(-rate * t))
    return bc.value()


def mp_black(kind, f, k, s, df):
    d1 = mpmath.log(f / k) / s + s / 2
    d2 = d1 - s
    if kind == "call":
        return df * (f * mpmath.ncdf(d1) - k * mpmath.ncdf(d2)), d1
    return df * (k * mpmath.ncdf(-d2) - f * mpmath.ncdf(-d1)), d1


def mp_baw(kind, f, k, t, vol, rate):
    """Exact BAW (b = 0): price, dV/dF, critical price (all mpf)."""
    f, k, t, vol, rate = (mpmath.mpf(x) for x in (f, k, t, vol, rate))
    s = vol * mpmath.sqrt(t)
    df = mpmath.exp(-rate * t)
    big_k = 2 * rate / (vol * vol * (1 - df))  # M / K(T) of the paper, N = 0
    root = mpmath.sqrt(1 + 4 * big_k)
    if kind == "call":
        q = (1 + root) / 2

        def resid(x):
            c, d1 = mp_black(kind, x, k, s, df)
            return x - k - c - (1 - df * mpmath.ncdf(d1)) * x / q

        lo, hi = k, k / ((1 - df) * (1 - 1 / q))
    else:
        q = (1 - root) / 2

        def resid(x):
            p, d1 = mp_black(kind, x, k, s, df)
            return k - x - p + (1 - df * mpmath.ncdf(-d1)) * x / q

        lo, hi = k * (1 - df) * (-q) / (1 - q), k
    # bisection in log space to 45 digits: slow but unconditionally convergent
    flo = resid(lo)
    for _ in range(400):
        mid = mpmath.sqrt(lo * hi)
        fm = resid(mid)
        if (fm < 0) == (flo < 0):
            lo, flo = mid, fm
        else:
            hi = mid
        if hi / lo - 1 < mpmath.mpf(10) ** -45:
            break
    crit = mpmath.sqrt(lo * hi)
    euro, d1 = mp_black(kind, f, k, s, df)
    _, d1c = mp_black(kind, crit, k, s, df)
    if kind == "call":
        a = crit / q * (1 - df * mpmath.ncdf(d1c))
        if f >= crit:
            return f - k, mpmath.mpf(1), crit
        return euro + a * (f / crit) ** q, df * mpmath.ncdf(d1) + a * q * (f / crit) ** q / f, crit
    a = -crit / q * (1 - df * mpmath.ncdf(-d1c))
    if f <= crit:
        return k - f, mpmath.mpf(-1), crit
    return euro + a * (f / crit) ** q, -df * mpmath.ncdf(-d1) + a * q * (f / crit) ** q / f, crit


def main():
    mpmath.mp.dps = 50
    out = sys.stdout
    out.write(f"# Barone-Adesi-Whaley reference, QuantLib {ql.__version__}, mpmath {mpmath.__version__}; "
              "see reference/baw_reference.py\n")
    cols = ["kind", "forward", "strike", "time", "vol", "rate", "ql_npv", "price", "delta", "ql_delta",
            "european", "critical",
            "price_exact", "delta_exact", "vega_exact", "condition"]
    out.write(",".join(cols) + "\n")
    worst = {}
    for kind, f, k, days, vol, rate in cases():
        t = days / 365.0
        npv = ql_price(kind, f, k, days, vol, rate)
        rerun = ql_converged(kind, f, k, t, vol, rate, 1e-6)
        assert abs(rerun - npv) <= 1e-9 * npv, (kind, f, k, days, vol, rate, rerun, npv)
        price = ql_converged(kind, f, k, t, vol, rate, 2e-15)
        exact, delta_exact, crit = mp_baw(kind, f, k, t, vol, rate)
        h = 1e-3 * f * min(1.0, vol * math.sqrt(t))
        stencil = [f - 2 * h, f - h, f + h, f + 2 * h]
        straddles = any((x >= crit) != (f >= crit) for x in stencil)
        fd = lambda v: "%.17g" % ((v[0] - 8 * v[1] + 8 * v[2] - v[3]) / (12 * h))
        if straddles:
            delta = ql_delta = ""
        else:
            delta = fd([ql_converged(kind, x, k, t, vol, rate, 2e-15) for x in stencil])
            ql_delta = fd([ql_price(kind, x, k, days, vol, rate) for x in stencil])
        dv = mpmath.mpf(10) ** -20
        vega = (mp_baw(kind, f, k, t, vol + dv, rate)[0] - mp_baw(kind, f, k, t, vol - dv, rate)[0]) / (2 * dv)
        condition = exact / (vega * vol) if vega > 0 else mpmath.inf
        row = [kind] + ["%.17g" % x for x in (f, k, t, vol, rate, npv, price)] + [delta, ql_delta]
        row += ["%.17g" % ql_black(kind, f, k, t, vol, rate), "%.17g" % float(crit)]
        row += ["%.17g" % float(x) for x in (exact, delta_exact, vega, condition)]
        out.write(",".join(row) + "\n")
        for name, q, e in [("ql_npv", npv, float(exact)), ("price", price, float(exact))] + (
                [] if straddles else [("delta", float(delta), float(delta_exact)),
                                      ("ql_delta", float(ql_delta), float(delta_exact))]):
            err = abs(q - e) / max(abs(e), 1e-12)
            if err > worst.get(name, (0.0,))[0]:
                worst[name] = (err, kind, f, k, days, vol, rate)
    for name, w in worst.items():
        sys.stderr.write(f"QuantLib vs mpmath worst rel. error (floor 1e-12) {name}: {w}\n")


if __name__ == "__main__":
    main()
