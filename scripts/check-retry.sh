#!/usr/bin/env bash
# The opt-in `retry` feature, which the workspace-wide CI steps build
# without: its tests, clippy and rustdoc with warnings denied, and its
# dependencies (tokio's timer, not a runtime).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo test -p chat-errors --features retry
cargo clippy -p chat-errors --all-targets --features retry -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc -p chat-errors --no-deps --features retry

# The feature may bring tokio's timer; a runtime, IO or macros would make
# every user of the feature compile a server's dependencies.
features=$(cargo tree -p chat-errors -e normal,features --features retry -i tokio --prefix none --format '{p} {f}')
if [ -z "$features" ]; then
  echo "check-retry: 'cargo tree -i tokio' printed nothing with --features retry" >&2
  exit 2
fi
status=0
for feature in rt rt-multi-thread net macros full; do
  if grep -qE "^tokio v[^ ]+ .*\b${feature}\b" <<<"$features"; then
    echo "feature retry enables tokio's '$feature'" >&2
    status=1
  fi
done
if ! grep -qE "^tokio v[^ ]+ .*\btime\b" <<<"$features"; then
  echo "feature retry no longer brings tokio's timer" >&2
  status=1
fi
if [ "$status" -eq 0 ]; then
  echo "retry: tests, clippy and rustdoc pass; tokio brings its timer and no runtime"
fi
exit "$status"
