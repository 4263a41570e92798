#!/usr/bin/env bash
# Interop with grpc-java over loopback: the JVM peer server
# (clients/jvm/chat-errors-demo, PeerServer, started by scripts/peer.sh jvm)
# fails calls with statuses built by chat-errors for the JVM behind its
# ChatErrorInterceptor, and the Rust chat-demo-interop-client decodes them
# strictly through chat-errors. The last line is `N passed, M failed`.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "interop-jvm: $*" >&2; exit 1; }
command -v cargo >/dev/null || fail "cargo is required"

cargo build --quiet -p chat-demo --bin chat-demo-interop-client
target_dir=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')

tmp=$(mktemp -d)
peer_pid=
stop() {
  if [ -n "$peer_pid" ]; then
    kill "$peer_pid" 2>/dev/null || true
    wait "$peer_pid" 2>/dev/null || true
  fi
  peer_pid=
}
trap 'stop; rm -rf "$tmp"' EXIT

# shellcheck source=scripts/lib/listening-addr.sh
. scripts/lib/listening-addr.sh

echo "==> Rust chat-errors client against the grpc-java peer server"
scripts/peer.sh jvm >"$tmp/peer.out" 2>"$tmp/peer.err" &
peer_pid=$!
# The first run builds the peer with Maven: allow for it before the 30 s wait.
for _ in $(seq 1 600); do
  grep -q 'listening on' "$tmp/peer.out" && break
  kill -0 "$peer_pid" 2>/dev/null || fail "the peer exited: $(cat "$tmp/peer.err")"
  sleep 0.5
done
peer=$(listening_addr "$tmp/peer.out" "$peer_pid")
status=0
"$target_dir/debug/chat-demo-interop-client" --addr "$peer" || status=$?
stop
exit "$status"
