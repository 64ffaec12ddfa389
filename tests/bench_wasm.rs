//! The wasm benchmark: the same stage table as `lwrank-bench`, measured in
//! headless Chromium with `performance.now()`. `scripts/bench.sh` runs it
//! in release mode; it is ignored in the normal test run.
//!
//! The SVM on the shared set has its own wasm benchmark,
//! `tests/model_wasm_bench.rs`, which the script runs too.

#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Bytes of the module's linear memory (it only ever grows).
fn linear_memory() -> u64 {
    use wasm_bindgen::JsCast;
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| m.buffer())
        .and_then(|b| b.dyn_into::<js_sys::ArrayBuffer>())
        .map_or(0, |b| u64::from(b.byte_length()))
}

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

#[wasm_bindgen_test]
#[ignore = "benchmark: scripts/bench.sh runs it"]
fn stage_table_in_chromium() {
    let sample =
        include_bytes!("../assets/sample/marx-2013-06-21_to_07-20.csv.gz");
    let benign = include_str!("../assets/sample/benign-top-sites.csv");
    let asn = include_bytes!("../assets/asn/asn-ipv4.bin");
    let before = linear_memory();
    let mut rows =
        lwrank::bench::sample_stages(sample, benign, asn, &now).unwrap();
    let after_train = linear_memory();
    let text = lwrank::bench::synthetic_daily_sources(50);
    rows.push(lwrank::bench::parse_throughput(
        "daily_sources (synthetic)",
        &text,
        &now,
    ));
    let after_parse = linear_memory();
    console_log!(
        "# lwrank wasm benchmark (Chromium)\n\n{}",
        lwrank::bench::format_stages(&rows)
    );
    let memory = [
        lwrank::bench::MemoryRow {
            what: "linear memory at start".to_string(),
            bytes: before,
            note: "WebAssembly.Memory buffer byteLength".to_string(),
        },
        lwrank::bench::MemoryRow {
            what: "linear memory after Train (sample, TCP 22)".to_string(),
            bytes: after_train,
            note: "parse, ASN table, ranks, 28 pairs, map, zoom".to_string(),
        },
        lwrank::bench::MemoryRow {
            what: "linear memory after the 50 MB parse too".to_string(),
            bytes: after_parse,
            note: "the text and its ~1M events live at once".to_string(),
        },
    ];
    console_log!("{}", lwrank::bench::format_memory(&memory));
}
