//! The strategy form: every field with its messages underneath.

use deltaroll_core::contract::OptionKind;
use deltaroll_core::market::PriceSource;
use deltaroll_core::pricing::DeltaConvention;
use leptos::prelude::*;

use super::FieldMessages;
use crate::app::use_ctx;
use crate::state::form::{Field, FormState, VolChoice};

/// A text input bound to one string of the form. `kind` is `text`, `date` or `decimal`
/// (a text box with the decimal keypad: what was typed stays visible, even when invalid).
#[component]
fn TextField(
    label: &'static str,
    id: &'static str,
    field: Field,
    #[prop(default = "text")] kind: &'static str,
    get: fn(&FormState) -> &String,
    set: fn(&mut FormState) -> &mut String,
) -> impl IntoView {
    let ctx = use_ctx();
    let invalid = move || ctx.problems.with(|p| p.iter().any(|e| e.field == field));
    view! {
        <label class="field" class:invalid=invalid>
            <span>{label}</span>
            <input
                id=id
                type=if kind == "date" { "date" } else { "text" }
                inputmode=(kind == "decimal").then_some("decimal")
                autocomplete="off"
                aria-invalid=move || invalid().to_string()
                prop:value=move || ctx.form.with(|f| get(f).clone())
                on:input=move |ev| ctx.form.update(|f| *set(f) = event_target_value(&ev))
            />
            <FieldMessages field=field />
        </label>
    }
}

/// The strategy's settings.
#[component]
pub fn StrategyForm() -> impl IntoView {
    let ctx = use_ctx();
    let preset = move |_| {
        ctx.form.update(|f| {
            f.futures_root = "HO".into();
            f.options_root = "OH".into();
        })
    };
    view! {
        <section class="panel" aria-labelledby="form-h">
            <h2 id="form-h">"Strategy"</h2>
            <div class="grid2">
                <TextField label="Futures root" id="fut" field=Field::Product get=|f| &f.futures_root set=|f| &mut f.futures_root />
                <TextField label="Options root" id="opt" field=Field::Product get=|f| &f.options_root set=|f| &mut f.options_root />
            </div>
            <p class="hint">
                "Preset: " <button type="button" class="link" on:click=preset>"NY Harbor ULSD (HO futures / OH options)"</button>
            </p>
            <div class="grid2">
                <TextField label="Start" id="start" kind="date" field=Field::Start get=|f| &f.start set=|f| &mut f.start />
                <TextField label="End" id="end" kind="date" field=Field::End get=|f| &f.end set=|f| &mut f.end />
            </div>
            <FieldMessages field=Field::Dates />
            <div class="grid3">
                <TextField label="Target delta" id="delta" kind="decimal" field=Field::TargetDelta get=|f| &f.target_delta set=|f| &mut f.target_delta />
                <TextField label="Band ±" id="band" kind="decimal" field=Field::Band get=|f| &f.band set=|f| &mut f.band />
                <TextField label="Months ahead" id="months" kind="decimal" field=Field::MonthsAhead get=|f| &f.months_ahead set=|f| &mut f.months_ahead />
            </div>
            <div class="grid2">
                <label class="field">
                    <span>"Options"</span>
                    <select
                        id="kind"
                        prop:value=move || ctx.form.with(|f| f.kind.as_str())
                        on:change=move |ev| {
                            let kind = if event_target_value(&ev) == "put" { OptionKind::Put } else { OptionKind::Call };
                            ctx.form.update(|f| f.kind = kind)
                        }
                    >
                        <option value="call">"Calls"</option>
                        <option value="put">"Puts"</option>
                    </select>
                </label>
                <label class="field">
                    <span>"Price source"</span>
                    <select
                        id="price"
                        prop:value=move || ctx.form.with(|f| f.price_source.as_str())
                        on:change=move |ev| {
                            let source = event_target_value(&ev).parse().unwrap_or(PriceSource::Settlement);
                            ctx.form.update(|f| f.price_source = source)
                        }
                    >
                        <option value="settlement">"Settlement"</option>
                        <option value="close">"Trade close"</option>
                    </select>
                </label>
            </div>
            <div class="grid2">
                <label class="field">
                    <span>"Vol source"</span>
                    <select
                        id="vol"
                        prop:value=move || ctx.form.with(|f| f.vol.code())
                        on:change=move |ev| {
                            let choice = VolChoice::from_code(&event_target_value(&ev));
                            ctx.form.update(|f| f.vol = choice)
                        }
                    >
                        <option value="own">"Own implied vol"</option>
                        <option value="atm">"ATM implied vol"</option>
                        <option value="hist">"Historical vol"</option>
                    </select>
                </label>
                <Show when=move || ctx.form.with(|f| f.vol == VolChoice::Historical)>
                    <TextField label="Days of history" id="hist" kind="decimal" field=Field::VolSource get=|f| &f.hist_days set=|f| &mut f.hist_days />
                </Show>
            </div>
            <Show when=move || ctx.form.with(|f| f.vol != VolChoice::Historical)>
                <FieldMessages field=Field::VolSource />
            </Show>
            <div class="grid2">
                <TextField label="Rate (0.04 = 4%)" id="rate" kind="decimal" field=Field::Rate get=|f| &f.rate set=|f| &mut f.rate />
                <label class="field">
                    <span>"Delta convention"</span>
                    <select
                        id="conv"
                        prop:value=move || ctx.form.with(|f| f.delta_convention.as_str())
                        on:change=move |ev| {
                            let conv = event_target_value(&ev).parse().unwrap_or(DeltaConvention::Discounted);
                            ctx.form.update(|f| f.delta_convention = conv)
                        }
                    >
                        <option value="discounted">"Discounted e^(−rT)·N(d1)"</option>
                        <option value="forward">"Forward N(d1)"</option>
                    </select>
                </label>
            </div>
        </section>
    }
}
