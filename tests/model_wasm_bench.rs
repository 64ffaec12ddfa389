//! Our SVM alone on the shared set, in headless Chromium, with the
//! module's linear memory after each fit; then smartcore's exact SVC on
//! the first 2k rows (5k blocks the page past ChromeDriver's 30 s
//! renderer timeout). Built only with `--cfg lwrank_svm_bench`, after the
//! set was copied to `target/bench-svm/` (see scripts/bench.sh).
//!
//! Each test needs a fresh page to see a cold first fit: run them one at
//! a time with a name filter (BENCHMARKS.md shows the commands).

#![cfg(all(target_arch = "wasm32", lwrank_svm_bench))]
#![allow(clippy::unwrap_used)]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const TRAIN: &[u8] = include_bytes!("../target/bench-svm/train_100k.csv.gz");
const TEST: &[u8] = include_bytes!("../target/bench-svm/test_20k.csv.gz");

/// MiB of the module's linear memory.
fn memory_mib() -> f64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| m.buffer())
        .and_then(|b| b.dyn_into::<js_sys::ArrayBuffer>())
        .map_or(0.0, |b| f64::from(b.byte_length()) / 1048576.0)
}

fn three_fits(label: &str) {
    let perf = web_sys::window().and_then(|w| w.performance()).unwrap();
    let secs = || perf.now() / 1000.0;
    console_log!("{label}: linear memory {:.1} MiB before", memory_mib());
    for run in 1..=3 {
        let rows = lwrank::model::bench::svm_benchmark(TRAIN, TEST, &secs, &[])
            .unwrap();
        let r = &rows[0];
        console_log!(
            "{label} run {run}: fit {:.3} s, predict 1M {:.3} s, accuracy \
             {:.4}, linear memory {:.1} MiB after",
            r.fit_s,
            r.predict_1m_s,
            r.accuracy,
            memory_mib()
        );
    }
}

#[wasm_bindgen_test]
#[ignore = "benchmark: run by hand with --include-ignored"]
fn svm_fit_and_predict_in_chromium() {
    three_fits("cold page");
}

#[wasm_bindgen_test]
#[ignore = "benchmark: run by hand with --include-ignored"]
fn svm_fit_after_reserving_memory() {
    // Grow the linear memory once to about what a fit and predict need
    // (measured by the cold run), then free it: the allocator keeps the
    // pages, so the first fit grows nothing.
    // black_box keeps the optimiser from eliding the allocation.
    let reserve: Vec<u8> = std::hint::black_box(Vec::with_capacity(80 << 20));
    drop(reserve);
    three_fits("reserved 80 MiB");
}

#[wasm_bindgen_test]
#[ignore = "benchmark: run by hand with --include-ignored"]
fn svm_fit_after_a_small_warm_up_fit() {
    // A fit on 5k rows first: the same code runs hot before the big fit,
    // so the engine's optimising compiler has seen it.
    let data = lwrank::model::bench::parse_csv(TRAIN).unwrap();
    let nf = data.n_features;
    let n = 5000;
    let perf = web_sys::window().and_then(|w| w.performance()).unwrap();
    let t0 = perf.now();
    lwrank::model::Model::fit(
        &data.x[..n * nf],
        nf,
        &data.y[..n],
        None,
        &lwrank::model::TrainParams::default(),
        &mut |_| true,
    )
    .unwrap();
    console_log!("warm-up fit on {n} rows: {:.3} s", (perf.now() - t0) / 1e3);
    drop(data);
    three_fits("after a 5k-row warm-up fit");
}

#[wasm_bindgen_test]
#[ignore = "benchmark: run by hand with --include-ignored"]
fn exact_svc_on_2k_rows_in_chromium() {
    use lwrank::model::exact::ExactSvm;
    let perf = web_sys::window().and_then(|w| w.performance()).unwrap();
    let train = lwrank::model::bench::parse_csv(TRAIN).unwrap();
    let test = lwrank::model::bench::parse_csv(TEST).unwrap();
    let (n, nf) = (2000, train.n_features);
    let params = lwrank::model::TrainParams::default();
    let svm =
        ExactSvm::new(&train.x[..n * nf], nf, &train.y[..n], &params).unwrap();
    let t0 = perf.now();
    let fit = svm.fit().unwrap();
    let fit_s = (perf.now() - t0) / 1000.0;
    // 2k test rows: all 20k would pass the 30 s timeout.
    let m = 2000;
    let t0 = perf.now();
    let pred = fit.predict_batch(&test.x[..m * nf]).unwrap();
    let predict_s = (perf.now() - t0) / 1000.0;
    let right = pred.iter().zip(&test.y).filter(|(p, y)| p == y).count();
    console_log!(
        "smartcore exact SVC in Chromium: {n} rows, fit {fit_s:.2} s, \
         predict {m} rows {predict_s:.2} s (= {:.0} s per 1M), accuracy on \
         them {:.4}",
        predict_s * 1e6 / m as f64,
        right as f64 / m as f64
    );
}
