#!/usr/bin/env bash
# Fails when the library's normal dependency tree holds a transport stack,
# a tokio runtime, or a CLI/JSON crate: users who only map errors must not
# compile a server.
set -euo pipefail
cd "$(dirname "$0")/.."

tree=$(cargo tree -p chat-errors -e normal --prefix none --format '{p}')
features=$(cargo tree -p chat-errors -e normal,features -i tokio --prefix none --format '{p} {f}' 2>/dev/null || true)

status=0
for banned in hyper h2 axum hyper-util tower clap serde_json serde tokio-macros socket2 mio; do
  if grep -qE "^${banned} v" <<<"$tree"; then
    echo "forbidden crate in the library's normal dependencies: $banned" >&2
    cargo tree -p chat-errors -e normal -i "$banned" >&2 || true
    status=1
  fi
done
for feature in rt rt-multi-thread net macros full; do
  if grep -qE "^tokio v[^ ]+ .*\b${feature}\b" <<<"$features"; then
    echo "tokio feature '$feature' is enabled in the library's normal dependencies" >&2
    status=1
  fi
done
if [ "$status" -eq 0 ]; then
  echo "lean: $(wc -l <<<"$tree") crates, none of hyper/h2/axum/tower/clap/serde_json, no tokio runtime features"
fi
exit "$status"
