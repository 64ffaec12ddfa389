#!/usr/bin/env bash
# Prints the benchmark tables: native (release) and wasm in headless
# Chromium (release). Uses ../shared (the 190-day marx set, the SVM set)
# when present. Record results in BENCHMARKS.md with the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
SHARED=${1:-../shared}

echo "==> native"
cargo run --release --locked --bin lwrank-bench -- "$SHARED"

echo "==> wasm in headless Chromium"
# RUSTFLAGS replaces .cargo/config.toml's rustflags: keep simd128.
extra="-C target-feature=+simd128"
svm=no
if [ -f "$SHARED/bench/svm/train_100k.csv.gz" ]; then
    mkdir -p target/bench-svm
    cp "$SHARED"/bench/svm/{train_100k,test_20k}.csv.gz target/bench-svm/
    extra="$extra --cfg lwrank_svm_bench"
    svm=yes
fi
rank=no
MARX="$SHARED/data/real/aws-honeypot-marx-2013/marx.csv.gz"
if [ -f "$MARX" ]; then
    mkdir -p target/bench-data
    cp "$MARX" target/bench-data/marx.csv.gz
    extra="$extra --cfg lwrank_rank_bench"
    rank=yes
fi
wasm_test() {
    CHROMEDRIVER=/usr/bin/chromedriver \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    RUSTFLAGS="${RUSTFLAGS:-} $extra" \
        cargo test --release --locked --target wasm32-unknown-unknown \
        "$@" -- --include-ignored --nocapture
}
wasm_test --test bench_wasm
if [ "$svm" = yes ]; then
    # One page per test, so each first fit is a cold one.
    for t in svm_fit_and_predict svm_fit_after_reserving \
             svm_fit_after_a_small exact_svc_on_2k; do
        wasm_test --test model_wasm_bench "$t"
    done
fi
if [ "$rank" = yes ]; then
    wasm_test --test rank_wasm_bench
fi
