#!/usr/bin/env bash
# The TypeScript client beside connect-es and protobuf-es doing the same job,
# in one run (clients/ts/scripts/bench.mjs): installs the pinned npm packages,
# builds the package, and prints key=value lines, ratios ours/theirs:
#   ts_connect_error_vs_find_details, ts_bytes_vs_from_binary,
#   ts_bundle_added_gzip_bytes, ts_error_code_alone_gzip_bytes.
#
#   scripts/ts-bench.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "ts-bench: $*" >&2; exit 1; }
# shellcheck source=scripts/lib/node.sh
. scripts/lib/node.sh
require_node_and_cargo
pkg=clients/ts
npm_ci_and_show_pins "$pkg" @bufbuild/protobuf @connectrpc/connect esbuild >&2
npm run --prefix "$pkg" --silent build
cd "$pkg"
node scripts/bench.mjs "$@"
