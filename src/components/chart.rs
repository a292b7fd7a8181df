//! One chart on a `<canvas>`: drawn from the shared chart data, redrawn on resize at the
//! device's pixel ratio, with a hover readout of the date and values.

use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;

use crate::actions;
use crate::charts::{draw_deltas, draw_ivs, draw_pnl, draw_prices, ChartError, ChartStyle, PlotFrame, Readout};
use crate::context::{use_page, use_run};

/// Which chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Futures and option prices.
    Prices,
    /// |delta| with the band.
    Deltas,
    /// Implied vol.
    Ivs,
    /// Cumulative P&L.
    Pnl,
}

impl ChartKind {
    /// The caption, prices in `unit` (`USD/gal`; options in its hundredths, `¢/gal`).
    fn title(self, unit: &str) -> String {
        match self {
            Self::Prices => {
                let per = unit.strip_prefix("USD/").unwrap_or(unit);
                format!("Futures (black, {unit}, left) and held options (¢/{per}, right); ▲ = chosen")
            }
            Self::Deltas => "Each option's |delta|; shaded: target band".to_owned(),
            Self::Ivs => "Each option's implied vol (%)".to_owned(),
            Self::Pnl => "Cumulative P&L (USD); ▲ = roll".to_owned(),
        }
    }

    fn id(self) -> &'static str {
        match self {
            Self::Prices => "chart-prices",
            Self::Deltas => "chart-deltas",
            Self::Ivs => "chart-ivs",
            Self::Pnl => "chart-pnl",
        }
    }
}

/// A chart with its readout.
#[component]
pub fn Chart(kind: ChartKind, failed: RwSignal<Option<ChartError>>) -> impl IntoView {
    let (run, page) = (use_run(), use_page());
    let canvas = NodeRef::<Canvas>::new();
    let frame = RwSignal::new(None::<(PlotFrame, f64)>);
    let hover = RwSignal::new(None::<(Readout, f64, bool)>);
    Effect::new(move |_| {
        page.resized.track();
        let (Some(data), Some(canvas)) = (run.chart.get(), canvas.get()) else { return };
        let scale = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio()).max(1.0);
        let (w, h) = (f64::from(canvas.client_width()), f64::from(canvas.client_height()));
        if w < 10.0 || h < 10.0 {
            return;
        }
        canvas.set_width((w * scale).round() as u32);
        canvas.set_height((h * scale).round() as u32);
        let started = actions::now();
        let Some(backend) = CanvasBackend::with_canvas_object(canvas) else { return };
        let root = backend.into_drawing_area();
        let style = ChartStyle { scale };
        let drawn = match kind {
            ChartKind::Prices => draw_prices(&root, &data, &style),
            ChartKind::Deltas => draw_deltas(&root, &data, &style),
            ChartKind::Ivs => draw_ivs(&root, &data, &style),
            ChartKind::Pnl => draw_pnl(&root, &data, &style),
        };
        match drawn {
            Ok(d) => {
                frame.set(Some((d.frame, scale)));
                actions::measure(&format!("draw-{}", kind.id()), started);
                actions::chart_drawn();
            }
            Err(e) => failed.set(Some(e)),
        }
    });
    let on_move = move |ev: web_sys::PointerEvent| {
        let (Some((frame, scale)), Some(data)) = (frame.get_untracked(), run.chart.get_untracked()) else { return };
        let x = frame.x_at(f64::from(ev.offset_x()) * scale);
        let width = canvas.get_untracked().map_or(0.0, |c| f64::from(c.client_width()));
        hover.set(data.readout(x).map(|r| {
            let px = frame.px_at(r.x) / scale;
            (r, px, px > width / 2.0)
        }));
    };
    let readout = move || {
        hover.get().map(|(r, px, left)| {
            let lines = r.lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view();
            view! {
                <div class="cursor" style:left=format!("{px:.1}px")></div>
                <div class="readout" class:on-left=left>
                    <strong>{r.date.to_string()}</strong>
                    <ul>{lines}</ul>
                </div>
            }
        })
    };
    view! {
        <figure class="chart">
            <figcaption>
                {move || kind.title(&run.chart.get().map_or_else(|| "USD/gal".to_owned(), |d| d.unit.clone()))}
            </figcaption>
            <div class="chart-box">
                <canvas
                    id=kind.id()
                    node_ref=canvas
                    on:pointermove=on_move
                    on:pointerleave=move |_| hover.set(None)
                ></canvas>
                {readout}
            </div>
        </figure>
    }
}
