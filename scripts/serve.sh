#!/usr/bin/env bash
# Sets the machine up if needed, builds lwrank and serves it with its
# bundled sample at http://127.0.0.1:8080 (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec trunk serve --release --address 127.0.0.1 --port "${PORT:-8080}" --no-autoreload
