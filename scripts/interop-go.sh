#!/usr/bin/env bash
# Interop with grpc-go, in both directions, over loopback:
#   1. a grpc-go client (clients/go/interop/democlient) plays every demo
#      scenario against the Rust demo server and reads each error with the
#      chaterrors package, strictly, with grpc-go's status.Details() also
#      reading every detail;
#   2. the Go peer server (scripts/peer.sh go) fails calls with errors built
#      by chaterrors behind its Server interceptors, and the Rust
#      chat-demo-interop-client decodes them through chat-errors, with the
#      server-stack checks (locale negotiation, panics and plain errors
#      masked as 1003 with a request id).
# Go modules come pinned by go.sum. The last line is `N passed, M failed`.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "interop-go: $*" >&2; exit 1; }
command -v cargo >/dev/null || fail "cargo is required"
command -v python3 >/dev/null || fail "python3 is required (to read cargo metadata)"
# shellcheck source=scripts/lib/go.sh
. scripts/lib/go.sh
go_require
go version

mkdir -p clients/go/.bin
# Built before the peer starts, so that its first build does not count
# against the wait for its address.
(cd clients/go/interop && go build -o ../.bin/ ./democlient ./peer)
cargo build --quiet -p chat-demo --bins
target_dir=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
bin=$target_dir/debug

tmp=$(mktemp -d)
server_pid=
peer_pid=
stop() {
  local pid
  for pid in $server_pid $peer_pid; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  server_pid=
  peer_pid=
}
trap 'stop; rm -rf "$tmp"' EXIT

# shellcheck source=scripts/lib/listening-addr.sh
. scripts/lib/listening-addr.sh

failures=0

echo "==> grpc-go client against the Rust demo server"
"$bin/chat-demo-server" --addr 127.0.0.1:0 >"$tmp/server.out" 2>&1 &
server_pid=$!
server=$(listening_addr "$tmp/server.out" "$server_pid")
"$bin/chat-demo-client" --list >"$tmp/scenarios.tsv"
clients/go/.bin/democlient --addr "$server" --scenarios "$tmp/scenarios.tsv" \
  --fixture tests/fixtures/error-codes.tsv >"$tmp/go.out" || failures=$((failures + 1))
cat "$tmp/go.out"
stop

echo "==> Rust chat-errors client against the Go peer server"
scripts/peer.sh go >"$tmp/peer.out" 2>&1 &
peer_pid=$!
peer=$(listening_addr "$tmp/peer.out" "$peer_pid")
"$bin/chat-demo-interop-client" --addr "$peer" --server-stack >"$tmp/rust.out" || failures=$((failures + 1))
cat "$tmp/rust.out"
stop

passed=0
failed=0
for out in "$tmp/go.out" "$tmp/rust.out"; do
  summary=$(tail -n 1 "$out")
  if [[ $summary =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    passed=$((passed + BASH_REMATCH[1]))
    failed=$((failed + BASH_REMATCH[2]))
  else
    echo "interop-go: $(basename "$out" .out) side ended without a summary" >&2
    failed=$((failed + 1))
  fi
done
if [ "$failures" -gt 0 ] && [ "$failed" -eq 0 ]; then
  failed=$failures
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
