//! Browser tests: the core running as wasm in headless Chromium, and the
//! app's first-visit state mounted into a real DOM.
//!
//! Run with `wasm-bindgen-test-runner` (see scripts/test.sh).

#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

use lwrank::event::{day_from_ymd, Behaviour};
use lwrank::hilbert::{cell_of, CurveOrder};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn hilbert_fixed_points_hold_in_wasm() {
    let order = CurveOrder::new(4).unwrap();
    assert_eq!(cell_of(order, 0), (0, 0));
    assert_eq!(cell_of(order, 127), (7, 8));
    assert_eq!(cell_of(order, 224), (11, 3));
}

#[wasm_bindgen_test]
fn sample_parses_in_wasm() {
    let bytes =
        include_bytes!("../assets/sample/marx-2013-06-21_to_07-20.csv.gz");
    let parsed = lwrank::ingest::parse_bytes("sample.csv.gz", bytes).unwrap();
    assert_eq!(parsed.report.first_day, day_from_ymd(2013, 6, 21));
    assert_eq!(parsed.report.last_day, day_from_ymd(2013, 7, 20));
    let ssh = Behaviour::tcp(22);
    let first = day_from_ymd(2013, 6, 21).unwrap();
    let mut sources: Vec<u32> = parsed
        .events
        .iter()
        .filter(|e| e.day == first && ssh.matches(e))
        .map(|e| e.src)
        .collect();
    sources.sort_unstable();
    sources.dedup();
    assert!(!sources.is_empty());
}

#[wasm_bindgen_test]
fn first_visit_shows_the_sample_button_and_the_hint() {
    leptos::mount::mount_to_body(lwrank::ui::App);
    let document = web_sys::window().unwrap().document().unwrap();
    let button = document.get_element_by_id("try-sample").unwrap();
    assert_eq!(button.text_content().unwrap().trim(), "Try the sample");
    let hint = document.query_selector(".map-empty").unwrap().unwrap();
    assert!(hint.text_content().unwrap().contains("Try the sample"));
    let train = document.get_element_by_id("train").unwrap();
    assert!(train.has_attribute("disabled"), "nothing loaded: Train is off");
}
