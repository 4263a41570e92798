#!/usr/bin/env bash
# Interop with the Node.js gRPC stack over loopback: a @grpc/grpc-js client
# (interop/node/client.mjs) plays every demo scenario against the Rust demo
# server and decodes each error's grpc-status-details-bin with protobufjs as
# google.rpc.Status, ErrorInfo and LocalizedMessage. The npm packages are pinned
# in interop/node/package-lock.json and installed with `npm ci` into
# interop/node/node_modules (gitignored). The last line is `N passed, M failed`.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "interop-node: $*" >&2; exit 1; }
# shellcheck source=scripts/lib/node.sh
. scripts/lib/node.sh
require_node_and_cargo
npm_ci_and_show_pins interop/node @grpc/grpc-js @grpc/proto-loader protobufjs google-proto-files

cargo build --quiet -p chat-demo --bins
bin=$(cargo_target_dir)/debug

tmp=$(mktemp -d)
server_pid=
stop() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=
  fi
}
trap 'stop; rm -rf "$tmp"' EXIT

# shellcheck source=scripts/lib/listening-addr.sh
. scripts/lib/listening-addr.sh

"$bin/chat-demo-server" --addr 127.0.0.1:0 >"$tmp/server.out" 2>&1 &
server_pid=$!
server=$(listening_addr "$tmp/server.out" "$server_pid")

echo "==> Node.js grpc-js client against the Rust demo server at $server"
"$bin/chat-demo-client" --list >"$tmp/scenarios.tsv"
status=0
node interop/node/client.mjs "$server" "$tmp/scenarios.tsv" || status=$?
[ "$status" -eq 0 ] || fail "the Node.js client failed (exit $status)"
