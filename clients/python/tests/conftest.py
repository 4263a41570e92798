"""Shared fixtures: the normative table and the Rust tools under test.

Expected values come from tests/fixtures/error-codes.tsv at the repository
root, never from the package. Tests marked ``needs_rust`` run the
``chat-errors`` CLI and ``chat-demo-server`` from CHAT_ERRORS_BIN_DIR (e.g.
``target/debug``); without it they fail rather than pass unseen. Run
``pytest -m "not needs_rust"`` to leave them out on purpose.
"""

from __future__ import annotations

import os
import pathlib
import re
import selectors
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass

import grpc
import pytest

REPO = pathlib.Path(__file__).resolve().parents[3]
TABLE = REPO / "tests" / "fixtures" / "error-codes.tsv"
COLUMNS = ["code", "name", "reason", "grpc_code", "http_status", "retryable",
           "description_ko", "description_en"]


@dataclass(frozen=True)
class Row:
    code: int
    name: str
    reason: str
    grpc_code: grpc.StatusCode
    http_status: int
    retryable: bool
    description_ko: str
    description_en: str


def load_table() -> dict[int, Row]:
    lines = TABLE.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == COLUMNS, f"{TABLE}: unexpected header"
    rows = {}
    for line in lines[1:]:
        code, name, reason, grpc_code, http, retryable, ko, en = line.split("\t")
        assert retryable in ("true", "false"), line
        rows[int(code)] = Row(int(code), name, reason, grpc.StatusCode[grpc_code], int(http),
                              retryable == "true", ko, en)
    return rows


ROWS = load_table()


@pytest.fixture(scope="session")
def bin_dir() -> pathlib.Path:
    value = os.environ.get("CHAT_ERRORS_BIN_DIR")
    if not value:
        pytest.fail("CHAT_ERRORS_BIN_DIR is not set: point it at the directory holding "
                    "chat-errors and chat-demo-server (e.g. target/debug), or run "
                    "pytest -m 'not needs_rust'")
    path = pathlib.Path(value)
    for tool in ("chat-errors", "chat-demo-server"):
        if not (path / tool).is_file():
            pytest.fail(f"{path / tool} does not exist: build it with cargo build -p chat-demo -p chat-errors-cli")
    return path


LISTENING = re.compile(r"listening on (127\.0\.0\.1:\d+)")


def announced_addr(server: subprocess.Popen[str], timeout: float = 30.0) -> str:
    """The HOST:PORT the server prints once it listens."""
    assert server.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(server.stdout, selectors.EVENT_READ)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if not selector.select(timeout=end - time.monotonic()):
                break
            line = server.stdout.readline()
            if not line:
                break
            match = LISTENING.search(line)
            if match:
                return match.group(1)
    server.kill()
    raise AssertionError("chat-demo-server did not announce its address")


@pytest.fixture(scope="session")
def demo_addr(bin_dir: pathlib.Path) -> Iterator[str]:
    """A `chat-demo-server --addr 127.0.0.1:0` for the session (gRPC and REST)."""
    server = subprocess.Popen([str(bin_dir / "chat-demo-server"), "--addr", "127.0.0.1:0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        yield announced_addr(server)
    finally:
        server.terminate()
        server.wait(timeout=10)
