"""Statuses the Rust `chat-errors encode` CLI prints, for all 57 codes,
decoded strictly: raw, and as real grpcio errors (sync and grpc.aio) from an
in-process server that replays the CLI's exact trailers."""

from __future__ import annotations

import asyncio
import base64
import json
import pathlib
import subprocess
import urllib.parse
from collections.abc import Iterator
from datetime import timedelta

import grpc
import grpc.aio
import pytest

import chat_errors
from chat_errors import ChatError, ErrorCode
from conftest import ROWS, Row
from replay import failing_aio_call, failing_call, replay_server
from statuses import DOMAIN, Wire

pytestmark = pytest.mark.needs_rust


def encode(bin_dir: pathlib.Path, *args: str) -> Wire:
    """`chat-errors encode ARGS --format json`, as a client reads it."""
    out = subprocess.run([str(bin_dir / "chat-errors"), "encode", *args, "--format", "json"],
                         check=True, capture_output=True, text=True).stdout
    trailers = json.loads(out)
    details = trailers["grpc-status-details-bin"]
    return Wire(
        code=next(c for c in grpc.StatusCode if c.value[0] == trailers["grpc-status"]),
        message=urllib.parse.unquote(trailers["grpc-message"]),
        details=base64.b64decode(details + "=" * (-len(details) % 4)),
    )


@pytest.fixture(scope="session")
def goldens(bin_dir: pathlib.Path) -> dict[int, Wire]:
    return {code: encode(bin_dir, str(code)) for code in ROWS}


def assert_matches(error: ChatError | None, row: Row) -> None:
    assert error is not None
    assert error.code is ErrorCode(row.code)
    assert error.number == row.code
    assert error.reason == row.reason
    assert error.domain == DOMAIN
    assert error.name == row.name
    assert error.grpc_code is row.grpc_code
    assert error.http_status == row.http_status
    assert error.message == row.description_en
    assert error.metadata == {"code": str(row.code), "message": row.name}
    assert error.localized_message == chat_errors.LocalizedMessage("ko-KR", row.description_ko)
    assert error.retry_delay is None
    assert error.field_violations == ()
    assert error.resource_info is None
    assert error.request_id is None


@pytest.mark.parametrize("row", ROWS.values(), ids=lambda row: str(row.code))
def test_cli_golden_decodes_strictly(goldens: dict[int, Wire], row: Row) -> None:
    wire = goldens[row.code]
    assert wire.code is row.grpc_code
    assert_matches(chat_errors.from_status(wire.code, wire.message, wire.details, strict=True), row)
    assert_matches(chat_errors.from_status(wire.code.value[0], wire.message, wire.details), row)


def test_cli_golden_with_every_extra(bin_dir: pathlib.Path) -> None:
    row = ROWS[1010]
    wire = encode(bin_dir, "TOO_MANY_REQUESTS", "--retry-after", "2.5", "--metadata",
                  "limit=20/minute", "--field-violation", "channel_id=must not be empty",
                  "--message", "slow down, 한국어 ok")
    error = chat_errors.from_status(wire.code, wire.message, wire.details, strict=True)
    assert error is not None
    assert error.code is ErrorCode.TOO_MANY_REQUESTS and error.number == row.code
    assert error.message == "slow down, 한국어 ok"
    assert error.retry_delay == timedelta(seconds=2.5)
    assert error.metadata["limit"] == "20/minute"
    assert error.field_violations == (chat_errors.FieldViolation("channel_id", "must not be empty"),)
    assert error.localized_message == chat_errors.LocalizedMessage("ko-KR", row.description_ko)


def test_cli_golden_in_another_domain(bin_dir: pathlib.Path) -> None:
    wire = encode(bin_dir, "2003", "--domain", "chat.example.com")
    assert chat_errors.from_status(wire.code, wire.message, wire.details, strict=True) is None
    error = chat_errors.from_status(wire.code, wire.message, wire.details,
                                    domain="chat.example.com", strict=True)
    assert error is not None and error.code is ErrorCode.CHANNEL_NOT_FOUND
    assert error.domain == "chat.example.com"


@pytest.fixture(scope="module")
def replay_addr(goldens: dict[int, Wire]) -> Iterator[str]:
    with replay_server(lambda request: goldens[int(request)]) as addr:
        yield addr


def test_sync_rpc_errors_decode_for_every_code(replay_addr: str) -> None:
    with grpc.insecure_channel(replay_addr) as channel:
        fail = failing_call(channel)
        for row in ROWS.values():
            with pytest.raises(grpc.RpcError) as raised:
                fail(str(row.code).encode())
            assert_matches(chat_errors.from_rpc_error(raised.value, strict=True), row)
            assert chat_errors.is_code(raised.value, ErrorCode(row.code))


def test_aio_rpc_errors_decode_for_every_code(replay_addr: str) -> None:
    async def play() -> None:
        async with grpc.aio.insecure_channel(replay_addr) as channel:
            fail = failing_aio_call(channel)
            for row in ROWS.values():
                with pytest.raises(grpc.aio.AioRpcError) as raised:
                    await fail(str(row.code).encode())
                assert_matches(chat_errors.from_rpc_error(raised.value, strict=True), row)
                assert chat_errors.is_code(raised.value, ErrorCode(row.code))

    asyncio.run(play())
