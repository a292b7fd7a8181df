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
use deltaroll_core::spec::{RunSpec, SpecError, SpecField, VolSource};
use deltaroll_databento::{ApiError, ApiKey, KeyError, TransportError, TransportErrorKind};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlInputElement};

use super::{Results, RunPanel, SourcePanel, StrategyForm};
use crate::context::Contexts;
use crate::engine::{market_from_files, run_demo, DroppedFile, FilesError, RunError};
use crate::state::app_error::{AppError, EstimateFirst, Hint};
use crate::state::report_view::{data_label, roll_rows};

wasm_bindgen_test_configure!(run_in_browser);

/// Mount `view` with fresh shared state into a new `<div>` of the document. Keep the handle
/// (third value) alive for as long as the test looks at the DOM.
fn mount<N: IntoView + 'static>(view: impl FnOnce() -> N + 'static) -> (HtmlElement, Contexts, impl Sized) {
    let document = web_sys::window().and_then(|w| w.document()).expect("a document");
    let root: HtmlElement = document.create_element("div").expect("a div").unchecked_into();
    document.body().expect("a body").append_child(&root).expect("append the test root");
    let shared: Rc<Cell<Option<Contexts>>> = Rc::new(Cell::new(None));
    let out = Rc::clone(&shared);
    let handle = leptos::mount::mount_to(root.clone(), move || {
        out.set(Some(Contexts::provide()));
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
    let product = js_sys::Reflect::get(&find(&root, "#product"), &"value".into()).ok().and_then(|v| v.as_string());
    assert_eq!(product.as_deref(), Some("HO"), "the product drop-down");
    assert_eq!(input(&root, "#futures_root").value(), "", "empty: the product's roots");
    assert_eq!(input(&root, "#options_root").value(), "");
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
    assert_eq!(
        ctx.form.form.with_untracked(|f| f.text(key("delta")).to_owned()),
        "1.5",
        "typing updates the form state"
    );
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
    let spec = ctx.form.form.with_untracked(|f| f.spec()).expect("a valid spec");
    assert_eq!(spec.kind, OptionKind::Put);
    assert_eq!(spec.price_source, PriceSource::Close);
    assert_eq!(spec.vol_source, VolSource::Historical { days: 20 });
    assert_eq!(spec.delta_convention, DeltaConvention::Forward);
    assert_eq!(input(&root, "#vol_source-param").value(), "20");

    ctx.form.form.update(|f| {
        f.set(key("option_type"), "call");
        f.set(key("vol_source"), "atm");
    });
    settle().await;
    assert_eq!(shown(), ["call", "close", "atm", "forward"], "the selects follow the form");
    assert!(root.query_selector("#vol_source-param").ok().flatten().is_none());
}

#[wasm_bindgen_test]
async fn the_leg_editor_edits_the_legs_and_the_link_carries_them() {
    let (root, ctx, _mounted) = mount(|| view! { <StrategyForm /> });
    settle().await;
    let rows = |root: &Element| find_all(root, ".legs-table tbody tr").len();
    assert_eq!(rows(&root), 1, "one long leg from the option type, delta and months ahead");
    assert_eq!(value_of(&find(&root, "#leg-1-side")), "long");
    find(&root, "#preset-short-strangle").unchecked_into::<HtmlElement>().click();
    settle().await;
    assert_eq!(rows(&root), 2);
    assert_eq!(value_of(&find(&root, "#leg-2-kind")), "put");
    type_into(&input(&root, "#leg-2-qty"), "3");
    choose(&find(&root, "#leg-1-side"), "long");
    settle().await;
    let form = ctx.form.form.get_untracked();
    let legs = form.spec().expect("a valid spec").legs;
    assert_eq!(
        legs.iter().map(|l| (l.side.as_str(), l.kind, l.quantity)).collect::<Vec<_>>(),
        [("long", OptionKind::Call, 1), ("short", OptionKind::Put, 3)]
    );
    let query = crate::state::link::encode(&form, crate::state::source::SourceKind::Demo);
    assert_eq!(crate::state::link::decode(&query).form.spec(), form.spec(), "{query}");
    find(&root, "#leg-1-remove").unchecked_into::<HtmlElement>().click();
    settle().await;
    assert_eq!(rows(&root), 1);
    assert!(find(&root, "#leg-1-remove").has_attribute("disabled"), "the last leg stays");
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
    assert_eq!(ctx.source.source.get_untracked(), crate::state::source::SourceKind::Databento);
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
    // The rolls whose option is held in the range (not those chosen before it whose option
    // expired before its start).
    let expected: Vec<_> = roll_rows(&report).into_iter().filter(|r| r.held_within(spec.start, spec.end)).collect();
    assert!(!expected.is_empty() && expected.len() < report.rolls.len(), "the demo report has rolls before the range");
    let label = data_label(&report);
    assert_eq!(label, deltaroll_core::demo::DEMO_LABEL);
    ctx.run.report.set(Some(Arc::new(report)));
    settle().await;

    let rows = find_all(&root, "#rolls tbody tr");
    assert_eq!(rows.len(), expected.len(), "one row per roll");
    for (row, want) in rows.iter().zip(&expected) {
        let cells: Vec<String> = find_all(row, "th, td").iter().map(text).collect();
        assert_eq!(cells.len(), 12);
        assert_eq!(cells[0], want.date);
        assert_eq!(cells[1], want.leg);
        assert_eq!(cells[2], want.contract);
        assert_eq!(cells[3], want.symbol);
        assert_eq!(cells[7], want.delta);
        assert_eq!(cells[10], want.pnl);
    }
    let shown = find(&root, "#data-label");
    assert_eq!(text(&shown), label);
    assert!(shown.class_list().contains("simulated"), "the demo is marked as simulated");
    assert_eq!(find_all(&root, "[data-download]").len(), 4, "wide, tidy, P&L and JSON");
}

/// The error area's paragraphs after a run failed with `error` (or, with `notice`, after
/// the page noted it with no run failed), in a mounted run panel.
async fn error_area(error: AppError, notice: bool) -> Vec<Element> {
    let (root, ctx, _mounted) = mount(|| view! { <RunPanel /> });
    let area = find(&root, "#error");
    assert!(area.class_list().contains("hidden"), "nothing to say yet");
    if notice {
        ctx.page.notice.set(Some(error));
    } else {
        ctx.run.machine.update(|m| {
            let id = m.start_compute().expect("idle");
            assert!(m.fail(id, error));
        });
    }
    settle().await;
    assert!(!area.class_list().contains("hidden"), "{}", area.outer_html());
    find_all(&area, "p")
}

/// A run failing with `error` shows its message, starting with `starts`, and the gateway
/// hint exactly when `hint`.
async fn shows(error: AppError, starts: &str, hint: bool) {
    let message = error.message();
    assert!(message.starts_with(starts), "{message}");
    let expected_hint = error.hint().map(Hint::text);
    assert_eq!(expected_hint.is_some(), hint, "{error:?}");
    let paragraphs = error_area(error, false).await;
    assert_eq!(text(&paragraphs[0]), message);
    let hints: Vec<String> = paragraphs.iter().filter(|p| p.class_list().contains("hint")).map(text).collect();
    assert_eq!(hints, expected_hint.into_iter().map(str::to_owned).collect::<Vec<_>>());
    assert_eq!(paragraphs.len(), 1 + usize::from(hint));
    assert!(!paragraphs.iter().any(|p| text(p).contains("TESTKEY")), "the key is never shown");
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

fn network_error(kind: TransportErrorKind) -> ApiError {
    ApiError::Network {
        source: TransportError::new(kind, "TypeError: Failed to fetch"),
        url: "http://127.0.0.1:9/v0/metadata.get_dataset_range".into(),
        attempts: 5,
        billed_attempts: 0,
    }
}

#[wasm_bindgen_test]
async fn a_missing_or_malformed_key_is_asked_for_without_showing_it() {
    shows(AppError::Key(KeyError::Missing), "No Databento API key was given", false).await;
    let malformed = ApiKey::new("db-TESTKEY-too-short").expect_err("malformed");
    shows(AppError::from(malformed), "That is not a Databento API key", false).await;
}

#[wasm_bindgen_test]
async fn a_refused_key_says_so() {
    let refused = ApiError::Unauthorized { detail: String::new(), request_id: None };
    shows(AppError::from(refused), "Databento refused the API key (HTTP 401", false).await;
}

#[wasm_bindgen_test]
async fn an_account_without_permission_says_where_to_fix_it() {
    let forbidden = ApiError::NoPermission { status: 403, detail: String::new(), request_id: None };
    shows(AppError::from(forbidden), "The API key has no permission for this data", false).await;
}

#[wasm_bindgen_test]
async fn a_bad_gateway_url_points_to_the_setting() {
    let refused = crate::state::source::gateway("https://evil.example").expect_err("refused");
    shows(AppError::from(refused), "“https://evil…” is not allowed", true).await;
}

#[wasm_bindgen_test]
async fn an_unreachable_gateway_names_the_relay_and_the_setting() {
    let unreachable = AppError::from(network_error(TransportErrorKind::BrowserFetch));
    assert!(unreachable.message().contains("deltaroll relay"));
    shows(unreachable, "The browser could not reach http://127.0.0.1:9", true).await;
}

#[wasm_bindgen_test]
async fn a_closed_port_and_a_cors_refusal_are_told_apart_with_the_setting() {
    use crate::state::connection::Reach;
    let url = "http://127.0.0.1:9";
    let nothing = Reach::from_probes(false, false).problem(url).expect("no answer");
    shows(nothing, "Nothing answers at http://127.0.0.1:9: the connection was refused", true).await;
    let cors = Reach::from_probes(false, true).problem(url).expect("not for pages");
    shows(cors, "http://127.0.0.1:9 answers, but does not let web pages read its answers (CORS)", true).await;
}

#[wasm_bindgen_test]
async fn a_broken_connection_asks_to_try_again_without_the_relay_hint() {
    shows(AppError::from(network_error(TransportErrorKind::Timeout)), "No answer from http://127.0.0.1:9", false).await;
}

#[wasm_bindgen_test]
async fn a_rate_limit_says_wait() {
    let limited = ApiError::RateLimited { retry_after: None, attempts: 5 };
    shows(AppError::from(limited), "Databento is rate-limiting these requests (HTTP 429", false).await;
}

#[wasm_bindgen_test]
async fn refused_settings_ask_for_other_settings() {
    let before = ApiError::BeforeCoverage { dataset: "GLBX.MDP3".into(), first: date(2010, 6, 6) };
    shows(AppError::from(before), "Databento's GLBX.MDP3 data for this run starts on 2010-06-06", false).await;
}

#[wasm_bindgen_test]
async fn an_unusable_answer_says_nothing_from_it_was_used() {
    let corrupt = ApiError::CorruptBody { what: "definitions".into(), detail: "cut".into(), billed_attempts: 0 };
    shows(AppError::from(corrupt), "The response for definitions is corrupt or cut short", false).await;
}

#[wasm_bindgen_test]
async fn data_missing_from_the_cache_asks_for_the_key() {
    let missing = ApiError::NotCached { what: "definitions".into() };
    shows(AppError::from(missing), "Definitions is not in the cache", false).await;
}

#[wasm_bindgen_test]
async fn unusable_files_are_named() {
    let garbage = DroppedFile { name: "broken.dbn".into(), bytes: b"DBN\x03garbage".to_vec() };
    let unreadable = market_from_files(&RunSpec::new(date(2025, 1, 1), date(2025, 2, 28)), &[garbage]);
    shows(AppError::from(unreadable.expect_err("garbage")), "broken.dbn could not be read (", false).await;
}

#[wasm_bindgen_test]
async fn a_strategy_that_cannot_run_says_why() {
    let reason = SpecError { field: SpecField::Dates, message: "The end is before the start.".into() };
    shows(AppError::from(RunError(vec![reason])), "The end is before the start.", false).await;
}

#[wasm_bindgen_test]
async fn a_fetch_before_its_estimate_asks_for_the_estimate() {
    shows(AppError::EstimateFirst(EstimateFirst::Missing), "Estimate the cost first", false).await;
}

#[wasm_bindgen_test]
async fn a_browser_refusal_says_what_to_do_instead() {
    shows(AppError::Browser("The cache could not be cleared: x".into()), "The cache could not be cleared", false).await;
}

#[wasm_bindgen_test]
async fn a_clock_without_a_date_says_so() {
    shows(AppError::Clock, "This browser’s clock gives no valid date", false).await;
}

/// The page's notices (files, downloads, …) show in the same area when no run failed, and
/// a run's failure comes first.
#[wasm_bindgen_test]
async fn notices_share_the_error_area_and_a_run_failure_comes_first() {
    let notice = AppError::Browser("The link could not be copied (x): copy it from the address bar instead.".into());
    let paragraphs = error_area(notice.clone(), true).await;
    assert_eq!(paragraphs.iter().map(text).collect::<Vec<_>>(), [notice.message()]);

    let (root, ctx, _mounted) = mount(|| view! { <RunPanel /> });
    ctx.page.notice.set(Some(notice));
    let failure = AppError::Files(FilesError::Exports(deltaroll_databento::files::ExportsError::NoFiles));
    ctx.run.machine.update(|m| {
        let id = m.start_compute().expect("idle");
        m.fail(id, failure.clone());
    });
    settle().await;
    assert_eq!(text(&find(&root, "#error p")), failure.message());
    ctx.run.machine.update(|m| m.form_changed());
    settle().await;
    assert!(text(&find(&root, "#error p")).starts_with("The link could not be copied"));
}
