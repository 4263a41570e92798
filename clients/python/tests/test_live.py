"""Against the Rust demo server (`chat-demo-server --addr 127.0.0.1:0`):
real failed calls, over grpcio's sync and grpc.aio stubs, decoded strictly.
Requests are raw protobuf bytes, so no demo stubs are generated."""

from __future__ import annotations

import asyncio

import grpc
import grpc.aio
import pytest

import chat_errors
from chat_errors import ChatError, ErrorCode
from conftest import ROWS
from replay import failing_aio_call, failing_call

pytestmark = pytest.mark.needs_rust
SERVICE = "/chat.demo.v1.ChatService/"
EMPTY = b""
# SignUpRequest{user_id: "Alice Kim"}: field 1, length 9.
MALFORMED_USER_ID = b"\x0a\x09Alice Kim"


CALLS = [
    # (method, request, expected code, expected field violation)
    ("GetChannel", EMPTY, 1007, None),
    ("SignUp", EMPTY, 1002, "user_id"),
    ("SignUp", MALFORMED_USER_ID, 1001, "user_id"),
]


def check(error: ChatError | None, code: int, field: str | None) -> None:
    row = ROWS[code]
    assert error is not None
    assert error.code is ErrorCode(code) and error.number == code
    assert error.reason == row.reason and error.name == row.name
    assert error.grpc_code is row.grpc_code
    assert error.domain == chat_errors.DEFAULT_DOMAIN
    assert error.localized_message is not None
    assert error.localized_message.message == ErrorCode(code).description(error.localized_message.locale)
    if field is not None:
        assert [violation.field for violation in error.field_violations] == [field]


@pytest.mark.parametrize(("method", "request_bytes", "code", "field"), CALLS,
                         ids=[f"{m}-{c}" for m, _, c, _ in CALLS])
def test_sync_call(demo_addr: str, method: str, request_bytes: bytes, code: int,
                   field: str | None) -> None:
    with grpc.insecure_channel(demo_addr) as channel:
        with pytest.raises(grpc.RpcError) as raised:
            failing_call(channel, SERVICE + method)(request_bytes, timeout=10)
    check(chat_errors.from_rpc_error(raised.value, strict=True), code, field)
    assert chat_errors.is_code(raised.value, ErrorCode(code))


@pytest.mark.parametrize(("method", "request_bytes", "code", "field"), CALLS,
                         ids=[f"{m}-{c}" for m, _, c, _ in CALLS])
def test_aio_call(demo_addr: str, method: str, request_bytes: bytes, code: int,
                  field: str | None) -> None:
    async def call() -> grpc.aio.AioRpcError:
        async with grpc.aio.insecure_channel(demo_addr) as channel:
            try:
                await failing_aio_call(channel, SERVICE + method)(request_bytes, timeout=10)
            except grpc.aio.AioRpcError as error:
                return error
        raise AssertionError("the call succeeded")

    error = asyncio.run(call())
    check(chat_errors.from_rpc_error(error, strict=True), code, field)
