#!/usr/bin/env bash
# The `opentelemetry` feature on the library alone: `.ci/run`'s workspace
# steps build it only because the demo enables it, and a change to the demo
# must not silently drop it. Its tests (the in-memory exporter's counts, the
# span fields), clippy and rustdoc with -D warnings, the retry layer's
# A96 instruments, and the demo's Prometheus endpoint scraped after its
# scenarios.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "==> cargo test --features opentelemetry"
cargo test -p chat-errors --features opentelemetry

echo "==> clippy --features opentelemetry"
cargo clippy -p chat-errors --all-targets --features opentelemetry -- -D warnings

echo "==> rustdoc --features opentelemetry"
RUSTDOCFLAGS="-D warnings" cargo doc -p chat-errors --no-deps --features opentelemetry

echo "==> gRFC A96's retry instruments (features opentelemetry and retry)"
cargo test -p chat-errors --features opentelemetry,retry --test retry_metrics
cargo clippy -p chat-errors --all-targets --features opentelemetry,retry -- -D warnings

echo "==> the demo's /metrics after its scenarios"
cargo test -p chat-demo --test metrics
