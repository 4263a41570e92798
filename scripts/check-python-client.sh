#!/usr/bin/env bash
# Checks the Python package clients/python:
#   1. its generated code matches chat_errors.proto (scripts/gen-python-client.sh);
#   2. `pip install ./clients/python` works in a fresh venv (no protoc) and
#      declares only its three runtime dependencies;
#   3. the tests that need no Rust pass on the oldest runtime pyproject.toml
#      allows (requirements-floor.txt);
#   4. mypy --strict is clean on the package, its tests, tools, benchmark and
#      conformance runner;
#   5. pytest passes, including the golden statuses from the chat-errors CLI
#      and the live run against chat-demo-server;
#   6. conformance/check python: the crate's corpus and 20,000 fuzzed inputs
#      give the Rust reference's answers.
# Tools are pinned in clients/python/requirements-dev.txt (also as constraints
# for the fresh install, build backend included).
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "check-python-client: $*" >&2; exit 1; }
command -v cargo >/dev/null || fail "cargo is required"
# shellcheck source=scripts/lib/python-dev.sh
. scripts/lib/python-dev.sh
python_dev_venv
export PIP_CONSTRAINT=$PWD/clients/python/requirements-dev.txt
export PYTHONDONTWRITEBYTECODE=1

echo "==> generated code is fresh"
python_gen_venv
"$gen_py" clients/python/tools/generate.py --check

echo "==> the package's LICENSE is the repository's"
cmp -s LICENSE clients/python/LICENSE || fail "clients/python/LICENSE differs from LICENSE"

echo "==> pip install ./clients/python into a fresh venv"
fresh=clients/python/.build/fresh
rm -rf "$fresh"
python3 -m venv "$fresh"
"$fresh/bin/python" -m pip install --quiet --disable-pip-version-check ./clients/python ||
  fail "pip install ./clients/python failed in a fresh venv"
"$fresh/bin/python" - <<'PY'
import importlib.metadata, re, sys
import chat_errors
names = sorted(re.split(r"[ ;<>=!~\[]", r, maxsplit=1)[0].lower()
               for r in importlib.metadata.requires("chat-errors") or [])
expected = ["googleapis-common-protos", "grpcio", "protobuf"]
if names != expected:
    sys.exit(f"runtime dependencies are {names}, expected {expected}")
assert chat_errors.ErrorCode.CHANNEL_NOT_FOUND.value == 2003
licenses = [f for f in importlib.metadata.files("chat-errors") or [] if f.name == "LICENSE"]
if not licenses or "MIT License" not in licenses[0].read_text():
    sys.exit(f"the installed package carries no LICENSE: {licenses}")
if importlib.metadata.metadata("chat-errors").get("License-Expression") != "MIT":
    sys.exit("the installed package's metadata lacks License-Expression: MIT")
metadata = importlib.metadata.metadata("chat-errors")
urls = dict(url.split(", ", 1) for url in metadata.get_all("Project-URL") or [])
if not {"Homepage", "Repository", "Issues"} <= set(urls):
    sys.exit(f"the installed package's metadata lacks project URLs: {urls}")
# The README is the package's page on PyPI, where a relative link leads nowhere.
relative = [link for link in re.findall(r"\]\(([^)]*)\)", metadata.get_payload() or "")
            if not link.startswith("https://")]
if relative:
    sys.exit(f"the README's links must be absolute: {relative}")
print(f"installed chat-errors {importlib.metadata.version('chat-errors')} with {', '.join(names)}")
PY

echo "==> the oldest runtime allowed: requirements-floor.txt"
floor=clients/python/.build/floor
rm -rf "$floor"
python3 -m venv "$floor"
PIP_CONSTRAINT= "$floor/bin/python" -m pip install --quiet --disable-pip-version-check \
  -r clients/python/requirements-floor.txt || fail "could not install clients/python/requirements-floor.txt"
"$floor/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps ./clients/python
(cd clients/python && "../../$floor/bin/python" -m pytest -q -p no:cacheprovider -m "not needs_rust")

echo "==> mypy --strict"
"$dev_py" -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall ./clients/python
(cd clients/python && "../../$dev_py" -m mypy --strict --cache-dir .build/mypy-cache)

echo "==> pytest"
cargo build --quiet -p chat-demo --bin chat-demo-server -p chat-errors-cli --bin chat-errors
target_dir=$(cargo metadata --format-version 1 --no-deps |
  "$dev_py" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
(cd clients/python && CHAT_ERRORS_BIN_DIR="$target_dir/debug" "../../$dev_py" -m pytest -q -p no:cacheprovider)

echo "==> conformance/check python"
conformance/check python
