#!/usr/bin/env bash
# Third-party judges of the HTTP JSON errors, over loopback:
#   1. Python's google-api-core (`exceptions.from_http_response`) reads every
#      REST error of demo/rest_scenarios.json from the demo server, fetched
#      with `requests`, against tests/fixtures/error-codes.tsv;
#   2. protobuf's `json_format` parses the gateway-form body of every code
#      (examples/http_json_bodies.rs) as a google.rpc.Status;
#   3. demo/README.md's `curl -i` examples run against the demo server.
# Python packages are pinned in interop/http-json-requirements.txt and
# installed into a venv under interop/.build/ (gitignored). The last line is
# `N passed, M failed`.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "interop-http-json: $*" >&2; exit 1; }
command -v python3 >/dev/null || fail "python3 is required (with venv and pip)"
command -v cargo >/dev/null || fail "cargo is required"
if ! command -v curl >/dev/null; then
  echo "interop-http-json: installing curl for demo/README.md's examples" >&2
  { apt-get update -q && apt-get install -y -q curl; } >/dev/null || fail "curl is required and apt-get could not install it"
fi

venv=interop/.build/http-json-venv
py=$venv/bin/python
if [ ! -x "$py" ]; then
  python3 -m venv "$venv" || fail "python3 -m venv failed: install the venv module (python3-venv)"
fi
"$py" -m pip --version >/dev/null 2>&1 || fail "pip is missing from $venv"
"$py" -m pip install --quiet --disable-pip-version-check -r interop/http-json-requirements.txt
"$py" -m pip freeze --disable-pip-version-check | grep -E '^(google-api-core|googleapis-common-protos|protobuf|requests)==' | tr '\n' ' '
echo

cargo build --quiet -p chat-demo --bin chat-demo-server
target_dir=$(cargo metadata --format-version 1 --no-deps |
  "$py" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')

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

cargo run --quiet --features http-json --example http_json_bodies >"$tmp/bodies.jsonl"

# shellcheck source=scripts/lib/listening-addr.sh
. scripts/lib/listening-addr.sh

"$target_dir/debug/chat-demo-server" --addr 127.0.0.1:0 >"$tmp/server.out" 2>&1 &
server_pid=$!
server=$(listening_addr "$tmp/server.out" "$server_pid")
status=0
PYTHONDONTWRITEBYTECODE=1 "$py" interop/http_json.py --addr "$server" --bodies "$tmp/bodies.jsonl" || status=$?
stop
exit "$status"
