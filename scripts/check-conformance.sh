#!/usr/bin/env bash
# The conformance suite (conformance/README.md): the committed vectors are
# what the Rust reference generates today, then each named runner passes
# the corpus and a 20,000-input differential fuzz against the reference.
#
#   scripts/check-conformance.sh              # rust
#   scripts/check-conformance.sh rust python ts
set -euo pipefail
cd "$(dirname "$0")/.."

command -v cargo >/dev/null || { echo "check-conformance: cargo is missing" >&2; exit 2; }
[ $# -gt 0 ] || set -- rust

echo "--- the committed vectors are current"
cargo run --quiet -p chat-errors-conformance --bin conformance-generate -- --check

for lang in "$@"; do
  echo "--- conformance/check $lang"
  conformance/check "$lang"
done
