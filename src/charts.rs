//! The four charts — futures and option prices with roll markers, each option's delta
//! with the target band, implied vol, the cumulative P&L with roll markers — drawn with plotters on any [`DrawingBackend`] (a
//! `<canvas>` in the browser, a bitmap in tests), plus the hover readout. [`ChartData`] is
//! built once per report; drawing only reads it.

use chrono::{Duration, NaiveDate};
use deltaroll_core::report::Report;

use crate::state::report_view::usd;
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

fn chart_err(e: impl std::fmt::Display) -> ChartError {
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
    /// Held options with a price that day.
    pub held: Vec<HeldPoint>,
    /// Cumulative P&L that day, USD.
    pub pnl: f64,
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

impl ChartData {
    /// The chart data of `report`.
    pub fn from_report(report: &Report) -> Self {
        let origin = report.rows.first().map_or(report.spec.start, |r| r.date);
        let x_of = |d: NaiveDate| (d - origin).num_days() as f64;
        let rows = report
            .rows
            .iter()
            .zip(&report.pnl.days)
            .map(|(row, pnl)| RowPoint {
                x: x_of(row.date),
                date: row.date,
                futures: row.front.as_ref().and_then(|f| f.price).map(|p| p.value()),
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
                        })
                    })
                    .collect(),
                pnl: pnl.cumulative,
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
        Self { origin, rows, options, target: report.spec.target_delta, band: report.spec.band, unit }
    }

    /// x from the first to the last row (at least one day wide).
    pub fn x_range(&self) -> (f64, f64) {
        let last = self.rows.last().map_or(1.0, |r| r.x);
        (0.0, last.max(1.0))
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

    /// The hover readout at x: the date, then the futures price, each held option and the
    /// cumulative P&L.
    pub fn readout(&self, x: f64) -> Option<Readout> {
        let row = self.row_near(x)?;
        let mut lines = Vec::with_capacity(row.held.len() + 1);
        if let Some(f) = row.futures {
            lines.push(format!("Futures {f:.4} {}", self.unit));
        }
        for h in &row.held {
            let symbol = self.options.get(h.column).map_or("?", |o| o.symbol.as_str());
            let mut line = format!("{symbol}: {:.2}¢", h.price_cents);
            if let Some(d) = h.delta {
                line.push_str(&format!(" · Δ {d:.3}"));
            }
            if let Some(v) = h.iv_pct {
                line.push_str(&format!(" · IV {v:.1}%"));
            }
            lines.push(line);
        }
        lines.push(format!("Cumulative P&L {}", usd(row.pnl)));
        Some(Readout { x: row.x, date: row.date, lines })
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
    pub lines: Vec<String>,
}

/// Sizes scaled for the device (1 on a plain screen, 2 on a retina one).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartStyle {
    /// Device pixels per CSS pixel.
    pub scale: f64,
}

impl Default for ChartStyle {
    fn default() -> Self {
        Self { scale: 1.0 }
    }
}

impl ChartStyle {
    fn px(&self, css: f64) -> u32 {
        (css * self.scale).round().max(1.0) as u32
    }

    fn font(&self, css: f64) -> TextStyle<'static> {
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
fn padded(values: impl Iterator<Item = f64>, floor: Option<f64>) -> (f64, f64) {
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
fn start_chart<'a, 'b, DB: DrawingBackend>(
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
    mut draw: impl FnMut(&OptionSeries, Vec<(f64, f64)>, RGBColor) -> Result<(), ChartError>,
) -> Result<usize, ChartError> {
    let mut drawn = 0;
    for (i, option) in data.options.iter().enumerate() {
        let points = data.series(i, &value);
        if points.is_empty() {
            continue;
        }
        draw(option, points, option_color(i))?;
        drawn += 1;
    }
    Ok(drawn)
}

/// Presents `root`; `area` is the plotting area, spanning `x`.
fn finish<DB: DrawingBackend, X: Ranged, Y: Ranged>(
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

/// Futures (left axis, USD/gal, black) and each held option's price (right axis, ¢/gal,
/// one colour per option) with a marker where it was chosen.
pub fn draw_prices<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ChartData,
    style: &ChartStyle,
) -> Result<Drawn, ChartError> {
    let (x0, x1) = data.x_range();
    let futures = data.futures();
    let (f0, f1) = padded(futures.iter().map(|p| p.1), None);
    let (o0, o1) = padded(data.held_values(|h| Some(h.price_cents)), Some(0.0));
    let mut chart = start_chart(root, style)?
        .right_y_label_area_size(style.px(40.0))
        .build_cartesian_2d(x0..x1, f0..f1)
        .map_err(chart_err)?
        .set_secondary_coord(x0..x1, o0..o1);
    draw_mesh(&mut chart, root, data, style, &|v| format!("{v:.2}"), &format!("futures {}", data.unit))?;
    chart
        .configure_secondary_axes()
        .y_labels(6)
        .y_label_formatter(&|v: &f64| format!("{v:.0}"))
        .label_style(style.font(11.0))
        .axis_desc_style(style.font(11.0))
        .y_desc("options ¢/gal")
        .draw()
        .map_err(chart_err)?;
    let drawn = draw_each_option(
        data,
        |h| Some(h.price_cents),
        |option, points, color| {
            chart
                .draw_secondary_series(LineSeries::new(points.iter().copied(), color.stroke_width(style.px(1.5))))
                .map_err(chart_err)?;
            if let Some(marker) = option.roll_x.and_then(|x| points.iter().find(|p| p.0 >= x)) {
                chart
                    .draw_secondary_series(std::iter::once(TriangleMarker::new(*marker, style.px(5.0), color.filled())))
                    .map_err(chart_err)?;
            }
            Ok(())
        },
    )?;
    chart.draw_series(LineSeries::new(futures, BLACK.stroke_width(style.px(1.5)))).map_err(chart_err)?;
    finish(root, chart.plotting_area(), (x0, x1), drawn)
}

/// Each held option's |delta| over time, with the target band shaded and the target dashed.
pub fn draw_deltas<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ChartData,
    style: &ChartStyle,
) -> Result<Drawn, ChartError> {
    let bounds = [data.target - data.band, data.target + data.band];
    let (_, hi) = padded(data.held_values(|h| h.delta).chain(bounds), Some(0.0));
    draw_option_values(root, data, style, (0.0, hi.min(1.0)), "|delta|", &|h| h.delta, Some(bounds))
}

/// Each held option's implied vol (percent) over time.
pub fn draw_ivs<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ChartData,
    style: &ChartStyle,
) -> Result<Drawn, ChartError> {
    let range = padded(data.held_values(|h| h.iv_pct), Some(0.0));
    draw_option_values(root, data, style, range, "implied vol %", &|h| h.iv_pct, None)
}

fn draw_option_values<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ChartData,
    style: &ChartStyle,
    (y0, y1): (f64, f64),
    desc: &str,
    value: &dyn Fn(&HeldPoint) -> Option<f64>,
    band: Option<[f64; 2]>,
) -> Result<Drawn, ChartError> {
    let (x0, x1) = data.x_range();
    let mut chart =
        start_chart(root, style)?.margin_right(style.px(16.0)).build_cartesian_2d(x0..x1, y0..y1).map_err(chart_err)?;
    if let Some([lo, hi]) = band {
        chart
            .draw_series(std::iter::once(Rectangle::new([(x0, lo), (x1, hi)], BAND_COLOR.mix(0.35).filled())))
            .map_err(chart_err)?;
    }
    let y_label = |v: &f64| if y1 <= 1.0 { format!("{v:.2}") } else { format!("{v:.0}") };
    draw_mesh(&mut chart, root, data, style, &y_label, desc)?;
    if band.is_some() {
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
    let drawn = draw_each_option(data, value, |_, points, color| {
        chart.draw_series(LineSeries::new(points, color.stroke_width(style.px(1.5)))).map_err(chart_err)?;
        Ok(())
    })?;
    finish(root, chart.plotting_area(), (x0, x1), drawn)
}

/// The cumulative P&L (USD) over time, with the zero line and a marker, in the option's
/// colour, on each roll day.
pub fn draw_pnl<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ChartData,
    style: &ChartStyle,
) -> Result<Drawn, ChartError> {
    let (x0, x1) = data.x_range();
    let points: Vec<(f64, f64)> = data.rows.iter().map(|r| (r.x, r.pnl)).collect();
    let (y0, y1) = padded(points.iter().map(|p| p.1).chain([0.0]), None);
    let mut chart =
        start_chart(root, style)?.margin_right(style.px(16.0)).build_cartesian_2d(x0..x1, y0..y1).map_err(chart_err)?;
    draw_mesh(&mut chart, root, data, style, &|v| format!("{v:.0}"), "cumulative P&L USD")?;
    let zero = RGBColor(150, 150, 150).stroke_width(style.px(1.0));
    chart.draw_series(LineSeries::new([(x0, 0.0), (x1, 0.0)], zero)).map_err(chart_err)?;
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
mod tests {
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
    struct Textless<'a>(BitMapBackend<'a>);

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
        for draw in [draw_prices as Draw, draw_deltas as Draw, draw_ivs as Draw] {
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
                let drawn = draw_prices(&root, &data, &ChartStyle::default()).unwrap();
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
        assert!(readout.lines[0].starts_with("Futures "), "{:?}", readout.lines);
        let held = report.rows.iter().find(|r| r.date == readout.date).unwrap().held.iter().flatten().count();
        assert_eq!(readout.lines.len(), held + 2);
        assert!(readout.lines.last().unwrap().starts_with("Cumulative P&L "), "{:?}", readout.lines);
        assert!(readout.lines[1].contains("¢") && readout.lines[1].contains("Δ"), "{:?}", readout.lines);
        assert_eq!(data.readout(-50.0).unwrap().date, data.origin);
        assert_eq!(data.readout(1e9).unwrap().date, report.rows.last().unwrap().date);
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

    #[test]
    fn frames_map_pixels_to_days_and_back() {
        let frame = PlotFrame { left: 50, right: 450, top: 10, bottom: 200, x_min: 0.0, x_max: 100.0 };
        assert_eq!(frame.x_at(250.0), 50.0);
        assert_eq!(frame.x_at(0.0), 0.0);
        assert_eq!(frame.x_at(1000.0), 100.0);
        assert_eq!(frame.px_at(25.0), 150.0);
    }
}
