"""Generates the package's code from proto/chat/errors/v1/chat_errors.proto.

usage: python tools/generate.py [--check]

Writes src/chat_errors/_generated/chat_errors_pb2.py (grpcio-tools' bundled
protoc, so no protoc on the machine) and src/chat_errors/_error_code.py,
the ErrorCode enum's member names and numbers, so that type checkers see every
member. Everything else about a code is read from the descriptor at import.
With --check, compares instead of writing and exits 1 naming stale files.
"""

from __future__ import annotations

import argparse
import difflib
import importlib.util
import pathlib
import subprocess
import sys
import tempfile
from types import ModuleType

PACKAGE_ROOT = pathlib.Path(__file__).resolve().parent.parent
REPO = PACKAGE_ROOT.parent.parent
PROTO_ROOT = REPO / "proto"
PROTO = "chat/errors/v1/chat_errors.proto"
PACKAGE = PACKAGE_ROOT / "src" / "chat_errors"
GENERATED = {
    "chat_errors_pb2.py": PACKAGE / "_generated" / "chat_errors_pb2.py",
    "_error_code.py": PACKAGE / "_error_code.py",
}
ENUM_PREFIX = "ERROR_CODE_"
REGENERATE = "scripts/gen-python-client.sh"


def run_protoc(out: pathlib.Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "grpc_tools.protoc", f"-I{PROTO_ROOT}",
         f"--python_out={out}", PROTO],
        check=True,
    )


def load(path: pathlib.Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("chat_errors_pb2_fresh", path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def error_code_source(pb2: ModuleType) -> str:
    values = [value for value in pb2.ErrorCode.DESCRIPTOR.values if value.number != 0]
    lines = [
        f"# Generated from proto/{PROTO} by tools/generate.py; do not edit.",
        f"# Regenerate with {REGENERATE}.",
        '"""The catalogue\'s codes as an IntEnum named by ErrorInfo reason."""',
        "",
        "from chat_errors._catalogue import CatalogueCode",
        "",
        "",
        "class ErrorCode(CatalogueCode):",
        '    """A chat error code: its value is the platform\'s number, its name the',
        "    ErrorInfo reason. The options (gRPC code, retryable, original name,",
        '    descriptions) are read from the proto\'s descriptor."""',
        "",
    ]
    for value in values:
        if not value.name.startswith(ENUM_PREFIX):
            raise ValueError(f"{value.name} does not start with {ENUM_PREFIX}")
        lines.append(f"    {value.name[len(ENUM_PREFIX):]} = {value.number}")
    return "\n".join(lines) + "\n"


def generate(out: pathlib.Path) -> dict[str, str]:
    """The generated files' texts, by name."""
    run_protoc(out)
    produced = out / "chat" / "errors" / "v1"
    texts = {
        name: (produced / name).read_text(encoding="utf-8")
        for name in ("chat_errors_pb2.py",)
    }
    texts["_error_code.py"] = error_code_source(load(produced / "chat_errors_pb2.py"))
    return texts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        texts = generate(pathlib.Path(tmp))
    stale = []
    for name, text in texts.items():
        target = GENERATED[name]
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current == text:
            continue
        if args.check:
            stale.append(target)
            diff = difflib.unified_diff(current.splitlines(), text.splitlines(),
                                        str(target), "generated", lineterm="", n=1)
            sys.stderr.write("\n".join(list(diff)[:40]) + "\n")
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target.relative_to(REPO)}")
    if stale:
        names = ", ".join(str(path.relative_to(REPO)) for path in stale)
        sys.stderr.write(f"stale generated code: {names}\nregenerate with {REGENERATE}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
