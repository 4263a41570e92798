#!/usr/bin/env bash
# The `opentelemetry` feature, which `.ci/run`'s featureless test, clippy
# and rustdoc steps never build: its tests (the in-memory exporter's
# counts, the span fields), clippy with -D warnings, rustdoc with -D
# warnings.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "==> cargo test --features opentelemetry"
cargo test -p chat-errors --features opentelemetry

echo "==> clippy --features opentelemetry"
cargo clippy -p chat-errors --all-targets --features opentelemetry -- -D warnings

echo "==> rustdoc --features opentelemetry"
RUSTDOCFLAGS="-D warnings" cargo doc -p chat-errors --no-deps --features opentelemetry
