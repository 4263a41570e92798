#!/usr/bin/env bash
# Lints every proto in the repo with buf's STANDARD rules (buf.yaml), using
# the buf version pinned in tools/buf/package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v npm >/dev/null || { echo "buf-lint: npm is required (Node 20+)" >&2; exit 1; }
npm ci --prefix tools/buf --no-audit --no-fund --loglevel=error >/dev/null
buf=tools/buf/node_modules/.bin/buf
"$buf" --version
"$buf" lint
echo "buf lint: STANDARD rules pass for: $("$buf" ls-files | tr '\n' ' ')"
