"""Reading a chat error out of an HTTP JSON error body: AIP-193's form
``{"error": {"code": <HTTP status>, "message", "status": "<gRPC code name>",
"details": [...]}}`` or the gateway form ``{"code": <gRPC code>, "message",
"details": [...]}``.

The JSON is turned back into the google.rpc.Status it stands for, which then
goes through :func:`chat_errors.from_status`, so both transports agree on
what an error holds and on what strict and lenient mean.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NoReturn, TypeGuard

import grpc
from google.protobuf import (
    any_pb2,
    api_pb2,
    descriptor_pb2,
    descriptor_pool,
    duration_pb2,
    empty_pb2,
    field_mask_pb2,
    json_format,
    source_context_pb2,
    struct_pb2,
    timestamp_pb2,
    type_pb2,
    wrappers_pb2,
)
from google.protobuf.descriptor import Descriptor, FieldDescriptor, FileDescriptor
from google.rpc import error_details_pb2, status_pb2

from chat_errors._decode import (
    DEFAULT_DOMAIN,
    DecodeError,
    DecodeErrorKind,
    from_status,
)
from chat_errors._http_status import http_status_for
from chat_errors._model import ChatError

MAX_HTTP_ERROR_BYTES = 64 * 1024
"""The largest error body read. A chat error's details are capped at 7 KiB
in binary, and their JSON is a few times that at most."""

_BY_NAME = {code.name: code for code in grpc.StatusCode}
_BY_NUMBER = {code.value[0]: code for code in grpc.StatusCode}


@dataclass(frozen=True)
class _Envelope:
    grpc_code: grpc.StatusCode
    message: str
    details: list[object]


def from_http_error(
    body: bytes | str | Mapping[str, object],
    *,
    http_status: int | None = None,
    domain: str = DEFAULT_DOMAIN,
    strict: bool = False,
) -> ChatError | None:
    """The chat error of `domain` in an HTTP JSON error body, or ``None``
    when the body is in neither form or carries no ErrorInfo of `domain`.

    `body` is the response body (bytes or text) or its parsed JSON;
    `http_status`, when given, is the response's status, which strictly must
    be the one the body implies. Details whose ``@type`` is unknown are
    skipped. Strictly, a body that is too large, not JSON, or whose envelope
    is mistyped or inconsistent raises :class:`DecodeError`, and so does
    whatever :func:`from_status` refuses; leniently those give ``None``.
    """
    try:
        status = _to_status(body, http_status, strict)
    except DecodeError:
        if strict:
            raise
        return None
    if status is None:
        return None
    grpc_code, rpc_status = status
    return from_status(grpc_code, rpc_status.message, rpc_status.SerializeToString(),
                       domain=domain, strict=strict)


def _to_status(body: bytes | str | Mapping[str, object], http_status: int | None,
               strict: bool) -> tuple[grpc.StatusCode, status_pb2.Status] | None:
    json_value = _parse(body)
    envelope = _envelope(json_value, http_status, strict)
    if envelope is None:
        return None
    details = [any_detail for detail in envelope.details
               if (any_detail := _read_detail(detail, strict)) is not None]
    return envelope.grpc_code, status_pb2.Status(
        code=envelope.grpc_code.value[0], message=envelope.message, details=details)


def _parse(body: bytes | str | Mapping[str, object]) -> object:
    if not isinstance(body, (bytes, bytearray, str)):
        return body  # already parsed JSON
    size = len(body.encode("utf-8", "surrogatepass")) if isinstance(body, str) else len(body)
    if size > MAX_HTTP_ERROR_BYTES:
        raise DecodeError(DecodeErrorKind.TOO_LARGE,
                          f"the error body is {size} bytes, over the {MAX_HTTP_ERROR_BYTES}-byte limit")
    try:
        value = json.loads(body, parse_constant=_no_constant)
        _check_json(value, 1)
    except (ValueError, RecursionError) as cause:
        raise DecodeError(DecodeErrorKind.NOT_JSON, f"the error body is not JSON: {cause}") from None
    return value


# The JSON the crate reads is serde_json's: no NaN or Infinity, no string
# holding half of a surrogate pair, and arrays and objects nested at most
# 127 deep (its recursion limit of 128).
MAX_JSON_DEPTH = 127


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def _check_json(value: object, depth: int) -> None:
    if isinstance(value, str):
        if _SURROGATE.search(value):
            raise ValueError("a string holds a lone surrogate")
    elif isinstance(value, (list, dict)):
        if depth > MAX_JSON_DEPTH:
            raise ValueError("nested too deeply")
        for item in value.items() if isinstance(value, dict) else value:
            if isinstance(item, tuple):
                _check_json(item[0], depth + 1)
                _check_json(item[1], depth + 1)
            else:
                _check_json(item, depth + 1)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _invalid(field: str) -> DecodeError:
    return DecodeError(DecodeErrorKind.INVALID_FIELD,
                       f"the error body's {field} is missing, mistyped or unknown")


def _is_int(value: object) -> TypeGuard[int]:
    """A JSON integer (Python's json reads true and false as bool, an int)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _envelope(value: object, http_status: int | None, strict: bool) -> _Envelope | None:
    if not isinstance(value, Mapping):
        return None
    if "error" in value:
        # AIP-193: `status` names the gRPC code, `code` is the HTTP status.
        fields = value["error"]
        if not isinstance(fields, Mapping):
            if strict:
                raise _invalid("error")
            return None
        status_name = fields.get("status")
        grpc_code = _BY_NAME.get(status_name) if isinstance(status_name, str) else None
        if grpc_code is None:
            if strict:
                raise _invalid("error.status")
            grpc_code = grpc.StatusCode.UNKNOWN
        body_code = fields.get("code")
        implied = body_code if _is_int(body_code) else None
        if strict and implied != http_status_for(grpc_code):
            raise _invalid("error.code")
    elif "code" in value:
        # The gateway form: `code` is the gRPC code.
        fields = value
        number = value["code"]
        grpc_code = _BY_NUMBER.get(number) if _is_int(number) else None
        if grpc_code is None:
            if strict:
                raise _invalid("code")
            grpc_code = grpc.StatusCode.UNKNOWN
        implied = http_status_for(grpc_code)
    else:
        return None
    if strict and http_status is not None and implied != http_status:
        raise DecodeError(DecodeErrorKind.HTTP_STATUS_MISMATCH,
                          f"the response's HTTP status is {http_status} but its body says {implied}")
    message = fields.get("message", "")
    if not isinstance(message, str):
        if strict:
            raise _invalid("message")
        message = ""
    details = fields.get("details", [])
    if not isinstance(details, list):
        if strict:
            raise _invalid("details")
        details = []
    return _Envelope(grpc_code, message, details)


def _json_pool() -> descriptor_pool.DescriptorPool:
    """The types the crate's JSON mapping knows: protobuf's well-known types
    and the google.rpc status and details, and nothing else this process
    may have loaded."""
    pool = descriptor_pool.DescriptorPool()
    for module in (any_pb2, api_pb2, descriptor_pb2, duration_pb2, empty_pb2, field_mask_pb2,
                   source_context_pb2, struct_pb2, timestamp_pb2, type_pb2, wrappers_pb2,
                   status_pb2, error_details_pb2):
        _add_file(pool, module.DESCRIPTOR)
    return pool


def _add_file(pool: descriptor_pool.DescriptorPool, file: FileDescriptor) -> None:
    try:
        pool.FindFileByName(file.name)
        return
    except KeyError:
        pass
    for dependency in file.dependencies:
        _add_file(pool, dependency)
    pool.AddSerializedFile(file.serialized_pb)


_JSON_POOL = _json_pool()


def _known_type(type_url: str) -> Descriptor | None:
    try:
        return _JSON_POOL.FindMessageTypeByName(type_url.rpartition("/")[2])
    except KeyError:
        return None


# Well-known types whose JSON is not an object of fields; json_format
# judges their values itself.
_SPECIAL_JSON = {"google.protobuf." + name for name in (
    "Any", "Duration", "Timestamp", "FieldMask", "Struct", "Value", "ListValue", "NullValue",
    "DoubleValue", "FloatValue", "Int64Value", "UInt64Value", "Int32Value", "UInt32Value",
    "BoolValue", "StringValue", "BytesValue", "Empty")}


def _objects_where_messages_are(value: object, message: Descriptor) -> bool:
    """Whether every message in `value` is a JSON object, as the proto3 JSON
    mapping (and the crate) requires: json_format, told to ignore unknown
    fields, reads any other value there as an empty message."""
    if message.full_name in _SPECIAL_JSON:
        return True
    if not isinstance(value, dict):
        return False
    for key, item in value.items():
        field = message.fields_by_name.get(key) or _by_json_name(message).get(key)
        if field is None or item is None or field.message_type is None:
            continue
        items: Iterable[object]
        if field.message_type.GetOptions().map_entry:
            element = field.message_type.fields_by_name["value"].message_type
            items = item.values() if isinstance(item, dict) else ()
        elif _is_repeated(field):
            element = field.message_type
            items = item if isinstance(item, list) else ()
        else:
            element, items = field.message_type, (item,)
        if element is not None and not all(
                entry is None or _objects_where_messages_are(entry, element) for entry in items):
            return False
    return True


def _is_repeated(field: FieldDescriptor) -> bool:
    # protobuf 7 replaced FieldDescriptor.label with is_repeated.
    repeated = getattr(field, "is_repeated", None)
    if isinstance(repeated, bool):
        return repeated
    return bool(getattr(field, "label") == FieldDescriptor.LABEL_REPEATED)


def _by_json_name(message: Descriptor) -> dict[str, FieldDescriptor]:
    return {field.json_name: field for field in message.fields}


def _read_detail(detail: object, strict: bool) -> any_pb2.Any | None:
    """One detail as the Any it stands for; None when its type is unknown
    (always skipped) or, leniently, when it does not parse."""
    type_url = detail.get("@type") if isinstance(detail, dict) else None
    if not isinstance(detail, dict) or not isinstance(type_url, str):
        if strict:
            raise DecodeError(DecodeErrorKind.MALFORMED_DETAIL, "a detail has no @type", "")
        return None
    message_type = _known_type(type_url)
    if message_type is None:
        return None
    try:
        if not _objects_where_messages_are(
                {key: value for key, value in detail.items() if key != "@type"}, message_type):
            raise ValueError("a message field holds something other than an object")
        # Unknown fields are ignored, as binary decoding ignores them, so
        # that details from a newer error_details.proto still read.
        return json_format.ParseDict(detail, any_pb2.Any(), ignore_unknown_fields=True,
                                     descriptor_pool=_JSON_POOL)
    except (json_format.ParseError, ValueError, TypeError, RecursionError) as cause:
        if strict:
            raise DecodeError(DecodeErrorKind.MALFORMED_DETAIL,
                              f"malformed detail {type_url!r}: {cause}",
                              type_url.rpartition("/")[2]) from None
        return None
