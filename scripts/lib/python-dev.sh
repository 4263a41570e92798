# Sourced by the scripts that develop or check clients/python, which define
# `fail` first. Creates (once) the venv clients/python/.build/dev with the
# pinned tools of clients/python/requirements-dev.txt, and sets $dev_py.

dev_venv=clients/python/.build/dev
dev_py=$dev_venv/bin/python
python_dev_venv() {
  command -v python3 >/dev/null || fail "python3 is required (Python 3.11+ with venv and pip)"
  if [ ! -x "$dev_py" ]; then
    python3 -m venv "$dev_venv" || fail "python3 -m venv failed: install the venv module (python3-venv)"
  fi
  "$dev_py" -m pip --version >/dev/null 2>&1 || fail "pip is missing from $dev_venv"
  "$dev_py" -m pip install --quiet --disable-pip-version-check -r clients/python/requirements-dev.txt ||
    fail "could not install clients/python/requirements-dev.txt from PyPI"
}

# The venv clients/python/.build/gen with the generator's pins
# (clients/python/requirements-gen.txt), and $gen_py.
gen_venv=clients/python/.build/gen
gen_py=$gen_venv/bin/python
python_gen_venv() {
  command -v python3 >/dev/null || fail "python3 is required (Python 3.11+ with venv and pip)"
  if [ ! -x "$gen_py" ]; then
    python3 -m venv "$gen_venv" || fail "python3 -m venv failed: install the venv module (python3-venv)"
  fi
  PIP_CONSTRAINT= "$gen_py" -m pip install --quiet --disable-pip-version-check -r clients/python/requirements-gen.txt ||
    fail "could not install clients/python/requirements-gen.txt from PyPI"
}
