//! A roll's chain on its roll day ("why this strike"): every candidate strike with its
//! price, price date, vol, delta and distance to the target, the chosen one highlighted,
//! the skipped ones with their reason, and the delta-versus-strike plot with the band.

use std::sync::Arc;

use deltaroll_core::report::Report;
use leptos::html::{Canvas, H4};
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;

use super::canvas::sized_backend;
use crate::chain_plot::draw_chain;
use crate::charts::ChartStyle;
use crate::state::chain_view::{chain_view, ChainRow};

/// The chain of the roll `open` names (an index into the report's rolls), with a close
/// button; nothing while none is open. Opening moves the focus to its heading (so it
/// scrolls into view and a screen reader reads it).
#[component]
pub fn ChainPanel(report: Arc<Report>, open: RwSignal<Option<usize>>) -> impl IntoView {
    let view = Memo::new(move |_| open.get().and_then(|i| chain_view(&report, i)));
    let canvas = NodeRef::<Canvas>::new();
    let drawn = RwSignal::new(None::<usize>);
    let heading = NodeRef::<H4>::new();
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    Effect::new(move |_| {
        let (Some(v), Some(canvas)) = (view.get(), canvas.get()) else { return };
        let Some((backend, scale)) = sized_backend(canvas) else { return };
        let style = ChartStyle { scale, highlight: None };
        drawn.set(draw_chain(&backend.into_drawing_area(), &v, &style).ok().map(|d| d.option_series));
    });
    move || {
        let v = view.get()?;
        let rows = v.rows.into_iter().map(|r| view! { <ChainLine row=r /> }).collect_view();
        let title = v.title.clone();
        Some(view! {
            <section class="chain-panel" id="chain-panel" aria-labelledby="chain-h">
                <div class="chain-head">
                    <h4 id="chain-h" tabindex="-1" node_ref=heading>"Chain: " {v.title}</h4>
                    <button type="button" class="link" id="chain-close" on:click=move |_| open.set(None)>
                        "Close"
                    </button>
                </div>
                <p class="hint" id="chain-summary">{v.summary}</p>
                <figure class="chart chain-chart">
                    <figcaption>"|delta| by strike, the target band shaded, the chosen strike in red"</figcaption>
                    <canvas
                        id="chain-plot"
                        node_ref=canvas
                        role="img"
                        aria-label=format!("|delta| by strike: {title}")
                        data-points=move || drawn.get().map(|n| n.to_string())
                    ></canvas>
                </figure>
                <div class="table-wrap" tabindex="0" role="region" aria-label="Candidate strikes">
                    <table class="rolls chain" id="chain-table">
                        <thead>
                            <tr>
                                <th scope="col">"Strike"</th>
                                <th scope="col">"Option"</th>
                                <th scope="col" class="num">"Price"</th>
                                <th scope="col">"Price date"</th>
                                <th scope="col" class="num">"IV"</th>
                                <th scope="col" class="num">"Delta"</th>
                                <th scope="col" class="num">"Distance"</th>
                                <th scope="col">"Skipped"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </section>
        })
    }
}

/// One candidate; the chosen one highlighted and announced as chosen.
#[component]
fn ChainLine(row: ChainRow) -> impl IntoView {
    let strike = if row.chosen { format!("{} (chosen)", row.strike) } else { row.strike };
    let skipped = !row.reason.is_empty();
    view! {
        <tr class:highlight=row.chosen class:skipped=skipped aria-current=row.chosen.then_some("true")>
            <th scope="row">{strike}</th>
            <td class="sym">{row.symbol}</td>
            <td class="num">{row.price}</td>
            <td>{row.price_date}</td>
            <td class="num">{row.iv}</td>
            <td class="num">{row.delta}</td>
            <td class="num">{row.distance}</td>
            <td class="reason">{row.reason}</td>
        </tr>
    }
}
