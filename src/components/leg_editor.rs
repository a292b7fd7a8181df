//! The leg editor: the position's legs as rows (side, type, target delta, months ahead,
//! contracts), a button to add one (up to eight) and one to remove each, and presets. It
//! edits the `legs` setting's text through [`crate::state::legs`].

use deltaroll_core::contract::OptionKind;
use deltaroll_core::legs::MAX_LEGS;
use deltaroll_core::position::Side;
use deltaroll_core::settings::{Choice, Setting};
use leptos::prelude::*;

use super::FieldMessages;
use crate::context::use_form;
use crate::state::form::Field;
use crate::state::legs::{self, LegField, PRESETS};

/// The legs of the position, with presets.
#[component]
pub fn LegEditor(setting: &'static Setting) -> impl IntoView {
    let ctx = use_form();
    let field = Field::Setting(setting.key);
    let count = Memo::new(move |_| ctx.form.with(|f| legs::rows(f).len()));
    let invalid = move || ctx.problems.with(|p| p.iter().any(|e| e.field == field));
    let full = move || count.get() >= MAX_LEGS;
    let presets = PRESETS
        .iter()
        .map(|p| {
            view! {
                <button type="button" class="preset" id=p.id on:click=move |_| ctx.form.update(|f| legs::apply(f, p))>
                    {p.label}
                </button>
            }
        })
        .collect_view();
    view! {
        <fieldset class="legs" class:invalid=invalid title=setting.help>
            <legend>{setting.label}</legend>
            <div class="presets" role="group" aria-label="Preset positions">{presets}</div>
            <table class="legs-table">
                <thead>
                    <tr>
                        <th scope="col">"Leg"</th>
                        <th scope="col">"Side"</th>
                        <th scope="col">"Type"</th>
                        <th scope="col">"Delta"</th>
                        <th scope="col">"Months ahead"</th>
                        <th scope="col">"Contracts"</th>
                        <th scope="col"></th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || 0..count.get() key=|i| *i children=move |i| view! { <LegRow index=i count=count /> } />
                </tbody>
            </table>
            <button
                type="button"
                id="leg-add"
                disabled=full
                on:click=move |_| ctx.form.update(legs::add)
            >
                "Add leg"
            </button>
            <FieldMessages field=field />
        </fieldset>
    }
}

/// One leg's controls; `count` legs in all (the last one cannot be removed).
#[component]
fn LegRow(index: usize, count: Memo<usize>) -> impl IntoView {
    let ctx = use_form();
    let value =
        move |field| ctx.form.with(|f| legs::rows(f).get(index).map(|r| r.get(field).to_owned()).unwrap_or_default());
    let set = move |field, text: String| ctx.form.update(|f| legs::set_field(f, index, field, &text));
    let id = move |name: &str| format!("leg-{}-{name}", index + 1);
    let last = move || count.get() < 2;
    let select = move |field: LegField, name: &str, label: &'static str, choices: Vec<Choice>| {
        let options = choices.into_iter().map(|c| view! { <option value=c.code>{c.label}</option> }).collect_view();
        view! {
            <td>
                <select
                    id=id(name)
                    aria-label=label
                    prop:value=move || value(field)
                    on:change=move |ev| set(field, event_target_value(&ev))
                >
                    {options}
                </select>
            </td>
        }
    };
    let text = move |field: LegField, name: &str, label: &'static str| {
        view! {
            <td>
                <input
                    id=id(name)
                    type="text"
                    inputmode="decimal"
                    autocomplete="off"
                    size="5"
                    aria-label=label
                    prop:value=move || value(field)
                    on:input=move |ev| set(field, event_target_value(&ev))
                />
            </td>
        }
    };
    view! {
        <tr>
            <th scope="row">{index + 1}</th>
            {select(LegField::Side, "side", "Side", Choice::of::<Side>())}
            {select(LegField::Kind, "kind", "Type", Choice::of::<OptionKind>())}
            {text(LegField::Delta, "delta", "Target delta")}
            {text(LegField::MonthsAhead, "k", "Months ahead")}
            {text(LegField::Quantity, "qty", "Contracts")}
            <td>
                <button
                    type="button"
                    id=id("remove")
                    aria-label=format!("Remove leg {}", index + 1)
                    disabled=last
                    on:click=move |_| ctx.form.update(|f| legs::remove(f, index))
                >
                    "×"
                </button>
            </td>
        </tr>
    }
}
