"""Reading a chat error back out of a failed gRPC call.

The contract is the Rust crate's, to the byte: find the google.rpc.ErrorInfo
of the expected domain in grpc-status-details-bin, take the code from its
metadata ``code`` (falling back to the reason), and read the other details.
Strict decoding refuses broken, repeated or contradictory details with
:class:`DecodeError`; lenient decoding skips what it cannot read. Neither
raises anything else, whatever the bytes. Each step below is the crate's
(src/decode/read.rs), in its order, so that the first breach it reports is
the one reported here.
"""

from __future__ import annotations

import re
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Iterable, Protocol

import grpc

from chat_errors._error_code import ErrorCode
from chat_errors._model import (
    NAME_KEY,
    ChatError,
    FieldViolation,
    LocalizedMessage,
    RequestInfo,
    ResourceInfo,
    _Fields,
)
from google.protobuf.message import DecodeError as ProtobufDecodeError

from chat_errors._wire import (
    MIRROR,
    ErrorInfoView,
    StatusView,
    WireError,
    parse_detail,
    parse_error_info,
    parse_status,
)

DEFAULT_DOMAIN = "chat.errors.v1"
"""The ErrorInfo domain chat errors carry unless a service sets its own."""

DETAILS_KEY = "grpc-status-details-bin"
CODE_KEY = "code"
ERROR_INFO = "google.rpc.ErrorInfo"
LOCALIZED_MESSAGE = "google.rpc.LocalizedMessage"
RETRY_INFO = "google.rpc.RetryInfo"
BAD_REQUEST = "google.rpc.BadRequest"
RESOURCE_INFO = "google.rpc.ResourceInfo"
REQUEST_INFO = "google.rpc.RequestInfo"
_ONCE_ONLY = {RETRY_INFO: "RetryInfo", BAD_REQUEST: "BadRequest",
              RESOURCE_INFO: "ResourceInfo", REQUEST_INFO: "RequestInfo"}
_I32 = range(-(2**31), 2**31)
_I64 = range(-(2**63), 2**63)
_CANONICAL_DECIMAL = re.compile(r"0|[1-9][0-9]*")
_SIGNED_DIGITS = re.compile(r"[+-]?[0-9]+")
# char::is_whitespace, which Rust's str::trim strips: Unicode White_Space.
_RUST_WHITESPACE = ("\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
                    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_STATUS_CODES = {code.value[0]: code for code in grpc.StatusCode}
_BY_REASON = {code.reason: code for code in ErrorCode}
_BY_NUMBER = {code.value: code for code in ErrorCode}
NANOS_PER_SECOND = 1_000_000_000
_I64_MIN, _I64_MAX = -(2**63), 2**63 - 1


class DecodeErrorKind(StrEnum):
    """What strict decoding found wrong; the names are the Rust crate's
    ``DecodeError`` variants."""

    INVALID_GRPC_STATUS = "InvalidGrpcStatus"
    """grpc-status is not a gRPC status code."""
    DUPLICATE_DETAILS_HEADER = "DuplicateDetailsHeader"
    """grpc-status-details-bin came more than once."""
    MALFORMED_STATUS = "MalformedStatus"
    """The details are not a google.rpc.Status."""
    MALFORMED_DETAIL = "MalformedDetail"
    """A detail of a type the package reads does not parse as that type."""
    DUPLICATE_DETAIL = "DuplicateDetail"
    """A detail type that may appear once appeared again."""
    CODE_MISMATCH = "CodeMismatch"
    """google.rpc.Status.code is not the grpc-status it travelled with."""
    MESSAGE_MISMATCH = "MessageMismatch"
    """google.rpc.Status.message is not the grpc-message it travelled with."""
    INVALID_CODE_METADATA = "InvalidCodeMetadata"
    """ErrorInfo metadata ``code`` is not a number."""
    NON_CANONICAL_CODE = "NonCanonicalCode"
    """Metadata ``code`` is a number written other than as its digits."""
    CODE_REASON_MISMATCH = "CodeReasonMismatch"
    """Metadata ``code`` and the reason name different codes."""
    NAME_MISMATCH = "NameMismatch"
    """Metadata ``message`` is not the code's original name."""
    GRPC_CODE_MISMATCH = "GrpcCodeMismatch"
    """grpc-status is not the gRPC code the catalogue sends the code with."""
    INVALID_RETRY_DELAY = "InvalidRetryDelay"
    """RetryInfo.retry_delay is negative or out of protobuf's range."""
    TOO_LARGE = "TooLarge"
    """An HTTP error body is longer than ``MAX_HTTP_ERROR_BYTES``."""
    NOT_JSON = "NotJson"
    """An HTTP error body is not JSON."""
    INVALID_FIELD = "InvalidField"
    """A field of an HTTP error body's envelope is mistyped, unknown or
    inconsistent, e.g. ``error.status`` naming no gRPC code."""
    HTTP_STATUS_MISMATCH = "HttpStatusMismatch"
    """The response's HTTP status is not the one its body implies."""


class DecodeError(ValueError):
    """A status that strict decoding refuses: details that do not parse, or
    a chat error that contradicts itself or the status it travelled with.
    :attr:`kind` says which; :attr:`type_name` names the detail type for
    the detail kinds."""

    def __init__(self, kind: DecodeErrorKind, message: str, type_name: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.type_name = type_name


def _malformed_status(error: WireError) -> DecodeError:
    return DecodeError(DecodeErrorKind.MALFORMED_STATUS,
                       f"{DETAILS_KEY} is not a google.rpc.Status: {error}")


def _malformed_detail(type_name: str, error: WireError | str) -> DecodeError:
    return DecodeError(DecodeErrorKind.MALFORMED_DETAIL, f"malformed {type_name} detail: {error}",
                       type_name)


def _duplicate(type_name: str) -> DecodeError:
    return DecodeError(DecodeErrorKind.DUPLICATE_DETAIL,
                       f"{type_name} appears more than once in the details", type_name)


class _Call(Protocol):
    def code(self) -> grpc.StatusCode: ...
    def details(self) -> str | None: ...
    def trailing_metadata(self) -> object: ...


def from_rpc_error(
    err: BaseException, *, domain: str = DEFAULT_DOMAIN, strict: bool = False
) -> ChatError | None:
    """The chat error a failed call carries, or ``None`` when it carries
    none of `domain`.

    Works on the errors both ``grpc`` and ``grpc.aio`` stubs raise. With
    ``strict=True``, details that are broken or contradict each other or the
    call's status raise :class:`DecodeError`; otherwise they are skipped.
    Any other exception, or an RpcError without call information, is
    ``None``. An error raised while reading the call (its ``code()``,
    ``details()`` or ``trailing_metadata()``) is a
    ``DecodeError(MalformedStatus)`` strictly and ``None`` leniently.
    """
    call = _as_call(err)
    if call is None:
        return None
    try:
        code = call.code()
        if not isinstance(code, grpc.StatusCode):
            return None
        values = _details_values(call.trailing_metadata())
        if not values:
            return None
        message = call.details() or ""
        if not isinstance(message, str):
            raise TypeError(f"details() returned {type(message).__name__}, not str")
    except Exception as cause:
        if not strict:
            return None
        raise DecodeError(DecodeErrorKind.MALFORMED_STATUS,
                          f"the call's status could not be read: {cause!r}") from cause
    if strict and len(values) > 1:
        raise DecodeError(DecodeErrorKind.DUPLICATE_DETAILS_HEADER, f"{DETAILS_KEY} appears {len(values)} times")
    return from_status(code, message, values[0], domain=domain, strict=strict)


def is_code(err: BaseException | ChatError | None, code: ErrorCode, *,
            domain: str = DEFAULT_DOMAIN) -> bool:
    """Whether `err` is the chat error `code` of `domain`, read leniently."""
    if isinstance(err, ChatError):
        return err.is_code(code)
    if err is None:
        return False
    decoded = from_rpc_error(err, domain=domain)
    return decoded is not None and decoded.code is code


def from_status(
    grpc_code: grpc.StatusCode | int,
    message: str,
    details: bytes,
    *,
    domain: str = DEFAULT_DOMAIN,
    strict: bool = False,
) -> ChatError | None:
    """The chat error in raw trailers: the grpc-status code, the decoded
    grpc-message and the grpc-status-details-bin bytes (base64 already
    removed). See :func:`from_rpc_error`. A grpc-status outside gRPC's
    codes is ``InvalidGrpcStatus`` strictly and ``UNKNOWN`` leniently."""
    status_code = grpc_code if grpc_code.__class__ is grpc.StatusCode else _status_code(grpc_code, strict)
    if details.__class__ is not bytes:
        details = bytes(details)
    try:
        return _decode_common(status_code, message, details, domain, strict)
    except _NotCanonical:
        return _decode_uncommon(status_code, message, details, domain, strict)


def _decode_uncommon(status_code: grpc.StatusCode, message: str, details: bytes, domain: str,
                     strict: bool) -> ChatError | None:
    try:
        try:
            return _decode_canonical(status_code, message, details, domain, strict)
        except _NotCanonical:
            return _decode(status_code, message, details, domain, strict)
    except RecursionError:
        # Nothing here recurses with the input; a caller near its own limit may.
        if strict:
            raise DecodeError(DecodeErrorKind.MALFORMED_STATUS,
                              f"{DETAILS_KEY} could not be read: recursion limit") from None
        return None


def _as_call(err: BaseException) -> _Call | None:
    if not isinstance(err, grpc.RpcError):
        return None
    if not all(callable(getattr(err, name, None))
               for name in ("code", "details", "trailing_metadata")):
        return None
    return err


def _details_values(metadata: object) -> list[bytes]:
    if metadata is None or not isinstance(metadata, Iterable):
        return []
    values = []
    for item in metadata:
        if isinstance(item, tuple) and len(item) == 2 and item[0] == DETAILS_KEY:
            value = item[1]
            values.append(value.encode("latin-1", "replace") if isinstance(value, str) else bytes(value))
    return values


def _status_code(code: grpc.StatusCode | int, strict: bool) -> grpc.StatusCode:
    if isinstance(code, grpc.StatusCode):
        return code
    known = _STATUS_CODES.get(code)
    if known is None:
        if strict:
            raise DecodeError(DecodeErrorKind.INVALID_GRPC_STATUS, f"grpc-status {code} is not a gRPC status code")
        return grpc.StatusCode.UNKNOWN
    return known


def _find_error_info(details: bytes, domain: str,
                     strict: bool) -> tuple[StatusView, ErrorInfoView] | None:
    """The details as a whole and the ErrorInfo of `domain` among them.

    Leniently only the status's own framing must hold, and the first
    ErrorInfo of the domain wins. Strictly every detail must parse, and
    every ErrorInfo's strings be UTF-8 whatever its domain, before a
    repeated ErrorInfo of the domain is reported."""
    if not details:
        return None
    try:
        status = parse_status(details)
    except WireError as error:
        if strict:
            raise _malformed_status(error) from None
        return None
    if strict and not status.message_utf8:
        raise _malformed_status(WireError("a string field is not UTF-8"))
    found: ErrorInfoView | None = None
    repeated = False
    for detail in status.details:
        if isinstance(detail, WireError):
            if strict:
                raise _malformed_status(detail)
            continue
        if strict and not detail.type_url_utf8:
            raise _malformed_status(WireError("a string field is not UTF-8"))
        if detail.type_name != ERROR_INFO:
            continue
        try:
            info = parse_error_info(detail.value)
        except WireError as error:
            if strict:
                raise _malformed_detail(ERROR_INFO, error) from None
            continue
        if info.domain != domain:
            if strict and not info.utf8:
                raise _malformed_detail(ERROR_INFO, "a string field is not UTF-8")
            continue
        if not strict:
            return status, info
        if found is not None:
            repeated = True
            for seen in (found, info):
                if not seen.utf8:
                    raise _malformed_detail(ERROR_INFO, "a string field is not UTF-8")
        found = info
    if repeated:
        raise _duplicate(ERROR_INFO)
    return (status, found) if found is not None else None


def _decode(status_code: grpc.StatusCode, message: str, details: bytes, domain: str,
            strict: bool) -> ChatError | None:
    found = _find_error_info(details, domain, strict)
    if found is None:
        return None
    status, info = found
    if strict:
        if not info.utf8:
            raise _malformed_detail(ERROR_INFO, "a string field is not UTF-8")
        header = status_code.value[0]
        if status.code != header:
            raise DecodeError(DecodeErrorKind.CODE_MISMATCH,
                              f"grpc-status is {header} but the details say {status.code}")
        if status.message != message:
            raise DecodeError(DecodeErrorKind.MESSAGE_MISMATCH,
                              "grpc-message differs from the message inside the details")
    code, number = _resolve_code(info, strict)
    metadata = dict(info.metadata)
    if strict and code is not None:
        _check_known_code(code, status_code, metadata.get(NAME_KEY))
    extras = _Extras()
    seen: set[str] = set()
    for detail in status.details:
        if isinstance(detail, WireError):
            continue
        _read_detail(detail.type_name, detail.value, extras, seen, strict)
    return _chat_error(code, number, info.reason, domain, status_code, message, metadata, extras, details)


_new_tuple = tuple.__new__
_new_detail = tuple.__new__


def _chat_error(code: ErrorCode | None, number: int | None, reason: str, domain: str,
                status_code: grpc.StatusCode, message: str, metadata: dict[str, str],
                extras: _Extras, details: bytes) -> ChatError:
    return ChatError._from_fields(_new_tuple(_Fields, (
        code, number, reason, domain, status_code, message, MappingProxyType(metadata),
        tuple(extras.localized_messages), extras.retry_delay_ns, extras.field_violations,
        extras.resource_info, extras.request_info, details)))


class _NotCanonical(Exception):
    """The bytes are not certainly read alike by upb and the crate."""


_STATUS_MIRROR = MIRROR["Status"]
_ERROR_INFO_MIRROR = MIRROR["ErrorInfo"]
_LOCALIZED_MIRROR = MIRROR["LocalizedMessage"]
_PROTOBUF_ERRORS = (ProtobufDecodeError, RecursionError, ValueError)
_GRPC_NUMBER = {code: code.value[0] for code in grpc.StatusCode}
_SENT_WITH = {code: (code.grpc_code, code.name_in_catalogue, code.reason) for code in ErrorCode}
_NUMBER = {code: code.value for code in ErrorCode}
# The text of metadata `code` for every catalogue code, written canonically.
_BY_TEXT = {str(code.value): code for code in ErrorCode}


def _canonical(mirror: Any, data: bytes) -> Any:
    try:
        message = mirror.FromString(data)
    except _PROTOBUF_ERRORS:
        raise _NotCanonical from None
    message.DiscardUnknownFields()
    if message.ByteSize() != len(data):
        raise _NotCanonical
    return message


_TYPED_STATUS_MIRROR = MIRROR["TypedStatus"]
_TYPED_STATUS_FROM_STRING: Any = _TYPED_STATUS_MIRROR.FromString
_ERROR_INFO_URL = "type.googleapis.com/" + ERROR_INFO
_LOCALIZED_URL = "type.googleapis.com/" + LOCALIZED_MESSAGE
_NO_DETAILS: tuple[FieldViolation, ...] = ()


def _as_dict(entries: Any) -> dict[str, str]:
    """A upb map as a dict; see `_decode_common` for why not dict()."""
    return {key: entries[key] for key in entries}


def _may_hide_a_field(metadata: dict[str, str]) -> bool:
    """Whether upb's reading of these entries may have dropped a field
    (see chat_errors._wire): an empty key or value."""
    return "" in metadata or "" in metadata.values()


def _decode_common(status_code: grpc.StatusCode, message: str, details: bytes, domain: str,
                   strict: bool) -> ChatError | None:
    """`_decode_canonical` for a status of ErrorInfo and LocalizedMessage
    details only, read in one upb call; raises _NotCanonical for the rest."""
    # _canonical, written out: this is the path nearly every call takes.
    try:
        status = _TYPED_STATUS_FROM_STRING(details)
    except _PROTOBUF_ERRORS:
        raise _NotCanonical from None
    status.DiscardUnknownFields()
    if status.ByteSize() != len(details):
        raise _NotCanonical
    info = None
    metadata: dict[str, str] = {}
    localized = []
    for detail in status.details:
        url = detail.type_url
        if url == _ERROR_INFO_URL or url[url.rfind("/") + 1:] == ERROR_INFO:
            value = detail.value
            # Every map in the tree is checked: one upb call read them all,
            # and one ByteSize measured them together. A comprehension, as
            # dict() on a upb map goes through the Mapping mixin's keys()
            # and costs half as much again.
            entries_map = value.metadata
            entries = {key: entries_map[key] for key in entries_map}
            if "" in entries or "" in entries.values():  # _may_hide_a_field
                raise _NotCanonical
            if value.second != domain:
                continue
            if info is not None:
                if strict:
                    raise _NotCanonical
                continue
            info, metadata = value, entries
        elif url == _LOCALIZED_URL or url[url.rfind("/") + 1:] == LOCALIZED_MESSAGE:
            value = detail.value
            if value.metadata:
                raise _NotCanonical
            localized.append(_new_tuple(LocalizedMessage, (value.first, value.second)))
        else:
            raise _NotCanonical
    if info is None:
        return None
    code_number = status.code
    if code_number < 0 or (strict and (code_number != _GRPC_NUMBER[status_code]
                                       or status.message != message)):
        raise _NotCanonical
    reason = info.first
    text = metadata.get(CODE_KEY)
    code = _BY_TEXT.get(text) if text is not None else _BY_REASON.get(reason)
    if code is None:
        raise _NotCanonical
    if strict:
        grpc_code, name, by_reason = _SENT_WITH[code]
        if (by_reason != reason or status_code is not grpc_code
                or metadata.get(NAME_KEY, name) != name):
            raise _NotCanonical
    error = _new_error(ChatError)
    _set_fields(error, _new_tuple(_Fields, (
        code, _NUMBER[code], reason, domain, status_code, message, _read_only(metadata),
        tuple(localized), None, _NO_DETAILS, None, None, details)))
    return error


_new_error = ChatError.__new__
_set_fields = ChatError.__dict__["_fields"].__set__
_read_only = MappingProxyType


def _decode_canonical(status_code: grpc.StatusCode, message: str, details: bytes, domain: str,
                      strict: bool) -> ChatError | None:
    """`_decode` for canonical bytes read by upb (see chat_errors._wire),
    the way every real status takes; raises _NotCanonical for the rest. No
    detail fails to parse here, so only the checks after parsing remain, in
    `_decode`'s order; anything rarer than a chat error's usual shape is
    left to `_decode`."""
    status = _canonical(_STATUS_MIRROR, details)
    sent = [(detail.type_url, detail.value) for detail in status.details]
    info = None
    for url, value in sent:
        if url[url.rfind("/") + 1:] != ERROR_INFO:
            continue
        candidate = _canonical(_ERROR_INFO_MIRROR, value)
        if _may_hide_a_field(_as_dict(candidate.metadata)):
            raise _NotCanonical
        if candidate.domain != domain:
            continue
        if info is not None:
            if strict:
                raise _NotCanonical  # a repeat, which _decode reports
            continue
        info = candidate
    if info is None:
        return None
    if status.code < 0 or (strict and (status.code != _GRPC_NUMBER[status_code]
                                       or status.message != message)):
        raise _NotCanonical  # a negative code, or a mismatch _decode reports
    metadata = _as_dict(info.metadata)
    reason = info.reason
    text = metadata.get(CODE_KEY)
    code = _BY_TEXT.get(text) if text is not None else _BY_REASON.get(reason)
    if code is None:
        raise _NotCanonical  # a code outside the catalogue, or a breach
    if strict:
        grpc_code, name, by_reason = _SENT_WITH[code]
        if (by_reason != reason or status_code is not grpc_code
                or metadata.get(NAME_KEY, name) != name):
            raise _NotCanonical
    extras = _Extras()
    seen: set[str] = set()
    for url, value in sent:
        type_name = url[url.rfind("/") + 1:]
        if type_name == LOCALIZED_MESSAGE:
            localized = _canonical(_LOCALIZED_MIRROR, value)
            extras.localized_messages.append(
                _new_tuple(LocalizedMessage, (localized.locale, localized.message)))
        elif type_name in _ONCE_ONLY:
            _read_detail(type_name, value, extras, seen, strict)
    return _chat_error(code, _NUMBER[code], reason, domain, status_code, message, metadata, extras,
                       details)


def _resolve_code(info: ErrorInfoView, strict: bool) -> tuple[ErrorCode | None, int | None]:
    """The code from metadata ``code``, or from the reason when that is
    absent (or, leniently, unreadable). A number the catalogue lacks is kept
    as ``(None, number)``. Strictly, ``code`` must be canonical decimal, and
    it and the reason must name the same code unless the catalogue knows
    neither: a newer server's code is kept, a contradiction is an error."""
    by_reason = _BY_REASON.get(info.reason)
    text = info.code
    if text is None:
        return by_reason, (by_reason.value if by_reason is not None else None)
    if not strict:
        number = _rust_i32(text)
        if number is None:
            return by_reason, (by_reason.value if by_reason is not None else None)
        return _BY_NUMBER.get(number), number
    number = _canonical_number(text)
    code = _BY_NUMBER.get(number)
    if code is not by_reason:
        raise DecodeError(DecodeErrorKind.CODE_REASON_MISMATCH,
                          f"ErrorInfo metadata code {number} and reason {info.reason!r} name different codes")
    return code, number


def _rust_integer(text: str, bits: range) -> int | None:
    """`text` as Rust's ``str::parse`` reads an integer: an optional sign
    and ASCII digits, within range."""
    if not _SIGNED_DIGITS.fullmatch(text):
        return None
    digits = text.lstrip("+-").lstrip("0") or "0"
    if len(digits) > 20:
        return None
    number = -int(digits) if text.startswith("-") else int(digits)
    return number if number in bits else None


def _rust_i32(text: str) -> int | None:
    return _rust_integer(text, _I32)


def _canonical_number(text: str) -> int:
    """Metadata ``code`` as strict decoding takes it: the digits of a number
    from 0 to 2**31-1, with no sign, padding or leading zero. Anything else
    that reads as a number is non-canonical; the rest is not a number."""
    if _CANONICAL_DECIMAL.fullmatch(text):
        number = _rust_i32(text)
        if number is not None:
            return number
        raise DecodeError(DecodeErrorKind.INVALID_CODE_METADATA,
                          f"ErrorInfo metadata code {text!r} is not a number")
    if _rust_integer(text.strip(_RUST_WHITESPACE), _I64) is not None:
        raise DecodeError(DecodeErrorKind.NON_CANONICAL_CODE,
                          f"ErrorInfo metadata code {text!r} is not written as canonical decimal digits")
    raise DecodeError(DecodeErrorKind.INVALID_CODE_METADATA,
                      f"ErrorInfo metadata code {text!r} is not a number")


def _check_known_code(code: ErrorCode, status_code: grpc.StatusCode, name: str | None) -> None:
    """What the catalogue says about a known code, against what was sent with it."""
    if status_code is not code.grpc_code:
        raise DecodeError(DecodeErrorKind.GRPC_CODE_MISMATCH,
                          f"grpc-status is {status_code.value[0]} ({status_code.name}) but "
                          f"{code.value} is sent as {code.grpc_code.value[0]} ({code.grpc_code.name})")
    if name is not None and name != code.name_in_catalogue:
        raise DecodeError(DecodeErrorKind.NAME_MISMATCH,
                          f"ErrorInfo metadata message {name!r} is not the name of {code.value}, "
                          f"{code.name_in_catalogue!r}")


class _Extras:
    """The details besides ErrorInfo, as read so far."""

    __slots__ = ("localized_messages", "retry_delay_ns", "field_violations",
                 "resource_info", "request_info")

    def __init__(self) -> None:
        self.localized_messages: list[LocalizedMessage] = []
        self.retry_delay_ns: int | None = None
        self.field_violations: tuple[FieldViolation, ...] = ()
        self.resource_info: ResourceInfo | None = None
        self.request_info: RequestInfo | None = None


def _parsed(name: str, type_name: str, value: bytes, strict: bool) -> dict[str, Any] | None:
    try:
        return parse_detail(name, value)
    except WireError as error:
        if strict:
            raise _malformed_detail(type_name, error) from None
        return None


def _read_detail(type_name: str, value: bytes, extras: _Extras, seen: set[str], strict: bool) -> None:
    """LocalizedMessages in order; the other types at most once (strictly a
    repeat is an error, leniently the first wins, even when it did not
    parse). Other types are not ours to judge."""
    if type_name == LOCALIZED_MESSAGE:
        fields = _parsed("LocalizedMessage", type_name, value, strict)
        if fields is not None:
            extras.localized_messages.append(_localized(fields))
        return
    name = _ONCE_ONLY.get(type_name)
    if name is None:
        return
    if type_name in seen:
        if strict:
            raise _duplicate(type_name)
        return
    seen.add(type_name)
    fields = _parsed(name, type_name, value, strict)
    if fields is None:
        return
    if type_name == RETRY_INFO:
        extras.retry_delay_ns = _retry_delay_ns(fields.get("retry_delay"), strict)
    elif type_name == BAD_REQUEST:
        extras.field_violations = tuple(
            FieldViolation(violation.get("field", ""), violation.get("description", ""),
                           violation.get("reason", ""),
                           _localized(violation["localized_message"])
                           if "localized_message" in violation else None)
            for violation in fields.get("field_violations", ()))
    elif type_name == RESOURCE_INFO:
        extras.resource_info = ResourceInfo(
            fields.get("resource_type", ""), fields.get("resource_name", ""),
            fields.get("owner", ""), fields.get("description", ""))
    else:
        extras.request_info = RequestInfo(fields.get("request_id", ""), fields.get("serving_data", ""))


def _localized(fields: dict[str, Any]) -> LocalizedMessage:
    return LocalizedMessage(fields.get("locale", ""), fields.get("message", ""))


def _retry_delay_ns(duration: dict[str, Any] | None, strict: bool) -> int | None:
    """The delay as prost-types turns a Duration into a std Duration:
    normalised first, then refused when negative."""
    if duration is None:
        return None
    seconds, nanos = _normalized(duration.get("seconds", 0), duration.get("nanos", 0))
    if seconds >= 0 and nanos >= 0:
        return seconds * NANOS_PER_SECOND + nanos
    if strict:
        raise DecodeError(DecodeErrorKind.INVALID_RETRY_DELAY,
                          "RetryInfo.retry_delay is negative")
    return None


def _truncating_divmod(value: int, divisor: int) -> tuple[int, int]:
    """Rust's integer ``/`` and ``%``, which round toward zero."""
    quotient = abs(value) // divisor
    quotient = -quotient if value < 0 else quotient
    return quotient, value - quotient * divisor


def _normalized(seconds: int, nanos: int) -> tuple[int, int]:
    """prost-types' ``Duration::normalize``, saturating as it does."""
    max_nanos = NANOS_PER_SECOND - 1
    if nanos <= -NANOS_PER_SECOND or nanos >= NANOS_PER_SECOND:
        carry, rest = _truncating_divmod(nanos, NANOS_PER_SECOND)
        if _I64_MIN <= seconds + carry <= _I64_MAX:
            seconds, nanos = seconds + carry, rest
        elif nanos < 0:
            seconds, nanos = _I64_MIN, -max_nanos
        else:
            seconds, nanos = _I64_MAX, max_nanos
    if seconds < 0 and nanos > 0:
        if seconds + 1 <= _I64_MAX:
            seconds, nanos = seconds + 1, nanos - NANOS_PER_SECOND
        else:
            nanos = max_nanos
    elif seconds > 0 and nanos < 0:
        if seconds - 1 >= _I64_MIN:
            seconds, nanos = seconds - 1, nanos + NANOS_PER_SECOND
        else:
            nanos = -max_nanos
    return seconds, nanos
