#!/usr/bin/env bash
# Installs what lwrank needs to build, serve and test, skipping anything
# already present, so a second run takes about a second.
#
# Everything comes from the package registries this machine can reach:
# rustup (wasm32 target), Debian (chromium, chromedriver), npm (binaryen's
# wasm-opt 132) and crates.io (trunk, wasm-bindgen-cli, cargo-fuzz).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# The CLI must match the wasm-bindgen crate in Cargo.lock exactly.
WBG_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3 }' Cargo.lock)
TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
CARGO_FUZZ_VERSION=0.13.2

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
fi

if ! [ -x /usr/bin/chromium ] || ! [ -x /usr/bin/chromedriver ]; then
    say "installing chromium and chromium-driver (Debian)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# Debian's binaryen (108) cannot read wasm-bindgen's output.
if ! wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
    if dpkg -s binaryen >/dev/null 2>&1; then
        say "removing Debian's binaryen (too old for wasm-bindgen output)"
        as_root apt-get remove -y -qq binaryen >/dev/null
    fi
    say "installing wasm-opt $BINARYEN_VERSION (npm binaryen)"
    as_root npm install -g --silent "binaryen@$BINARYEN_VERSION.0.0"
fi

if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
    # A debug build of trunk installs in half the time and builds as fast.
    say "installing trunk $TRUNK_VERSION (a few minutes)"
    cargo install trunk --locked --debug --version "$TRUNK_VERSION"
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WBG_VERSION"; then
    say "installing wasm-bindgen-cli $WBG_VERSION (a few minutes)"
    cargo install wasm-bindgen-cli --locked --version "$WBG_VERSION" ||
        cargo install wasm-bindgen-cli --version "$WBG_VERSION"
fi

if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
    # Used on stable with --sanitizer none (scripts/fuzz-smoke.sh).
    say "installing cargo-fuzz $CARGO_FUZZ_VERSION (about a minute)"
    cargo install cargo-fuzz --locked --version "$CARGO_FUZZ_VERSION"
fi

say "ready: $(trunk --version), wasm-bindgen $WBG_VERSION, $(wasm-opt --version | cut -d' ' -f1-3), $(chromium --version 2>/dev/null | head -1)"
