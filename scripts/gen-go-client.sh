#!/usr/bin/env bash
# Regenerates clients/go's code from proto/chat/errors/v1/chat_errors.proto:
# chaterrorspb/ with buf and the protoc-gen-go that clients/go/tools/go.mod
# pins (a local plugin, never a remote one), then codes_gen.go from it, and
# the demo's messages for the interop programs (clients/go/interop/demopb).
# With --check, fails when the committed code is stale instead of writing it.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 0 ] || [ "$1" = "--check" ] || { echo "usage: $0 [--check]" >&2; exit 1; }
# shellcheck source=scripts/lib/go.sh
. scripts/lib/go.sh
go_tools
go_buf
out="$PWD/clients/go"
if [ "${1:-}" = "--check" ]; then
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi
(cd clients/go && "$buf" generate --template buf.gen.yaml -o "$out" && go run ./internal/gencodes -o "$out/codes_gen.go")
(cd clients/go/interop && "$buf" generate --template buf.gen.yaml -o "$out/interop")
if [ "${1:-}" = "--check" ]; then
  stale=0
  for file in chaterrorspb/chat_errors.pb.go codes_gen.go interop/demopb/chat_service.pb.go; do
    if ! diff -u "clients/go/$file" "$out/$file"; then
      echo "gen-go-client: clients/go/$file is stale; run scripts/gen-go-client.sh and commit" >&2
      stale=1
    fi
  done
  exit "$stale"
fi
