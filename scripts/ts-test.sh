#!/usr/bin/env bash
# The TypeScript client, clients/ts (@chat-errors/client): installs its
# pinned npm packages from clients/ts/package-lock.json, checks that the
# committed generated code (src/gen/: protobuf-es's and the catalogue's
# plain data) is what the proto gives today, type-checks and builds the ESM
# and CommonJS outputs with tsc, checks that the golden files (test/goldens/)
# are what the `chat-errors` CLI prints and decides today, prints the bundle
# sizes (esbuild, minified, gzip), loads the packed package with import and
# with require beside the oldest @bufbuild/protobuf its peer range allows
# (test/consumer, pinned by its lockfile), passes the conformance suite
# (conformance/check ts: the corpus and 20,000 fuzzed inputs against the
# Rust reference), and runs the unit tests with node's test runner, whose
# summary ends the output.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "ts-test: $*" >&2; exit 1; }
# shellcheck source=scripts/lib/node.sh
. scripts/lib/node.sh
require_node_and_cargo
pkg=clients/ts
npm_ci_and_show_pins "$pkg" @bufbuild/protobuf @bufbuild/buf @bufbuild/protoc-gen-es @connectrpc/connect typescript esbuild

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "==> the committed generated code is current"
(cd "$pkg" && node_modules/.bin/buf generate -o "$tmp/gen")
diff -r "$tmp/gen/src/gen" "$pkg/src/gen" ||
  fail "clients/ts/src/gen is stale: run 'npm run generate --prefix clients/ts' and commit the result"

echo "==> tsc: type-check and build"
npm run --prefix "$pkg" --silent build
npm run --prefix "$pkg" --silent build:test

echo "==> the committed goldens are what the chat-errors CLI prints and decides"
cargo build --quiet -p chat-errors-cli
cli=$(cargo_target_dir)/debug/chat-errors
mkdir "$tmp/goldens"
node "$pkg/scripts/goldens.mjs" "$cli" "$tmp/goldens"
diff -r "$tmp/goldens" "$pkg/test/goldens" >/dev/null ||
  fail "clients/ts/test/goldens is stale: run 'npm run build --prefix clients/ts && node clients/ts/scripts/goldens.mjs $cli' and commit the result"

echo "==> bundle sizes (esbuild --bundle --minify, browser ESM, gzip -9)"
(cd "$pkg" && node scripts/bench.mjs --sizes)

echo "==> the packed package, by import and by require, on the oldest @bufbuild/protobuf of its peer range"
consumer=$pkg/test/consumer
npm_ci_and_show_pins "$consumer" @bufbuild/protobuf
(cd "$pkg" && npm pack --silent --pack-destination "$tmp" >/dev/null)
rm -rf "$consumer/node_modules/@chat-errors"
mkdir -p "$consumer/node_modules/@chat-errors/client"
tar -xzf "$tmp"/chat-errors-client-*.tgz -C "$consumer/node_modules/@chat-errors/client" --strip-components=1
(cd "$consumer" && node esm.mjs && node cjs.cjs)

echo "==> conformance/check ts: the corpus and 20,000 fuzzed inputs, against the Rust reference"
conformance/check ts

echo "==> unit tests (node --test)"
cd "$pkg"
node --test .test-build/test/*.test.js
