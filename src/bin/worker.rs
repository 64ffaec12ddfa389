//! The web worker binary: installs logging and hands over to
//! `lwrank::worker`. Natively it does nothing.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    let _ = console_log::init_with_level(log::Level::Info);
    lwrank::worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
