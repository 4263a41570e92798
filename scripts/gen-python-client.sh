#!/usr/bin/env bash
# Regenerates clients/python's code from proto/chat/errors/v1/chat_errors.proto
# (the protoc grpcio-tools bundles, pinned in clients/python/requirements-gen.txt;
# no system protoc). Run it after changing the
# proto and commit the result: scripts/check-python-client.sh fails when stale.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "gen-python-client: $*" >&2; exit 1; }
# shellcheck source=scripts/lib/python-dev.sh
. scripts/lib/python-dev.sh
python_gen_venv
"$gen_py" clients/python/tools/generate.py
