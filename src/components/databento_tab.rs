//! The Databento tab: first what a browser needs (a gateway that allows it: the relay
//! command for this page, a button to use it, "Test connection"), then the key, and under
//! Advanced the gateway URL and the cache.

use deltaroll_databento::Dataset;
use leptos::prelude::*;

use crate::actions;
use crate::context::{use_form, use_page, use_source};
use crate::state::connection::{relay_command, ConnectionTest};
use crate::state::run::bytes;
use crate::state::source::{check_gateway, relay_example, GatewayCheck};

/// The Databento source's inputs.
#[component]
pub fn DatabentoInputs() -> impl IntoView {
    let (source, page) = (use_source(), use_page());
    let gateway_note = move || match check_gateway(&source.gateway.get()) {
        GatewayCheck::Databento => None,
        GatewayCheck::Other(warning) => Some(view! { <p class="warn" role="status">{warning}</p> }.into_any()),
        GatewayCheck::Refused(why) => Some(view! { <p class="field-msg" role="status">{why}</p> }.into_any()),
    };
    let cache = move || match page.cache.get() {
        Some((count, size)) => format!("{count} response(s), {}", bytes(size)),
        None => "unavailable".to_owned(),
    };
    view! {
        <RelayNote />
        <SignalField label="API key" id="api-key" kind="password" placeholder="db-…" value=source.key />
        <div class="row">
            <label class="check">
                <input
                    id="remember-key"
                    type="checkbox"
                    prop:checked=move || source.remember.get()
                    on:change=move |ev| source.remember.set(event_target_checked(&ev))
                />
                "Remember on this device"
            </label>
            <button type="button" class="secondary" on:click=move |_| actions::forget_key(source)>
                "Forget key"
            </button>
        </div>
        <p class="hint">
            "The key stays in this page's memory (and, with the gateway URL, in this browser only if you tick the box). It is sent only to the gateway, never put in links."
        </p>
        <TestConnection />
        <details class="advanced">
            <summary>"Advanced"</summary>
            <SignalField label="Gateway URL" id="gateway" kind="url" placeholder="https://hist.databento.com" value=source.gateway />
            {gateway_note}
            <div class="row">
                <span id="cache-size">"Cache: " {cache}</span>
                <button type="button" class="secondary" on:click=move |_| actions::clear_cache(page)>
                    "Clear cache"
                </button>
            </div>
        </details>
    }
}

/// What a browser needs to reach Databento, with the command for this page.
#[component]
fn RelayNote() -> impl IntoView {
    let source = use_source();
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    let command = relay_command(&origin);
    let copied = RwSignal::new(false);
    let copy = command.clone();
    let relay = relay_example();
    let using_relay = {
        let relay = relay.clone();
        Memo::new(move |_| source.gateway.with(|g| g.trim().trim_end_matches('/') == relay))
    };
    let use_relay = {
        let relay = relay.clone();
        move |_| source.gateway.set(relay.clone())
    };
    view! {
        <div class="relay-note" id="relay-note">
            <p>
                "Browsers reach Databento only through a gateway that allows web pages (CORS), which Databento's own API is not known to do. Run the relay on this computer (it keeps nothing and logs no key):"
            </p>
            <div class="row">
                <code id="relay-command" class="command">{command}</code>
                <button type="button" class="secondary" on:click=move |_| actions::copy_command(copy.clone(), copied)>
                    {move || if copied.get() { "Copied" } else { "Copy" }}
                </button>
            </div>
            <div class="row">
                <span>"and send requests to it: " <code>{relay.clone()}</code></span>
                <button type="button" id="use-relay" class="secondary" disabled=using_relay on:click=use_relay>
                    {move || if using_relay.get() { "Using the relay" } else { "Use the relay" }}
                </button>
            </div>
        </div>
    }
}

/// "Test connection": one free metadata call, and what it found.
#[component]
fn TestConnection() -> impl IntoView {
    let (source, form) = (use_source(), use_form());
    let test = RwSignal::new(ConnectionTest::Untested);
    // A result is about the key and gateway it was for.
    Effect::new(move |_| {
        source.key.track();
        source.gateway.track();
        test.set(ConnectionTest::Untested);
    });
    let dataset = move || {
        form.form
            .with_untracked(|f| f.spec().ok())
            .and_then(|s| s.product.dataset.parse().ok())
            .unwrap_or_else(Dataset::glbx_mdp3)
    };
    let result = move || match test.get() {
        ConnectionTest::Untested => None,
        ConnectionTest::Testing => Some(view! { <p class="hint">"Testing…"</p> }.into_any()),
        ConnectionTest::Works(text) => Some(view! { <p class="ok">{text}</p> }.into_any()),
        ConnectionTest::Fails(e) => Some(
            view! {
                <p class="field-msg">{e.message()}</p>
                {e.hint().map(|hint| view! { <p class="hint">{hint.text()}</p> })}
            }
            .into_any(),
        ),
    };
    view! {
        <div class="row">
            <button
                type="button"
                id="test-connection"
                class="secondary"
                disabled=move || test.with(|t| *t == ConnectionTest::Testing)
                on:click=move |_| actions::test_connection(source, dataset(), test)
            >
                "Test connection"
            </button>
            <span class="hint">"Free: asks for the dataset's dates, nothing billable."</span>
        </div>
        <div id="connection" role="status" aria-live="polite">{result}</div>
    }
}

/// An input of `kind` (`password` or `url`) bound to `value`; a password is kept out of
/// autocomplete and spellcheck.
#[component]
fn SignalField(
    label: &'static str,
    id: &'static str,
    kind: &'static str,
    placeholder: &'static str,
    value: RwSignal<String>,
) -> impl IntoView {
    let secret = kind == "password";
    view! {
        <label class="field">
            <span>{label}</span>
            <input
                id=id
                type=kind
                autocomplete=secret.then_some("off")
                spellcheck=secret.then_some("false")
                placeholder=placeholder
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </label>
    }
}
