#!/usr/bin/env bash
# Interop with grpc-java, in both directions, over loopback:
#   1. a grpc-java client (clients/jvm/chat-errors-demo, InteropClient) plays
#      every demo scenario against the Rust demo server and reads each error
#      strictly with chat-errors for the JVM, checked against
#      tests/fixtures/error-codes.tsv, then the locale negotiated from
#      accept-language;
#   2. the JVM peer server (PeerServer, started by scripts/peer.sh jvm) fails
#      calls with statuses built by chat-errors for the JVM behind its
#      ChatErrorInterceptor, and the Rust chat-demo-interop-client decodes them,
#      with the server-stack checks (locale negotiation, a throwing handler
#      and a plain error masked as 1003 with a request id) and a request body
#      that is no message of the method's type, answered with 1001.
# The last line is `N passed, M failed`.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "interop-jvm: $*" >&2; exit 1; }
command -v cargo >/dev/null || fail "cargo is required"
# shellcheck source=scripts/lib/jvm.sh
. scripts/lib/jvm.sh
jvm_require
jvm_build_tools

cargo build --quiet -p chat-demo --bins
target_dir=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
bin=$target_dir/debug

tmp=$(mktemp -d)
server_pid=
stop() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=
}
trap 'stop; rm -rf "$tmp"' EXIT

# shellcheck source=scripts/lib/listening-addr.sh
. scripts/lib/listening-addr.sh

echo "==> grpc-java client against the Rust demo server"
"$bin/chat-demo-server" --addr 127.0.0.1:0 >"$tmp/server.out" 2>&1 &
server_pid=$!
server=$(listening_addr "$tmp/server.out" "$server_pid")
"$bin/chat-demo-client" --list >"$tmp/scenarios.tsv"
java -cp "$(jvm_tools_classpath)" chat.errors.demo.InteropClient "$server" "$tmp/scenarios.tsv" \
  tests/fixtures/error-codes.tsv >"$tmp/jvm.out" || true
cat "$tmp/jvm.out"
stop

echo "==> Rust chat-errors client against the grpc-java peer server"
scripts/peer.sh jvm >"$tmp/peer.out" 2>"$tmp/peer.err" &
server_pid=$!
server=$(listening_addr "$tmp/peer.out" "$server_pid")
"$bin/chat-demo-interop-client" --addr "$server" --server-stack --undecodable-request >"$tmp/rust.out" || true
cat "$tmp/rust.out"
stop

# Each side ends with `N passed, M failed`; a side that died early has none.
passed=0
failed=0
for out in "$tmp/jvm.out" "$tmp/rust.out"; do
  summary=$(tail -n 1 "$out")
  if [[ $summary =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    passed=$((passed + BASH_REMATCH[1]))
    failed=$((failed + BASH_REMATCH[2]))
  else
    echo "interop-jvm: $(basename "$out" .out) side ended without a summary" >&2
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
