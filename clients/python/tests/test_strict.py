"""The strict contract, on statuses built with googleapis-common-protos:
each breach is a DecodeError strictly and still readable leniently."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import grpc
import pytest
from google.protobuf import duration_pb2
from google.rpc import error_details_pb2, status_pb2

import chat_errors
from chat_errors import DecodeError, DecodeErrorKind, ErrorCode
from conftest import ROWS
from replay import failing_call, replay_server
from statuses import DOMAIN, Wire, error_info, korean, packed, wire

CHANNEL_NOT_FOUND = ROWS[2003]
USER_NOT_FOUND = ROWS[3003]


def decode(w: Wire, strict: bool) -> chat_errors.ChatError | None:
    return chat_errors.from_status(w.code, w.message, w.details, strict=strict)


def with_info(**metadata: str) -> Wire:
    info = error_info(CHANNEL_NOT_FOUND)
    info.metadata.update(metadata)
    return wire(CHANNEL_NOT_FOUND, info=info)


def retry_info(seconds: int, nanos: int = 0) -> error_details_pb2.RetryInfo:
    return error_details_pb2.RetryInfo(retry_delay=duration_pb2.Duration(seconds=seconds, nanos=nanos))


def appended(*extras: error_details_pb2.RetryInfo | error_details_pb2.ErrorInfo
             | error_details_pb2.LocalizedMessage | error_details_pb2.BadRequest) -> Wire:
    base = wire(CHANNEL_NOT_FOUND)
    status = base.status()
    status.details.extend(packed(extra) for extra in extras)
    return base.with_details(status)


def sent_as(code: grpc.StatusCode) -> Wire:
    """CHANNEL_NOT_FOUND with another gRPC code, consistently in trailer and details."""
    base = wire(CHANNEL_NOT_FOUND)
    status = base.status()
    status.code = code.value[0]
    return Wire(code, base.message, status.SerializeToString())


def garbled_detail(type_name: str) -> Wire:
    base = wire(CHANNEL_NOT_FOUND)
    status = base.status()
    detail = status.details.add()
    detail.type_url = f"type.googleapis.com/{type_name}"
    detail.value = b"\x0a\xff"
    return base.with_details(status)


K = DecodeErrorKind
BREACHES: dict[str, tuple[Callable[[], Wire], DecodeErrorKind]] = {
    "code names another code than the reason": (lambda: with_info(code="3003"), K.CODE_REASON_MISMATCH),
    "known reason with an unknown number": (lambda: with_info(code="2999"), K.CODE_REASON_MISMATCH),
    "message is not the code's name": (lambda: with_info(message="UserNotFound"), K.NAME_MISMATCH),
    "code has a leading zero": (lambda: with_info(code="02003"), K.NON_CANONICAL_CODE),
    "code has a plus sign": (lambda: with_info(code="+2003"), K.NON_CANONICAL_CODE),
    "code is padded": (lambda: with_info(code=" 2003"), K.NON_CANONICAL_CODE),
    "code is negative": (lambda: with_info(code="-2003"), K.NON_CANONICAL_CODE),
    "code is not a number": (lambda: with_info(code="two thousand three"), K.INVALID_CODE_METADATA),
    "code overflows i32": (lambda: with_info(code="4294969299"), K.INVALID_CODE_METADATA),
    "grpc-status is not the code's": (lambda: sent_as(grpc.StatusCode.INTERNAL), K.GRPC_CODE_MISMATCH),
    "details code differs from grpc-status": (lambda: Wire(
        grpc.StatusCode.INTERNAL, CHANNEL_NOT_FOUND.description_en, wire(CHANNEL_NOT_FOUND).details),
        K.CODE_MISMATCH),
    "grpc-message differs from the details": (lambda: Wire(
        CHANNEL_NOT_FOUND.grpc_code, "something else", wire(CHANNEL_NOT_FOUND).details),
        K.MESSAGE_MISMATCH),
    "ErrorInfo twice": (lambda: appended(error_info(CHANNEL_NOT_FOUND)), K.DUPLICATE_DETAIL),
    "RetryInfo twice": (lambda: appended(retry_info(1), retry_info(2)), K.DUPLICATE_DETAIL),
    "negative retry delay": (lambda: appended(retry_info(-1)), K.INVALID_RETRY_DELAY),
    "retry delay negative once normalised": (lambda: appended(retry_info(0, -1)), K.INVALID_RETRY_DELAY),
    "malformed LocalizedMessage": (lambda: garbled_detail("google.rpc.LocalizedMessage"),
                                   K.MALFORMED_DETAIL),
    "malformed RetryInfo": (lambda: garbled_detail("google.rpc.RetryInfo"), K.MALFORMED_DETAIL),
    "malformed ErrorInfo": (lambda: garbled_detail("google.rpc.ErrorInfo"), K.MALFORMED_DETAIL),
}


@pytest.mark.parametrize("breach", BREACHES, ids=str)
def test_breach_fails_strictly(breach: str) -> None:
    build, kind = BREACHES[breach]
    with pytest.raises(DecodeError) as raised:
        decode(build(), strict=True)
    assert raised.value.kind is kind


@pytest.mark.parametrize("breach", BREACHES, ids=str)
def test_breach_reads_leniently(breach: str) -> None:
    build, _ = BREACHES[breach]
    error = decode(build(), strict=False)
    assert error is not None
    assert error.reason == CHANNEL_NOT_FOUND.reason


def test_missing_name_and_code_are_not_breaches() -> None:
    info = error_details_pb2.ErrorInfo(reason=CHANNEL_NOT_FOUND.reason, domain=DOMAIN)
    error = decode(wire(CHANNEL_NOT_FOUND, info=info), strict=True)
    assert error is not None and error.code is ErrorCode.CHANNEL_NOT_FOUND
    assert error.name is None and error.number == CHANNEL_NOT_FOUND.code


def test_lenient_reads_codes_as_rust_parses_i32() -> None:
    for text in ("+2003", "0002003", "-0"):
        error = decode(with_info(code=text), strict=False)
        assert error is not None and error.number == int(text)
    too_big = decode(with_info(code="2147483648"), strict=False)
    assert too_big is not None and too_big.code is ErrorCode.CHANNEL_NOT_FOUND

def test_lenient_code_prefers_metadata_and_falls_back_to_reason() -> None:
    mismatched = decode(with_info(code="3003"), strict=False)
    assert mismatched is not None and mismatched.code is ErrorCode.USER_NOT_FOUND
    garbage = decode(with_info(code="x"), strict=False)
    assert garbage is not None and garbage.code is ErrorCode.CHANNEL_NOT_FOUND
    assert garbage.number == CHANNEL_NOT_FOUND.code


def test_future_code_is_kept_strictly() -> None:
    info = error_details_pb2.ErrorInfo(reason="CHANNEL_ARCHIVED", domain=DOMAIN,
                                       metadata={"code": "2099", "message": "ChannelArchived"})
    future = wire(CHANNEL_NOT_FOUND, info=info)
    for strict in (True, False):
        error = decode(future, strict)
        assert error is not None
        assert error.code is None
        assert error.number == 2099
        assert error.reason == "CHANNEL_ARCHIVED"
        assert error.name == "ChannelArchived"
        assert not chat_errors.is_code(error, ErrorCode.CHANNEL_NOT_FOUND)


def test_future_code_without_number_keeps_its_reason() -> None:
    info = error_details_pb2.ErrorInfo(reason="CHANNEL_ARCHIVED", domain=DOMAIN)
    error = decode(wire(CHANNEL_NOT_FOUND, info=info), strict=True)
    assert error is not None and error.code is None and error.number is None
    assert error.reason == "CHANNEL_ARCHIVED"


def test_code_from_reason_when_metadata_has_none() -> None:
    info = error_details_pb2.ErrorInfo(reason=USER_NOT_FOUND.reason, domain=DOMAIN,
                                       metadata={"message": USER_NOT_FOUND.name})
    error = decode(wire(USER_NOT_FOUND, info=info), strict=True)
    assert error is not None and error.code is ErrorCode.USER_NOT_FOUND
    assert error.number == USER_NOT_FOUND.code


def test_every_detail_is_read() -> None:
    row = ROWS[1002]
    bad = error_details_pb2.BadRequest(field_violations=[
        error_details_pb2.BadRequest.FieldViolation(field="user_id", description="required"),
        error_details_pb2.BadRequest.FieldViolation(
            field="name", description="too long", reason="NAME_TOO_LONG",
            localized_message=error_details_pb2.LocalizedMessage(locale="ko-KR", message="이름이 너무 깁니다"))])
    resource = error_details_pb2.ResourceInfo(resource_type="chat.demo.v1.User",
                                              resource_name="u1", owner="o", description="d")
    request = error_details_pb2.RequestInfo(request_id="req-7", serving_data="x")
    error = decode(wire(row, retry_info(3, 250_000_000), bad, resource, request), strict=True)
    assert error is not None
    assert error.retry_delay == timedelta(seconds=3, milliseconds=250)
    assert error.field_violations == (
        chat_errors.FieldViolation("user_id", "required"),
        chat_errors.FieldViolation("name", "too long", "NAME_TOO_LONG",
                                   chat_errors.LocalizedMessage("ko-KR", "이름이 너무 깁니다")))
    assert error.resource_info == chat_errors.ResourceInfo("chat.demo.v1.User", "u1", "o", "d")
    assert error.request_info == chat_errors.RequestInfo("req-7", "x")
    assert error.request_id == "req-7"


@pytest.mark.parametrize(("seconds", "nanos"), [(5, -1), (0, 1_999_999_999), (315_576_000_001, 0), (1, 0)])
def test_retry_delay_is_normalised_as_protobuf_normalises_it(seconds: int, nanos: int) -> None:
    error = decode(appended(retry_info(seconds, nanos)), strict=True)
    assert error is not None
    expected = duration_pb2.Duration(seconds=seconds, nanos=nanos).ToNanoseconds()
    assert error.retry_delay_ns == expected
    assert error.retry_delay == timedelta(microseconds=expected // 1000)


def test_unknown_detail_types_and_other_domains_are_passed_over() -> None:
    other = error_details_pb2.ErrorInfo(reason="QUOTA", domain="googleapis.com")
    base = wire(CHANNEL_NOT_FOUND)
    status = base.status()
    status.details.insert(0, packed(other))
    status.details.append(packed(error_details_pb2.Help()))
    error = decode(base.with_details(status), strict=True)
    assert error is not None and error.code is ErrorCode.CHANNEL_NOT_FOUND


def test_not_a_chat_error() -> None:
    plain = Wire(grpc.StatusCode.NOT_FOUND, "no route", b"")
    assert decode(plain, strict=True) is None
    only_korean = Wire(grpc.StatusCode.NOT_FOUND, "x", status_pb2.Status(
        code=5, message="x", details=[packed(korean(CHANNEL_NOT_FOUND))]).SerializeToString())
    assert decode(only_korean, strict=True) is None
    assert chat_errors.from_rpc_error(ValueError("not grpc")) is None
    assert not chat_errors.is_code(None, ErrorCode.CHANNEL_NOT_FOUND)


def test_duplicate_details_header_fails_strictly() -> None:
    with replay_server(lambda _: wire(CHANNEL_NOT_FOUND), copies=2) as addr:
        with grpc.insecure_channel(addr) as channel:
            with pytest.raises(grpc.RpcError) as raised:
                failing_call(channel)(b"")
    with pytest.raises(DecodeError):
        chat_errors.from_rpc_error(raised.value, strict=True)
    lenient = chat_errors.from_rpc_error(raised.value)
    assert lenient is not None and lenient.code is ErrorCode.CHANNEL_NOT_FOUND
