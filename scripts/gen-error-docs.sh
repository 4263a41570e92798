#!/usr/bin/env bash
# Generates docs/error-codes.md from the catalogue proto (through the
# chat_errors Python package) and the demo's scenario list. With --check,
# fails when the committed file is stale instead of writing it.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "gen-error-docs: $*" >&2; exit 1; }
command -v cargo >/dev/null || fail "cargo is required"
command -v go >/dev/null || fail "go is required (the Go column comes from clients/go)"
[ $# -eq 0 ] || [ "$1" = "--check" ] || fail "usage: $0 [--check]"
# shellcheck source=scripts/lib/python-dev.sh
. scripts/lib/python-dev.sh
python_dev_venv
PIP_CONSTRAINT=clients/python/requirements-dev.txt "$dev_py" -m pip install --quiet \
  --disable-pip-version-check --no-deps --force-reinstall ./clients/python
cargo build --quiet -p chat-demo --bin chat-demo-client
target_dir=$(cargo metadata --format-version 1 --no-deps |
  "$dev_py" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
scenarios=$(mktemp)
go_constants=$(mktemp)
trap 'rm -f "$scenarios" "$go_constants"' EXIT
"$target_dir/debug/chat-demo-client" --list >"$scenarios"
(cd clients/go && go run ./internal/gencodes -list) >"$go_constants"
"$dev_py" scripts/error_docs.py "$scenarios" docs/error-codes.md --go "$go_constants" "$@"
(cd clients/python && "../../$dev_py" -m mypy --strict --cache-dir .build/mypy-cache ../../scripts/error_docs.py)
