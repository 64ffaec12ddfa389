//! Full-scale SVM benchmark on the shared set (ignored by default: it needs
//! /work/shared and is meant for `--release`). Run by hand with
//! `cargo test --release --test model_bench -- --ignored --nocapture`.

#![allow(clippy::unwrap_used)]

use std::time::Instant;

use lwrank::model::bench::{format_table, svm_benchmark};

#[test]
#[ignore = "reads /work/shared; run by hand in release"]
fn shared_set_benchmark() {
    let dir = std::env::var("LWRANK_SVM_BENCH")
        .unwrap_or_else(|_| "/work/shared/bench/svm".into());
    let train = std::fs::read(format!("{dir}/train_100k.csv.gz")).unwrap();
    let test = std::fs::read(format!("{dir}/test_20k.csv.gz")).unwrap();
    let start = Instant::now();
    let clock = || start.elapsed().as_secs_f64();
    let exact: Vec<usize> = std::env::var("LWRANK_EXACT_ROWS")
        .unwrap_or_else(|_| "2000,5000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let rows = svm_benchmark(&train, &test, &clock, &exact).unwrap();
    println!("{}", format_table(&rows));
    assert!(rows[0].accuracy >= 0.865, "accuracy {}", rows[0].accuracy);
}
