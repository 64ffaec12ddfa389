#!/usr/bin/env bash
# Sets the machine up if needed, then runs every test layer:
#   1. formatting and clippy (native and wasm32, warnings denied)
#   2. native tests (core, property tests, fixtures), then a 60 s fuzz
#      smoke run of the ingest parsers (cargo-fuzz on stable)
#   3. browser tests (wasm-bindgen-test in headless Chromium)
#   4. a release build of the app (trunk)
#   5. the end-to-end test: dist/ served on 127.0.0.1, headless Chromium
#      driven through "Try the sample" -> Train -> figures and map
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

step() { printf '\n==> %s\n' "$*"; }
started=$(date +%s)

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (native, warnings denied)"
cargo clippy --all-targets --locked -- -D warnings

step "clippy (wasm32, warnings denied)"
cargo clippy --lib --bins --target wasm32-unknown-unknown --locked -- -D warnings

step "native tests"
cargo test --locked --lib --bins --tests

step "fuzz smoke (ingest parsers, ${FUZZ_SECONDS:-60} s)"
scripts/fuzz-smoke.sh

step "doc tests"
cargo test --locked --doc

step "browser tests (wasm-bindgen-test, headless Chromium)"
CHROMEDRIVER=/usr/bin/chromedriver \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    cargo test --locked --target wasm32-unknown-unknown --test browser

step "release build (trunk)"
trunk build --release

step "end-to-end test (headless Chromium against dist/)"
cargo test --locked --test e2e -- --ignored --nocapture

printf '\nall test layers passed in %ss\n' "$(( $(date +%s) - started ))"
