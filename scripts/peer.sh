#!/usr/bin/env bash
# Starts an interop peer server: a ChatService in another language whose
# every call fails with a catalogue error, for the Rust client
# chat-demo-interop-client to decode. Builds or installs what the peer
# needs first (on stderr), then runs it in the foreground; it prints
# `peer listening on 127.0.0.1:PORT` on stdout and serves until SIGTERM.
#
# usage: scripts/peer.sh LANG      LANG: jvm
#
# A language joins with one peer_LANG function that ends by exec'ing its peer.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "peer: $*" >&2; exit 1; }

peer_jvm() {
  # shellcheck source=scripts/lib/jvm.sh
  . scripts/lib/jvm.sh
  jvm_require
  jvm_build_tools
  exec java -cp "$(jvm_tools_classpath)" chat.errors.demo.PeerServer
}

[ $# -eq 1 ] || fail "usage: $0 LANG (jvm)"
case "$1" in
  jvm) peer_jvm ;;
  *) fail "no peer for language '$1' (jvm)" ;;
esac
