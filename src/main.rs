//! The lwrank web app: installs the panic hook and logger, then mounts
//! the UI. Natively it only says how to run the app.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    let _ = console_log::init_with_level(log::Level::Info);
    leptos::mount::mount_to_body(lwrank::ui::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("lwrank runs in the browser: see README.md (scripts/serve.sh)");
}
