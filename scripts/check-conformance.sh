#!/usr/bin/env bash
# The conformance suite (conformance/README.md): the committed vectors are
# what the Rust reference generates today, and the Rust runner passes the
# corpus and a 20,000-input differential fuzz. The Python and TypeScript
# runners are checked the same way with `conformance/check python|ts`.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v cargo >/dev/null || { echo "check-conformance: cargo is missing" >&2; exit 2; }

echo "--- the committed vectors are current"
cargo run --quiet -p chat-errors-conformance --bin conformance-generate -- --check

echo "--- conformance/check rust"
conformance/check rust
