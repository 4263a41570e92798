#!/usr/bin/env bash
# Builds the demo's web chat into demo/web/dist, which chat-demo-server
# serves at /: installs the pinned npm packages (npm ci from the lockfiles of
# tools/buf, clients/ts and demo/web), builds @chat-errors/client, generates
# the ChatService client from demo/proto with buf and protoc-gen-es,
# type-checks with tsc and bundles with esbuild. Prints the bundle's size.
#
# scripts/web-build.sh --serve [--addr HOST:PORT] then serves it with
# chat-demo-server (default address 127.0.0.1:8080) until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "web-build: $*" >&2; exit 1; }
# shellcheck source=scripts/lib/node.sh
. scripts/lib/node.sh

serve=false
addr=127.0.0.1:8080
while [ $# -gt 0 ]; do
  case $1 in
    --serve) serve=true ;;
    --addr) [ $# -ge 2 ] || fail "--addr needs HOST:PORT"; addr=$2; shift ;;
    *) fail "unexpected argument $1 (usage: scripts/web-build.sh [--serve [--addr HOST:PORT]])" ;;
  esac
  shift
done

require_node_and_cargo
web=demo/web
npm ci --prefix tools/buf --no-audit --no-fund --loglevel=error >/dev/null
npm_ci_and_show_pins clients/ts @bufbuild/protobuf typescript >/dev/null
npm run --prefix clients/ts --silent build
echo "web-build: $(npm_ci_and_show_pins "$web" @bufbuild/protobuf @connectrpc/connect @connectrpc/connect-web @bufbuild/protoc-gen-es esbuild typescript)"
(cd "$web" && ../../tools/buf/node_modules/.bin/buf generate)
"$web/node_modules/.bin/tsc" --noEmit -p "$web/tsconfig.json"
node "$web/build.mjs"

if $serve; then
  echo "web-build: serving the chat at http://$addr/"
  exec cargo run --quiet -p chat-demo --bin chat-demo-server -- --addr "$addr" --web-dir "$web/dist"
fi
