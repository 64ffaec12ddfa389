//! Our SVM alone on the shared set, in headless Chromium (no smartcore
//! rows: the exact 5k-row fit blocks the page past ChromeDriver's 30 s
//! renderer timeout). Built only with `--cfg lwrank_svm_bench`, after the
//! set was copied to `target/bench-svm/` (see scripts/bench.sh).

#![cfg(all(target_arch = "wasm32", lwrank_svm_bench))]
#![allow(clippy::unwrap_used)]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
#[ignore = "benchmark: run by hand with --include-ignored"]
fn svm_fit_and_predict_in_chromium() {
    let train = include_bytes!("../target/bench-svm/train_100k.csv.gz");
    let test = include_bytes!("../target/bench-svm/test_20k.csv.gz");
    let perf = web_sys::window().and_then(|w| w.performance()).unwrap();
    let secs = || perf.now() / 1000.0;
    for _ in 0..3 {
        let rows = lwrank::model::bench::svm_benchmark(train, test, &secs, &[])
            .unwrap();
        console_log!("{}", lwrank::model::bench::format_table(&rows[..1]));
    }
}
