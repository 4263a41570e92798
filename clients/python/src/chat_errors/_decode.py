"""Reading a chat error back out of a failed gRPC call.

The contract is the Rust crate's: find the google.rpc.ErrorInfo of the
expected domain in grpc-status-details-bin, take the code from its metadata
``code`` (falling back to the reason), and read the other details. Strict
decoding refuses broken, repeated or contradictory details with
:class:`DecodeError`; lenient decoding skips what it cannot read. Neither
raises anything else, whatever the bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from datetime import timedelta
from typing import Iterable, Mapping, Protocol, TypeVar

import grpc
from google.protobuf.any_pb2 import Any
from google.protobuf.message import DecodeError as ProtobufDecodeError
from google.protobuf.message import Message
from google.rpc import error_details_pb2, status_pb2

from chat_errors._error_code import ErrorCode
from chat_errors._http_status import http_status_for

DEFAULT_DOMAIN = "chat.errors.v1"
"""The ErrorInfo domain chat errors carry unless a service sets its own."""

DETAILS_KEY = "grpc-status-details-bin"
CODE_KEY = "code"
NAME_KEY = "message"
MAX_DURATION_SECONDS = 315_576_000_000
_I32 = range(-(2**31), 2**31)
_I64 = range(-(2**63), 2**63)
_CANONICAL_DECIMAL = re.compile(r"0|[1-9][0-9]*")
_SIGNED_DIGITS = re.compile(r"[+-]?[0-9]+")
_STATUS_CODES = {code.value[0]: code for code in grpc.StatusCode}
_BY_REASON = {code.reason: code for code in ErrorCode}
_BY_NUMBER = {code.value: code for code in ErrorCode}
_ERROR_INFO = error_details_pb2.ErrorInfo.DESCRIPTOR.full_name
_LOCALIZED_MESSAGE = error_details_pb2.LocalizedMessage.DESCRIPTOR.full_name

M = TypeVar("M", bound=Message)


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
    :attr:`kind` says which."""

    def __init__(self, kind: DecodeErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class LocalizedMessage:
    """A google.rpc.LocalizedMessage: user-facing text and its locale."""

    locale: str
    message: str


@dataclass(frozen=True)
class FieldViolation:
    """One google.rpc.BadRequest.FieldViolation."""

    field: str
    description: str


@dataclass(frozen=True)
class ResourceInfo:
    """A google.rpc.ResourceInfo: the resource the error is about."""

    resource_type: str
    resource_name: str
    owner: str
    description: str


@dataclass(frozen=True)
class ChatError:
    """A chat error as a client received it.

    Everything comes from the wire, so a server with a newer catalogue can
    send a code this package does not know: :attr:`code` is then ``None``
    while :attr:`number` and :attr:`reason` keep what was sent.
    """

    code: ErrorCode | None
    """The error code, when this package's catalogue has it."""
    number: int | None
    """The numeric code as sent (metadata ``code``, or else from the reason)."""
    reason: str
    """``ErrorInfo.reason``, e.g. ``CHANNEL_NOT_FOUND``."""
    domain: str
    """``ErrorInfo.domain``."""
    grpc_code: grpc.StatusCode
    """The status code the call failed with."""
    message: str
    """The status message (grpc-message): developer-facing text."""
    metadata: Mapping[str, str] = field(default_factory=dict)
    """All of ``ErrorInfo.metadata``, ``code`` and ``message`` included."""
    localized_messages: tuple[LocalizedMessage, ...] = ()
    """Every LocalizedMessage detail, in the order sent."""
    retry_delay: timedelta | None = None
    """``RetryInfo.retry_delay``, when the server sent one."""
    field_violations: tuple[FieldViolation, ...] = ()
    """The BadRequest field violations, when the server sent any."""
    resource_info: ResourceInfo | None = None
    """The ResourceInfo, when the server sent one."""
    request_id: str | None = None
    """``RequestInfo.request_id``, when the server sent one."""

    @property
    def name(self) -> str | None:
        """The original name from metadata ``message``, e.g. ``ChannelNotFound``."""
        return self.metadata.get(NAME_KEY)

    @property
    def localized_message(self) -> LocalizedMessage | None:
        """The user-facing message the server chose, with its locale."""
        return self.localized_messages[0] if self.localized_messages else None

    @property
    def http_status(self) -> int:
        """The HTTP status of :attr:`grpc_code` under the standard mapping."""
        return http_status_for(self.grpc_code)

    def is_code(self, code: ErrorCode) -> bool:
        """Whether this is the error `code`."""
        return self.code is code


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
    Any other exception, or an RpcError without call information, is ``None``.
    """
    call = _as_call(err)
    if call is None:
        return None
    code = call.code()
    if not isinstance(code, grpc.StatusCode):
        return None
    values = _details_values(call.trailing_metadata())
    if not values:
        return None
    if strict and len(values) > 1:
        raise DecodeError(DecodeErrorKind.DUPLICATE_DETAILS_HEADER, f"{DETAILS_KEY} appears {len(values)} times")
    return from_status(code, call.details() or "", values[0], domain=domain, strict=strict)


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
    removed). See :func:`from_rpc_error`."""
    status_code = _status_code(grpc_code, strict)
    if not details:
        return None
    try:
        status = status_pb2.Status.FromString(details)
    except (ProtobufDecodeError, ValueError, RecursionError) as cause:
        if strict:
            raise DecodeError(DecodeErrorKind.MALFORMED_STATUS,
                              f"{DETAILS_KEY} is not a google.rpc.Status: {cause}") from None
        return None
    info = _find_error_info(status.details, domain, strict)
    if info is None:
        return None
    if strict:
        if status.code != status_code.value[0]:
            raise DecodeError(DecodeErrorKind.CODE_MISMATCH,
                              f"grpc-status is {status_code.value[0]} but the details say {status.code}")
        if status.message != message:
            raise DecodeError(DecodeErrorKind.MESSAGE_MISMATCH,
                              "grpc-message differs from the message inside the details")
    metadata = dict(info.metadata)
    code, number = _resolve_code(info.reason, metadata.get(CODE_KEY), strict)
    if strict and code is not None:
        _check_known_code(code, status_code, metadata.get(NAME_KEY))
    extras = _read_details(status.details, strict)
    return ChatError(
        code=code,
        number=number,
        reason=info.reason,
        domain=info.domain,
        grpc_code=status_code,
        message=message,
        metadata=metadata,
        localized_messages=extras.localized_messages,
        retry_delay=extras.retry_delay,
        field_violations=extras.field_violations,
        resource_info=extras.resource_info,
        request_id=extras.request_id,
    )


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


def _unpack(any_detail: Any, message_type: type[M], strict: bool) -> M | None:
    try:
        return message_type.FromString(any_detail.value)
    except (ProtobufDecodeError, ValueError, RecursionError) as cause:
        if strict:
            name = message_type.DESCRIPTOR.full_name
            raise DecodeError(DecodeErrorKind.MALFORMED_DETAIL, f"malformed {name} detail: {cause}") from None
        return None


def _type_name(any_detail: Any) -> str:
    """The message name a detail's type URL ends with, as ``Any.Is`` reads it."""
    return any_detail.type_url.rpartition("/")[2]


def _find_error_info(details: Iterable[Any], domain: str,
                     strict: bool) -> error_details_pb2.ErrorInfo | None:
    """The ErrorInfo of `domain`: the first one leniently. Strictly, every
    ErrorInfo must parse, whatever its domain, before a repeat of the
    domain's is reported."""
    found = None
    repeated = False
    for detail in details:
        if _type_name(detail) != _ERROR_INFO:
            continue
        info = _unpack(detail, error_details_pb2.ErrorInfo, strict)
        if info is None or info.domain != domain:
            continue
        if not strict:
            return info
        repeated = repeated or found is not None
        found = info
    if repeated:
        raise DecodeError(DecodeErrorKind.DUPLICATE_DETAIL,
                          "google.rpc.ErrorInfo of the domain appears more than once")
    return found


def _resolve_code(reason: str, text: str | None,
                  strict: bool) -> tuple[ErrorCode | None, int | None]:
    """The code from metadata ``code``, or from the reason when that is
    absent (or, leniently, unreadable). A number the catalogue lacks is kept
    as ``(None, number)``. Strictly, ``code`` must be canonical decimal, and
    it and the reason must name the same code unless the catalogue knows
    neither: a newer server's code is kept, a contradiction is an error."""
    by_reason = _BY_REASON.get(reason)
    if text is None:
        return by_reason, (by_reason.value if by_reason is not None else None)
    if not strict:
        number = _lenient_number(text)
        if number is None:
            return by_reason, (by_reason.value if by_reason is not None else None)
        return _known(number), number
    number = _canonical_number(text)
    code = _known(number)
    if code is not by_reason:
        raise DecodeError(DecodeErrorKind.CODE_REASON_MISMATCH,
                          f"ErrorInfo metadata code {number} and reason {reason!r} name different codes")
    return code, number


def _known(number: int) -> ErrorCode | None:
    return _BY_NUMBER.get(number)


def _lenient_number(text: str) -> int | None:
    """`text` as Rust's ``str::parse::<i32>`` reads it: an optional sign and
    ASCII digits, within i32."""
    if not _SIGNED_DIGITS.fullmatch(text):
        return None
    digits = text.lstrip("+-").lstrip("0") or "0"
    if len(digits) > 10:
        return None
    number = -int(digits) if text.startswith("-") else int(digits)
    return number if number in _I32 else None


def _canonical_number(text: str) -> int:
    """Metadata ``code`` as strict decoding takes it: the digits of a number
    from 0 to 2**31-1, with no sign, padding or leading zero."""
    if _CANONICAL_DECIMAL.fullmatch(text):
        number = int(text) if len(text) <= 10 else None
        if number is not None and number in _I32:
            return number
        raise DecodeError(DecodeErrorKind.INVALID_CODE_METADATA,
                          f"ErrorInfo metadata code {text!r} is not a number")
    stripped = text.strip()
    if _SIGNED_DIGITS.fullmatch(stripped) and len(stripped.lstrip("+-").lstrip("0")) <= 20 \
            and int(stripped) in _I64:
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


def _retry_delay(info: error_details_pb2.RetryInfo, strict: bool) -> timedelta | None:
    if not info.HasField("retry_delay"):
        return None
    seconds, nanos = info.retry_delay.seconds, info.retry_delay.nanos
    if 0 <= seconds <= MAX_DURATION_SECONDS and 0 <= nanos <= 999_999_999:
        return timedelta(seconds=seconds, microseconds=nanos // 1000)
    if strict:
        raise DecodeError(DecodeErrorKind.INVALID_RETRY_DELAY, "RetryInfo.retry_delay is negative or out of range")
    return None


@dataclass
class _Extras:
    """The details besides ErrorInfo, as read so far."""

    localized_messages: tuple[LocalizedMessage, ...] = ()
    retry_delay: timedelta | None = None
    field_violations: tuple[FieldViolation, ...] = ()
    resource_info: ResourceInfo | None = None
    request_id: str | None = None


_ONCE_ONLY: dict[str, type[Message]] = {
    message_type.DESCRIPTOR.full_name: message_type
    for message_type in (error_details_pb2.RetryInfo, error_details_pb2.BadRequest,
                         error_details_pb2.ResourceInfo, error_details_pb2.RequestInfo)
}


def _read_details(details: Iterable[Any], strict: bool) -> _Extras:
    """LocalizedMessages in order; the other types at most once (strictly a
    repeat is an error, leniently the first wins). Unknown types are not
    ours to judge."""
    extras = _Extras()
    seen: set[str] = set()
    for detail in details:
        name = _type_name(detail)
        if name == _LOCALIZED_MESSAGE:
            localized = _unpack(detail, error_details_pb2.LocalizedMessage, strict)
            if localized is not None:
                extras.localized_messages += (LocalizedMessage(localized.locale, localized.message),)
            continue
        message_type = _ONCE_ONLY.get(name)
        if message_type is None:
            continue
        if name in seen:
            if strict:
                raise DecodeError(DecodeErrorKind.DUPLICATE_DETAIL, f"{name} appears more than once in the details")
            continue
        seen.add(name)
        parsed = _unpack(detail, message_type, strict)
        if isinstance(parsed, error_details_pb2.RetryInfo):
            extras.retry_delay = _retry_delay(parsed, strict)
        elif isinstance(parsed, error_details_pb2.BadRequest):
            extras.field_violations = tuple(
                FieldViolation(violation.field, violation.description)
                for violation in parsed.field_violations)
        elif isinstance(parsed, error_details_pb2.ResourceInfo):
            extras.resource_info = ResourceInfo(
                parsed.resource_type, parsed.resource_name, parsed.owner, parsed.description)
        elif isinstance(parsed, error_details_pb2.RequestInfo):
            extras.request_id = parsed.request_id
    return extras
