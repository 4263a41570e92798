#!/usr/bin/env bash
# The Python client's decode beside protobuf's runtime doing the same reads
# (clients/python/bench/decode.py), in one run; the last lines are
# `key=value`. Uses the dev venv of scripts/check-python-client.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "bench-python: $*" >&2; exit 1; }
# shellcheck source=scripts/lib/python-dev.sh
. scripts/lib/python-dev.sh
python_dev_venv
PIP_CONSTRAINT=$PWD/clients/python/requirements-dev.txt "$dev_py" -m pip install --quiet \
  --disable-pip-version-check --no-deps --force-reinstall ./clients/python
PYTHONDONTWRITEBYTECODE=1 "$dev_py" clients/python/bench/decode.py "$@"
