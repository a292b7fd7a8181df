//! A `?` beside a field: its one line of help in a tooltip, shown on hover, focus or a tap
//! and dismissed with Escape; the field points at the same text with `aria-describedby`.

use leptos::prelude::*;

/// The `?` button and its tooltip, whose id is `id` (the field's `aria-describedby`).
#[component]
pub fn HelpTip(id: String, about: &'static str, text: &'static str) -> impl IntoView {
    let open = RwSignal::new(false);
    view! {
        <span class="help">
            <button
                type="button"
                class="help-q"
                aria-label=format!("About {about}")
                aria-describedby=id.clone()
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
                on:focus=move |_| open.set(true)
                on:blur=move |_| open.set(false)
                on:mouseenter=move |_| open.set(true)
                on:mouseleave=move |_| open.set(false)
                on:keydown=move |ev| {
                    if ev.key() == "Escape" {
                        open.set(false);
                    }
                }
            >
                "?"
            </button>
            <span role="tooltip" id=id class="tip" class:open=open>
                {text}
            </span>
        </span>
    }
}
