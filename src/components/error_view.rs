//! The one place an [`AppError`] is shown: the run's failure, else the page's notice, with
//! the hint its kind calls for.

use leptos::prelude::*;

use crate::context::{use_page, use_run};
use crate::state::app_error::AppError;

/// The error area (hidden when there is nothing to say).
#[component]
pub fn ErrorView() -> impl IntoView {
    let (run, page) = (use_run(), use_page());
    let error: Memo<Option<AppError>> =
        Memo::new(move |_| run.machine.with(|m| m.state().error().cloned()).or_else(|| page.notice.get()));
    view! {
        <div id="error" class="error" role="alert" aria-live="assertive" class:hidden=move || error.with(Option::is_none)>
            {move || {
                error
                    .get()
                    .map(|e| {
                        view! {
                            <p>{e.message()}</p>
                            {e.hint().map(|hint| view! { <p class="hint">{hint.text()}</p> })}
                        }
                    })
            }}
        </div>
    }
}
