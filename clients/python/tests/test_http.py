"""from_http_error on AIP-193 and gateway JSON bodies, rendered from
statuses with protobuf's own json_format, for all 57 codes; the envelope's
strict rules; hostile JSON."""

from __future__ import annotations

import json
from typing import Any

import grpc
import pytest
from google.protobuf import json_format
from google.rpc import error_details_pb2
from hypothesis import given, settings
from hypothesis import strategies as st

import chat_errors
from chat_errors import ChatError, DecodeError, DecodeErrorKind, ErrorCode
from conftest import ROWS, Row
from statuses import Wire, error_info, wire

K = DecodeErrorKind


def gateway_body(w: Wire) -> dict[str, Any]:
    """The gateway form: the protojson of google.rpc.Status."""
    return json_format.MessageToDict(w.status())


def aip193_body(w: Wire, http_status: int) -> dict[str, Any]:
    status = gateway_body(w)
    return {"error": {"code": http_status, "message": status.get("message", ""),
                      "status": w.code.name, "details": status.get("details", [])}}


def check(error: ChatError | None, row: Row) -> None:
    assert error is not None
    assert error.code is ErrorCode(row.code) and error.number == row.code
    assert error.reason == row.reason and error.name == row.name
    assert error.grpc_code is row.grpc_code and error.http_status == row.http_status
    assert error.message == row.description_en
    assert error.localized_message == chat_errors.LocalizedMessage("ko-KR", row.description_ko)


@pytest.mark.parametrize("row", ROWS.values(), ids=lambda row: str(row.code))
def test_both_forms_for_every_code(row: Row) -> None:
    w = wire(row)
    aip193 = aip193_body(w, row.http_status)
    check(chat_errors.from_http_error(json.dumps(aip193).encode(), http_status=row.http_status,
                                      strict=True), row)
    check(chat_errors.from_http_error(json.dumps(aip193, ensure_ascii=False)), row)
    check(chat_errors.from_http_error(gateway_body(w), http_status=row.http_status, strict=True), row)


def test_details_in_the_json_mapping() -> None:
    row = ROWS[1010]
    retry = error_details_pb2.RetryInfo()
    retry.retry_delay.FromMilliseconds(3250)
    body = aip193_body(wire(row, retry, error_details_pb2.Help()), row.http_status)
    assert body["error"]["details"][2]["retryDelay"] == "3.250s"
    error = chat_errors.from_http_error(body, strict=True)
    assert error is not None and error.retry_delay is not None
    assert error.retry_delay.total_seconds() == 3.25


def test_unknown_detail_types_are_skipped_even_strictly() -> None:
    row = ROWS[2003]
    body = aip193_body(wire(row), row.http_status)
    body["error"]["details"].append({"@type": "type.googleapis.com/chat.v9.Unheard", "x": 1})
    check(chat_errors.from_http_error(body, strict=True), row)


def test_not_an_error_body() -> None:
    for body in (b"[]", b"{}", b'{"ok": true}', b"null", b'"error"'):
        assert chat_errors.from_http_error(body, strict=True) is None


def with_error(**fields: object) -> dict[str, Any]:
    row = ROWS[2003]
    body = aip193_body(wire(row), row.http_status)
    body["error"].update(fields)
    return body


BREACHES: dict[str, tuple[object, int | None, DecodeErrorKind]] = {
    "too large": (b" " * (chat_errors.MAX_HTTP_ERROR_BYTES + 1), None, K.TOO_LARGE),
    "not JSON": (b'{"error": ', None, K.NOT_JSON),
    "error is not an object": ({"error": "boom"}, None, K.INVALID_FIELD),
    "status names no gRPC code": (with_error(status="MISSING"), None, K.INVALID_FIELD),
    "code is not the status's HTTP status": (with_error(code=500), None, K.INVALID_FIELD),
    "code is a string": (with_error(code="404"), None, K.INVALID_FIELD),
    "response status differs": (with_error(), 500, K.HTTP_STATUS_MISMATCH),
    "message is not a string": (with_error(message=7), None, K.INVALID_FIELD),
    "details is not a list": (with_error(details={}), None, K.INVALID_FIELD),
    "detail without @type": (with_error(details=[{"reason": "X"}]), None, K.MALFORMED_DETAIL),
    "malformed known detail": (with_error(details=[
        {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "soon"}]),
        None, K.MALFORMED_DETAIL),
    "gateway code out of range": ({"code": 99, "message": "x"}, None, K.INVALID_FIELD),
    "details contradict themselves": (with_error(details=[
        json_format.MessageToDict(wire(ROWS[2003]).status())["details"][0] | {
            "metadata": {"code": "3003", "message": "ChannelNotFound"}}]),
        None, K.CODE_REASON_MISMATCH),
}


@pytest.mark.parametrize("breach", BREACHES, ids=str)
def test_breach_fails_strictly_and_never_raises_leniently(breach: str) -> None:
    body, http_status, kind = BREACHES[breach]
    with pytest.raises(DecodeError) as raised:
        chat_errors.from_http_error(body, http_status=http_status, strict=True)  # type: ignore[arg-type]
    assert raised.value.kind is kind
    lenient = chat_errors.from_http_error(body, http_status=http_status)  # type: ignore[arg-type]
    assert lenient is None or isinstance(lenient, ChatError)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["error", "code", "status", "message", "details", "@type",
                                       "reason", "domain", "metadata", "retryDelay", "x"]),
                      children, max_size=5),
    max_leaves=30)


@settings(max_examples=300, deadline=None, database=None)
@given(JSON, st.sampled_from([None, 200, 404, 500]), st.booleans())
def test_hostile_json(value: object, http_status: int | None, strict: bool) -> None:
    for body in (value, json.dumps(value)):
        try:
            result = chat_errors.from_http_error(body, http_status=http_status,  # type: ignore[arg-type]
                                                 strict=strict)
        except DecodeError:
            assert strict
            continue
        assert result is None or isinstance(result, ChatError)


def test_deep_nesting_is_refused_not_crashed() -> None:
    deep = b'{"error": ' + b"[" * 10000 + b"]" * 10000 + b"}"
    with pytest.raises(DecodeError) as raised:
        chat_errors.from_http_error(deep, strict=True)
    assert raised.value.kind in (K.NOT_JSON, K.INVALID_FIELD)
    assert chat_errors.from_http_error(deep) is None


def test_grpc_code_of_the_gateway_form() -> None:
    body = gateway_body(wire(ROWS[1007]))
    assert body["code"] == grpc.StatusCode.UNAUTHENTICATED.value[0]
    error = chat_errors.from_http_error(body, http_status=401, strict=True)
    assert error is not None and error.code is ErrorCode.LOGIN_REQUIRED
    assert error_info(ROWS[1007]).reason == error.reason
