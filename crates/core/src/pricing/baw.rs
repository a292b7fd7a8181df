//! Barone-Adesi–Whaley (1987) quadratic approximation for American options on futures:
//! premium, delta, vega and implied volatility.
//!
//! Reference: G. Barone-Adesi and R. E. Whaley, "Efficient Analytic Approximation of
//! American Option Values", Journal of Finance 42(2), 1987, pp. 301–320; the futures
//! option is their case of a cost of carry `b = 0`. QuantLib implements the same
//! approximation as `BaroneAdesiWhaleyApproximationEngine`
//! (`ql/pricingengines/vanilla/baroneadesiwhaleyengine.cpp`); a futures option is priced
//! there with a Black–Scholes–Merton process whose dividend yield equals the risk-free
//! rate. `tests/baw_reference.rs` checks this module against it. The formulas below
//! are also set out in B. A. Ødegaard, "Financial Numerical Recipes", section "A quadratic
//! approximation to American prices due to Barone-Adesi and Whaley"
//! (finance.bi.no/~bernt/gcc_prog/algoritms_v1/algoritms/node24.html).
//!
//! Notation as in [`super::black76`], plus `D = e^{−rT}`, `k = 2r / (σ²(1 − D))`
//! (`M/K(T)` of the paper with `N = 2b/σ² = 0`), the exponents
//! `q₂ = (1 + √(1 + 4k))/2 > 1` (calls) and `q₁ = (1 − √(1 + 4k))/2 < 0` (puts), and
//! `c(S)`, `p(S)` the Black-76 prices at futures price `S`.
//!
//! * Call: the critical futures price `S*` solves `S* − K = c(S*) + (1 − D·N(d1(S*)))·S*/q₂`;
//!   the value is `c(F) + A₂·(F/S*)^{q₂}` with `A₂ = (S*/q₂)(1 − D·N(d1(S*)))` for
//!   `F < S*`, else `F − K` (exercise now).
//! * Put: `S**` solves `K − S** = p(S**) − (1 − D·N(−d1(S**)))·S**/q₁`; the value is
//!   `p(F) + A₁·(F/S**)^{q₁}` with `A₁ = −(S**/q₁)(1 − D·N(−d1(S**)))` for `F > S**`,
//!   else `K − F`.
//!
//! The critical price is solved to machine precision (QuantLib stops its Newton
//! iteration at `|LHS − RHS|/K ≤ 1e-6`, which leaves its premiums off by up to ~1e-3
//! relative; see `tests/reference/baw_reference.py`), by Newton's method kept inside a
//! bracket that provably holds the root, falling back to bisection, so it always ends.
//!
//! With `r ≤ 0` (or `T = 0`) early exercise of a futures option is never optimal: the
//! European value `e^{−rT}·E[(F_T − K)⁺] ≥ e^{−rT}(F − K)⁺ ≥ (F − K)⁺` then, so the value
//! is Black-76's (QuantLib too prices the call as European there; it refuses the put).

use implied_vol::{DefaultSpecialFn, PriceBlackScholes, SpecialFn};

use super::black76::{Black76, Black76Inputs, DeltaConvention, PricingError};
use super::implied::{checked_discount, implied_vol, IvError, IvQuery};
use crate::contract::OptionKind;

/// `1/√(2π)`.
const FRAC_1_SQRT_2PI: f64 = 0.398_942_280_401_432_7;

/// Iteration cap of every solve here (each converges in a handful; bisection alone
/// would need ~64 steps of a double's exponent range, so the cap is never binding).
const MAX_ITERATIONS: usize = 200;

/// A Newton step this small (relative) is the last: quadratic convergence leaves an
/// error of the order of its square, below a double's resolution.
const NEWTON_DONE: f64 = 1e-9;

/// Largest total volatility `σ√T` the implied-vol search tries for its upper bracket.
const MAX_TOTAL_VOL: f64 = 20.0;

fn norm_cdf(x: f64) -> f64 {
    DefaultSpecialFn::norm_cdf(x)
}

fn norm_pdf(x: f64) -> f64 {
    FRAC_1_SQRT_2PI * (-0.5 * x * x).exp()
}

/// The fixed parameters of one BAW valuation with early exercise possible (`r > 0`, `T > 0`).
#[derive(Copy, Clone, Debug)]
struct Params {
    is_call: bool,
    /// `D = e^{−rT}`.
    discount: f64,
    /// `σ√T`.
    total_vol: f64,
    /// `q₂` (call) or `q₁` (put).
    q: f64,
    /// `∂q/∂σ`.
    dq_dvol: f64,
}

impl Params {
    /// `None` when early exercise is never optimal (`r ≤ 0`, `T = 0`, or `1 − D` is 0 in
    /// doubles) or the exponent is not representable.
    fn new(is_call: bool, time: f64, vol: f64, rate: f64, discount: f64) -> Option<Self> {
        if rate <= 0.0 || time <= 0.0 {
            return None;
        }
        let one_minus_d = -(-rate * time).exp_m1();
        if one_minus_d <= 0.0 {
            return None;
        }
        let k = 2.0 * rate / (vol * vol * one_minus_d);
        let root = (1.0 + 4.0 * k).sqrt();
        // (1 ± √(1+4k))/2 without cancellation: q₂ = 1 + 2k/(1+√(1+4k)), q₁ = −2k/(1+√(1+4k)).
        let frac = 2.0 * k / (1.0 + root);
        let q = if is_call { 1.0 + frac } else { -frac };
        // k ∝ σ⁻²: ∂q₂/∂σ = −2k/(σ√(1+4k)), ∂q₁/∂σ = +2k/(σ√(1+4k)).
        let dq = 2.0 * k / (vol * root);
        let dq_dvol = if is_call { -dq } else { dq };
        let params = Self { is_call, discount, total_vol: vol * time.sqrt(), q, dq_dvol };
        (k.is_finite() && frac > 0.0 && q.is_finite() && dq_dvol.is_finite() && params.total_vol > 0.0)
            .then_some(params)
    }

    /// `d1` at futures price `x·K` (strike scaled to 1).
    fn d1(&self, x: f64) -> f64 {
        x.ln() / self.total_vol + 0.5 * self.total_vol
    }

    /// The residual of the critical-price equation at `x = S/K` (strike 1) and its
    /// derivative in `x`. Call: `x − 1 − c(x) − (1 − D·N(d1))·x/q₂`, increasing; put:
    /// `1 − x − p(x) + (1 − D·N(−d1))·x/q₁`, decreasing. The Black price is the textbook
    /// form: at the root the option is in the money, where it does not cancel.
    fn residual(&self, x: f64) -> (f64, f64) {
        let (d, s, q) = (self.discount, self.total_vol, self.q);
        let d1 = self.d1(x);
        let density = d * norm_pdf(d1) / s;
        if self.is_call {
            let n1 = norm_cdf(d1);
            let c = d * (x * n1 - norm_cdf(d1 - s));
            let carry = 1.0 - d * n1;
            (x - 1.0 - c - carry * x / q, carry * (1.0 - 1.0 / q) + density / q)
        } else {
            let n1 = norm_cdf(-d1);
            let p = d * (norm_cdf(s - d1) - x * n1);
            let carry = 1.0 - d * n1;
            (1.0 - x - p + carry * x / q, -(1.0 - d * n1) + (carry + density) / q)
        }
    }

    /// A bracket `[lo, hi]` of `x* = S*/K` (call: residual ≤ 0 at `lo`, ≥ 0 at `hi`; put:
    /// ≥ 0 at `lo`, ≤ 0 at `hi`).
    ///
    /// Call: `c(x) ≤ D·x·N(d1)`, so the residual is ≥ `(1 − D·N(d1))(1 − 1/q₂)x − 1`
    /// ≥ `(1 − D)(1 − 1/q₂)x − 1`, which is ≥ 0 at `hi = 1/((1 − D)(1 − 1/q₂))`; at
    /// `lo = 1` it is `−c(1) − … < 0`. Put: `p(x) ≤ D`, so the residual is
    /// ≥ `(1 − D) − x(1 − 1/q₁)`, ≥ 0 at `lo = (1 − D)/(1 − 1/q₁)`; at `hi = 1` it is < 0.
    fn bracket(&self) -> Option<(f64, f64)> {
        let one_minus_d = 1.0 - self.discount;
        let (lo, hi) = if self.is_call {
            (1.0, 1.0 / (one_minus_d * (1.0 - 1.0 / self.q)))
        } else {
            (one_minus_d / (1.0 - 1.0 / self.q), 1.0)
        };
        (lo > 0.0 && hi.is_finite() && lo < hi).then_some((lo, hi))
    }

    /// The seed of Barone-Adesi & Whaley (1987) with `b = 0`, as QuantLib's engine uses
    /// it: the perpetual critical price (exponent with `k = M = 2r/σ²`) pulled towards
    /// the strike by `h = −2σ√T·K/(S∞ − K)` (call) or `−2σ√T·K/(K − S∞)` (put).
    fn seed(&self, rate: f64, vol: f64) -> f64 {
        let m = 2.0 * rate / (vol * vol);
        let root = (1.0 + 4.0 * m).sqrt();
        let s = self.total_vol;
        if self.is_call {
            let q_inf = 1.0 + 2.0 * m / (1.0 + root);
            let su = q_inf / (q_inf - 1.0);
            let h = -2.0 * s / (su - 1.0);
            1.0 + (su - 1.0) * -h.exp_m1()
        } else {
            let q_inf = -2.0 * m / (1.0 + root);
            let su = q_inf / (q_inf - 1.0);
            let h = -2.0 * s / (1.0 - su);
            su + (1.0 - su) * h.exp()
        }
    }

    /// `x* = S*/K`, from `seed` (a previous solution, or the paper's seed): Newton steps
    /// inside the bracket, bisection (geometric) whenever a step would leave it.
    fn critical(&self, seed: f64) -> Result<f64, PricingError> {
        let unrepresentable = PricingError::Unrepresentable { quantity: "critical futures price" };
        let (mut lo, mut hi) = self.bracket().ok_or(unrepresentable)?;
        let mut x = if seed > lo && seed < hi { seed } else { (lo * hi).sqrt() };
        // sign of the residual below the root: call −, put +
        let below = if self.is_call { -1.0 } else { 1.0 };
        for _ in 0..MAX_ITERATIONS {
            let (r, dr) = self.residual(x);
            if r == 0.0 || !r.is_finite() {
                break;
            }
            if r * below > 0.0 {
                lo = x;
            } else {
                hi = x;
            }
            let newton = x - r / dr;
            let in_bracket = newton > lo && newton < hi;
            let next = if in_bracket { newton } else { (lo * hi).sqrt() };
            // Newton converges quadratically: a step of 1e-9 leaves an error of ~1e-18,
            // so the step is taken and the iteration ends without another evaluation.
            let done = (in_bracket && (next - x).abs() <= NEWTON_DONE * x) || hi - lo <= 2.0 * f64::EPSILON * hi;
            x = next;
            if done {
                break;
            }
        }
        if x.is_finite() && x > 0.0 {
            Ok(x)
        } else {
            Err(unrepresentable)
        }
    }
}

/// One evaluation at futures price `f`, strike `k`: value, `∂V/∂F`, `∂V/∂σ` and `S*/K`.
#[derive(Copy, Clone, Debug)]
struct Eval {
    price: f64,
    delta: f64,
    vega: f64,
    critical: f64,
}

/// The early-exercise part: given the European value, delta and vega at `f`, the BAW
/// value, delta and vega (vega by the envelope theorem: the value-matching form of the
/// premium, `(S* − K − c(S*))·(F/S*)^q`, is stationary in `S*` at the root).
fn american(p: &Params, f: f64, k: f64, euro: (f64, f64, f64), x_star: f64, time: f64) -> Eval {
    let (price, delta, vega) = euro;
    let s_star = x_star * k;
    let exercise = if p.is_call { f >= s_star } else { f <= s_star };
    if exercise {
        let (value, delta) = if p.is_call { (f - k, 1.0) } else { (k - f, -1.0) };
        return Eval { price: value, delta, vega: 0.0, critical: x_star };
    }
    let d1 = p.d1(x_star);
    let n = if p.is_call { norm_cdf(d1) } else { norm_cdf(-d1) };
    // A₂ = (S*/q₂)(1 − D·N(d1)), A₁ = −(S**/q₁)(1 − D·N(−d1)): both > 0.
    let a = (s_star / p.q).abs() * (1.0 - p.discount * n);
    let ln_ratio = (f / s_star).ln();
    let weight = (p.q * ln_ratio).exp(); // (F/S*)^q, in (0, 1)
    let premium = a * weight;
    let vega_at_critical = p.discount * s_star * norm_pdf(d1) * time.sqrt();
    Eval {
        price: price + premium,
        delta: delta + premium * p.q / f,
        vega: vega - vega_at_critical * weight + premium * ln_ratio * p.dq_dvol,
        critical: x_star,
    }
}

/// A validated Barone-Adesi–Whaley valuation of an American option on a futures
/// contract: all checks and arithmetic happen in [`Baw::new`].
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Baw {
    european: Black76,
    price: f64,
    /// `∂V/∂F`.
    delta: f64,
    vega: f64,
    critical: Option<f64>,
}

impl Baw {
    /// Validates `inputs` exactly as [`Black76::new`] does (same errors, same order) and
    /// computes the American premium and greeks. With `r ≤ 0` or `T = 0` the value is
    /// Black-76's (no early exercise). A critical price that cannot be represented
    /// (absurd inputs) is `Unrepresentable`.
    pub fn new(inputs: Black76Inputs) -> Result<Self, PricingError> {
        let european = Black76::new(inputs)?;
        let Black76Inputs { forward: f, strike: k, time: t, vol, rate, kind } = inputs;
        let is_call = kind == OptionKind::Call;
        let euro = (european.price(), european.delta(DeltaConvention::Discounted), european.vega());
        let Some(p) = Params::new(is_call, t, vol, rate, european.discount_factor()) else {
            return Ok(Self { european, price: euro.0, delta: euro.1, vega: euro.2, critical: None });
        };
        let x_star = p.critical(p.seed(rate, vol))?;
        let e = american(&p, f, k, euro, x_star, t);
        let value = |q, v: f64| if v.is_finite() { Ok(v) } else { Err(PricingError::Unrepresentable { quantity: q }) };
        Ok(Self {
            european,
            price: value("premium", e.price)?,
            delta: value("delta", e.delta)?,
            vega: value("vega", e.vega)?,
            critical: Some(x_star * k),
        })
    }

    /// The European (Black-76) valuation of the same inputs.
    pub const fn european(&self) -> &Black76 {
        &self.european
    }

    /// American premium in price units (never below Black-76's).
    pub const fn price(&self) -> f64 {
        self.price
    }

    /// Early-exercise premium: [`Baw::price`] minus the Black-76 price.
    pub fn early_exercise_premium(&self) -> f64 {
        self.price - self.european.price()
    }

    /// Delta per 1 price unit of `F`: `Discounted` is `∂V/∂F` (analytic: the European
    /// delta plus `q·A·(F/S*)^q/F`; ±1 where exercising now is optimal), `Forward` is
    /// that times `e^{rT}`, as for Black-76 (where it is `N(d1)`).
    pub fn delta(&self, c: DeltaConvention) -> f64 {
        match c {
            DeltaConvention::Discounted => self.delta,
            DeltaConvention::Forward => self.delta / self.european.discount_factor(),
        }
    }

    /// Vega `∂V/∂σ`, price units per 1.00 of vol (0 where exercising now is optimal).
    pub const fn vega(&self) -> f64 {
        self.vega
    }

    /// The critical futures price (`S*` for a call: exercise at or above it; `S**` for a
    /// put: at or below it); `None` when early exercise is never optimal (`r ≤ 0`, `T = 0`).
    pub const fn critical_price(&self) -> Option<f64> {
        self.critical
    }
}

/// BAW value at vol `vol` for the implied-vol search, warm-starting the critical price
/// from `seed` (`S*/K` of the previous vol).
fn eval_at(q: &IvQuery, p: &Params, vol: f64, seed: Option<f64>) -> Result<Eval, PricingError> {
    let IvQuery { forward: f, strike: k, time: t, rate, .. } = *q;
    let undiscounted = PriceBlackScholes::builder()
        .forward(f)
        .strike(k)
        .volatility(vol)
        .expiry(t)
        .is_call(p.is_call)
        .build_unchecked()
        .calculate::<DefaultSpecialFn>();
    let d1 = (f / k).ln() / p.total_vol + 0.5 * p.total_vol;
    let delta = if p.is_call { norm_cdf(d1) } else { -norm_cdf(-d1) } * p.discount;
    let vega = p.discount * f * norm_pdf(d1) * t.sqrt();
    let x_star = p.critical(seed.unwrap_or_else(|| p.seed(rate, vol)))?;
    Ok(american(p, f, k, (p.discount * undiscounted, delta, vega), x_star, t))
}

/// Implied volatility under BAW of the American premium `q.price` (discounted price
/// units, as [`IvQuery`] says).
///
/// Checks, in order: as [`implied_vol()`] (finiteness, `F, K > 0`, `Expired`,
/// `NonPositivePrice`); then `BelowExerciseValue` when the price is at or below the
/// *undiscounted* intrinsic value `(±(F − K))⁺` (an American option can be exercised
/// now), `AboveAmericanMaximum` at or above `F` (call) / `K` (put). With `r ≤ 0` the model is
/// Black-76 and so is the answer.
///
/// The search: Black-76's implied vol `σ_E` of the same price is an upper bound (BAW ≥
/// Black-76 at every vol, both increasing in vol), and the value at vol 0⁺ is the
/// intrinsic value, below the price; so the root is bracketed in `(0, σ_E]` and found by
/// Newton steps with the analytic BAW vega, each kept inside the bracket (else a
/// bisection step), the critical price warm-started from the previous step's. When
/// Black-76 has no vol (an American price above its European cap `D·F`, `D·K`), the
/// upper bracket is found by doubling up to a total vol `σ√T` of 20; a price above what
/// BAW reaches there is `AboveAmericanMaximum` with that value. A time value Black-76
/// cannot resolve is `BelowExerciseValue`. At most 200 steps: it always
/// ends, and the result is finite and > 0.
pub fn baw_implied_vol(q: &IvQuery) -> Result<f64, IvError> {
    let IvQuery { forward: f, strike: k, time: t, rate, kind, price } = *q;
    let discount = checked_discount(q)?;
    let is_call = kind == OptionKind::Call;
    if Params::new(is_call, t, 1.0, rate, discount).is_none() {
        return implied_vol(q);
    }
    let (intrinsic, cap) = if is_call { ((f - k).max(0.0), f) } else { ((k - f).max(0.0), k) };
    if price <= intrinsic {
        return Err(IvError::BelowExerciseValue { intrinsic });
    }
    if price >= cap {
        return Err(IvError::AboveAmericanMaximum { bound: cap });
    }
    let params = |vol: f64| {
        Params::new(is_call, t, vol, rate, discount)
            .ok_or(IvError::InvalidInput(PricingError::Unrepresentable { quantity: "BAW exponent" }))
    };
    let mut seed = None;
    let mut at = |vol: f64| -> Result<Eval, IvError> {
        let e = eval_at(q, &params(vol)?, vol, seed)?;
        seed = Some(e.critical);
        Ok(e)
    };

    // Upper bracket: Black-76's vol of the same price, else doubling.
    let (mut hi, mut e_hi) = match implied_vol(q) {
        Ok(vol) => (vol, None),
        Err(IvError::AboveUpperBound { .. }) => {
            let max_vol = MAX_TOTAL_VOL / t.sqrt();
            let mut vol = (1.0 / t.sqrt()).min(max_vol);
            loop {
                let e = at(vol)?;
                if e.price >= price {
                    break (vol, Some(e));
                }
                if vol >= max_vol {
                    return Err(IvError::AboveAmericanMaximum { bound: e.price });
                }
                vol = (2.0 * vol).min(max_vol);
            }
        }
        Err(IvError::BelowIntrinsic { .. }) => return Err(IvError::BelowExerciseValue { intrinsic }),
        Err(e) => return Err(e),
    };
    let e = match e_hi.take() {
        Some(e) => e,
        None => at(hi)?,
    };
    let mut lo = 0.0;
    let mut vol = hi;
    let mut e = e;
    for _ in 0..MAX_ITERATIONS {
        let diff = e.price - price;
        if diff == 0.0 {
            return Ok(vol);
        }
        if diff > 0.0 {
            hi = vol;
        } else {
            lo = vol;
        }
        let newton = vol - diff / e.vega;
        let in_bracket = newton > lo && newton < hi;
        let next = if in_bracket { newton } else { 0.5 * (lo + hi) };
        if (in_bracket && (next - vol).abs() <= NEWTON_DONE * vol) || hi - lo <= 4.0 * f64::EPSILON * hi {
            vol = next;
            break;
        }
        vol = next;
        e = at(vol)?;
    }
    if vol > 0.0 && vol.is_finite() {
        Ok(vol)
    } else {
        Err(IvError::BelowExerciseValue { intrinsic })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(kind: OptionKind, strike: f64) -> Black76Inputs {
        Black76Inputs { forward: 2.5, strike, time: 0.5, vol: 0.3, rate: 0.04, kind }
    }

    #[test]
    fn premium_is_positive_and_critical_price_is_beyond_the_strike() {
        for (kind, strike) in [(OptionKind::Call, 2.0), (OptionKind::Put, 3.0)] {
            let v = Baw::new(inputs(kind, strike)).unwrap();
            assert!(v.early_exercise_premium() > 0.0, "{kind:?}");
            let s = v.critical_price().unwrap();
            assert!(if kind == OptionKind::Call { s > strike } else { s < strike }, "{kind:?} {s}");
        }
    }

    #[test]
    fn no_early_exercise_without_a_positive_rate() {
        for rate in [0.0, -0.01] {
            for kind in [OptionKind::Call, OptionKind::Put] {
                let i = Black76Inputs { rate, ..inputs(kind, 2.4) };
                let v = Baw::new(i).unwrap();
                assert_eq!(v.price(), Black76::new(i).unwrap().price());
                assert_eq!(v.critical_price(), None);
                let q = IvQuery { forward: 2.5, strike: 2.4, time: 0.5, rate, kind, price: v.price() };
                assert_eq!(baw_implied_vol(&q), implied_vol(&q));
            }
        }
    }

    #[test]
    fn deep_in_the_money_is_exercised_now() {
        let v =
            Baw::new(Black76Inputs { strike: 1.0, vol: 0.05, time: 1.0, rate: 0.1, ..inputs(OptionKind::Call, 1.0) })
                .unwrap();
        assert_eq!((v.price(), v.delta(DeltaConvention::Discounted), v.vega()), (1.5, 1.0, 0.0));
    }

    #[test]
    fn vega_matches_a_finite_difference() {
        for (kind, strike) in [(OptionKind::Call, 2.0), (OptionKind::Call, 2.8), (OptionKind::Put, 3.0)] {
            let i = inputs(kind, strike);
            let at = |vol| Baw::new(Black76Inputs { vol, ..i }).unwrap().price();
            let h = 1e-5;
            let fd = (at(i.vol + h) - at(i.vol - h)) / (2.0 * h);
            let v = Baw::new(i).unwrap().vega();
            assert!((v - fd).abs() <= 1e-7 * v.abs().max(1.0), "{kind:?} {strike}: {v} vs {fd}");
        }
    }

    #[test]
    fn implied_vol_errors() {
        let q = IvQuery { forward: 2.5, strike: 2.0, time: 0.5, rate: 0.04, kind: OptionKind::Call, price: 0.5 };
        assert_eq!(baw_implied_vol(&q), Err(IvError::BelowExerciseValue { intrinsic: 0.5 }));
        // between the discounted and the undiscounted intrinsic value: below an American's
        assert_eq!(
            baw_implied_vol(&IvQuery { price: 0.499, ..q }),
            Err(IvError::BelowExerciseValue { intrinsic: 0.5 })
        );
        assert_eq!(baw_implied_vol(&IvQuery { price: 2.5, ..q }), Err(IvError::AboveAmericanMaximum { bound: 2.5 }));
        // above Black-76's cap D·F (no Black-76 vol) but reached by BAW at a high vol
        let deep = IvQuery { strike: 1.0, time: 2.0, rate: 0.1, ..q };
        let price = 2.5 * (-0.2f64).exp() + 0.01;
        assert!(matches!(implied_vol(&IvQuery { price, ..deep }), Err(IvError::AboveUpperBound { .. })));
        let iv = baw_implied_vol(&IvQuery { price, ..deep }).unwrap();
        let i = Black76Inputs { forward: 2.5, strike: 1.0, time: 2.0, vol: iv, rate: 0.1, kind: OptionKind::Call };
        assert!((Baw::new(i).unwrap().price() - price).abs() < 1e-12, "{iv}");
        assert!(baw_implied_vol(&IvQuery { price: 2.5 - 1e-9, ..deep }).is_err());
        assert_eq!(baw_implied_vol(&IvQuery { time: 0.0, ..q }), Err(IvError::Expired));
        assert_eq!(baw_implied_vol(&IvQuery { price: 0.0, ..q }), Err(IvError::NonPositivePrice));
        assert!(matches!(baw_implied_vol(&IvQuery { price: f64::NAN, ..q }), Err(IvError::InvalidInput(_))));
    }

    #[test]
    fn implied_vol_round_trip() {
        for (kind, strike) in [(OptionKind::Call, 2.0), (OptionKind::Call, 2.8), (OptionKind::Put, 3.0)] {
            let i = inputs(kind, strike);
            let price = Baw::new(i).unwrap().price();
            let q = IvQuery { forward: i.forward, strike, time: i.time, rate: i.rate, kind, price };
            let iv = baw_implied_vol(&q).unwrap();
            assert!((iv - i.vol).abs() < 1e-12, "{kind:?} {strike}: {iv}");
        }
    }
}
