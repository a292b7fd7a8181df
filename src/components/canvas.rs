//! A `<canvas>` made ready to draw on: sized to its CSS box at the device's pixel ratio.

use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

/// A drawing backend on `canvas`, its pixel size set to its CSS box times the device's
/// pixel ratio, and that ratio; `None` while the canvas has no room to draw (hidden or
/// not laid out yet).
pub fn sized_backend(canvas: HtmlCanvasElement) -> Option<(CanvasBackend, f64)> {
    let scale = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio()).max(1.0);
    let (w, h) = (f64::from(canvas.client_width()), f64::from(canvas.client_height()));
    if w < 10.0 || h < 10.0 {
        return None;
    }
    canvas.set_width((w * scale).round() as u32);
    canvas.set_height((h * scale).round() as u32);
    Some((CanvasBackend::with_canvas_object(canvas)?, scale))
}
