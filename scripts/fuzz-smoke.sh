#!/usr/bin/env bash
# Fuzzes format detection and every ingest parser for a bounded time
# (FUZZ_SECONDS, default 60), seeded with tests/fixtures/ingest.
#
# Runs on stable Rust: `--sanitizer none` keeps cargo-fuzz off the
# nightly-only -Zsanitizer flags, while libFuzzer's coverage guidance
# (SanitizerCoverage through stable -C flags) and debug assertions stay
# on. A crash leaves its input in fuzz/artifacts/ingest/; replay it with
#   cargo fuzz run --sanitizer none ingest fuzz/artifacts/ingest/<file>
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-60}
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz-smoke: cargo-fuzz is missing (scripts/setup.sh installs it)" >&2
    exit 1
fi

# New inputs go to a scratch corpus; the fixtures are only read.
corpus=$(mktemp -d)
log="$corpus.log"
trap 'rm -rf "$corpus" "$log"' EXIT

cargo fuzz build --sanitizer none ingest
if cargo fuzz run --sanitizer none ingest "$corpus" tests/fixtures/ingest -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 >"$log" 2>&1; then
    grep -E '^(Done |stat::number_of_executed_units|stat::peak_rss)' "$log"
else
    # Keep libFuzzer's report of the crash: the panic and the input file.
    tail -n 60 "$log"
    echo "fuzz-smoke: the ingest target failed" \
        "(input in fuzz/artifacts/ingest/)" >&2
    exit 1
fi
