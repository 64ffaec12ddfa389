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
tests="--test bench_wasm"
if [ -f "$SHARED/bench/svm/train_100k.csv.gz" ]; then
    mkdir -p target/bench-svm
    cp "$SHARED"/bench/svm/{train_100k,test_20k}.csv.gz target/bench-svm/
    extra="$extra --cfg lwrank_svm_bench"
    tests="$tests --test model_wasm_bench"
fi
MARX="$SHARED/data/real/aws-honeypot-marx-2013/marx.csv.gz"
if [ -f "$MARX" ]; then
    mkdir -p target/bench-data
    cp "$MARX" target/bench-data/marx.csv.gz
    extra="$extra --cfg lwrank_rank_bench"
    tests="$tests --test rank_wasm_bench"
fi
CHROMEDRIVER=/usr/bin/chromedriver \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
RUSTFLAGS="${RUSTFLAGS:-} $extra" \
    cargo test --release --locked --target wasm32-unknown-unknown \
    $tests -- --include-ignored --nocapture
