//! The strategy form: one field per setting of the core's table, grouped as the table
//! groups them, each with its messages underneath.

use deltaroll_core::settings::{Group, Input, Setting, SETTINGS};
use leptos::prelude::*;

use super::help_tip::HelpTip;
use super::leg_editor::LegEditor;
use super::FieldMessages;
use crate::context::use_form;
use crate::state::form::Field;

/// The groups, in the order the form shows them.
const GROUPS: [Group; 4] = [Group::Product, Group::Dates, Group::Strategy, Group::WideCsv];

/// The strategy's settings.
#[component]
pub fn StrategyForm() -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="form-h">
            <h2 id="form-h">"Strategy"</h2>
            {GROUPS.map(|group| view! { <SettingGroup group=group /> }).collect_view()}
        </section>
    }
}

/// The fields of one group, then what belongs under the group as a whole.
#[component]
fn SettingGroup(group: Group) -> impl IntoView {
    let fields = SETTINGS
        .iter()
        .filter(|s| s.group == group)
        .map(|setting| view! { <SettingField setting=setting /> })
        .collect_view();
    let after = match group {
        Group::Dates => Some(view! { <FieldMessages field=Field::Dates /> }.into_any()),
        Group::Product | Group::Strategy | Group::WideCsv => None,
    };
    view! {
        <div class="fields" role="group" aria-label=group.title()>{fields}</div>
        {after}
    }
}

/// The control a setting's input calls for, with its help.
#[component]
fn SettingField(setting: &'static Setting) -> impl IntoView {
    let control = match setting.input {
        Input::Choice(_) => view! { <ChoiceField setting=setting /> }.into_any(),
        Input::Date => view! { <TextField setting=setting kind="date" /> }.into_any(),
        Input::Number => view! { <TextField setting=setting kind="decimal" /> }.into_any(),
        Input::Text => view! { <TextField setting=setting kind="text" /> }.into_any(),
        Input::List(_) => view! { <LegEditor setting=setting /> }.into_any(),
    };
    // The leg editor is a table: it spans the group's grid.
    let wide = matches!(setting.input, Input::List(_));
    view! {
        <div class="setting" class:wide=wide>
            {control}
            <HelpTip id=help_id(setting) about=setting.label text=setting.help />
        </div>
    }
}

/// The id of a setting's help text.
fn help_id(setting: &Setting) -> String {
    format!("{}-help", setting.key)
}

/// A text input bound to one setting. `kind` is `text`, `date` or `decimal` (a text box with
/// the decimal keypad: what was typed stays visible, even when invalid).
#[component]
fn TextField(setting: &'static Setting, kind: &'static str) -> impl IntoView {
    let ctx = use_form();
    let field = Field::Setting(setting.key);
    let invalid = move || ctx.problems.with(|p| p.iter().any(|e| e.field == field));
    view! {
        <label class="field" class:invalid=invalid title=setting.help>
            <span>{setting.label}</span>
            <input
                id=setting.key
                type=if kind == "date" { "date" } else { "text" }
                inputmode=(kind == "decimal").then_some("decimal")
                autocomplete="off"
                aria-invalid=move || invalid().to_string()
                aria-describedby=help_id(setting)
                prop:value=move || ctx.form.with(|f| f.text(setting).to_owned())
                on:input=move |ev| ctx.form.update(|f| f.set(setting, event_target_value(&ev)))
            />
            <FieldMessages field=field />
        </label>
    }
}

/// `hist:20` → (`hist`, `Some("20")`).
fn split(text: &str) -> (&str, Option<&str>) {
    match text.split_once(':') {
        Some((code, param)) => (code, Some(param)),
        None => (text, None),
    }
}

/// A drop-down of a setting's choices; a choice that takes a number (`hist:N`) shows a box
/// for it beside the drop-down, and the messages go under that box.
#[component]
fn ChoiceField(setting: &'static Setting) -> impl IntoView {
    let ctx = use_form();
    let field = Field::Setting(setting.key);
    let code = move || ctx.form.with(|f| split(f.text(setting)).0.to_owned());
    let param = move || setting.choices().into_iter().find(|c| c.code == code()).and_then(|c| c.param);
    let choose = move |chosen: String| {
        let takes = setting.choices().into_iter().find(|c| c.code == chosen).and_then(|c| c.param);
        ctx.form.update(|f| {
            let text = match takes {
                Some(p) => {
                    let kept = split(f.text(setting)).1.map(str::to_owned);
                    format!("{chosen}:{}", kept.unwrap_or_else(|| p.default.to_owned()))
                }
                None => chosen,
            };
            f.set(setting, text)
        })
    };
    let options =
        setting.choices().into_iter().map(|c| view! { <option value=c.code>{c.label}</option> }).collect_view();
    let invalid = move || ctx.problems.with(|p| p.iter().any(|e| e.field == field));
    let param_box = move || {
        param().map(|p| {
            view! {
                <label class="field" class:invalid=invalid>
                    <span>{p.label}</span>
                    <input
                        id=format!("{}-param", setting.key)
                        type="text"
                        inputmode="decimal"
                        autocomplete="off"
                        aria-invalid=move || invalid().to_string()
                        prop:value=move || ctx.form.with(|f| split(f.text(setting)).1.unwrap_or_default().to_owned())
                        on:input=move |ev| {
                            let typed = event_target_value(&ev);
                            ctx.form.update(|f| {
                                let chosen = split(f.text(setting)).0.to_owned();
                                f.set(setting, format!("{chosen}:{typed}"))
                            })
                        }
                    />
                    <FieldMessages field=field />
                </label>
            }
        })
    };
    view! {
        <label class="field" title=setting.help>
            <span>{setting.label}</span>
            <select id=setting.key aria-describedby=help_id(setting) prop:value=code on:change=move |ev| choose(event_target_value(&ev))>
                {options}
            </select>
            <Show when=move || param().is_none()>
                <FieldMessages field=field />
            </Show>
        </label>
        {param_box}
    }
}
