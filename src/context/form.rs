//! The strategy form's context: the form as typed, every problem that stops a run, and the
//! spec to run.

use deltaroll_core::spec::RunSpec;
use leptos::prelude::*;

use super::source::SourceCtx;
use crate::state::form::{FieldError, FormState};
use crate::state::source::{all_problems, run_gate, SourceInputs};

/// The form and what it allows.
#[derive(Clone, Copy)]
pub struct FormCtx {
    /// The strategy form as typed.
    pub form: RwSignal<FormState>,
    /// Every problem that stops a run, per field (the source's included).
    pub problems: Memo<Vec<FieldError>>,
    /// The spec to run, or why Run is disabled.
    pub gate: Memo<Result<RunSpec, String>>,
}

impl FormCtx {
    /// The form `form`, judged with what `source` has.
    pub(crate) fn new(form: FormState, source: SourceCtx) -> Self {
        let form = RwSignal::new(form);
        let problems = Memo::new(move |_| {
            let (key, gateway) = (source.key.get(), source.gateway.get());
            let inputs = SourceInputs { key: &key, gateway: &gateway, files: source.files.with(|f| f.len()) };
            all_problems(&form.get(), source.source.get(), inputs)
        });
        let gate = Memo::new(move |_| problems.with(|p| run_gate(&form.get(), p)));
        Self { form, problems, gate }
    }
}

/// The form's context.
pub fn use_form() -> FormCtx {
    expect_context::<FormCtx>()
}
