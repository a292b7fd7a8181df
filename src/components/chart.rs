//! One chart on a `<canvas>`: drawn from the shared chart data, redrawn on resize at the
//! device's pixel ratio, with a hover readout (a swatch per series) and a "data table"
//! toggle underneath as its text alternative. Dragging across it zooms every chart to the
//! dragged dates.

use leptos::html::Canvas;
use leptos::prelude::*;
use leptos::task::spawn_local;
use plotters::prelude::IntoDrawingArea;

use super::canvas::sized_backend;
use crate::actions;
pub use crate::charts::ChartKind;
use crate::charts::{
    draw_deltas, draw_ivs, draw_options, draw_pnl, draw_prices, ChartError, ChartStyle, PlotFrame, Readout,
};
use crate::context::{use_page, use_run};
use crate::state::zoom::Zoom;

/// A chart with its readout, its data table toggle and (for implied vol) the "show all"
/// control.
#[component]
pub fn Chart(kind: ChartKind, failed: RwSignal<Option<ChartError>>) -> impl IntoView {
    let (run, page) = (use_run(), use_page());
    let canvas = NodeRef::<Canvas>::new();
    let frame = RwSignal::new(None::<(PlotFrame, f64)>);
    let hover = RwSignal::new(None::<(Readout, f64, bool)>);
    let show_all = RwSignal::new(false);
    let table_open = RwSignal::new(false);
    // Where a drag started and where the pointer is now (CSS pixels).
    let drag = RwSignal::new(None::<(f64, f64)>);
    Effect::new(move |_| {
        page.resized.track();
        let all = show_all.get();
        let highlighted = run.highlighted();
        let (Some(data), Some(canvas)) = (run.shown.get(), canvas.get()) else { return };
        // Each chart draws in a task of its own, after the results are on the page: the
        // five charts drawn in the task that shows a 15-year run's results blocked the page
        // for 300 ms (`scripts/bench-web --databento`).
        spawn_local(async move {
            actions::next_frame().await;
            let started = actions::now();
            let Some((backend, scale)) = sized_backend(canvas) else { return };
            let root = backend.into_drawing_area();
            let style = ChartStyle { scale, highlight: highlighted.and_then(|s| data.column_of(&s)) };
            let drawn = match kind {
                ChartKind::Futures => draw_prices(&root, &data, &style),
                ChartKind::Options => draw_options(&root, &data, &style),
                ChartKind::Deltas => draw_deltas(&root, &data, &style),
                ChartKind::Ivs => draw_ivs(&root, &data, &style, all),
                ChartKind::Pnl => draw_pnl(&root, &data, &style),
            };
            // The chart may be gone by now (another run's results): nothing to set then.
            match drawn {
                Ok(d) => {
                    if frame.try_set(Some((d.frame, scale))).is_none() {
                        actions::measure(&format!("draw-{}", kind.id()), started);
                        actions::chart_drawn();
                    }
                }
                Err(e) => {
                    failed.try_set(Some(e));
                }
            }
        });
    });
    let on_move = move |ev: web_sys::PointerEvent| {
        drag.update(|d| {
            if let Some((_, to)) = d {
                *to = f64::from(ev.offset_x());
            }
        });
        let (Some((frame, scale)), Some(data)) = (frame.get_untracked(), run.shown.get_untracked()) else { return };
        let x = frame.x_at(f64::from(ev.offset_x()) * scale);
        let width = canvas.get_untracked().map_or(0.0, |c| f64::from(c.client_width()));
        run.held_at_cursor.set(data.held_symbols(x));
        hover.set(data.readout(x).map(|r| {
            let px = frame.px_at(r.x) / scale;
            (r, px, px > width / 2.0)
        }));
    };
    let on_down = move |ev: web_sys::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        let at = f64::from(ev.offset_x());
        drag.set(Some((at, at)));
        if let Some(c) = canvas.get_untracked() {
            let _ = c.set_pointer_capture(ev.pointer_id());
        }
        on_move(ev);
    };
    let on_up = move |_: web_sys::PointerEvent| {
        let Some((a, b)) = drag.get_untracked() else { return };
        drag.set(None);
        let (Some((frame, scale)), Some(data)) = (frame.get_untracked(), run.shown.get_untracked()) else { return };
        let date = |px: f64| data.date_at(frame.x_at(px * scale));
        if let Some(zoom) = Zoom::dragged(date(a), date(b)) {
            run.zoom.set(zoom);
        }
    };
    let selection = move || {
        drag.get().filter(|(a, b)| (a - b).abs() > 2.0).map(|(a, b)| {
            view! {
                <div
                    class="selection"
                    style:left=format!("{:.1}px", a.min(b))
                    style:width=format!("{:.1}px", (a - b).abs())
                ></div>
            }
        })
    };
    // The dates drawn, for tests and for reading the axis exactly.
    let drawn_range = move || {
        let (f, _) = frame.get()?;
        run.shown.with(|d| d.as_ref().map(|d| format!("{}/{}", d.date_at(f.x_min), d.date_at(f.x_max))))
    };
    let readout = move || {
        hover.get().map(|(r, px, left)| {
            let lines = r
                .lines
                .into_iter()
                .map(|l| {
                    let swatch = l.css_color().map(|c| view! { <span class="swatch" style:background=c></span> });
                    view! { <li>{swatch}{l.text}</li> }
                })
                .collect_view();
            view! {
                <div class="cursor" style:left=format!("{px:.1}px")></div>
                <div class="readout" class:on-left=left>
                    <strong>{r.date.to_string()}</strong>
                    <ul>{lines}</ul>
                </div>
            }
        })
    };
    let iv_control = move || {
        (kind == ChartKind::Ivs).then(|| {
            let clipped = move || run.shown.get().map_or(0, |d| d.iv_scale(false).clipped);
            view! {
                <label class="chart-control" class:hidden=move || clipped() == 0>
                    <input
                        type="checkbox"
                        prop:checked=move || show_all.get()
                        on:change=move |ev| show_all.set(event_target_checked(&ev))
                    />
                    {move || format!(" Show all ({} points above the axis are drawn on its edge as △)", clipped())}
                </label>
            }
        })
    };
    let table_id = format!("{}-table", kind.id());
    // Captions name the product's price unit (USD/gal for HO; ¢ of it for options).
    let title = move || run.chart.with(|c| kind.title(c.as_ref().map_or("", |c| c.unit.as_str())));
    let table = move || {
        if !table_open.get() {
            return None;
        }
        let t = run.shown.get()?.table(kind);
        let head = t.headers.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view();
        let rows = t
            .rows
            .into_iter()
            .map(|r| view! { <tr>{r.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr> })
            .collect_view();
        Some(view! {
            // Focusable so a keyboard can scroll it.
            <div class="data-table" tabindex="0" role="region" aria-label=move || format!("Data table: {}", title())>
                <table>
                    <caption>{title}</caption>
                    <thead>
                        <tr>{head}</tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        })
    };
    view! {
        <figure class="chart">
            <figcaption>{title}</figcaption>
            <div class="chart-box">
                <canvas
                    id=kind.id()
                    node_ref=canvas
                    role="img"
                    aria-label=title
                    data-range=drawn_range
                    on:pointermove=on_move
                    on:pointerdown=on_down
                    on:pointerup=on_up
                    on:pointercancel=move |_| drag.set(None)
                    on:pointerleave=move |_| {
                        hover.set(None);
                        run.held_at_cursor.set(Vec::new());
                    }
                ></canvas>
                {selection}
                {readout}
            </div>
            {iv_control}
            <button
                type="button"
                class="link table-toggle"
                aria-expanded=move || table_open.get().to_string()
                aria-controls=table_id.clone()
                on:click=move |_| table_open.update(|o| *o = !*o)
            >
                {move || if table_open.get() { "Hide data table" } else { "Data table" }}
            </button>
            <div id=table_id>{table}</div>
        </figure>
    }
}
