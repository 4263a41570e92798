#!/usr/bin/env bash
# Interop with another gRPC implementation, in both directions, over loopback:
#   1. a Python grpcio client plays every demo scenario against the Rust demo
#      server and decodes each error with the chat_errors package
#      (clients/python), strictly;
#   2. a Python grpcio server fails calls with rich statuses built by
#      rpc_status.to_status, and the Rust chat-demo-interop-client decodes them
#      through chat-errors.
# Python packages are pinned in interop/requirements.txt and installed, with
# ./clients/python, into a venv under interop/.build/ (gitignored). The last line is `N passed, M failed`.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "interop-python: $*" >&2; exit 1; }
command -v python3 >/dev/null || fail "python3 is required (Python 3.11 with venv and pip)"
command -v cargo >/dev/null || fail "cargo is required"

build=interop/.build
venv=$build/venv
py=$venv/bin/python
if [ ! -x "$py" ]; then
  python3 -m venv "$venv" || fail "python3 -m venv failed: install the venv module (python3-venv)"
fi
"$py" -m pip --version >/dev/null 2>&1 || fail "pip is missing from $venv"
"$py" -m pip install --quiet --disable-pip-version-check -r interop/requirements.txt
# The constraints pin the build backend that pip fetches for the package too.
PIP_CONSTRAINT=clients/python/requirements-dev.txt "$py" -m pip install --quiet \
  --disable-pip-version-check --no-deps --force-reinstall ./clients/python
"$py" -m pip freeze --disable-pip-version-check | grep -E '^(grpcio|grpcio-status|grpcio-tools|googleapis-common-protos|protobuf)==' | tr '\n' ' '
echo

gen=$build/gen
rm -rf "$gen"
mkdir -p "$gen"
"$py" -m grpc_tools.protoc -I demo/proto --python_out="$gen" --grpc_python_out="$gen" \
  demo/proto/chat/demo/v1/chat_service.proto
export PYTHONPATH="$gen:interop"
export PYTHONDONTWRITEBYTECODE=1

cargo build --quiet -p chat-demo --bins
target_dir=$(cargo metadata --format-version 1 --no-deps |
  "$py" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
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

echo "==> Python grpcio client against the Rust demo server"
"$bin/chat-demo-server" --addr 127.0.0.1:0 >"$tmp/server.out" 2>&1 &
server_pid=$!
server=$(listening_addr "$tmp/server.out" "$server_pid")
"$bin/chat-demo-client" --list >"$tmp/scenarios.tsv"
"$py" interop/client.py --addr "$server" --scenarios "$tmp/scenarios.tsv" >"$tmp/python.out" || failures=$((failures + 1))
cat "$tmp/python.out"
stop

echo "==> Rust chat-errors client against a Python grpcio server"
"$py" interop/peer_server.py >"$tmp/peer.out" 2>&1 &
peer_pid=$!
peer=$(listening_addr "$tmp/peer.out" "$peer_pid")
"$bin/chat-demo-interop-client" --addr "$peer" >"$tmp/rust.out" || failures=$((failures + 1))
cat "$tmp/rust.out"
stop

# Each side ends with `N passed, M failed`; a side that died early has none.
passed=0
failed=0
for out in "$tmp/python.out" "$tmp/rust.out"; do
  summary=$(tail -n 1 "$out")
  if [[ $summary =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    passed=$((passed + BASH_REMATCH[1]))
    failed=$((failed + BASH_REMATCH[2]))
  else
    echo "interop-python: $(basename "$out" .out) side ended without a summary" >&2
    failed=$((failed + 1))
  fi
done
if [ "$failures" -gt 0 ] && [ "$failed" -eq 0 ]; then
  failed=$failures
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
