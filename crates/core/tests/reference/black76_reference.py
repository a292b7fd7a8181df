#!/usr/bin/env python3
"""Black-76 reference values for tests/reference.rs, computed with QuantLib.

Regenerate (from the crate root):

    pip install QuantLib==1.44 mpmath==1.3.0
    python3 crates/core/tests/reference/black76_reference.py > crates/core/tests/data/black76_reference.csv

The committed CSV was made with QuantLib 1.44 (PyPI wheel) and mpmath 1.3.0 on
Python 3.11; the versions are also written into the CSV's first comment line.

For every case of a fixed grid (forward 1.5..3.5 USD/gal, strikes from deep ITM to
deep OTM, expiry 1 hour .. 2 years, vol 5 %..150 %, rate 0 and 4 %, calls and
puts) it writes, with 17 significant digits:

* price, discounted delta (dV/dF), gamma, vega (per 1.00 vol) and theta (dV/dt per
  year, spot = forward so the carry term vanishes) from ql.BlackCalculator with
  stdDev = vol*sqrt(T) and discount = exp(-r*T);
* ql_implied_vol: the vol recovered from that price by
  ql.blackFormulaImpliedStdDev(...)/sqrt(T) (accuracy 1e-15, 1000 iterations),
  empty when QuantLib throws (price indistinguishable from intrinsic or cap);
* condition: price / (vega * vol), the factor by which a relative price error is
  amplified into a relative implied-vol error (d ln sigma = d ln V * condition).
  The Rust test only demands 1e-10 on the recovered vol where this is small;
* *_exact: the same five numbers from a 40-digit mpmath evaluation of the closed
  forms, rounded to double. QuantLib evaluates F*N(d1) - K*N(d2) in doubles, which
  cancels far out of the money (up to ~1e-6 relative error on tiny premiums, see
  the stderr summary); the exact columns let the Rust test check those cases too.

The worst relative deviation of QuantLib from mpmath per column is printed on
stderr (relative to max(|exact|, 1e-12)).
"""
import math
import sys

import QuantLib as ql

import mpmath

FORWARDS = [1.5, 2.5, 3.5]
TIMES = [1.0 / 8760.0, 1.0 / 52.0, 0.5, 2.0]
VOLS = [0.05, 0.3, 0.8, 1.5]
RATES = [0.0, 0.04]
KINDS = ["call", "put"]
# strike = forward * exp(m * vol * sqrt(T)): m = +5 is a call with delta ~3e-7
# (deep OTM), m = -5 a call with delta ~1 - 3e-7 (deep ITM); puts mirror that.
MONEYNESS = [-5.0, -2.0, 0.0, 0.5, 2.0, 5.0]


def cases():
    n = 0
    for t in TIMES:
        for vol in VOLS:
            for rate in RATES:
                for kind in KINDS:
                    for m in MONEYNESS:
                        f = FORWARDS[n % len(FORWARDS)]
                        n += 1
                        yield kind, f, f * math.exp(m * vol * math.sqrt(t)), t, vol, rate
    # listed-style absolute strikes around a 2.50 USD/gal forward
    for t in [1.0 / 8760.0, 0.25, 2.0]:
        for vol in [0.05, 0.3, 1.5]:
            for kind in KINDS:
                for k in [0.5, 2.0, 5.0]:
                    yield kind, 2.5, k, t, vol, 0.04


def mp_black(kind, f, k, t, vol, rate):
    """40-digit price, discounted delta, gamma, vega, theta."""
    mpmath.mp.dps = 40
    f, k, t, vol, rate = (mpmath.mpf(x) for x in (f, k, t, vol, rate))
    s = vol * mpmath.sqrt(t)
    d1 = mpmath.log(f / k) / s + s / 2
    d2 = d1 - s
    df = mpmath.exp(-rate * t)
    ncdf, npdf = mpmath.ncdf, mpmath.npdf
    if kind == "call":
        price = df * (f * ncdf(d1) - k * ncdf(d2))
        delta = df * ncdf(d1)
    else:
        price = df * (k * ncdf(-d2) - f * ncdf(-d1))
        delta = -df * ncdf(-d1)
    gamma = df * npdf(d1) / (f * s)
    vega = df * f * npdf(d1) * mpmath.sqrt(t)
    theta = rate * price - df * f * npdf(d1) * vol / (2 * mpmath.sqrt(t))
    return [float(x) for x in (price, delta, gamma, vega, theta)]


def main():
    out = sys.stdout
    out.write(f"# Black-76 reference, QuantLib {ql.__version__}, mpmath {mpmath.__version__}; "
              "see reference/black76_reference.py\n")
    cols = ["kind", "forward", "strike", "time", "vol", "rate", "price", "delta", "gamma",
            "vega", "theta", "ql_implied_vol", "condition",
            "price_exact", "delta_exact", "gamma_exact", "vega_exact", "theta_exact"]
    out.write(",".join(cols) + "\n")
    worst = {}
    for kind, f, k, t, vol, rate in cases():
        qtype = ql.Option.Call if kind == "call" else ql.Option.Put
        df = math.exp(-rate * t)
        std = vol * math.sqrt(t)
        bc = ql.BlackCalculator(ql.PlainVanillaPayoff(qtype, k), f, std, df)
        price, delta, gamma = bc.value(), bc.deltaForward(), bc.gammaForward()
        vega, theta = bc.vega(t), bc.theta(f, t)
        try:
            ivs = ql.blackFormulaImpliedStdDev(qtype, k, f, price, df, 0.0, ql.nullDouble(), 1e-15, 1000)
            iv = "%.17g" % (ivs / math.sqrt(t))
        except RuntimeError:
            iv = ""
        condition = price / (vega * vol) if vega > 0.0 else float("inf")
        row = [kind] + ["%.17g" % x for x in (f, k, t, vol, rate, price, delta, gamma, vega, theta)]
        exact = mp_black(kind, f, k, t, vol, rate)
        row += [iv, "%.17g" % condition] + ["%.17g" % x for x in exact]
        out.write(",".join(row) + "\n")
        for name, q, e in zip(["price", "delta", "gamma", "vega", "theta"],
                              [price, delta, gamma, vega, theta], exact):
            err = abs(q - e) / max(abs(e), 1e-12)
            if err > worst.get(name, (0.0,))[0]:
                worst[name] = (err, kind, f, k, t, vol, rate)
    for name, w in worst.items():
        sys.stderr.write(f"QuantLib vs mpmath worst rel. error (floor 1e-12) {name}: {w}\n")


if __name__ == "__main__":
    main()
