//! The strategy form: every field with its messages underneath.

use deltaroll_core::contract::OptionKind;
use deltaroll_core::market::PriceSource;
use deltaroll_core::pricing::DeltaConvention;
use leptos::prelude::*;

use super::FieldMessages;
use crate::context::use_form;
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
    let ctx = use_form();
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

/// A drop-down bound to one setting of the form: `get` gives the selected option's value,
/// `set` stores a chosen one; the children are the `<option>`s.
#[component]
fn SelectField(
    label: &'static str,
    id: &'static str,
    get: fn(&FormState) -> &'static str,
    set: fn(&mut FormState, &str),
    children: Children,
) -> impl IntoView {
    let ctx = use_form();
    view! {
        <label class="field">
            <span>{label}</span>
            <select
                id=id
                prop:value=move || ctx.form.with(get)
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    ctx.form.update(|f| set(f, &value))
                }
            >
                {children()}
            </select>
        </label>
    }
}

/// The strategy's settings.
#[component]
pub fn StrategyForm() -> impl IntoView {
    let ctx = use_form();
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
                <SelectField
                    label="Options"
                    id="kind"
                    get=|f| f.kind.as_str()
                    set=|f, v| f.kind = if v == "put" { OptionKind::Put } else { OptionKind::Call }
                >
                    <option value="call">"Calls"</option>
                    <option value="put">"Puts"</option>
                </SelectField>
                <SelectField
                    label="Price source"
                    id="price"
                    get=|f| f.price_source.as_str()
                    set=|f, v| f.price_source = v.parse().unwrap_or(PriceSource::Settlement)
                >
                    <option value="settlement">"Settlement"</option>
                    <option value="close">"Trade close"</option>
                </SelectField>
            </div>
            <div class="grid2">
                <SelectField label="Vol source" id="vol" get=|f| f.vol.code() set=|f, v| f.vol = VolChoice::from_code(v)>
                    <option value="own">"Own implied vol"</option>
                    <option value="atm">"ATM implied vol"</option>
                    <option value="hist">"Historical vol"</option>
                </SelectField>
                <Show when=move || ctx.form.with(|f| f.vol == VolChoice::Historical)>
                    <TextField label="Days of history" id="hist" kind="decimal" field=Field::VolSource get=|f| &f.hist_days set=|f| &mut f.hist_days />
                </Show>
            </div>
            <Show when=move || ctx.form.with(|f| f.vol != VolChoice::Historical)>
                <FieldMessages field=Field::VolSource />
            </Show>
            <div class="grid2">
                <TextField label="Rate (0.04 = 4%)" id="rate" kind="decimal" field=Field::Rate get=|f| &f.rate set=|f| &mut f.rate />
                <SelectField
                    label="Delta convention"
                    id="conv"
                    get=|f| f.delta_convention.as_str()
                    set=|f, v| f.delta_convention = v.parse().unwrap_or(DeltaConvention::Discounted)
                >
                    <option value="discounted">"Discounted e^(−rT)·N(d1)"</option>
                    <option value="forward">"Forward N(d1)"</option>
                </SelectField>
            </div>
            <div class="grid2">
                <SelectField
                    label="Wide CSV dates"
                    id="dates"
                    get=|f| f.wide.dates.as_str()
                    set=|f, v| f.wide.dates = v.parse().unwrap_or_default()
                >
                    <option value="us">"M/D/YY (client format)"</option>
                    <option value="iso">"YYYY-MM-DD"</option>
                </SelectField>
                <SelectField
                    label="Wide CSV option values"
                    id="unit"
                    get=|f| f.wide.option_unit.as_str()
                    set=|f, v| f.wide.option_unit = v.parse().unwrap_or_default()
                >
                    <option value="cents">"Cents (client format)"</option>
                    <option value="quote">"Dollars, as quoted"</option>
                </SelectField>
            </div>
        </section>
    }
}
