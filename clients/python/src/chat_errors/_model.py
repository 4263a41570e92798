"""What a decoded chat error holds: immutable values, all the way down."""

from __future__ import annotations

from datetime import timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Mapping, NamedTuple, NoReturn, TypeVar

import grpc

from chat_errors._error_code import ErrorCode
from chat_errors._http_status import http_status_for
from chat_errors._wire import AnyView, parse_status

if TYPE_CHECKING:
    from google.protobuf.message import Message

    M = TypeVar("M", bound=Message)

NAME_KEY = "message"
_NANOS_PER_MICROSECOND = 1000
_MAX_TIMEDELTA_NS = (timedelta.max // timedelta(microseconds=1)) * _NANOS_PER_MICROSECOND


class LocalizedMessage(NamedTuple):
    """A google.rpc.LocalizedMessage: user-facing text and its locale."""

    locale: str
    message: str


class FieldViolation(NamedTuple):
    """One google.rpc.BadRequest.FieldViolation."""

    field: str
    description: str
    reason: str = ""
    """A machine-readable cause, in ``UPPER_SNAKE_CASE``, when the server sent one."""
    localized_message: LocalizedMessage | None = None
    """The violation's user-facing text, when the server sent one."""


class ResourceInfo(NamedTuple):
    """A google.rpc.ResourceInfo: the resource the error is about."""

    resource_type: str
    resource_name: str
    owner: str
    description: str


class RequestInfo(NamedTuple):
    """A google.rpc.RequestInfo: what a bug report should quote."""

    request_id: str
    serving_data: str


class Detail(NamedTuple):
    """One ``google.protobuf.Any`` of the status's details, as sent: those
    this package reads and those it does not."""

    type_url: str
    value: bytes

    @property
    def type_name(self) -> str:
        """The message name the type URL ends with, e.g. ``google.rpc.Help``."""
        return self.type_url.rpartition("/")[2]

    def unpack(self, message_type: type[M]) -> M | None:
        """A new `message_type` read from :attr:`value`, or None when the
        detail is of another type. Raises ``google.protobuf.message.DecodeError``
        when the value does not parse."""
        if self.type_name != message_type.DESCRIPTOR.full_name:
            return None
        return message_type.FromString(self.value)


class _Fields(NamedTuple):
    code: ErrorCode | None
    number: int | None
    reason: str
    domain: str
    grpc_code: grpc.StatusCode
    message: str
    metadata: Mapping[str, str]
    localized_messages: tuple[LocalizedMessage, ...]
    retry_delay_ns: int | None
    field_violations: tuple[FieldViolation, ...]
    resource_info: ResourceInfo | None
    request_info: RequestInfo | None
    details: tuple[Detail, ...] | bytes
    """The details, or the google.rpc.Status bytes to read them from when
    first asked for."""


class ChatError(Exception):
    """A chat error as a client received it: an exception to raise and
    catch, as google-api-core's ``GoogleAPICallError`` is.

    Everything comes from the wire, so a server with a newer catalogue can
    send a code this package does not know: :attr:`code` is then ``None``
    while :attr:`number` and :attr:`reason` keep what was sent. Its fields
    cannot be reassigned, and what they hold is immutable too.
    """

    __slots__ = ("_fields", "_details")
    _fields: _Fields
    _details: tuple[Detail, ...]

    def __init__(
        self,
        *,
        code: ErrorCode | None,
        number: int | None,
        reason: str,
        domain: str,
        grpc_code: grpc.StatusCode,
        message: str,
        metadata: Mapping[str, str] | None = None,
        localized_messages: tuple[LocalizedMessage, ...] = (),
        retry_delay_ns: int | None = None,
        field_violations: tuple[FieldViolation, ...] = (),
        resource_info: ResourceInfo | None = None,
        request_info: RequestInfo | None = None,
        details: tuple[Detail, ...] = (),
    ) -> None:
        fields = _Fields(code, number, reason, domain, grpc_code, message,
                         MappingProxyType(dict(metadata or {})), tuple(localized_messages),
                         retry_delay_ns, tuple(field_violations), resource_info, request_info,
                         tuple(details))
        super().__init__()
        _FIELDS_SLOT.__set__(self, fields)

    @classmethod
    def _from_fields(cls, fields: _Fields) -> ChatError:
        error = cls.__new__(cls)
        _FIELDS_SLOT.__set__(error, fields)
        return error

    def __str__(self) -> str:
        return _summary(self._fields)

    def __setattr__(self, name: str, value: object) -> None:
        # Python itself sets __traceback__, __cause__, __context__ and
        # __notes__ on exceptions; only the error's own fields are frozen.
        if name.startswith("__"):
            super().__setattr__(name, value)
            return
        _frozen(name)

    def __delattr__(self, name: str) -> None:
        if name.startswith("__"):
            super().__delattr__(name)
            return
        _frozen(name)

    def __reduce__(self) -> tuple[Any, ...]:
        # A mappingproxy does not pickle; the dict under it does.
        return (_unpickle, (self._fields._replace(metadata=dict(self._fields.metadata)),))

    def __repr__(self) -> str:
        return f"ChatError({self})"

    @property
    def code(self) -> ErrorCode | None:
        """The error code, when this package's catalogue has it."""
        return self._fields.code

    @property
    def number(self) -> int | None:
        """The numeric code as sent (metadata ``code``, or else from the reason)."""
        return self._fields.number

    @property
    def reason(self) -> str:
        """``ErrorInfo.reason``, e.g. ``CHANNEL_NOT_FOUND``."""
        return self._fields.reason

    @property
    def domain(self) -> str:
        """``ErrorInfo.domain``."""
        return self._fields.domain

    @property
    def grpc_code(self) -> grpc.StatusCode:
        """The status code the call failed with."""
        return self._fields.grpc_code

    @property
    def grpc_status_code(self) -> grpc.StatusCode:
        """:attr:`grpc_code`, by google-api-core's name for it."""
        return self._fields.grpc_code

    @property
    def message(self) -> str:
        """The status message (grpc-message): developer-facing text."""
        return self._fields.message

    @property
    def metadata(self) -> Mapping[str, str]:
        """All of ``ErrorInfo.metadata``, ``code`` and ``message`` included (read-only)."""
        return self._fields.metadata

    @property
    def name(self) -> str | None:
        """The original name from metadata ``message``, e.g. ``ChannelNotFound``."""
        return self._fields.metadata.get(NAME_KEY)

    @property
    def localized_messages(self) -> tuple[LocalizedMessage, ...]:
        """Every LocalizedMessage detail, in the order sent."""
        return self._fields.localized_messages

    @property
    def localized_message(self) -> LocalizedMessage | None:
        """The user-facing message the server chose, with its locale."""
        messages = self._fields.localized_messages
        return messages[0] if messages else None

    @property
    def retry_delay_ns(self) -> int | None:
        """``RetryInfo.retry_delay`` in nanoseconds, exactly, when the server sent one."""
        return self._fields.retry_delay_ns

    @property
    def retry_delay(self) -> timedelta | None:
        """``RetryInfo.retry_delay`` to the microsecond (at most ``timedelta.max``),
        when the server sent one."""
        nanos = self._fields.retry_delay_ns
        if nanos is None:
            return None
        return timedelta(microseconds=min(nanos, _MAX_TIMEDELTA_NS) // _NANOS_PER_MICROSECOND)

    @property
    def field_violations(self) -> tuple[FieldViolation, ...]:
        """The BadRequest field violations, when the server sent any."""
        return self._fields.field_violations

    @property
    def resource_info(self) -> ResourceInfo | None:
        """The ResourceInfo, when the server sent one."""
        return self._fields.resource_info

    @property
    def request_info(self) -> RequestInfo | None:
        """The RequestInfo, when the server sent one."""
        return self._fields.request_info

    @property
    def request_id(self) -> str | None:
        """``RequestInfo.request_id``, when the server sent one."""
        info = self._fields.request_info
        return info.request_id if info is not None else None

    @property
    def details(self) -> tuple[Detail, ...]:
        """Every detail of the status, in the order sent, of whatever type
        (google-api-core's ``details``); :meth:`Detail.unpack` reads one."""
        try:
            return self._details
        except AttributeError:
            pass
        details = self._fields.details
        if isinstance(details, bytes):
            # Read on first use: most callers never look past the chat error.
            details = tuple(Detail(detail.type_url, detail.value)
                            for detail in parse_status(details).details if isinstance(detail, AnyView))
        _DETAILS_SLOT.__set__(self, details)
        return details

    @property
    def http_status(self) -> int:
        """The HTTP status of :attr:`grpc_code` under the standard mapping."""
        return http_status_for(self._fields.grpc_code)

    def is_code(self, code: ErrorCode) -> bool:
        """Whether this is the error `code`."""
        return self._fields.code is code


_FIELDS_SLOT: Any = ChatError.__dict__["_fields"]
_DETAILS_SLOT: Any = ChatError.__dict__["_details"]


def _summary(fields: _Fields) -> str:
    """``2003 ChannelNotFound: The channel does not exist.``, as the Rust
    crate prints it; an unknown code shows its number and reason."""
    if fields.code is not None:
        return f"{fields.code.value} {fields.code.name_in_catalogue}: {fields.message}"
    if fields.number is not None:
        return f"{fields.number} {fields.reason}: {fields.message}"
    return f"{fields.reason}: {fields.message}"


def _unpickle(fields: _Fields) -> ChatError:
    return ChatError._from_fields(fields._replace(metadata=MappingProxyType(dict(fields.metadata))))


def _frozen(name: str) -> NoReturn:
    raise AttributeError(f"ChatError is immutable: cannot change {name!r}")
