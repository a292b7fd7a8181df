//! Component tests in a real browser (headless Chromium through chromedriver:
//! `bash scripts/wasm-tests`). Each test mounts components with fresh shared state into its
//! own `<div>` and asserts on the DOM they render.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;

use chrono::NaiveDate;
use deltaroll_core::contract::OptionKind;
use deltaroll_core::market::PriceSource;
use deltaroll_core::pricing::DeltaConvention;
use deltaroll_core::settings::{setting, Setting};
use deltaroll_core::spec::{RunSpec, VolSource};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlInputElement};

use super::{Results, RunPanel, SourcePanel, StrategyForm};
use crate::context::Ctx;
use crate::engine::run_demo;
use crate::state::report_view::{data_label, roll_rows};

wasm_bindgen_test_configure!(run_in_browser);

/// Mount `view` with fresh shared state into a new `<div>` of the document. Keep the handle
/// (third value) alive for as long as the test looks at the DOM.
fn mount<N: IntoView + 'static>(view: impl FnOnce() -> N + 'static) -> (HtmlElement, Ctx, impl Sized) {
    let document = web_sys::window().and_then(|w| w.document()).expect("a document");
    let root: HtmlElement = document.create_element("div").expect("a div").unchecked_into();
    document.body().expect("a body").append_child(&root).expect("append the test root");
    let shared: Rc<Cell<Option<Ctx>>> = Rc::new(Cell::new(None));
    let out = Rc::clone(&shared);
    let handle = leptos::mount::mount_to(root.clone(), move || {
        let ctx = Ctx::new();
        provide_context(ctx);
        out.set(Some(ctx));
        view()
    });
    let ctx = shared.get().expect("the view was built");
    (root, ctx, handle)
}

/// Let the reactive system run the effects a change scheduled.
async fn settle() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}

fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector).ok().flatten().unwrap_or_else(|| panic!("no `{selector}` in {}", root.inner_html()))
}

/// Every descendant of `root` matching `selector`, in document order.
fn find_all(root: &Element, selector: &str) -> Vec<Element> {
    fn walk(el: &Element, selector: &str, out: &mut Vec<Element>) {
        let mut child = el.first_element_child();
        while let Some(c) = child {
            if c.matches(selector).expect("a valid selector") {
                out.push(c.clone());
            }
            walk(&c, selector, out);
            child = c.next_element_sibling();
        }
    }
    let mut out = Vec::new();
    walk(root, selector, &mut out);
    out
}

fn input(root: &Element, selector: &str) -> HtmlInputElement {
    find(root, selector).dyn_into().expect("an <input>")
}

/// Type `value` into the input as a user would (sets it and fires `input`).
fn type_into(field: &HtmlInputElement, value: &str) {
    field.set_value(value);
    let event = web_sys::Event::new("input").expect("an input event");
    field.dispatch_event(&event).expect("dispatch input");
}

/// The table's setting `name`.
fn key(name: &str) -> &'static Setting {
    setting(name).expect("a setting of the table")
}

fn text(el: &Element) -> String {
    el.text_content().unwrap_or_default()
}

#[wasm_bindgen_test]
async fn form_shows_the_default_strategy() {
    let (root, _ctx, _mounted) = mount(|| view! { <StrategyForm /> <RunPanel /> });
    settle().await;
    assert_eq!(input(&root, "#delta").value(), "0.15");
    assert_eq!(input(&root, "#months_ahead").value(), "2");
    assert_eq!(input(&root, "#futures_root").value(), "HO");
    assert_eq!(input(&root, "#options_root").value(), "OH");
    assert_eq!(input(&root, "#start_date").value(), "2025-01-01");
    assert_eq!(input(&root, "#stale_days").value(), "5", "every setting of the table is a field");
    assert!(find_all(&root, ".field-msg").is_empty(), "no messages for the defaults: {}", root.inner_html());
    assert!(find_all(&root, "[aria-invalid=true]").is_empty());
    let run = find(&root, "#run");
    assert!(!run.has_attribute("disabled"), "Run is enabled for the default demo run");
    assert_eq!(text(&run), "Run");
    assert!(root.query_selector("#run-blocked").ok().flatten().is_none());
}

#[wasm_bindgen_test]
async fn invalid_delta_is_explained_and_disables_run() {
    let (root, ctx, _mounted) = mount(|| view! { <StrategyForm /> <RunPanel /> });
    let delta = input(&root, "#delta");
    type_into(&delta, "1.5");
    settle().await;
    assert_eq!(ctx.form.with_untracked(|f| f.text(key("delta")).to_owned()), "1.5", "typing updates the form state");
    assert_eq!(delta.value(), "1.5", "what was typed stays visible");
    assert_eq!(delta.get_attribute("aria-invalid").as_deref(), Some("true"));
    let label = delta.parent_element().expect("the field's label");
    assert!(label.class_list().contains("invalid"));
    let messages = find_all(&label, ".field-msg");
    assert_eq!(messages.len(), 1, "one message under the delta field: {}", label.inner_html());
    let message = text(&messages[0]);
    assert!(message.contains("Target delta must be strictly between 0 and 1"), "{message}");
    assert!(message.contains("1.5"), "{message}");
    assert!(find(&root, "#run").has_attribute("disabled"), "Run is disabled");
    let blocked = text(&find(&root, "#run-blocked"));
    assert!(blocked.starts_with("Run is disabled: "), "{blocked}");
    assert!(blocked.contains(&message), "the reason is the field's message: {blocked}");

    type_into(&delta, "0.2");
    settle().await;
    assert!(find_all(&root, ".field-msg").is_empty(), "fixed: {}", root.inner_html());
    assert!(!find(&root, "#run").has_attribute("disabled"), "Run is enabled again");
}

/// The value of the `<select>` (or input) `el`.
fn value_of(el: &Element) -> String {
    js_sys::Reflect::get(el, &"value".into()).ok().and_then(|v| v.as_string()).expect("a value")
}

/// Choose `value` in the `<select>` as a user would (sets it and fires `change`).
fn choose(select: &Element, value: &str) {
    js_sys::Reflect::set(select, &"value".into(), &value.into()).expect("set the value");
    let event = web_sys::Event::new("change").expect("a change event");
    select.dispatch_event(&event).expect("dispatch change");
}

#[wasm_bindgen_test]
async fn selects_show_and_set_the_form() {
    let (root, ctx, _mounted) = mount(|| view! { <StrategyForm /> });
    settle().await;
    let ids = ["#option_type", "#price_source", "#vol_source", "#delta_convention"];
    let shown = || ids.map(|id| value_of(&find(&root, id)));
    assert_eq!(shown(), ["call", "settlement", "own", "discounted"]);
    assert!(root.query_selector("#vol_source-param").ok().flatten().is_none(), "no history days for implied vols");
    let options: Vec<String> = find_all(&root, "#option_type option").iter().map(text).collect();
    assert_eq!(options, ["Calls", "Puts"], "the drop-down is the enum's");

    for (id, value) in ids.into_iter().zip(["put", "close", "hist", "forward"]) {
        choose(&find(&root, id), value);
    }
    settle().await;
    let spec = ctx.form.with_untracked(|f| f.spec()).expect("a valid spec");
    assert_eq!(spec.kind, OptionKind::Put);
    assert_eq!(spec.price_source, PriceSource::Close);
    assert_eq!(spec.vol_source, VolSource::Historical { days: 20 });
    assert_eq!(spec.delta_convention, DeltaConvention::Forward);
    assert_eq!(input(&root, "#vol_source-param").value(), "20");

    ctx.form.update(|f| {
        f.set(key("option_type"), "call");
        f.set(key("vol_source"), "atm");
    });
    settle().await;
    assert_eq!(shown(), ["call", "close", "atm", "forward"], "the selects follow the form");
    assert!(root.query_selector("#vol_source-param").ok().flatten().is_none());
}

#[wasm_bindgen_test]
async fn databento_source_shows_the_key_field() {
    let (root, ctx, _mounted) = mount(|| view! { <SourcePanel /> <RunPanel /> });
    assert!(root.query_selector("#api-key").ok().flatten().is_none(), "no key field for the demo");
    assert!(root.query_selector(".note.simulated").ok().flatten().is_some(), "the demo note");
    let databento: HtmlElement =
        find(&root, "input[name=source][value=databento]").dyn_into().expect("the Databento radio");
    databento.click();
    settle().await;
    assert_eq!(ctx.source.get_untracked(), crate::state::source::SourceKind::Databento);
    let key = input(&root, "#api-key");
    assert_eq!(key.type_(), "password", "the key is masked");
    assert!(root.query_selector(".note.simulated").ok().flatten().is_none(), "the demo note is gone");
    let active = find(&root, ".tab.active");
    assert!(text(&active).contains("Databento"), "{}", active.outer_html());
    let run = find(&root, "#run");
    assert_eq!(text(&run), "Estimate cost");
    assert!(run.has_attribute("disabled"), "no key, no run");
}

#[wasm_bindgen_test]
async fn results_list_the_rolls_of_a_demo_report() {
    let (root, ctx, _mounted) = mount(|| view! { <Results /> });
    assert!(text(&root).contains("Results appear here after a run."));
    assert!(root.query_selector("#rolls").ok().flatten().is_none());

    let (start, end) = (NaiveDate::from_ymd_opt(2025, 1, 1), NaiveDate::from_ymd_opt(2025, 4, 30));
    let spec = RunSpec::new(start.expect("a date"), end.expect("a date"));
    let report = run_demo(&spec).expect("the demo runs");
    let expected = roll_rows(&report);
    assert!(!expected.is_empty(), "the demo report has rolls");
    let label = data_label(&report);
    assert_eq!(label, deltaroll_core::demo::DEMO_LABEL);
    ctx.report.set(Some(Arc::new(report)));
    settle().await;

    let rows = find_all(&root, "#rolls tbody tr");
    assert_eq!(rows.len(), expected.len(), "one row per roll");
    for (row, want) in rows.iter().zip(&expected) {
        let cells: Vec<String> = find_all(row, "td").iter().map(text).collect();
        assert_eq!(cells.len(), 9);
        assert_eq!(cells[0], want.date);
        assert_eq!(cells[1], want.contract);
        assert_eq!(cells[2], want.symbol);
        assert_eq!(cells[6], want.delta);
    }
    let shown = find(&root, "#data-label");
    assert_eq!(text(&shown), label);
    assert!(shown.class_list().contains("simulated"), "the demo is marked as simulated");
    assert_eq!(find_all(&root, "[data-download]").len(), 3);
}
