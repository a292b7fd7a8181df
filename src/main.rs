//! The web app's entry point (trunk builds it for wasm32); everything lives in the library.
fn main() {
    deltaroll_web::start();
}
