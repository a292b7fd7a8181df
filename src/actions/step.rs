//! The one way an asynchronous step of a run goes (estimate, fetch, restore, compute): it
//! belongs to a run id the state machine gave out, Cancel can stop it, its progress goes
//! to that run, and its typed error fails that run (an answer for a run that was cancelled
//! or replaced is ignored by the machine).

use std::future::Future;

use deltaroll_databento::Progress;
use futures::future::{AbortHandle, Abortable};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::context::RunCtx;
use crate::state::app_error::AppError;
use crate::state::run::RunId;

/// Run `work` as the step of run `id` (already started in the machine): Cancel aborts it
/// and drops its result; an error — of making the work, or of the work — fails the run;
/// the value goes to `done`.
pub fn spawn_step<T, F>(run: RunCtx, id: RunId, work: Result<F, AppError>, done: impl FnOnce(T) + 'static)
where
    T: 'static,
    F: Future<Output = Result<T, AppError>> + 'static,
{
    let work = match work {
        Ok(work) => work,
        Err(error) => return fail(run, id, error),
    };
    let (handle, registration) = AbortHandle::new_pair();
    run.abort.set_value(Some(handle));
    spawn_local(async move {
        match Abortable::new(work, registration).await {
            Ok(Ok(value)) => done(value),
            Ok(Err(error)) => fail(run, id, error),
            Err(_aborted) => {}
        }
    });
}

/// Where the client's progress events of run `id` go.
pub fn progress(run: RunCtx, id: RunId) -> impl Fn(Progress) + Copy + 'static {
    move |event: Progress| {
        run.machine.update(|m| {
            m.progress(id, &event);
        })
    }
}

/// Fail run `id` with `error` (nothing if it is no longer the run under way).
pub fn fail(run: RunCtx, id: RunId, error: AppError) {
    run.machine.update(|m| {
        m.fail(id, error);
    });
}

/// Stop the step under way (Cancel).
pub fn abort(run: RunCtx) {
    if let Some(handle) = run.abort.try_update_value(Option::take).flatten() {
        handle.abort();
    }
}

/// Let the browser paint (the "Computing…" state) before a long synchronous step.
pub async fn next_frame() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}
