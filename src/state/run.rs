//! The run state machine: estimate (Databento only) → fetch with progress → compute → done,
//! or failed / cancelled; a shared Databento link first tries the cache (restore). Every
//! asynchronous result carries the id of the run that asked for it, so a late answer from a
//! cancelled or replaced run is ignored.

use std::collections::BTreeMap;

use deltaroll_core::spec::RunSpec;
use deltaroll_databento::{Estimate, Progress};

use super::app_error::{AppError, EstimateFirst};
use super::money::usd;

/// Identifies one estimate or run.
pub type RunId = u64;

/// The estimate in one sentence: the total (`at least` when some requests could not be
/// priced), the requests, and how much of it is estimated.
pub fn estimate_summary(e: &Estimate) -> String {
    let at_least = if e.lower_bound { "at least " } else { "" };
    let mut s = format!("Estimated cost: {at_least}{} for {} request(s)", usd(e.total_usd), e.request_count());
    if e.lower_bound {
        s.push_str(&format!(" ({} could not be priced, listed below)", e.unpriced.len()));
    }
    if e.cached_count() > 0 {
        s.push_str(&format!(", {} of them in this browser's cache and free", e.cached_count()));
    }
    let stand_ins = e.stand_in_usd();
    if stand_ins > 0.0 {
        s.push_str(&format!(
            ", of which {} is an upper estimate for the {} held options (one per roll and leg, chosen only after the chains are fetched, then fetched together)",
            usd(stand_ins),
            e.stand_in_count()
        ));
    }
    s.push('.');
    s
}

/// One line per priced request: `Phase 1: <request> — $0.12`.
pub fn priced_lines(e: &Estimate) -> Vec<String> {
    e.priced
        .iter()
        .map(|p| {
            let cost = if p.cached { "in the cache, free".to_owned() } else { usd(p.usd) };
            format!("Phase {}: {} — {cost}", p.planned.purpose.phase(), p.planned.request.describe())
        })
        .collect()
}

/// One line per request that could not be priced: `<request> — not priced: <reason>`.
pub fn unpriced_lines(e: &Estimate) -> Vec<String> {
    e.unpriced.iter().map(|u| format!("{} — {}", u.label(), u.reason)).collect()
}

/// Bytes in B / kB / MB.
pub fn bytes(n: u64) -> String {
    match n {
        0..=999 => format!("{n} B"),
        1_000..=999_999 => format!("{:.1} kB", n as f64 / 1e3),
        _ => format!("{:.1} MB", n as f64 / 1e6),
    }
}

/// Progress of a fetch, from the client's events.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProgressView {
    /// Current phase (1–3; 0 before the first).
    pub phase: u8,
    /// Requests finished in the current phase.
    pub done: usize,
    /// Requests in the current phase.
    pub total: usize,
    /// Requests finished in earlier phases.
    pub done_before: usize,
    /// Bytes received in earlier phases.
    pub bytes_before: u64,
    /// Bytes received in the current phase.
    pub bytes: u64,
    /// Requests the estimate planned (the bar's full length).
    pub planned: usize,
    /// Bodies served from the cache.
    pub cached: usize,
    /// Bodies bought (not from the cache).
    pub bought: usize,
    /// Of those, the ones kept in the cache (a later run reads them instead of buying them
    /// again); the others' ranges reach today or are not yet published in full.
    pub bought_saved: usize,
    /// What the estimate priced the bought ones at, USD.
    pub bought_usd: f64,
    /// Bought ones the estimate had not priced (the held options, planned only after the
    /// chains are known; requests Databento refused to price).
    pub bought_unpriced: usize,
    /// The estimate's price of each request, by its description.
    prices: BTreeMap<String, f64>,
    /// The latest retry notice (rate limit, server error), cleared by the next success.
    pub note: Option<String>,
}

impl ProgressView {
    /// A progress bar for the requests `estimate` planned, priced as it priced them.
    pub fn new(estimate: &Estimate) -> Self {
        let prices = estimate.priced.iter().map(|p| (p.planned.request.describe(), p.usd)).collect();
        Self { planned: estimate.request_count(), prices, ..Self::default() }
    }

    /// Apply one client event.
    pub fn apply(&mut self, event: &Progress) {
        match event {
            Progress::Phase { phase, requests } => {
                self.done_before += self.done;
                self.bytes_before += self.bytes;
                self.phase = *phase;
                self.done = 0;
                self.bytes = 0;
                self.total = *requests;
            }
            Progress::Done { label, done, total, bytes, cached, saved } => {
                self.done = *done;
                self.total = *total;
                self.bytes = *bytes;
                if *cached {
                    self.cached += 1;
                } else {
                    self.bought += 1;
                    self.bought_saved += usize::from(*saved);
                    match self.prices.get(label) {
                        Some(usd) => self.bought_usd += usd,
                        None => self.bought_unpriced += 1,
                    }
                }
                self.note = None;
            }
            Progress::Retrying { label, attempt, wait, reason } => {
                self.note = Some(format!(
                    "Attempt {attempt} for {label} failed ({reason}); retrying in {:.1} s.",
                    wait.as_secs_f64()
                ));
            }
        }
    }

    /// Requests finished in all phases.
    pub fn requests_done(&self) -> usize {
        self.done_before + self.done
    }

    /// Bytes received in all phases.
    pub fn bytes_total(&self) -> u64 {
        self.bytes_before + self.bytes
    }

    /// Requests expected in all: the estimate's, or more once the phases know better.
    pub fn expected(&self) -> usize {
        self.planned.max(self.requests_done() + self.total - self.done)
    }

    /// Fraction done in [0, 1] for the bar.
    pub fn fraction(&self) -> f64 {
        (self.requests_done() as f64 / self.expected().max(1) as f64).clamp(0.0, 1.0)
    }

    /// What a cancel of this fetch leaves: how far it got, what was already bought, and how
    /// much of that is kept in the cache (a later run reads it instead of buying it again).
    pub fn cancelled(&self) -> String {
        let head = format!("Cancelled after {} of {} requests", self.requests_done(), self.expected());
        if self.bought == 0 {
            return format!("{head}; nothing was bought.");
        }
        let cost = match (self.bought_unpriced, self.bought_usd > 0.0) {
            (0, _) => format!("{} as estimated", usd(self.bought_usd)),
            (_, true) => format!("at least {} as estimated", usd(self.bought_usd)),
            (_, false) => "not priced by the estimate".to_owned(),
        };
        let bought = self.bought;
        let kept = match self.bought_saved {
            saved if saved == bought => "are cached and will not be billed again".to_owned(),
            0 => "are not cached (their data reaches today or is not yet published in full) and would be bought again"
                .to_owned(),
            saved => format!(
                "include {saved} now cached, which will not be billed again; the other {} (data that reaches today or is not yet published in full) would be bought again",
                bought - saved
            ),
        };
        format!("{head}; the {bought} fetched ({cost}) {kept}.")
    }

    /// `Phase 2 of 3: 4 of 12 requests · 1.2 MB received (1 from cache)`.
    pub fn text(&self) -> String {
        if self.phase == 0 {
            return "Starting…".to_owned();
        }
        let mut s = format!(
            "Phase {} of 3: {} of {} requests · {} received",
            self.phase,
            self.done,
            self.total,
            bytes(self.bytes_total())
        );
        if self.cached > 0 {
            s.push_str(&format!(" ({} from cache)", self.cached));
        }
        s
    }
}

/// Where the run is.
#[derive(Debug, Clone, PartialEq)]
pub enum RunState {
    /// Nothing asked yet (or the form changed since).
    Idle,
    /// Looking in the cache (a spec it holds all of runs without an estimate), then pricing
    /// the plan (free requests).
    Estimating {
        /// This estimate.
        id: RunId,
        /// For this spec.
        spec: RunSpec,
        /// How far the cache read got (phase 0 once it found something missing).
        read: ProgressView,
    },
    /// The price is shown; a fetch of exactly this spec may start.
    Estimated {
        /// For this spec.
        spec: RunSpec,
        /// The price.
        estimate: Estimate,
    },
    /// Reading a shared link's market data from this browser's cache (no key, nothing
    /// sent).
    Restoring {
        /// This run.
        id: RunId,
        /// How far the cache read got.
        read: ProgressView,
    },
    /// The link's data is not (all) in the cache: the user fetches it with a key.
    NotCached,
    /// Fetching market data.
    Fetching {
        /// This run.
        id: RunId,
        /// For this spec.
        spec: RunSpec,
        /// How far.
        progress: ProgressView,
    },
    /// Running the strategy.
    Computing {
        /// This run.
        id: RunId,
    },
    /// Results are shown.
    Done,
    /// Something failed; the error says what to do.
    Failed {
        /// Why, for the error area.
        error: AppError,
    },
    /// The user stopped it.
    Cancelled {
        /// What was done before (and bought, for a fetch).
        note: String,
    },
}

impl RunState {
    /// The progress bar to show: a fetch's, or a cache read's once it has begun.
    pub fn progress(&self) -> Option<&ProgressView> {
        match self {
            Self::Fetching { progress, .. } => Some(progress),
            Self::Estimating { read, .. } | Self::Restoring { read, .. } if read.phase > 0 => Some(read),
            _ => None,
        }
    }

    /// Why the run failed, in the failed state.
    pub fn error(&self) -> Option<&AppError> {
        match self {
            Self::Failed { error } => Some(error),
            _ => None,
        }
    }

    /// The one-line status shown under the Run button, if this state has one.
    pub fn status_line(&self) -> Option<String> {
        match self {
            Self::Cancelled { note } => Some(note.clone()),
            _ => self.status().map(str::to_owned),
        }
    }

    /// The fixed status of this state, if it has one (see [`Self::status_line`]).
    pub fn status(&self) -> Option<&'static str> {
        match self {
            Self::Idle
            | Self::Done
            | Self::Failed { .. }
            | Self::Estimated { .. }
            | Self::Fetching { .. }
            | Self::Cancelled { .. } => None,
            Self::Estimating { .. } => Some("Looking in this browser’s cache, then pricing the request plan (free)…"),
            Self::Restoring { .. } => Some("Looking for this link’s data in this browser’s cache (nothing is sent)…"),
            Self::NotCached => Some(
                "This link’s data is not in this browser’s cache: press “Estimate cost” (with your Databento API key) to see what fetching it costs.",
            ),
            Self::Computing { .. } => Some("Computing…"),
        }
    }

    /// What the Run button reads while this state's work is under way.
    pub fn busy_label(&self) -> Option<String> {
        match self {
            Self::Estimating { .. } => Some("Estimating…".to_owned()),
            Self::Restoring { .. } => Some("Reading the cache…".to_owned()),
            Self::Fetching { progress, .. } => {
                Some(format!("Fetching… {}/{}", progress.requests_done(), progress.expected()))
            }
            Self::Computing { .. } => Some("Computing…".to_owned()),
            _ => None,
        }
    }
}

/// The state machine.
#[derive(Debug, Clone, PartialEq)]
pub struct RunMachine {
    state: RunState,
    next: RunId,
}

impl Default for RunMachine {
    fn default() -> Self {
        Self { state: RunState::Idle, next: 1 }
    }
}

impl RunMachine {
    /// A machine at `Idle`.
    pub fn new() -> Self {
        Self::default()
    }

    /// The current state.
    pub fn state(&self) -> &RunState {
        &self.state
    }

    /// Whether an estimate, fetch or computation is under way.
    pub fn is_busy(&self) -> bool {
        self.current_id().is_some()
    }

    /// The id of the work under way.
    pub fn current_id(&self) -> Option<RunId> {
        match &self.state {
            RunState::Estimating { id, .. }
            | RunState::Restoring { id, .. }
            | RunState::Fetching { id, .. }
            | RunState::Computing { id } => Some(*id),
            _ => None,
        }
    }

    fn take_id(&mut self) -> RunId {
        let id = self.next;
        self.next += 1;
        id
    }

    /// Move to the state `state` makes for a new id; `None` while busy.
    fn start(&mut self, state: impl FnOnce(RunId) -> RunState) -> Option<RunId> {
        if self.is_busy() {
            return None;
        }
        let id = self.take_id();
        self.state = state(id);
        Some(id)
    }

    /// Start pricing `spec`; `None` while busy.
    pub fn start_estimate(&mut self, spec: RunSpec) -> Option<RunId> {
        self.start(|id| RunState::Estimating { id, spec, read: ProgressView::default() })
    }

    /// The estimate for run `id` arrived.
    pub fn estimated(&mut self, id: RunId, estimate: Estimate) -> bool {
        match &self.state {
            RunState::Estimating { id: current, spec, .. } if *current == id => {
                self.state = RunState::Estimated { spec: spec.clone(), estimate };
                true
            }
            _ => false,
        }
    }

    /// The estimate shown for `spec`, if it is the one on screen.
    pub fn estimate_for(&self, spec: &RunSpec) -> Option<&Estimate> {
        match &self.state {
            RunState::Estimated { spec: s, estimate } if s == spec => Some(estimate),
            _ => None,
        }
    }

    /// Start fetching `spec`: only after its estimate was shown (nothing billable before).
    pub fn start_fetch(&mut self, spec: &RunSpec) -> Result<RunId, EstimateFirst> {
        let progress = match &self.state {
            RunState::Estimated { spec: s, estimate } if s == spec => ProgressView::new(estimate),
            RunState::Estimated { .. } => return Err(EstimateFirst::Changed),
            _ if self.is_busy() => return Err(EstimateFirst::Busy),
            _ => return Err(EstimateFirst::Missing),
        };
        let id = self.take_id();
        self.state = RunState::Fetching { id, spec: spec.clone(), progress };
        Ok(id)
    }

    /// A progress event of run `id`: its fetch's, or its cache read's.
    pub fn progress(&mut self, id: RunId, event: &Progress) -> bool {
        match &mut self.state {
            RunState::Fetching { id: current, progress, .. }
            | RunState::Estimating { id: current, read: progress, .. }
            | RunState::Restoring { id: current, read: progress }
                if *current == id =>
            {
                progress.apply(event);
                true
            }
            _ => false,
        }
    }

    /// The estimate `id` found something missing from the cache and prices the plan now:
    /// its cache read's progress is no longer shown.
    pub fn read_missed(&mut self, id: RunId) -> bool {
        match &mut self.state {
            RunState::Estimating { id: current, read, .. } if *current == id => {
                *read = ProgressView::default();
                true
            }
            _ => false,
        }
    }

    /// Start a computation with no fetch (demo, files); `None` while busy.
    pub fn start_compute(&mut self) -> Option<RunId> {
        self.start(|id| RunState::Computing { id })
    }

    /// Start reading a shared link's data from the cache; `None` while busy.
    pub fn start_restore(&mut self) -> Option<RunId> {
        self.start(|id| RunState::Restoring { id, read: ProgressView::default() })
    }

    /// Restore `id` found part of its data missing from the cache.
    pub fn not_cached(&mut self, id: RunId) -> bool {
        if matches!(self.state, RunState::Restoring { id: current, .. } if current == id) {
            self.state = RunState::NotCached;
            true
        } else {
            false
        }
    }

    /// The fetch (or restore) of run `id` finished — or its estimate found everything in
    /// the cache, so there is nothing to buy and nothing to confirm; the strategy runs now.
    pub fn fetched(&mut self, id: RunId) -> bool {
        if matches!(&self.state, RunState::Fetching { id: current, .. } | RunState::Restoring { id: current, .. } | RunState::Estimating { id: current, .. } if *current == id)
        {
            self.state = RunState::Computing { id };
            true
        } else {
            false
        }
    }

    /// Run `id` produced its report.
    pub fn finish(&mut self, id: RunId) -> bool {
        if self.current_id() == Some(id) {
            self.state = RunState::Done;
            true
        } else {
            false
        }
    }

    /// Run `id` failed with `error`.
    pub fn fail(&mut self, id: RunId, error: AppError) -> bool {
        if self.current_id() == Some(id) {
            self.state = RunState::Failed { error };
            true
        } else {
            false
        }
    }

    /// Stop the work under way, saying what it had done; returns its id (to abort it),
    /// `None` if idle.
    pub fn cancel(&mut self) -> Option<RunId> {
        let id = self.current_id()?;
        let note = match &self.state {
            RunState::Fetching { progress, .. } => progress.cancelled(),
            RunState::Estimating { .. } => "Cancelled; nothing billable was fetched (estimates are free).".to_owned(),
            _ => "Cancelled.".to_owned(),
        };
        self.state = RunState::Cancelled { note };
        Some(id)
    }

    /// The form changed: a shown estimate or message no longer applies (work under way
    /// goes on).
    pub fn form_changed(&mut self) {
        if matches!(
            self.state,
            RunState::Estimated { .. } | RunState::Failed { .. } | RunState::Cancelled { .. } | RunState::NotCached
        ) {
            self.state = RunState::Idle;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use deltaroll_databento::plan::Plan;
    use deltaroll_databento::Refusal;

    use super::*;
    use crate::engine::FilesError;
    use crate::state::form::default_spec;

    /// An estimate of `spec`'s plan: every request at $0.05, the last `refused` of them
    /// refused as Databento refuses an unresolvable stand-in.
    fn estimate(spec: &RunSpec, refused: usize) -> Estimate {
        let requests = Plan::before_fetch(spec).unwrap().requests;
        let n = requests.len();
        Estimate::new(requests.into_iter().enumerate().map(|(i, planned)| {
            let outcome = if i + refused >= n { Err(Refusal::SymbolNotResolved) } else { Ok(0.05) };
            (planned, outcome)
        }))
    }

    #[test]
    fn cached_requests_are_shown_free() {
        let spec = default_spec();
        let requests = Plan::before_fetch(&spec).unwrap().requests;
        let e = Estimate::with_cached(requests.into_iter().enumerate().map(|(i, planned)| {
            let cached = i < 3;
            (planned, Ok(if cached { 0.0 } else { 0.05 }), cached)
        }));
        assert_eq!(e.cached_count(), 3);
        let summary = estimate_summary(&e);
        assert!(summary.contains("3 of them in this browser's cache and free"), "{summary}");
        let lines = priced_lines(&e);
        assert!(lines[0].ends_with("— in the cache, free"), "{}", lines[0]);
        assert!(lines[3].ends_with("— $0.05"), "{}", lines[3]);
    }

    #[test]
    fn a_databento_run_shows_the_cost_before_fetching() {
        let spec = default_spec();
        let mut m = RunMachine::new();
        assert_eq!(m.start_fetch(&spec), Err(EstimateFirst::Missing));
        let e = m.start_estimate(spec.clone()).unwrap();
        assert!(m.is_busy());
        assert_eq!(m.start_estimate(spec.clone()), None, "one at a time");
        assert!(m.estimated(e, estimate(&spec, 0)));
        assert_eq!(
            m.estimate_for(&spec).map(Estimate::request_count),
            Some(31),
            "2 + 14 rolls × 2 + the 14 rolls' held options in one request"
        );
        let mut other = spec.clone();
        other.target_delta = 0.2;
        assert!(m.estimate_for(&other).is_none());
        assert_eq!(m.start_fetch(&other), Err(EstimateFirst::Changed));
        let run = m.start_fetch(&spec).unwrap();
        assert!(m.progress(run, &Progress::Phase { phase: 1, requests: 2 }));
        assert!(m.fetched(run));
        assert!(m.finish(run));
        assert_eq!(m.state(), &RunState::Done);
    }

    #[test]
    fn a_shared_link_is_restored_from_the_cache_or_says_it_is_not_there() {
        let mut m = RunMachine::new();
        let r = m.start_restore().unwrap();
        assert!(m.is_busy());
        assert_eq!(m.start_estimate(default_spec()), None, "one at a time");
        assert!(m.fetched(r));
        assert!(m.finish(r));
        assert_eq!(m.state(), &RunState::Done);

        let r = m.start_restore().unwrap();
        assert!(!m.not_cached(r + 1));
        assert!(m.not_cached(r));
        assert_eq!(m.state(), &RunState::NotCached);
        assert!(!m.fetched(r), "a missing cache ends the restore");
        m.form_changed();
        assert_eq!(m.state(), &RunState::Idle);
        let r = m.start_restore().unwrap();
        assert_eq!(m.cancel(), Some(r));
        assert!(!m.not_cached(r));
    }

    #[test]
    fn late_answers_of_cancelled_runs_are_ignored() {
        let mut m = RunMachine::new();
        let e = m.start_estimate(default_spec()).unwrap();
        assert_eq!(m.cancel(), Some(e));
        assert!(matches!(m.state(), RunState::Cancelled { .. }));
        assert!(!m.estimated(e, estimate(&default_spec(), 0)));
        assert!(!m.fail(e, AppError::Clock));
        let c = m.start_compute().unwrap();
        assert_ne!(c, e);
        assert!(!m.finish(e));
        let no_prices = AppError::Files(FilesError::Exports(deltaroll_databento::files::ExportsError::NoFiles));
        assert!(m.fail(c, no_prices.clone()));
        assert_eq!(m.state(), &RunState::Failed { error: no_prices });
        assert_eq!(
            m.state().error(),
            Some(&AppError::Files(FilesError::Exports(deltaroll_databento::files::ExportsError::NoFiles)))
        );
        assert_eq!(m.cancel(), None);
        m.form_changed();
        assert_eq!(m.state(), &RunState::Idle);
    }

    #[test]
    fn progress_counts_requests_and_bytes_across_phases() {
        let e = estimate_of(6);
        let label = |i: usize| e.priced[i].planned.request.describe();
        let mut p = ProgressView::new(&e);
        assert_eq!(p.text(), "Starting…");
        p.apply(&Progress::Phase { phase: 1, requests: 2 });
        p.apply(&Progress::Done { label: label(0), done: 1, total: 2, bytes: 1500, cached: false, saved: true });
        p.apply(&Progress::Retrying {
            label: label(1),
            attempt: 1,
            wait: Duration::from_millis(1500),
            reason: "HTTP 429".into(),
        });
        assert!(p.note.as_deref().unwrap().contains("retrying in 1.5 s"));
        p.apply(&Progress::Done { label: label(1), done: 2, total: 2, bytes: 3000, cached: true, saved: true });
        assert_eq!(p.note, None);
        p.apply(&Progress::Phase { phase: 2, requests: 4 });
        p.apply(&Progress::Done { label: label(2), done: 1, total: 4, bytes: 2_000_000, cached: false, saved: false });
        assert_eq!(p.requests_done(), 3);
        assert_eq!(p.bytes_total(), 2_003_000);
        assert!((p.fraction() - 0.5).abs() < 1e-12);
        assert_eq!(p.text(), "Phase 2 of 3: 1 of 4 requests · 2.0 MB received (1 from cache)");
        assert_eq!((p.bought, p.bought_unpriced), (2, 0));
        assert!((p.bought_usd - 0.10).abs() < 1e-12, "{}", p.bought_usd);
        // One bought body was kept, the other (its range reaching today) was not.
        assert_eq!(p.bought_saved, 1);
        assert_eq!(
            p.cancelled(),
            "Cancelled after 3 of 6 requests; the 2 fetched ($0.10 as estimated) include 1 now cached, which will not be billed again; the other 1 (data that reaches today or is not yet published in full) would be bought again."
        );
    }

    /// The first `n` requests of the default plan, each priced at $0.05.
    fn estimate_of(n: usize) -> Estimate {
        let requests = Plan::before_fetch(&default_spec()).unwrap().requests;
        Estimate::new(requests.into_iter().take(n).map(|planned| (planned, Ok(0.05))))
    }

    #[test]
    fn the_busy_button_says_what_runs_and_a_cancel_says_what_was_bought() {
        let spec = default_spec();
        let mut m = RunMachine::new();
        let e = m.start_estimate(spec.clone()).unwrap();
        assert_eq!(m.state().busy_label().as_deref(), Some("Estimating…"));
        m.cancel();
        assert_eq!(
            m.state().status_line().as_deref(),
            Some("Cancelled; nothing billable was fetched (estimates are free).")
        );
        assert!(!m.estimated(e, estimate(&spec, 0)));

        let e = m.start_estimate(spec.clone()).unwrap();
        let priced = estimate(&spec, 0);
        let label = |i: usize| priced.priced[i].planned.request.describe();
        assert!(m.estimated(e, priced.clone()));
        assert_eq!(m.state().busy_label(), None, "an estimate waits for the user");
        let run = m.start_fetch(&spec).unwrap();
        assert_eq!(m.state().busy_label().as_deref(), Some("Fetching… 0/31"));
        m.progress(run, &Progress::Phase { phase: 1, requests: 2 });
        m.progress(run, &Progress::Done { label: label(0), done: 1, total: 2, bytes: 10, cached: false, saved: true });
        m.progress(run, &Progress::Done { label: label(1), done: 2, total: 2, bytes: 20, cached: true, saved: true });
        m.progress(run, &Progress::Phase { phase: 2, requests: 2 });
        m.progress(run, &Progress::Done { label: label(2), done: 1, total: 2, bytes: 10, cached: false, saved: true });
        assert_eq!(m.state().busy_label().as_deref(), Some("Fetching… 3/31"));
        assert_eq!(m.cancel(), Some(run));
        assert_eq!(
            m.state().status_line().as_deref(),
            Some("Cancelled after 3 of 31 requests; the 2 fetched ($0.10 as estimated) are cached and will not be billed again.")
        );

        // The held options are planned only after the chains: not in the estimate.
        let e = m.start_estimate(spec.clone()).unwrap();
        assert!(m.estimated(e, priced));
        let run = m.start_fetch(&spec).unwrap();
        m.progress(run, &Progress::Phase { phase: 3, requests: 1 });
        m.progress(
            run,
            &Progress::Done {
                label: "ohlcv-1d for OHH5 C250".into(),
                done: 1,
                total: 1,
                bytes: 1,
                cached: false,
                saved: false,
            },
        );
        m.cancel();
        let note = m.state().status_line().unwrap();
        assert!(note.contains("the 1 fetched (not priced by the estimate) are not cached"), "{note}");
        assert!(note.ends_with("would be bought again."), "{note}");

        let c = m.start_compute().unwrap();
        assert_eq!(m.state().busy_label().as_deref(), Some("Computing…"));
        assert_eq!(m.cancel(), Some(c));
        assert_eq!(m.state().status_line().as_deref(), Some("Cancelled."));
        let run = m.start_fetch(&spec);
        assert_eq!(run, Err(EstimateFirst::Missing));
        let r = m.start_restore().unwrap();
        assert_eq!(m.state().busy_label().as_deref(), Some("Reading the cache…"));
        m.cancel();
        let e = m.start_estimate(spec.clone()).unwrap();
        assert_ne!(e, r);
    }

    #[test]
    fn an_estimate_that_finds_everything_cached_goes_straight_to_the_run() {
        let spec = default_spec();
        let mut m = RunMachine::new();
        let e = m.start_estimate(spec.clone()).unwrap();
        assert!(!m.fetched(e + 1), "another run's answer");
        assert!(m.fetched(e));
        assert_eq!(m.state(), &RunState::Computing { id: e });
        assert!(m.finish(e));
    }

    #[test]
    fn a_cache_read_shows_its_progress_until_something_is_missing() {
        let mut m = RunMachine::new();
        let e = m.start_estimate(default_spec()).unwrap();
        assert_eq!(m.state().progress(), None, "no bar before the read begins");
        let phase = Progress::Phase { phase: 1, requests: 2 };
        let done = Progress::Done { label: "bars".into(), done: 1, total: 2, bytes: 900, cached: true, saved: true };
        assert!(!m.progress(e + 1, &phase), "another run's progress");
        assert!(m.progress(e, &phase) && m.progress(e, &done));
        let read = m.state().progress().unwrap();
        assert!((read.fraction() - 0.5).abs() < 1e-12);
        assert_eq!(read.text(), "Phase 1 of 3: 1 of 2 requests · 900 B received (1 from cache)");
        assert!(!m.read_missed(e + 1));
        assert!(m.read_missed(e));
        assert_eq!(m.state().progress(), None, "the plan is priced now, without a bar");
        assert!(m.estimated(e, estimate(&default_spec(), 0)));
        assert!(!m.read_missed(e), "only while estimating");

        let r = m.start_restore().unwrap();
        assert!(m.progress(r, &phase));
        assert_eq!(m.state().progress().map(|p| p.phase), Some(1));
        assert!(m.fetched(r));
        assert_eq!(m.state().progress(), None);
    }

    #[test]
    fn costs_and_sizes_read_well() {
        assert_eq!(bytes(999), "999 B");
        assert_eq!(bytes(1_500), "1.5 kB");
        let summary = estimate_summary(&estimate(&default_spec(), 0));
        assert!(
            summary.starts_with(
                "Estimated cost: $2.20 for 31 request(s), of which $0.70 is an upper estimate for the 14 held options"
            ),
            "{summary}"
        );
    }

    /// Issue 9: a request Databento would not price (the `HOF5` stand-in of a run from
    /// 2025-01-02) is listed with its reason, the total is "at least", and the fetch can
    /// still start.
    #[test]
    fn a_lower_bound_estimate_lists_the_gaps_and_still_lets_the_fetch_start() {
        let spec = default_spec();
        let mut m = RunMachine::new();
        let id = m.start_estimate(spec.clone()).unwrap();
        assert!(m.estimated(id, estimate(&spec, 1)));
        let shown = m.estimate_for(&spec).unwrap();
        let summary = estimate_summary(shown);
        assert!(
            summary
                .starts_with("Estimated cost: at least $2.15 for 31 request(s) (1 could not be priced, listed below)"),
            "{summary}"
        );
        assert_eq!(priced_lines(shown).len(), 43);
        let gaps = unpriced_lines(shown);
        assert_eq!(gaps.len(), 1);
        assert!(gaps[0].starts_with("statistics for HO"), "{}", gaps[0]);
        assert!(gaps[0].ends_with(" — not priced: symbol not resolved for these dates"), "{}", gaps[0]);
        let run = m.start_fetch(&spec).unwrap();
        let RunState::Fetching { id, progress, .. } = m.state() else { panic!("{:?}", m.state()) };
        assert_eq!((*id, progress.planned), (run, 31), "the bar counts the unpriced stand-in's batch too");
    }
}
