//! The five charts — the front-month futures with its rolls, option prices with roll
//! markers, each option's delta with the target band, implied vol clipped to the bulk of
//! the values, the cumulative P&L with roll markers — drawn with plotters on any [`DrawingBackend`] (a
//! `<canvas>` in the browser, a bitmap in tests), plus the hover readout. [`ChartData`] is
//! built once per report; drawing only reads it.

use chrono::{Duration, NaiveDate};
use deltaroll_core::report::Report;

use crate::state::money::usd;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

/// A chart could not be drawn (the backend's message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartError(pub String);

impl std::fmt::Display for ChartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the chart could not be drawn: {}", self.0)
    }
}

impl std::error::Error for ChartError {}

pub(crate) fn chart_err(e: impl std::fmt::Display) -> ChartError {
    ChartError(e.to_string())
}

/// One held option's value on one row (x in days since the first row).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeldPoint {
    /// Column index.
    pub column: usize,
    /// Price, cents per quote unit (the wide CSV's unit).
    pub price_cents: f64,
    /// |delta|, when it solved.
    pub delta: Option<f64>,
    /// Implied vol in percent, when it solved.
    pub iv_pct: Option<f64>,
    /// The price's own date (earlier than the row's when carried forward).
    pub price_date: NaiveDate,
    /// Carried forward from an earlier session (a Sunday row, a stale close).
    pub stale: bool,
}

/// One output row as the charts see it.
#[derive(Debug, Clone, PartialEq)]
pub struct RowPoint {
    /// Days since the first row.
    pub x: f64,
    /// Session date.
    pub date: NaiveDate,
    /// Front-month futures price (quote unit).
    pub futures: Option<f64>,
    /// The front-month contract, e.g. `HOH5`.
    pub front: Option<String>,
    /// Held options with a price that day.
    pub held: Vec<HeldPoint>,
    /// Cumulative P&L that day, USD.
    pub pnl: f64,
    /// Each leg's cumulative P&L that day, USD (empty for a one-leg run: its curve is the
    /// total).
    pub leg_pnl: Vec<f64>,
}

/// A held option's series.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionSeries {
    /// Exchange symbol.
    pub symbol: String,
    /// x of its selection (the roll marker), when inside the range.
    pub roll_x: Option<f64>,
}

/// Everything the charts and the readout draw, from one report.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartData {
    /// The first row's date (x = 0).
    pub origin: NaiveDate,
    /// One per row.
    pub rows: Vec<RowPoint>,
    /// One per held option (report column).
    pub options: Vec<OptionSeries>,
    /// Target |delta|.
    pub target: f64,
    /// Band half-width.
    pub band: f64,
    /// The product's price unit (`USD/gal`): futures in it, options in its hundredths.
    pub unit: String,
    /// Where the front month rolled: x of the first row on the new contract, and its name.
    pub front_rolls: Vec<(f64, String)>,
    /// The legs' labels (`short 1 call 0.15`) when there are several, each with its own P&L
    /// curve; empty for one leg.
    pub legs: Vec<String>,
}

/// Colours of the option series, cycled (futures are black).
pub const PALETTE: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

/// The colour of option column `i`.
pub fn option_color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// The band's fill.
pub const BAND_COLOR: RGBColor = RGBColor(255, 215, 120);

/// The cumulative P&L's line.
pub const PNL_COLOR: RGBColor = RGBColor(0, 110, 60);

/// The colour of leg `i`'s P&L curve: the palette from its other end, so the first legs
/// differ from the first options' roll markers.
pub fn leg_color(i: usize) -> RGBColor {
    PALETTE[PALETTE.len() - 1 - i % PALETTE.len()]
}

impl ChartData {
    /// The options' unit: hundredths of the product's price unit (`¢/gal`).
    pub fn option_unit(&self) -> String {
        hundredths(&self.unit)
    }

    /// The chart data of `report`.
    pub fn from_report(report: &Report) -> Self {
        let origin = report.rows.first().map_or(report.spec.start, |r| r.date);
        let x_of = |d: NaiveDate| (d - origin).num_days() as f64;
        let several_legs = report.pnl.legs.len() > 1;
        let mut leg_sums = vec![0.0; if several_legs { report.pnl.legs.len() } else { 0 }];
        let rows = report
            .rows
            .iter()
            .zip(&report.pnl.days)
            .map(|(row, pnl)| RowPoint {
                x: x_of(row.date),
                date: row.date,
                futures: row.front.as_ref().and_then(|f| f.price).map(|p| p.value()),
                front: row.front.as_ref().map(|f| f.symbol.to_string()),
                held: row
                    .held
                    .iter()
                    .enumerate()
                    .filter_map(|(column, h)| {
                        let h = h.as_ref()?;
                        Some(HeldPoint {
                            column,
                            price_cents: h.price.value() * 100.0,
                            delta: h.delta.map(f64::abs),
                            iv_pct: h.iv.map(|v| v * 100.0),
                            price_date: h.price_date,
                            stale: h.price_date < row.date,
                        })
                    })
                    .collect(),
                pnl: pnl.cumulative,
                leg_pnl: leg_sums
                    .iter_mut()
                    .zip(&pnl.legs)
                    .map(|(sum, day)| {
                        *sum += day;
                        *sum
                    })
                    .collect(),
            })
            .collect::<Vec<RowPoint>>();
        let front_rolls = rows
            .windows(2)
            .filter_map(|w| match (&w[0].front, &w[1].front) {
                (Some(a), Some(b)) if a != b => Some((w[1].x, b.clone())),
                _ => None,
            })
            .collect();
        let last = report.rows.last().map_or(report.spec.end, |r| r.date);
        let options = report
            .columns
            .iter()
            .map(|c| OptionSeries {
                symbol: c.symbol.to_string(),
                roll_x: (c.from >= origin && c.from <= last).then(|| x_of(c.from)),
            })
            .collect();
        let unit = report.spec.product.price_unit.clone();
        let legs = if several_legs { report.pnl.legs.iter().map(|l| l.label()).collect() } else { Vec::new() };
        Self {
            origin,
            rows,
            options,
            target: report.spec.target_delta,
            band: report.spec.band,
            unit,
            front_rolls,
            legs,
        }
    }

    /// x from the first to the last row (at least one day wide).
    pub fn x_range(&self) -> (f64, f64) {
        let first = self.rows.first().map_or(0.0, |r| r.x);
        let last = self.rows.last().map_or(1.0, |r| r.x);
        (first, last.max(first + 1.0))
    }

    /// The first and last rows' dates.
    pub fn dates(&self) -> (NaiveDate, NaiveDate) {
        let (x0, x1) = self.x_range();
        (self.date_at(x0), self.date_at(x1))
    }

    /// The same data cut to the rows from `from` to `to` (the charts' zoom): x keeps its
    /// origin, so the readout and the roll markers still line up; a roll outside the cut
    /// has no marker.
    pub fn zoomed(&self, from: NaiveDate, to: NaiveDate) -> Self {
        let inside = |date: NaiveDate| date >= from && date <= to;
        let rows: Vec<RowPoint> = self.rows.iter().filter(|r| inside(r.date)).cloned().collect();
        let shown = |x: f64| inside(self.date_at(x));
        let options = self
            .options
            .iter()
            .map(|o| OptionSeries { symbol: o.symbol.clone(), roll_x: o.roll_x.filter(|x| shown(*x)) })
            .collect();
        let front_rolls = self.front_rolls.iter().filter(|(x, _)| shown(*x)).cloned().collect();
        Self { rows, options, front_rolls, unit: self.unit.clone(), legs: self.legs.clone(), ..*self }
    }

    /// The date at x (rounded to the day).
    pub fn date_at(&self, x: f64) -> NaiveDate {
        self.origin + Duration::days(x.round() as i64)
    }

    /// Points of option `column` picked by `value`.
    pub fn series(&self, column: usize, value: impl Fn(&HeldPoint) -> Option<f64>) -> Vec<(f64, f64)> {
        self.rows
            .iter()
            .filter_map(|r| {
                let h = r.held.iter().find(|h| h.column == column)?;
                value(h).map(|v| (r.x, v))
            })
            .collect()
    }

    /// The column of the option named `symbol`.
    pub fn column_of(&self, symbol: &str) -> Option<usize> {
        self.options.iter().position(|o| o.symbol == symbol)
    }

    /// The symbols of the options held on the row nearest x.
    pub fn held_symbols(&self, x: f64) -> Vec<String> {
        let Some(row) = self.row_near(x) else { return Vec::new() };
        row.held.iter().filter_map(|h| self.options.get(h.column)).map(|o| o.symbol.clone()).collect()
    }

    /// Carried-forward points of option `column` picked by `value`.
    pub fn stale_points(&self, column: usize, value: impl Fn(&HeldPoint) -> Option<f64>) -> Vec<(f64, f64)> {
        self.rows
            .iter()
            .filter_map(|r| {
                let h = r.held.iter().find(|h| h.column == column && h.stale)?;
                value(h).map(|v| (r.x, v))
            })
            .collect()
    }

    /// The front-month futures series.
    pub fn futures(&self) -> Vec<(f64, f64)> {
        self.rows.iter().filter_map(|r| r.futures.map(|p| (r.x, p))).collect()
    }

    fn held_values<'a>(&'a self, value: impl Fn(&HeldPoint) -> Option<f64> + 'a) -> impl Iterator<Item = f64> + 'a {
        self.rows.iter().flat_map(|r| r.held.iter()).filter_map(value)
    }

    /// The row nearest x, if any.
    pub fn row_near(&self, x: f64) -> Option<&RowPoint> {
        let i = self.rows.partition_point(|r| r.x < x);
        let after = self.rows.get(i);
        let before = i.checked_sub(1).and_then(|j| self.rows.get(j));
        match (before, after) {
            (Some(b), Some(a)) => Some(if (x - b.x) <= (a.x - x) { b } else { a }),
            (b, a) => b.or(a),
        }
    }

    /// The hover readout at x: the date, then the front-month futures (named), each held
    /// option (with its colour, and its price's own date when carried forward) and the
    /// cumulative P&L.
    pub fn readout(&self, x: f64) -> Option<Readout> {
        let row = self.row_near(x)?;
        let mut lines = Vec::with_capacity(row.held.len() + 2);
        if let Some(f) = row.futures {
            let contract = row.front.as_deref().unwrap_or("?");
            let rolled = self.front_rolls.iter().any(|(rx, _)| *rx == row.x);
            let note = if rolled { " — rolled to this contract" } else { "" };
            lines.push(ReadoutLine {
                text: format!("Front-month futures {contract}: {f:.4} {}{note}", self.unit),
                swatch: Some(BLACK),
            });
        }
        for h in &row.held {
            let symbol = self.options.get(h.column).map_or("?", |o| o.symbol.as_str());
            let mut text = format!("{symbol}: {:.2}¢", h.price_cents);
            if let Some(d) = h.delta {
                text.push_str(&format!(" · Δ {d:.3}"));
            }
            if let Some(v) = h.iv_pct {
                text.push_str(&format!(" · IV {v:.1}%"));
            }
            if h.stale {
                text.push_str(&format!(" · price of {} (carried forward)", h.price_date));
            }
            lines.push(ReadoutLine { text, swatch: Some(option_color(h.column)) });
        }
        lines.push(ReadoutLine { text: format!("Cumulative P&L {}", usd(row.pnl)), swatch: Some(PNL_COLOR) });
        for (i, (label, pnl)) in self.legs.iter().zip(&row.leg_pnl).enumerate() {
            lines.push(ReadoutLine { text: format!("{label}: {}", usd(*pnl)), swatch: Some(leg_color(i)) });
        }
        Some(Readout { x: row.x, date: row.date, lines })
    }

    /// The implied-vol axis: up to the 98th percentile of the values (padded) unless
    /// `show_all`, and how many points lie above it (drawn at the edge).
    pub fn iv_scale(&self, show_all: bool) -> IvScale {
        let mut values: Vec<f64> = self.held_values(|h| h.iv_pct).collect();
        let (lo, hi) = padded(values.iter().copied(), Some(0.0));
        if show_all || values.len() < 20 {
            return IvScale { range: (lo, hi), clipped: 0 };
        }
        values.sort_unstable_by(f64::total_cmp);
        let k = ((values.len() as f64 * 0.98).ceil() as usize).clamp(1, values.len()) - 1;
        let p98 = values[k];
        let cap = p98 + (p98 - values[0]).max(1.0) * 0.1;
        if cap >= hi {
            return IvScale { range: (lo, hi), clipped: 0 };
        }
        let clipped = values.iter().filter(|v| **v > cap).count();
        IvScale { range: (lo, cap), clipped }
    }

    /// The data behind a chart as a text table (its alternative for screen readers and
    /// for reading exact values).
    pub fn table(&self, kind: ChartKind) -> DataTable {
        let cells = |r: &RowPoint, h: &HeldPoint, value: String| {
            let symbol = self.options.get(h.column).map_or("?", |o| o.symbol.as_str()).to_owned();
            let date = if h.stale { format!("{} (carried forward)", h.price_date) } else { h.price_date.to_string() };
            vec![r.date.to_string(), symbol, value, date]
        };
        let per_option = |header: &str, value: &dyn Fn(&HeldPoint) -> Option<String>| DataTable {
            headers: ["Date", "Option", header, "Price date"].map(str::to_owned).to_vec(),
            rows: self
                .rows
                .iter()
                .flat_map(|r| r.held.iter().filter_map(move |h| Some(cells(r, h, value(h)?))))
                .collect(),
        };
        match kind {
            ChartKind::Futures => DataTable {
                headers: ["Date", "Front month", self.unit.as_str()].map(str::to_owned).to_vec(),
                rows: self
                    .rows
                    .iter()
                    .filter_map(|r| {
                        let f = r.futures?;
                        Some(vec![r.date.to_string(), r.front.clone().unwrap_or_default(), format!("{f:.4}")])
                    })
                    .collect(),
            },
            ChartKind::Options => per_option(&self.option_unit(), &|h| Some(format!("{:.2}", h.price_cents))),
            ChartKind::Deltas => per_option("|delta|", &|h| h.delta.map(|d| format!("{d:.3}"))),
            ChartKind::Ivs => per_option("IV %", &|h| h.iv_pct.map(|v| format!("{v:.1}"))),
            ChartKind::Pnl => DataTable {
                headers: ["Date".to_owned(), "Cumulative P&L".to_owned()]
                    .into_iter()
                    .chain(self.legs.clone())
                    .collect(),
                rows: self
                    .rows
                    .iter()
                    .map(|r| {
                        [r.date.to_string(), usd(r.pnl)].into_iter().chain(r.leg_pnl.iter().map(|v| usd(*v))).collect()
                    })
                    .collect(),
            },
        }
    }
}

/// Hundredths of a price unit: `USD/gal` → `¢/gal`.
fn hundredths(unit: &str) -> String {
    format!("¢/{}", unit.strip_prefix("USD/").unwrap_or(unit))
}

/// Which chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// The front-month futures with its rolls.
    Futures,
    /// Each held option's price.
    Options,
    /// |delta| with the band.
    Deltas,
    /// Implied vol.
    Ivs,
    /// Cumulative P&L.
    Pnl,
}

impl ChartKind {
    /// Every chart, in page order.
    pub const ALL: [ChartKind; 5] = [Self::Futures, Self::Options, Self::Deltas, Self::Ivs, Self::Pnl];

    /// The caption, prices in `unit` (`USD/gal`; options in its hundredths, `¢/gal`).
    pub fn title(self, unit: &str) -> String {
        match self {
            Self::Futures => format!("Front-month futures ({unit}); ┆ = the front month rolled to the next contract"),
            Self::Options => {
                format!("Held options' prices ({}); ▲ = chosen; ○ = carried-forward price", hundredths(unit))
            }
            Self::Deltas => "Each option's |delta|; shaded: target band; ○ = on a carried-forward price".to_owned(),
            Self::Ivs => "Each option's implied vol (%); ○ = on a carried-forward price".to_owned(),
            Self::Pnl => "Cumulative P&L (USD); ▲ = roll".to_owned(),
        }
    }

    /// The canvas's element id.
    pub fn id(self) -> &'static str {
        match self {
            Self::Futures => "chart-prices",
            Self::Options => "chart-options",
            Self::Deltas => "chart-deltas",
            Self::Ivs => "chart-ivs",
            Self::Pnl => "chart-pnl",
        }
    }
}

/// The implied-vol chart's axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IvScale {
    /// y from, to.
    pub range: (f64, f64),
    /// Points above the axis (drawn at its top edge).
    pub clipped: usize,
}

/// A chart's data as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataTable {
    /// Column headers.
    pub headers: Vec<String>,
    /// Cells, one `Vec` per row.
    pub rows: Vec<Vec<String>>,
}

/// One line of the hover box.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadoutLine {
    /// What it says.
    pub text: String,
    /// The series' colour.
    pub swatch: Option<RGBColor>,
}

impl ReadoutLine {
    /// The swatch as CSS.
    pub fn css_color(&self) -> Option<String> {
        self.swatch.map(|RGBColor(r, g, b)| format!("rgb({r}, {g}, {b})"))
    }
}

/// What the hover box shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Readout {
    /// x of the row (for the cursor line).
    pub x: f64,
    /// The row's date.
    pub date: NaiveDate,
    /// One line per value.
    pub lines: Vec<ReadoutLine>,
}

/// Sizes scaled for the device (1 on a plain screen, 2 on a retina one).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartStyle {
    /// Device pixels per CSS pixel.
    pub scale: f64,
    /// The option column drawn bold, the others faded.
    pub highlight: Option<usize>,
}

impl Default for ChartStyle {
    fn default() -> Self {
        Self { scale: 1.0, highlight: None }
    }
}

impl ChartStyle {
    pub(crate) fn px(&self, css: f64) -> u32 {
        (css * self.scale).round().max(1.0) as u32
    }

    pub(crate) fn font(&self, css: f64) -> TextStyle<'static> {
        ("sans-serif", css * self.scale).into_font().color(&RGBColor(60, 60, 60))
    }
}

/// Where the plotting area landed, to map the pointer back to x.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlotFrame {
    /// Left edge of the plotting area, backend pixels.
    pub left: i32,
    /// Right edge, backend pixels.
    pub right: i32,
    /// Top edge, backend pixels.
    pub top: i32,
    /// Bottom edge, backend pixels.
    pub bottom: i32,
    /// x at the left edge.
    pub x_min: f64,
    /// x at the right edge.
    pub x_max: f64,
}

impl PlotFrame {
    /// x under backend pixel column `px` (clamped to the range).
    pub fn x_at(&self, px: f64) -> f64 {
        let width = f64::from((self.right - self.left).max(1));
        let t = ((px - f64::from(self.left)) / width).clamp(0.0, 1.0);
        self.x_min + t * (self.x_max - self.x_min)
    }

    /// Backend pixel column of x.
    pub fn px_at(&self, x: f64) -> f64 {
        let span = (self.x_max - self.x_min).max(f64::EPSILON);
        f64::from(self.left) + (x - self.x_min) / span * f64::from(self.right - self.left)
    }
}

/// What a draw produced.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Drawn {
    /// The plotting area.
    pub frame: PlotFrame,
    /// Option series drawn (one per held option with values).
    pub option_series: usize,
}

/// A range padded by 5% (and widened when flat).
pub(crate) fn padded(values: impl Iterator<Item = f64>, floor: Option<f64>) -> (f64, f64) {
    let (mut lo, mut hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    if hi - lo < 1e-9 {
        lo -= 0.5;
        hi += 0.5;
    }
    let pad = (hi - lo) * 0.05;
    let lo = floor.map_or(lo - pad, |f| (lo - pad).max(f));
    (lo, hi + pad)
}

fn date_format(span_days: f64) -> &'static str {
    if span_days > 400.0 {
        "%b %Y"
    } else {
        "%d %b"
    }
}

/// How many x labels fit in `width` backend pixels.
fn x_label_count(width: u32, style: &ChartStyle) -> usize {
    ((f64::from(width) / (style.scale * 90.0)) as usize).clamp(2, 10)
}

/// A chart whose two axes are `f64` (x in days, y in the chart's unit).
type Plot<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Fills `root` white and starts a chart on it with the margin and the label areas every
/// chart has.
pub(crate) fn start_chart<'a, 'b, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    style: &ChartStyle,
) -> Result<ChartBuilder<'a, 'b, DB>, ChartError> {
    root.fill(&WHITE).map_err(chart_err)?;
    let mut builder = ChartBuilder::on(root);
    builder.margin(style.px(8.0)).x_label_area_size(style.px(24.0)).y_label_area_size(style.px(44.0));
    Ok(builder)
}

/// The grid, the dates along x and the left axis, described by `desc`, its ticks written
/// by `y_label`.
fn draw_mesh<DB: DrawingBackend>(
    chart: &mut Plot<'_, DB>,
    root: &DrawingArea<DB, Shift>,
    data: &ChartData,
    style: &ChartStyle,
    y_label: &dyn Fn(&f64) -> String,
    desc: &str,
) -> Result<(), ChartError> {
    let (x0, x1) = data.x_range();
    let fmt = date_format(x1 - x0);
    let label = |x: &f64| data.date_at(*x).format(fmt).to_string();
    chart
        .configure_mesh()
        .x_labels(x_label_count(root.dim_in_pixel().0, style))
        .y_labels(6)
        .x_label_formatter(&label)
        .y_label_formatter(y_label)
        .label_style(style.font(11.0))
        .axis_desc_style(style.font(11.0))
        .y_desc(desc)
        .light_line_style(RGBColor(238, 238, 238))
        .bold_line_style(RGBColor(215, 215, 215))
        .draw()
        .map_err(chart_err)
}

/// Hands each option whose series (picked by `value`) has points to `draw`, with the
/// points and the option's colour; says how many it drew.
fn draw_each_option(
    data: &ChartData,
    value: impl Fn(&HeldPoint) -> Option<f64>,
    mut draw: impl FnMut(usize, &OptionSeries, Vec<(f64, f64)>, RGBColor) -> Result<(), ChartError>,
) -> Result<usize, ChartError> {
    let mut drawn = 0;
    for (i, option) in data.options.iter().enumerate() {
        let points = data.series(i, &value);
        if points.is_empty() {
            continue;
        }
        draw(i, option, points, option_color(i))?;
        drawn += 1;
    }
    Ok(drawn)
}

/// Presents `root`; `area` is the plotting area, spanning `x`.
pub(crate) fn finish<DB: DrawingBackend, X: Ranged, Y: Ranged>(
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Cartesian2d<X, Y>>,
    x: (f64, f64),
    option_series: usize,
) -> Result<Drawn, ChartError> {
    let (xs, ys) = area.get_pixel_range();
    let frame = PlotFrame { left: xs.start, right: xs.end, top: ys.start, bottom: ys.end, x_min: x.0, x_max: x.1 };
    root.present().map_err(chart_err)?;
    Ok(Drawn { frame, option_series })
}

/// The front-month futures (USD/gal, black), with a dashed vertical line where the front
/// month rolled to the next contract (the jump in the line is a change of contract).
pub fn draw_prices<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ChartData,
    style: &ChartStyle,
) -> Result<Drawn, ChartError> {
    let (x0, x1) = data.x_range();
    let futures = data.futures();
    let (f0, f1) = padded(futures.iter().map(|p| p.1), None);
    let mut chart =
        start_chart(root, style)?.margin_right(style.px(16.0)).build_cartesian_2d(x0..x1, f0..f1).map_err(chart_err)?;
    draw_mesh(&mut chart, root, data, style, &|v| format!("{v:.2}"), &format!("front month {}", data.unit))?;
    let roll_style = ROLL_COLOR.stroke_width(style.px(1.0));
    for (x, _) in &data.front_rolls {
        chart
            .draw_series(DashedLineSeries::new([(*x, f0), (*x, f1)], style.px(3.0), style.px(3.0), roll_style))
            .map_err(chart_err)?;
    }
    chart.draw_series(LineSeries::new(futures, BLACK.stroke_width(style.px(1.5)))).map_err(chart_err)?;
    finish(root, chart.plotting_area(), (x0, x1), 0)
}

/// Each held option's price (¢/gal, one colour per option) on its own axis, with a ▲
/// where it was chosen.
pub fn draw_options<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ChartData,
    style: &ChartStyle,
) -> Result<Drawn, ChartError> {
    let range = padded(data.held_values(|h| Some(h.price_cents)), Some(0.0));
    let desc = format!("options {}", data.option_unit());
    let panel = Panel { range, desc: &desc, band: None, roll_markers: true };
    draw_option_values(root, data, style, &panel, &|h| Some(h.price_cents))
}

/// Each held option's |delta| over time, with the target band shaded and the target dashed;
/// the axis fits the values and the band.
pub fn draw_deltas<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ChartData,
    style: &ChartStyle,
) -> Result<Drawn, ChartError> {
    let panel =
        Panel { range: data.delta_range(), desc: "|delta|", band: Some(data.band_bounds()), roll_markers: false };
    draw_option_values(root, data, style, &panel, &|h| h.delta)
}

/// Each held option's implied vol (percent) over time, on the axis of
/// [`ChartData::iv_scale`]: values above it are drawn at its top edge with a hollow ▲.
pub fn draw_ivs<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ChartData,
    style: &ChartStyle,
    show_all: bool,
) -> Result<Drawn, ChartError> {
    let panel = Panel { range: data.iv_scale(show_all).range, desc: "implied vol %", band: None, roll_markers: false };
    draw_option_values(root, data, style, &panel, &|h| h.iv_pct)
}

impl ChartData {
    /// Target ± band.
    pub fn band_bounds(&self) -> [f64; 2] {
        [self.target - self.band, self.target + self.band]
    }

    /// The |delta| axis: the values and the band, padded, inside 0–1.
    pub fn delta_range(&self) -> (f64, f64) {
        let (lo, hi) = padded(self.held_values(|h| h.delta).chain(self.band_bounds()), Some(0.0));
        (lo, hi.min(1.0))
    }
}

/// The colour of the front month's roll lines.
pub const ROLL_COLOR: RGBColor = RGBColor(120, 120, 120);

/// How an option-values chart is set up.
struct Panel<'a> {
    range: (f64, f64),
    desc: &'a str,
    band: Option<[f64; 2]>,
    roll_markers: bool,
}

fn draw_option_values<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ChartData,
    style: &ChartStyle,
    panel: &Panel,
    value: &dyn Fn(&HeldPoint) -> Option<f64>,
) -> Result<Drawn, ChartError> {
    let (x0, x1) = data.x_range();
    let (y0, y1) = panel.range;
    let mut chart =
        start_chart(root, style)?.margin_right(style.px(16.0)).build_cartesian_2d(x0..x1, y0..y1).map_err(chart_err)?;
    if let Some([lo, hi]) = panel.band {
        chart
            .draw_series(std::iter::once(Rectangle::new([(x0, lo), (x1, hi)], BAND_COLOR.mix(0.35).filled())))
            .map_err(chart_err)?;
    }
    let y_label = |v: &f64| if y1 - y0 <= 2.0 { format!("{v:.2}") } else { format!("{v:.0}") };
    draw_mesh(&mut chart, root, data, style, &y_label, panel.desc)?;
    if panel.band.is_some() {
        let target = [(x0, data.target), (x1, data.target)];
        chart
            .draw_series(DashedLineSeries::new(
                target,
                style.px(6.0),
                style.px(4.0),
                RGBColor(150, 110, 0).stroke_width(style.px(1.0)),
            ))
            .map_err(chart_err)?;
    }
    let drawn = draw_each_option(data, value, |column, option, points, color| {
        let clamped = points.iter().map(|&(x, y)| (x, y.clamp(y0, y1)));
        let line = match style.highlight {
            Some(h) if h == column => color.stroke_width(style.px(3.5)),
            Some(_) => color.mix(0.25).stroke_width(style.px(1.0)),
            None => color.stroke_width(style.px(1.5)),
        };
        chart.draw_series(LineSeries::new(clamped, line)).map_err(chart_err)?;
        let hollow = color.stroke_width(style.px(1.0));
        let clipped =
            points.iter().filter(|p| p.1 > y1).map(|&(x, _)| TriangleMarker::new((x, y1), style.px(4.0), hollow));
        chart.draw_series(clipped).map_err(chart_err)?;
        let stale: Vec<_> = data.stale_points(column, value).into_iter().filter(|p| p.1 <= y1).collect();
        chart.draw_series(stale.iter().map(|&p| Circle::new(p, style.px(3.0), WHITE.filled()))).map_err(chart_err)?;
        chart.draw_series(stale.iter().map(|&p| Circle::new(p, style.px(3.0), hollow))).map_err(chart_err)?;
        if panel.roll_markers {
            if let Some(marker) = option.roll_x.and_then(|x| points.iter().find(|p| p.0 >= x)) {
                chart
                    .draw_series(std::iter::once(TriangleMarker::new(*marker, style.px(5.0), color.filled())))
                    .map_err(chart_err)?;
            }
        }
        Ok(())
    })?;
    finish(root, chart.plotting_area(), (x0, x1), drawn)
}

/// The cumulative P&L (USD) over time, with the zero line and a marker, in the option's
/// colour, on each roll day; with several legs, each leg's cumulative P&L too, thinner.
pub fn draw_pnl<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ChartData,
    style: &ChartStyle,
) -> Result<Drawn, ChartError> {
    let (x0, x1) = data.x_range();
    let points: Vec<(f64, f64)> = data.rows.iter().map(|r| (r.x, r.pnl)).collect();
    let legs: Vec<Vec<(f64, f64)>> = (0..data.legs.len())
        .map(|leg| data.rows.iter().filter_map(|r| Some((r.x, *r.leg_pnl.get(leg)?))).collect())
        .collect();
    let (y0, y1) = padded(points.iter().chain(legs.iter().flatten()).map(|p| p.1).chain([0.0]), None);
    let mut chart =
        start_chart(root, style)?.margin_right(style.px(16.0)).build_cartesian_2d(x0..x1, y0..y1).map_err(chart_err)?;
    draw_mesh(&mut chart, root, data, style, &|v| format!("{v:.0}"), "cumulative P&L USD")?;
    let zero = RGBColor(150, 150, 150).stroke_width(style.px(1.0));
    chart.draw_series(LineSeries::new([(x0, 0.0), (x1, 0.0)], zero)).map_err(chart_err)?;
    for (i, leg) in legs.iter().enumerate() {
        chart
            .draw_series(LineSeries::new(leg.iter().copied(), leg_color(i).stroke_width(style.px(1.0))))
            .map_err(chart_err)?;
    }
    chart
        .draw_series(LineSeries::new(points.iter().copied(), PNL_COLOR.stroke_width(style.px(1.5))))
        .map_err(chart_err)?;
    let markers = data.options.iter().enumerate().filter_map(|(i, option)| {
        let x = option.roll_x?;
        let at = points.iter().find(|p| p.0 >= x)?;
        Some(TriangleMarker::new(*at, style.px(5.0), option_color(i).filled()))
    });
    chart.draw_series(markers).map_err(chart_err)?;
    finish(root, chart.plotting_area(), (x0, x1), 1)
}

#[cfg(test)]
pub(crate) mod tests {
    use std::cell::RefCell;
    use std::rc::Rc;

    use chrono::NaiveDate;
    use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind};

    use super::*;
    use crate::engine;
    use crate::state::form::default_spec;

    fn report(months: u32) -> Report {
        let mut spec = default_spec();
        spec.end = NaiveDate::from_ymd_opt(2025, months, 28).unwrap();
        engine::run_demo(&spec).unwrap()
    }

    type Paths = Rc<RefCell<Vec<((u8, u8, u8), usize)>>>;

    /// Records every path drawn: its colour and number of points.
    struct Recorder {
        size: (u32, u32),
        paths: Paths,
    }

    impl DrawingBackend for Recorder {
        type ErrorType = std::io::Error;
        fn get_size(&self) -> (u32, u32) {
            self.size
        }
        fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            Ok(())
        }
        fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            Ok(())
        }
        fn draw_pixel(&mut self, _: BackendCoord, _: BackendColor) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            Ok(())
        }
        fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
            &mut self,
            path: I,
            style: &S,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            let n = path.into_iter().count();
            self.paths.borrow_mut().push((style.color().rgb, n));
            Ok(())
        }
        /// Circles are recorded as paths of no points.
        fn draw_circle<S: BackendStyle>(
            &mut self,
            _: BackendCoord,
            _: u32,
            style: &S,
            _: bool,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.paths.borrow_mut().push((style.color().rgb, 0));
            Ok(())
        }
        fn draw_text<T: BackendTextStyle>(
            &mut self,
            _: &str,
            _: &T,
            _: BackendCoord,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            Ok(())
        }
    }

    /// A bitmap that skips text (native plotters has no font without system font crates;
    /// the browser's canvas draws the text).
    pub(crate) struct Textless<'a>(pub(crate) BitMapBackend<'a>);

    impl DrawingBackend for Textless<'_> {
        type ErrorType = <BitMapBackend<'static> as DrawingBackend>::ErrorType;
        fn get_size(&self) -> (u32, u32) {
            self.0.get_size()
        }
        fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.0.ensure_prepared()
        }
        fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.0.present()
        }
        fn draw_pixel(&mut self, p: BackendCoord, c: BackendColor) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.0.draw_pixel(p, c)
        }
        fn draw_line<S: BackendStyle>(
            &mut self,
            from: BackendCoord,
            to: BackendCoord,
            style: &S,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.0.draw_line(from, to, style)
        }
        fn draw_rect<S: BackendStyle>(
            &mut self,
            a: BackendCoord,
            b: BackendCoord,
            style: &S,
            fill: bool,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.0.draw_rect(a, b, style, fill)
        }
        fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
            &mut self,
            path: I,
            style: &S,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.0.draw_path(path, style)
        }
        fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
            &mut self,
            vert: I,
            style: &S,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.0.fill_polygon(vert, style)
        }
        fn draw_text<T: BackendTextStyle>(
            &mut self,
            _: &str,
            _: &T,
            _: BackendCoord,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            Ok(())
        }
    }

    #[test]
    fn each_chart_draws_one_series_per_held_option() {
        let report = report(4);
        let data = ChartData::from_report(&report);
        let columns = report.columns.len();
        assert!((2..PALETTE.len()).contains(&columns), "{columns} columns");
        let colors: Vec<_> = (0..columns).map(|i| option_color(i).rgb()).collect();
        type Draw = fn(&DrawingArea<Recorder, Shift>, &ChartData, &ChartStyle) -> Result<Drawn, ChartError>;
        let ivs: Draw = |root, data, style| draw_ivs(root, data, style, false);
        for draw in [draw_options as Draw, draw_deltas as Draw, ivs] {
            let paths = Paths::default();
            let root = Recorder { size: (900, 300), paths: paths.clone() }.into_drawing_area();
            let drawn = draw(&root, &data, &ChartStyle::default()).unwrap();
            assert_eq!(drawn.option_series, columns);
            let mut seen: Vec<_> =
                paths.borrow().iter().filter(|(c, n)| *n > 1 && colors.contains(c)).map(|(c, _)| *c).collect();
            assert_eq!(seen.len(), columns, "one path per option");
            seen.sort_unstable();
            seen.dedup();
            assert_eq!(seen.len(), columns, "each option in its own colour");
        }
    }

    #[test]
    fn charts_fill_a_bitmap_with_ink_at_phone_and_desktop_widths() {
        let data = ChartData::from_report(&report(6));
        for (w, h) in [(360u32, 220u32), (1200, 320)] {
            let mut buffer = vec![0u8; (w * h * 3) as usize];
            {
                let root = Textless(BitMapBackend::with_buffer(&mut buffer, (w, h))).into_drawing_area();
                let drawn = draw_options(&root, &data, &ChartStyle::default()).unwrap();
                assert!(drawn.frame.left > 0 && drawn.frame.right < w as i32 && drawn.frame.left < drawn.frame.right);
            }
            let ink = buffer.chunks(3).filter(|p| p != &[255, 255, 255]).count();
            let share = ink as f64 / f64::from(w * h);
            assert!(share > 0.02 && share < 0.6, "{w}x{h}: {share}");
            // Coloured (non-grey) pixels: the option series are there.
            let coloured = buffer.chunks(3).filter(|p| p.iter().max().unwrap() - p.iter().min().unwrap() > 60).count();
            assert!(coloured > 200, "{w}x{h}: {coloured} coloured pixels");
        }
    }

    #[test]
    fn the_readout_names_the_date_and_every_held_option() {
        let report = report(3);
        let data = ChartData::from_report(&report);
        let readout = data.readout(10.2).unwrap();
        assert_eq!(
            readout.date,
            data.rows.iter().min_by(|a, b| (a.x - 10.2).abs().total_cmp(&(b.x - 10.2).abs())).unwrap().date
        );
        assert!(readout.lines[0].text.starts_with("Front-month futures HO"), "{:?}", readout.lines);
        assert_eq!(readout.lines[0].swatch, Some(BLACK));
        let held = report.rows.iter().find(|r| r.date == readout.date).unwrap().held.iter().flatten().count();
        assert_eq!(readout.lines.len(), held + 2);
        assert!(readout.lines.last().unwrap().text.starts_with("Cumulative P&L "), "{:?}", readout.lines);
        assert!(readout.lines[1].text.contains("¢") && readout.lines[1].text.contains("Δ"), "{:?}", readout.lines);
        let first_held =
            report.rows.iter().find(|r| r.date == readout.date).unwrap().held.iter().position(Option::is_some);
        assert_eq!(readout.lines[1].swatch, first_held.map(option_color));
        assert_eq!(readout.lines[1].css_color().is_some(), first_held.is_some());
        assert_eq!(data.readout(-50.0).unwrap().date, data.origin);
        assert_eq!(data.readout(1e9).unwrap().date, report.rows.last().unwrap().date);
    }

    #[test]
    fn a_strangle_draws_each_legs_pnl_beside_the_total() {
        let mut spec = default_spec();
        spec.end = NaiveDate::from_ymd_opt(2025, 6, 28).unwrap();
        spec.legs = deltaroll_core::legs::parse_legs("short:call:0.15,short:put:0.15", 2).unwrap();
        let strangle = engine::run_demo(&spec).unwrap();
        let data = ChartData::from_report(&strangle);
        assert_eq!(data.legs, ["short 1 call 0.15", "short 1 put 0.15"]);
        let last = data.rows.last().unwrap();
        assert!((last.leg_pnl.iter().sum::<f64>() - last.pnl).abs() < 1e-6, "the legs add up to the total");
        let paths = Paths::default();
        let root = Recorder { size: (900, 300), paths: paths.clone() }.into_drawing_area();
        draw_pnl(&root, &data, &ChartStyle::default()).unwrap();
        for color in [PNL_COLOR, leg_color(0), leg_color(1)] {
            let drawn = paths.borrow().iter().filter(|(c, n)| *c == color.rgb() && *n > 1).count();
            assert_eq!(drawn, 1, "{color:?}");
        }
        let table = data.table(ChartKind::Pnl);
        assert_eq!(table.headers, ["Date", "Cumulative P&L", "short 1 call 0.15", "short 1 put 0.15"]);
        assert!(table.rows.iter().all(|r| r.len() == 4));
        let readout = data.readout(last.x).unwrap();
        assert!(readout.lines.iter().any(|l| l.text.starts_with("short 1 put 0.15: ")));
        assert!(ChartData::from_report(&report(2)).legs.is_empty(), "one leg: the total only");
    }

    #[test]
    fn the_pnl_chart_draws_the_cumulative_pnl_through_every_row() {
        let report = report(6);
        let data = ChartData::from_report(&report);
        assert_eq!(data.rows.last().unwrap().pnl, report.pnl.summary.total);
        let paths = Paths::default();
        let root = Recorder { size: (900, 300), paths: paths.clone() }.into_drawing_area();
        draw_pnl(&root, &data, &ChartStyle::default()).unwrap();
        let lines: Vec<usize> = paths.borrow().iter().filter(|(c, _)| *c == PNL_COLOR.rgb()).map(|(_, n)| *n).collect();
        assert_eq!(lines.len(), 1);
        assert!(lines[0] > 1 && lines[0] <= data.rows.len(), "{lines:?} of {} rows", data.rows.len());
        let (w, h) = (360u32, 220u32);
        let mut buffer = vec![0u8; (w * h * 3) as usize];
        {
            let root = Textless(BitMapBackend::with_buffer(&mut buffer, (w, h))).into_drawing_area();
            draw_pnl(&root, &data, &ChartStyle::default()).unwrap();
        }
        let green = buffer
            .chunks(3)
            .map(|p| p.iter().map(|&c| i32::from(c)).collect::<Vec<_>>())
            .filter(|p| p[1] > p[0] + 60 && p[1] > p[2] + 30)
            .count();
        assert!(green > 100, "{green} pixels of the P&L line");
    }

    /// Coloured pixels in row `y` of an RGB buffer `w` wide.
    fn coloured_in_row(buffer: &[u8], w: u32, y: i32) -> usize {
        let row = &buffer[(y as usize * w as usize * 3)..((y as usize + 1) * w as usize * 3)];
        row.chunks(3).filter(|p| p.iter().max().unwrap() - p.iter().min().unwrap() > 60).count()
    }

    #[test]
    fn the_iv_axis_fits_the_bulk_and_marks_the_spikes_at_its_edge() {
        let mut data = ChartData::from_report(&report(6));
        let unclipped = data.iv_scale(false);
        let values: Vec<f64> = data.held_values(|h| h.iv_pct).collect();
        assert!(values.len() > 50);
        // Spikes near expiry: a handful of points at 10x the usual vol.
        let mut spiked = 0;
        for row in data.rows.iter_mut().step_by(60) {
            if let Some(h) = row.held.first_mut() {
                h.iv_pct = Some(300.0);
                spiked += 1;
            }
        }
        let scale = data.iv_scale(false);
        assert!(scale.range.1 < 150.0 && scale.range.1 >= unclipped.range.1 * 0.8, "{scale:?} vs {unclipped:?}");
        assert!(scale.clipped >= spiked && scale.clipped <= spiked + unclipped.clipped, "{scale:?}");
        let all = data.iv_scale(true);
        assert!(all.range.1 > 300.0 && all.clipped == 0, "{all:?}");
        // Clipped points are drawn on the top edge; with "show all" they are not.
        let (w, h) = (900u32, 300u32);
        for (show_all, expect_edge) in [(false, true), (true, false)] {
            let mut buffer = vec![0u8; (w * h * 3) as usize];
            let top = {
                let root = Textless(BitMapBackend::with_buffer(&mut buffer, (w, h))).into_drawing_area();
                draw_ivs(&root, &data, &ChartStyle::default(), show_all).unwrap().frame.top
            };
            let near_top = (top..top + 3).map(|y| coloured_in_row(&buffer, w, y)).sum::<usize>();
            assert_eq!(near_top > 0, expect_edge, "show_all {show_all}: {near_top}");
        }
    }

    #[test]
    fn the_delta_axis_fits_the_values_and_shows_the_band() {
        let data = ChartData::from_report(&report(6));
        let (lo, hi) = data.delta_range();
        let [b0, b1] = data.band_bounds();
        assert!(lo <= b0 && hi >= b1, "{lo}..{hi} vs band {b0}..{b1}");
        assert!(data.held_values(|h| h.delta).all(|d| d >= lo && d <= hi));
        assert!(hi - lo < 0.8, "the axis is fitted, not 0–1: {lo}..{hi}");
    }

    #[test]
    fn the_futures_panel_names_and_marks_the_front_months_rolls() {
        let data = ChartData::from_report(&report(6));
        assert!(data.front_rolls.len() >= 3, "{:?}", data.front_rolls);
        let (x, contract) = data.front_rolls[0].clone();
        let row = data.rows.iter().find(|r| r.x == x).unwrap();
        assert_eq!(row.front.as_deref(), Some(contract.as_str()));
        let readout = data.readout(x).unwrap();
        assert!(readout.lines[0].text.contains(&contract) && readout.lines[0].text.contains("rolled"), "{readout:?}");
        let paths = Paths::default();
        let root = Recorder { size: (900, 300), paths: paths.clone() }.into_drawing_area();
        let drawn = draw_prices(&root, &data, &ChartStyle::default()).unwrap();
        assert_eq!(drawn.option_series, 0, "option prices have their own panel");
        let roll_lines = paths.borrow().iter().filter(|(c, _)| *c == ROLL_COLOR.rgb()).count();
        assert!(roll_lines >= data.front_rolls.len(), "{roll_lines} dashes for {} rolls", data.front_rolls.len());
    }

    #[test]
    fn carried_forward_prices_are_named_in_the_readout_and_drawn_hollow() {
        let mut data = ChartData::from_report(&report(4));
        let i = data.rows.iter().position(|r| !r.held.is_empty()).unwrap() + 3;
        let earlier = data.rows[i - 1].date;
        let (x, held) = (data.rows[i].x, data.rows[i].held[0]);
        data.rows[i].held[0] = HeldPoint { price_date: earlier, stale: true, ..held };
        let line = data.readout(x).unwrap().lines[1].text.clone();
        assert!(line.contains(&format!("price of {earlier}")), "{line}");
        assert!(data.stale_points(held.column, |h| Some(h.price_cents)).contains(&(x, held.price_cents)));
        let paths = Paths::default();
        let root = Recorder { size: (900, 300), paths: paths.clone() }.into_drawing_area();
        draw_options(&root, &data, &ChartStyle::default()).unwrap();
        let color = option_color(held.column).rgb();
        // A white dot ringed in the option's colour.
        let rings = paths.borrow().iter().filter(|(c, n)| *c == color && *n == 0).count();
        let dots = paths.borrow().iter().filter(|(c, n)| *c == WHITE.rgb() && *n == 0).count();
        assert!(rings >= 1 && dots >= rings, "{rings} rings, {dots} dots");
        // The demo carries prices forward too (weekend rows): each is flagged by its own date.
        let demo = ChartData::from_report(&report(4));
        let stale = demo.rows.iter().find(|r| r.held.iter().any(|h| h.stale)).unwrap();
        assert!(stale.held.iter().all(|h| h.stale == (h.price_date < stale.date)));
        assert!(demo.readout(stale.x).unwrap().lines.iter().any(|l| l.text.contains("carried forward")));
    }

    #[test]
    fn each_chart_has_a_data_table() {
        let data = ChartData::from_report(&report(3));
        let held: usize = data.rows.iter().map(|r| r.held.len()).sum();
        for kind in ChartKind::ALL {
            let table = data.table(kind);
            assert!(!table.rows.is_empty(), "{kind:?}");
            assert!(table.rows.iter().all(|r| r.len() == table.headers.len()), "{kind:?}");
            match kind {
                ChartKind::Options => assert_eq!(table.rows.len(), held),
                ChartKind::Pnl => assert_eq!(table.rows.len(), data.rows.len()),
                ChartKind::Futures => assert!(table.rows[0][1].starts_with("HO"), "{:?}", table.rows[0]),
                _ => assert!(table.rows.len() <= held),
            }
        }
    }

    #[test]
    fn a_highlighted_option_is_drawn_bold_and_the_others_faded() {
        let data = ChartData::from_report(&report(6));
        let symbol = data.options[1].symbol.clone();
        assert_eq!(data.column_of(&symbol), Some(1));
        assert_eq!(data.column_of("nope"), None);
        let held = data.rows.iter().find(|r| r.held.iter().any(|h| h.column == 1)).unwrap();
        assert!(data.held_symbols(held.x).contains(&symbol));
        let (w, h) = (900u32, 300u32);
        let count = |highlight: Option<usize>, column: usize| {
            let mut buffer = vec![0u8; (w * h * 3) as usize];
            {
                let root = Textless(BitMapBackend::with_buffer(&mut buffer, (w, h))).into_drawing_area();
                draw_options(&root, &data, &ChartStyle { highlight, ..ChartStyle::default() }).unwrap();
            }
            let c = option_color(column);
            buffer.chunks(3).filter(|p| p[0] == c.0 && p[1] == c.1 && p[2] == c.2).count()
        };
        assert!(count(Some(1), 1) > count(None, 1) * 3 / 2, "bold: {} vs {}", count(Some(1), 1), count(None, 1));
        assert!(count(Some(1), 0) < count(None, 0) / 2, "faded: {} vs {}", count(Some(1), 0), count(None, 0));
    }

    #[test]
    fn frames_map_pixels_to_days_and_back() {
        let frame = PlotFrame { left: 50, right: 450, top: 10, bottom: 200, x_min: 0.0, x_max: 100.0 };
        assert_eq!(frame.x_at(250.0), 50.0);
        assert_eq!(frame.x_at(0.0), 0.0);
        assert_eq!(frame.x_at(1000.0), 100.0);
        assert_eq!(frame.px_at(25.0), 150.0);
    }

    #[test]
    fn a_zoomed_chart_draws_only_the_window_and_keeps_x() {
        let data = ChartData::from_report(&report(12));
        let (from, to) = (NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(), NaiveDate::from_ymd_opt(2025, 5, 31).unwrap());
        let zoomed = data.zoomed(from, to);
        assert!(zoomed.rows.iter().all(|r| r.date >= from && r.date <= to));
        assert_eq!(zoomed.rows.len(), data.rows.iter().filter(|r| r.date >= from && r.date <= to).count());
        assert_eq!(zoomed.dates(), (zoomed.rows[0].date, zoomed.rows.last().unwrap().date));
        assert_eq!(zoomed.x_range().0, (zoomed.rows[0].date - data.origin).num_days() as f64, "x keeps its origin");
        let shown = |x: f64| (from..=to).contains(&data.date_at(x));
        for (all, cut) in data.options.iter().zip(&zoomed.options) {
            assert_eq!(cut.roll_x, all.roll_x.filter(|x| shown(*x)), "{}", all.symbol);
        }
        assert!(zoomed.front_rolls.len() < data.front_rolls.len() && !zoomed.front_rolls.is_empty());
        let root = Recorder { size: (900, 300), paths: Paths::default() }.into_drawing_area();
        let drawn = draw_prices(&root, &zoomed, &ChartStyle::default()).unwrap();
        assert_eq!((drawn.frame.x_min, drawn.frame.x_max), zoomed.x_range());
        assert_eq!(zoomed.readout(0.0).unwrap().date, zoomed.rows[0].date, "the readout snaps to the window");
    }
}
