//! The cost estimate of a run's request plan, as the CLI and the web app show it: what could
//! be priced, what Databento refused to price and why, and whether the total is therefore
//! only a lower bound. A refused guess (a phase-3 stand-in, an estimated roll date) never
//! blocks the fetch.

use std::fmt;

use crate::error::ApiError;
use crate::plan::PlannedRequest;
use crate::types::MAX_SYMBOLS;

/// The plan priced with `metadata.get_cost` before anything billable is fetched.
///
/// **Which failures leave a request unpriced** instead of failing the estimate: a 4xx
/// answer to that one request ([`ApiError::BadRequest`]: 422 e.g. "None of the symbols
/// could be resolved", 400 bad parameters, 404, 409). Such a request is usually a guess
/// (a stand-in symbol, a roll date before the calendar is known), and the fetch plans its
/// own requests. Auth failures (401/402/403), rate limits, network failures, 5xx after the
/// retries and corrupt answers still fail the estimate as a whole: they would fail the
/// fetch too, so the user must fix them first.
///
/// Built by [`Estimate::new`], so `total_usd` and `lower_bound` always follow the lists.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// The requests that were priced, in plan order, each with its cost in USD.
    pub priced: Vec<Priced>,
    /// The requests Databento refused to price, in plan order, each with the reason.
    pub unpriced: Vec<Unpriced>,
    /// Sum of the priced requests, USD.
    pub total_usd: f64,
    /// Whether some request is unpriced: the fetch costs at least `total_usd`.
    pub lower_bound: bool,
}

/// A planned request and its cost.
#[derive(Debug, Clone, PartialEq)]
pub struct Priced {
    /// The request.
    pub planned: PlannedRequest,
    /// Its cost, USD (0 when it is cached).
    pub usd: f64,
    /// Its answer is kept in the cache: the fetch reads it from there, free.
    pub cached: bool,
}

/// A planned request that could not be priced.
#[derive(Debug, Clone, PartialEq)]
pub struct Unpriced {
    /// The request.
    pub planned: PlannedRequest,
    /// Why.
    pub reason: Refusal,
}

impl Unpriced {
    /// The request, described (`statistics for HOF5 (raw_symbol), 2024-11-01 to …`).
    pub fn label(&self) -> String {
        self.planned.request.describe()
    }
}

/// Why Databento would not price a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// 422 `symbology_invalid_request`: none of its symbols exists on those dates.
    SymbolNotResolved,
    /// Any other 4xx, with Databento's status and message.
    Refused {
        /// HTTP status.
        status: u16,
        /// Databento's message.
        detail: String,
    },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SymbolNotResolved => f.write_str("not priced: symbol not resolved for these dates"),
            Self::Refused { status, detail } if detail.is_empty() => {
                write!(f, "not priced: Databento refused it (HTTP {status})")
            }
            Self::Refused { status, detail } => write!(f, "not priced: Databento refused it (HTTP {status}: {detail})"),
        }
    }
}

impl Refusal {
    /// The refusal `error` is, if it only concerns its own request (see [`Estimate`]).
    pub fn of(error: &ApiError) -> Option<Self> {
        match error {
            ApiError::BadRequest { case, .. } if case.as_deref() == Some("symbology_invalid_request") => {
                Some(Self::SymbolNotResolved)
            }
            ApiError::BadRequest { status, detail, .. } => {
                Some(Self::Refused { status: *status, detail: detail.clone() })
            }
            _ => None,
        }
    }
}

impl Estimate {
    /// The estimate of `planned` requests from each one's price or refusal.
    pub fn new(outcomes: impl IntoIterator<Item = (PlannedRequest, Result<f64, Refusal>)>) -> Self {
        Self::with_cached(outcomes.into_iter().map(|(planned, outcome)| (planned, outcome, false)))
    }

    /// As [`Self::new`], each request also saying whether its answer is cached (priced 0).
    pub fn with_cached(outcomes: impl IntoIterator<Item = (PlannedRequest, Result<f64, Refusal>, bool)>) -> Self {
        let (mut priced, mut unpriced) = (Vec::new(), Vec::new());
        for (planned, outcome, cached) in outcomes {
            match outcome {
                Ok(usd) => priced.push(Priced { planned, usd, cached }),
                Err(reason) => unpriced.push(Unpriced { planned, reason }),
            }
        }
        let total_usd = priced.iter().map(|p| p.usd).sum();
        let lower_bound = !unpriced.is_empty();
        Self { priced, unpriced, total_usd, lower_bound }
    }

    /// Billable requests the fetch will make (at most: roll months without a trading day
    /// are left out once the calendar is known), priced or not: every planned request but
    /// the phase-3 stand-ins, and for those (one per roll and leg) one request per
    /// [`MAX_SYMBOLS`] held options, as the fetch asks for every leg's held options together.
    pub fn request_count(&self) -> usize {
        let stand_ins = self.stand_in_count();
        self.priced.len() + self.unpriced.len() - stand_ins + held_requests(stand_ins)
    }

    /// The requests the fetch will send for the held options: one per [`MAX_SYMBOLS`] of
    /// them, every leg's together.
    pub fn held_request_count(&self) -> usize {
        held_requests(self.stand_in_count())
    }

    /// The phase-3 stand-ins, priced or not: one per roll and leg.
    pub fn stand_in_count(&self) -> usize {
        let planned = self.priced.iter().map(|p| &p.planned).chain(self.unpriced.iter().map(|u| &u.planned));
        planned.filter(|p| p.is_stand_in()).count()
    }

    /// How many requests are read from the cache (free).
    pub fn cached_count(&self) -> usize {
        self.priced.iter().filter(|p| p.cached).count()
    }

    /// The priced part of the phase-3 stand-ins (see [`crate::plan`]): an estimate.
    pub fn stand_in_usd(&self) -> f64 {
        self.priced.iter().filter(|p| p.planned.is_stand_in()).map(|p| p.usd).sum()
    }
}

/// The requests that fetch `held` options: one per [`MAX_SYMBOLS`].
fn held_requests(held: usize) -> usize {
    held.div_ceil(MAX_SYMBOLS)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use chrono::NaiveDate;
    use deltaroll_core::spec::RunSpec;

    use super::*;
    use crate::plan::Plan;

    fn refused(status: u16, case: Option<&str>) -> ApiError {
        ApiError::BadRequest {
            what: "x".into(),
            status,
            case: case.map(str::to_owned),
            detail: "None of the symbols could be resolved".into(),
            docs: None,
            request_id: None,
        }
    }

    #[test]
    fn only_refusals_of_one_request_leave_it_unpriced() {
        assert_eq!(Refusal::of(&refused(422, Some("symbology_invalid_request"))), Some(Refusal::SymbolNotResolved));
        let other = Refusal::of(&refused(400, None)).unwrap();
        assert_eq!(
            other.to_string(),
            "not priced: Databento refused it (HTTP 400: None of the symbols could be resolved)"
        );
        let auth = ApiError::Unauthorized { detail: String::new(), request_id: None };
        assert_eq!(Refusal::of(&auth), None);
        let down =
            ApiError::Server { what: "x".into(), status: 503, detail: String::new(), attempts: 5, request_id: None };
        assert_eq!(Refusal::of(&down), None);
        assert_eq!(Refusal::of(&ApiError::RateLimited { retry_after: None, attempts: 5 }), None);
    }

    #[test]
    fn a_refused_request_makes_the_total_a_lower_bound() {
        let day = NaiveDate::from_ymd_opt(2025, 1, 2).unwrap();
        let plan = Plan::before_fetch(&RunSpec::new(day, day)).unwrap();
        let n = plan.requests.len();
        let outcomes = plan.requests.into_iter().enumerate().map(|(i, p)| {
            let outcome = if i == n - 1 { Err(Refusal::SymbolNotResolved) } else { Ok(0.25) };
            (p, outcome)
        });
        let e = Estimate::new(outcomes);
        // Three rolls (November to January), so three stand-ins, fetched in one request.
        assert_eq!(e.stand_in_count(), 3);
        assert_eq!((e.priced.len(), e.unpriced.len(), e.request_count()), (n - 1, 1, n - 3 + 1));
        assert_eq!(e.total_usd, 0.25 * (n - 1) as f64);
        assert!(e.lower_bound);
        assert!(e.unpriced[0].label().starts_with("statistics for HO"), "{}", e.unpriced[0].label());
        assert_eq!(e.unpriced[0].reason.to_string(), "not priced: symbol not resolved for these dates");
        assert!(e.stand_in_usd() > 0.0 && e.stand_in_usd() < e.total_usd);
        assert!(!Estimate::new(Vec::new()).lower_bound);
    }

    #[test]
    fn held_options_are_counted_as_the_batches_the_fetch_sends() {
        let day = NaiveDate::from_ymd_opt(2025, 1, 2).unwrap();
        let plan = Plan::before_fetch(&RunSpec::new(day, day)).unwrap();
        let (stand_ins, others): (Vec<_>, Vec<_>) = plan.requests.into_iter().partition(|p| p.is_stand_in());
        let count = |n: usize| {
            let held = std::iter::repeat_n(stand_ins[0].clone(), n);
            Estimate::new(others.iter().cloned().chain(held).map(|p| (p, Ok(0.01)))).request_count()
        };
        assert_eq!(count(0), others.len());
        assert_eq!(count(1), others.len() + 1);
        assert_eq!(count(MAX_SYMBOLS), others.len() + 1);
        assert_eq!(count(MAX_SYMBOLS + 1), others.len() + 2);
    }
}
