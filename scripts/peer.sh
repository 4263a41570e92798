#!/usr/bin/env bash
# Starts an interop peer server: a ChatService in another language whose
# every call fails with a catalogue error, for the Rust client
# chat-demo-interop-client to decode. Builds or installs what the peer
# needs first (on stderr), then runs it in the foreground; it prints
# `peer listening on 127.0.0.1:PORT` on stdout and serves until SIGTERM.
#
# usage: scripts/peer.sh LANG      LANG: go, jvm, python
#
# A language joins with one peer_LANG function that ends by exec'ing its peer.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "peer: $*" >&2; exit 1; }

peer_go() {
  # shellcheck source=scripts/lib/go.sh
  . scripts/lib/go.sh
  go_require
  mkdir -p clients/go/.bin
  (cd clients/go/interop && go build -o ../.bin/interop-peer ./peer) >&2
  exec clients/go/.bin/interop-peer
}

peer_python() {
  command -v python3 >/dev/null || fail "python3 is required (Python 3.11 with venv and pip)"
  local build=interop/.build
  local py=$build/venv/bin/python
  if [ ! -x "$py" ]; then
    python3 -m venv "$build/venv" >&2 || fail "python3 -m venv failed: install the venv module (python3-venv)"
  fi
  "$py" -m pip install --quiet --disable-pip-version-check -r interop/requirements.txt >&2
  local gen=$build/peer-gen
  rm -rf "$gen"
  mkdir -p "$gen"
  "$py" -m grpc_tools.protoc -I demo/proto --python_out="$gen" --grpc_python_out="$gen" \
    demo/proto/chat/demo/v1/chat_service.proto >&2
  PYTHONPATH="$gen:interop" PYTHONDONTWRITEBYTECODE=1 exec "$py" interop/peer_server.py
}

peer_jvm() {
  # shellcheck source=scripts/lib/jvm.sh
  . scripts/lib/jvm.sh
  jvm_require
  jvm_build_tools
  exec java -cp "$(jvm_tools_classpath)" chat.errors.demo.PeerServer
}

[ $# -eq 1 ] || fail "usage: $0 LANG (go, jvm, python)"
case "$1" in
  go) peer_go ;;
  jvm) peer_jvm ;;
  python) peer_python ;;
  *) fail "no peer for language '$1' (go, jvm, python)" ;;
esac
