#!/usr/bin/env bash
# Fails when the library's normal dependency tree holds a transport stack,
# a tokio runtime, or a CLI/JSON crate: users who only map errors must not
# compile a server. JSON (serde, serde_json, prost-reflect) and axum-core come
# only with the opt-in features `http-json` and `axum`.
set -euo pipefail
cd "$(dirname "$0")/.."

# Each probe must succeed and say something: a failed or empty probe would
# otherwise read as "nothing forbidden found".
probe() {
  local output
  if ! output=$(cargo tree "$@"); then
    echo "check-lean-deps: 'cargo tree $*' failed" >&2
    exit 2
  fi
  if [ -z "$output" ]; then
    echo "check-lean-deps: 'cargo tree $*' printed nothing" >&2
    exit 2
  fi
  printf '%s\n' "$output"
}

tree=$(probe -p chat-errors -e normal --prefix none --format '{p}')
if ! grep -qE '^chat-errors v' <<<"$tree"; then
  echo "check-lean-deps: the dependency tree does not start at chat-errors:" >&2
  echo "$tree" >&2
  exit 2
fi
# `cargo tree -i` fails for a crate outside the tree, so tokio's features
# are probed only when tokio is there (tonic pulls it in without features).
features=""
if grep -qE '^tokio v' <<<"$tree"; then
  features=$(probe -p chat-errors -e normal,features -i tokio --prefix none --format '{p} {f}')
fi

status=0
for banned in hyper h2 axum axum-core hyper-util tower clap serde_json serde serde_derive prost-reflect tokio-macros socket2 mio; do
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
# The opt-in features must still bring what they are for, or the bans above
# would pass for the wrong reason.
with_features=$(probe -p chat-errors -e normal --features axum --prefix none --format '{p}')
for wanted in serde_json prost-reflect axum-core; do
  if ! grep -qE "^${wanted} v" <<<"$with_features"; then
    echo "feature axum (with http-json) no longer brings $wanted" >&2
    status=1
  fi
done
# The opentelemetry feature brings the API crate and no SDK, exporter or
# runtime: those are the application's choice.
with_otel=$(probe -p chat-errors -e normal --features opentelemetry --prefix none --format '{p}')
if ! grep -qE '^opentelemetry v' <<<"$with_otel"; then
  echo "feature opentelemetry no longer brings opentelemetry" >&2
  status=1
fi
if grep -qE '^opentelemetry' <<<"$tree"; then
  echo "opentelemetry is in the default build; it must stay behind its feature" >&2
  status=1
fi
for banned in opentelemetry_sdk opentelemetry-prometheus prometheus hyper tokio-macros; do
  if grep -qE "^${banned} v" <<<"$with_otel"; then
    echo "feature opentelemetry brings $banned" >&2
    status=1
  fi
done
if [ "$status" -eq 0 ]; then
  echo "lean: $(wc -l <<<"$tree") crates, none of hyper/h2/axum/tower/clap/serde/serde_json/prost-reflect, no tokio runtime features; http-json, axum and opentelemetry (the API alone) stay opt-in"
fi
exit "$status"
