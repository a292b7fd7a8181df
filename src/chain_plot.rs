//! The delta-versus-strike plot of a roll's chain: each ranked candidate's |delta| at its
//! strike, the target band shaded and the target dashed, the chosen strike circled with a
//! vertical line through it. Drawn with plotters on any [`DrawingBackend`].

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::charts::{chart_err, finish, padded, start_chart, ChartError, ChartStyle, Drawn, BAND_COLOR};
use crate::state::chain_view::ChainView;

/// The chosen strike's colour.
pub const CHOSEN_COLOR: RGBColor = RGBColor(200, 40, 40);

/// Draw `view`'s plot on `root`; the frame's x is the strike.
pub fn draw_chain<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    view: &ChainView,
    style: &ChartStyle,
) -> Result<Drawn, ChartError> {
    let (x0, x1) = padded(view.points.iter().map(|p| p.0), None);
    let (lo, hi) = padded(view.points.iter().map(|p| p.1).chain([view.band.0, view.band.1]), Some(0.0));
    let (y0, y1) = (lo, hi.min(1.0));
    let mut chart =
        start_chart(root, style)?.margin_right(style.px(16.0)).build_cartesian_2d(x0..x1, y0..y1).map_err(chart_err)?;
    let (b0, b1) = view.band;
    chart
        .draw_series(std::iter::once(Rectangle::new([(x0, b0), (x1, b1)], BAND_COLOR.mix(0.35).filled())))
        .map_err(chart_err)?;
    chart
        .configure_mesh()
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&|v| format!("{v:.2}"))
        .y_label_formatter(&|v| format!("{v:.2}"))
        .label_style(style.font(11.0))
        .axis_desc_style(style.font(11.0))
        .x_desc("strike")
        .y_desc("|delta|")
        .light_line_style(RGBColor(238, 238, 238))
        .bold_line_style(RGBColor(215, 215, 215))
        .draw()
        .map_err(chart_err)?;
    let target = [(x0, view.target), (x1, view.target)];
    let target_line = RGBColor(150, 110, 0).stroke_width(style.px(1.0));
    chart.draw_series(DashedLineSeries::new(target, style.px(6.0), style.px(4.0), target_line)).map_err(chart_err)?;
    let line = RGBColor(40, 90, 160);
    chart
        .draw_series(LineSeries::new(view.points.iter().copied(), line.stroke_width(style.px(1.5))))
        .map_err(chart_err)?;
    chart.draw_series(view.points.iter().map(|&p| Circle::new(p, style.px(2.5), line.filled()))).map_err(chart_err)?;
    if let Some((strike, delta)) = view.chosen {
        let mark = CHOSEN_COLOR.stroke_width(style.px(1.0));
        chart.draw_series(LineSeries::new([(strike, y0), (strike, y1)], mark)).map_err(chart_err)?;
        let ring = CHOSEN_COLOR.stroke_width(style.px(2.0));
        chart.draw_series(std::iter::once(Circle::new((strike, delta), style.px(6.0), ring))).map_err(chart_err)?;
    }
    finish(root, chart.plotting_area(), (x0, x1), view.points.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::tests::Textless;
    use plotters::backend::BitMapBackend;

    fn view() -> ChainView {
        ChainView {
            title: String::new(),
            summary: String::new(),
            rows: Vec::new(),
            points: vec![(2.0, 0.6), (2.5, 0.3), (3.0, 0.16), (3.5, 0.05)],
            chosen: Some((3.0, 0.16)),
            target: 0.15,
            band: (0.13, 0.17),
        }
    }

    fn pixel(buf: &[u8], width: usize, x: usize, y: usize) -> [u8; 3] {
        let i = (y * width + x) * 3;
        [buf[i], buf[i + 1], buf[i + 2]]
    }

    #[test]
    fn the_chosen_strike_is_marked_and_the_band_shaded() {
        let (w, h) = (400usize, 240usize);
        let mut buf = vec![0u8; w * h * 3];
        let drawn = {
            let root = Textless(BitMapBackend::with_buffer(&mut buf, (w as u32, h as u32))).into_drawing_area();
            draw_chain(&root, &view(), &ChartStyle::default()).unwrap()
        };
        assert_eq!(drawn.option_series, 4);
        let f = drawn.frame;
        let x = drawn.frame.px_at(3.0).round() as usize;
        let red_near = |y: usize| (x - 1..=x + 1).any(|x| pixel(&buf, w, x, y) == [200, 40, 40]);
        let red = (f.top as usize..f.bottom as usize).filter(|&y| red_near(y)).count();
        assert!(red > (f.bottom - f.top) as usize / 2, "a vertical line at the chosen strike: {red} red pixels");
        let elsewhere = drawn.frame.px_at(2.25).round() as usize;
        assert!((f.top as usize..f.bottom as usize).all(|y| pixel(&buf, w, elsewhere, y) != [200, 40, 40]));
        let shaded = (f.top as usize..f.bottom as usize).filter(|&y| pixel(&buf, w, elsewhere, y)[2] < 200).count();
        assert!(shaded > 0, "the band is shaded");
    }

    #[test]
    fn an_empty_chain_draws_an_empty_frame() {
        let mut buf = vec![0u8; 200 * 120 * 3];
        let root = Textless(BitMapBackend::with_buffer(&mut buf, (200, 120))).into_drawing_area();
        let empty = ChainView { points: Vec::new(), chosen: None, ..view() };
        assert_eq!(draw_chain(&root, &empty, &ChartStyle::default()).unwrap().option_series, 0);
    }
}
