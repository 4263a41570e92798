"""ChatError is an exception, as google-api-core's errors are, and nothing
in it can be changed; every detail of the status stays reachable."""

from __future__ import annotations

import contextlib
import pickle
from typing import NoReturn

import grpc
import pytest
from google.protobuf import any_pb2
from google.rpc import error_details_pb2

import chat_errors
from chat_errors import ChatError, DecodeError, DecodeErrorKind, ErrorCode
from conftest import ROWS
from replay import failing_call, replay_server
from statuses import packed, wire

ROW = ROWS[2003]
HELP = error_details_pb2.Help(links=[error_details_pb2.Help.Link(description="docs", url="https://example.com")])


def decoded(*extras: error_details_pb2.Help | any_pb2.Any) -> ChatError:
    sent = wire(ROW)
    status = sent.status()
    status.details.extend(extra if isinstance(extra, any_pb2.Any) else packed(extra) for extra in extras)
    error = chat_errors.from_status(sent.code, sent.message, status.SerializeToString(), strict=True)
    assert error is not None
    return error


def test_raised_and_caught_as_an_exception() -> None:
    error = decoded()

    def fail() -> NoReturn:
        raise error

    with pytest.raises(ChatError) as caught:
        fail()
    assert caught.value is error
    assert isinstance(error, Exception)
    assert str(error) == f"{ROW.code} {ROW.name}: {ROW.description_en}"
    assert error.grpc_status_code is ROW.grpc_code


def test_python_may_still_chain_trace_and_annotate_it() -> None:
    error = decoded()
    try:
        try:
            raise ValueError("cause")
        except ValueError as cause:
            raise error from cause
    except ChatError as caught:
        caught.add_note("while listing channels")
        assert isinstance(caught.__cause__, ValueError)
        assert caught.__traceback__ is not None
        assert caught.__notes__ == ["while listing channels"]
    with contextlib.suppress(ChatError):
        raise error


def test_nothing_can_be_changed() -> None:
    error = decoded()
    for name in ("code", "metadata", "message", "details", "anything"):
        with pytest.raises(AttributeError):
            setattr(error, name, None)
        with pytest.raises(AttributeError):
            delattr(error, name)
    with pytest.raises(TypeError):
        error.metadata["code"] = "3003"  # type: ignore[index]
    assert isinstance(error.localized_messages, tuple)
    assert isinstance(error.details, tuple)
    assert error.metadata["code"] == str(ROW.code)


def test_pickles_whole() -> None:
    error = decoded(HELP)
    copy = pickle.loads(pickle.dumps(error))
    assert isinstance(copy, ChatError)
    assert (copy.code, copy.metadata, copy.details, str(copy)) == (
        error.code, error.metadata, error.details, str(error))


def test_every_detail_is_reachable_unknown_ones_included() -> None:
    unknown = any_pb2.Any(type_url="type.example.com/acme.Quota", value=b"\x08\x01")
    error = decoded(HELP, unknown)
    assert [detail.type_name for detail in error.details] == [
        "google.rpc.ErrorInfo", "google.rpc.LocalizedMessage", "google.rpc.Help", "acme.Quota"]
    assert error.details[2].unpack(error_details_pb2.Help) == HELP
    assert error.details[2].unpack(error_details_pb2.ErrorInfo) is None
    assert error.details[3] == chat_errors.Detail("type.example.com/acme.Quota", b"\x08\x01")
    info = error.details[0].unpack(error_details_pb2.ErrorInfo)
    assert info is not None and info.reason == ROW.reason


def test_the_constructor_copies_into_immutable_values() -> None:
    metadata = {"code": "2003"}
    error = ChatError(code=ErrorCode.CHANNEL_NOT_FOUND, number=2003, reason=ROW.reason,
                      domain=chat_errors.DEFAULT_DOMAIN, grpc_code=grpc.StatusCode.NOT_FOUND,
                      message="gone", metadata=metadata)
    metadata["code"] = "1"
    assert error.metadata == {"code": "2003"}
    assert error.is_code(ErrorCode.CHANNEL_NOT_FOUND)
    assert error.retry_delay is None and error.details == ()


class BrokenTrailers(grpc.RpcError):
    """An RpcError whose trailers cannot be read, as a failing interceptor's may be."""

    def code(self) -> grpc.StatusCode:
        return grpc.StatusCode.NOT_FOUND

    def details(self) -> str:
        return "gone"

    def trailing_metadata(self) -> tuple[grpc._Metadatum, ...]:
        raise RuntimeError("the channel closed")


def test_errors_raised_reading_the_call_become_decode_errors() -> None:
    assert chat_errors.from_rpc_error(BrokenTrailers()) is None
    with pytest.raises(DecodeError) as raised:
        chat_errors.from_rpc_error(BrokenTrailers(), strict=True)
    assert raised.value.kind is DecodeErrorKind.MALFORMED_STATUS
    assert isinstance(raised.value.__cause__, RuntimeError)
    assert not chat_errors.is_code(BrokenTrailers(), ErrorCode.CHANNEL_NOT_FOUND)


def test_a_real_call_raises_what_the_server_sent() -> None:
    with replay_server(lambda _: wire(ROW, HELP)) as addr:
        with grpc.insecure_channel(addr) as channel:
            with pytest.raises(grpc.RpcError) as raised:
                failing_call(channel)(b"")
    error = chat_errors.from_rpc_error(raised.value, strict=True)
    assert error is not None and error.code is ErrorCode.CHANNEL_NOT_FOUND
    assert error.details[2].unpack(error_details_pb2.Help) == HELP
