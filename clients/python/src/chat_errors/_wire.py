"""Reading the protobuf messages of a status exactly as the Rust crate reads
them, so that every input gets the crate's answer.

The crate reads ``google.rpc.Status``, ``Any`` and ``ErrorInfo`` with its own
scanner and the other details with prost. Both refuse what protobuf's Python
runtime lets through: a known field sent with another wire type (upb keeps it
as an unknown field), a tenth varint byte above 1. Both keep bytes that are
not UTF-8 where lenient reading wants them lossily.

So each message is read twice over at most. The fast way is upb, into mirror
messages declared here; its result is used only when it is canonical: no
unknown fields, and re-encoding it gives exactly the bytes read (no repeated
singular field, no padded varint), with no negative number (whose ten-byte
varints upb and prost read differently). Such bytes mean the same to upb,
prost and the crate's scanner. Anything else is read by this module's port
of the scanner and of prost's rules, which is slower and exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterator, NamedTuple

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.message import DecodeError as _ProtobufDecodeError
from google.protobuf.message import Message

# prost's recursion limit, and the crate scanner's limit on nested groups.
RECURSION_LIMIT = 100


class WireError(Exception):
    """Bytes that are not the message they should be; ``str(error)`` says why."""


_TRUNCATED = "the bytes end inside a field"
_VARINT_TOO_LONG = "a varint is longer than ten bytes"
_INVALID_KEY = "a field key is invalid"
_WRONG_WIRE_TYPE = "a field has the wrong wire type"
_NOT_UTF8 = "a string field is not UTF-8"
_BAD_GROUP = "a group is unterminated or nested too deeply"
_RECURSION = "recursion limit reached"


# --- the mirror messages upb reads into ------------------------------------

_F = descriptor_pb2.FieldDescriptorProto
_PACKAGE = "chat_errors.wire"
_Mirror = list[tuple[int, str, "descriptor_pb2.FieldDescriptorProto.Type.ValueType", str | None]]
_MIRRORS: dict[str, _Mirror] = {
    "Any": [(1, "type_url", _F.TYPE_STRING, None), (2, "value", _F.TYPE_BYTES, None)],
    "Status": [(1, "code", _F.TYPE_INT32, None), (2, "message", _F.TYPE_STRING, None),
               (3, "details", _F.TYPE_MESSAGE, "Any")],
    "ErrorInfo": [(1, "reason", _F.TYPE_STRING, None), (2, "domain", _F.TYPE_STRING, None),
                  (3, "metadata", _F.TYPE_MESSAGE, "ErrorInfo.MetadataEntry")],
    "LocalizedMessage": [(1, "locale", _F.TYPE_STRING, None), (2, "message", _F.TYPE_STRING, None)],
    "Duration": [(1, "seconds", _F.TYPE_INT64, None), (2, "nanos", _F.TYPE_INT32, None)],
    "RetryInfo": [(1, "retry_delay", _F.TYPE_MESSAGE, "Duration")],
    "FieldViolation": [(1, "field", _F.TYPE_STRING, None), (2, "description", _F.TYPE_STRING, None),
                       (3, "reason", _F.TYPE_STRING, None),
                       (4, "localized_message", _F.TYPE_MESSAGE, "LocalizedMessage")],
    "BadRequest": [(1, "field_violations", _F.TYPE_MESSAGE, "FieldViolation")],
    "ResourceInfo": [(1, "resource_type", _F.TYPE_STRING, None), (2, "resource_name", _F.TYPE_STRING, None),
                     (3, "owner", _F.TYPE_STRING, None), (4, "description", _F.TYPE_STRING, None)],
    "RequestInfo": [(1, "request_id", _F.TYPE_STRING, None), (2, "serving_data", _F.TYPE_STRING, None)],
    # A status of ErrorInfo and LocalizedMessage details only, the shape of
    # nearly every chat error, read by upb in one call: both detail types
    # fit Union (ErrorInfo's reason, domain and metadata; LocalizedMessage's
    # locale and message as fields 1 and 2).
    "Union": [(1, "first", _F.TYPE_STRING, None), (2, "second", _F.TYPE_STRING, None),
              (3, "metadata", _F.TYPE_MESSAGE, "Union.MetadataEntry")],
    "TypedAny": [(1, "type_url", _F.TYPE_STRING, None), (2, "value", _F.TYPE_MESSAGE, "Union")],
    "TypedStatus": [(1, "code", _F.TYPE_INT32, None), (2, "message", _F.TYPE_STRING, None),
                    (3, "details", _F.TYPE_MESSAGE, "TypedAny")],
}
# ErrorInfo.metadata is a map, as in google.rpc, which upb reads fastest.
# upb writes every entry's key and value back, even empty, and drops an
# entry's unknown fields as it reads: an entry whose key or value is empty
# may have lost a field of the wrong wire type while keeping its size, so
# such metadata is never taken as canonical. Any other entry re-encodes to
# its bytes exactly or to fewer.
_REPEATED = {("Status", "details"), ("ErrorInfo", "metadata"), ("BadRequest", "field_violations"),
             ("Union", "metadata"), ("TypedStatus", "details")}


def _mirror_classes() -> dict[str, type[Message]]:
    file = descriptor_pb2.FileDescriptorProto(
        name="chat_errors/wire_mirror.proto", package=_PACKAGE, syntax="proto3")
    for name, fields in _MIRRORS.items():
        message = file.message_type.add(name=name)
        for number, field_name, field_type, type_name in fields:
            label = _F.LABEL_REPEATED if (name, field_name) in _REPEATED else _F.LABEL_OPTIONAL
            field = message.field.add(name=field_name, number=number, type=field_type, label=label)
            if type_name is not None:
                field.type_name = f".{_PACKAGE}.{type_name}"
    for holder in ("ErrorInfo", "Union"):
        entry = file.message_type[list(_MIRRORS).index(holder)].nested_type.add(name="MetadataEntry")
        entry.options.map_entry = True
        for number, field_name in ((1, "key"), (2, "value")):
            entry.field.add(name=field_name, number=number, type=_F.TYPE_STRING, label=_F.LABEL_OPTIONAL)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    return {name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{_PACKAGE}.{name}"))
            for name in _MIRRORS}


MIRROR = _mirror_classes()


def _canonical(name: str, data: bytes) -> Any:
    """The mirror message `name` read by upb, or None when upb's reading is
    not certainly the crate's."""
    try:
        message = MIRROR[name].FromString(data)
    except (_ProtobufDecodeError, RecursionError, ValueError):
        return None
    message.DiscardUnknownFields()
    if message.ByteSize() != len(data):
        return None
    return message


# --- the exact reader --------------------------------------------------------

class _Reader:
    """Fields of one message in `data[pos:end]`, read as the crate's scanner
    (``prost_groups=False``) or prost (``prost_groups=True``) reads them."""

    __slots__ = ("data", "pos", "end")

    def __init__(self, data: bytes, pos: int = 0, end: int | None = None) -> None:
        self.data = data
        self.pos = pos
        self.end = len(data) if end is None else end

    def varint(self) -> int:
        data, pos, end = self.data, self.pos, self.end
        value = 0
        for index in range(10):
            if pos + index >= end:
                raise WireError(_TRUNCATED)
            byte = data[pos + index]
            if index == 9 and byte > 1:
                raise WireError(_VARINT_TOO_LONG)
            value |= (byte & 0x7F) << (7 * index)
            if byte < 0x80:
                self.pos = pos + index + 1
                return value
        raise WireError(_VARINT_TOO_LONG)

    def key(self) -> tuple[int, int]:
        key = self.varint()
        if key > 0xFFFFFFFF:
            raise WireError(_INVALID_KEY)
        number, wire_type = key >> 3, key & 7
        if number == 0 or wire_type > 5:
            raise WireError(_INVALID_KEY)
        return number, wire_type

    def take(self, length: int) -> bytes:
        if length > self.end - self.pos:
            raise WireError(_TRUNCATED)
        start = self.pos
        self.pos += length
        return self.data[start:self.pos]

    def value(self, number: int, wire_type: int, prost_limit: int | None) -> int | bytes | None:
        """A field's value: an int for a varint, bytes for a length-delimited
        field, None for the rest. `prost_limit` is prost's recursion budget
        when reading as prost, None when reading as the crate's scanner."""
        if prost_limit is not None and prost_limit == 0:
            raise WireError(_RECURSION)
        if wire_type == 0:
            return self.varint()
        if wire_type == 1:
            self.take(8)
            return None
        if wire_type == 2:
            return self.take(self.varint())
        if wire_type == 3:
            self._skip_group(number, prost_limit)
            return None
        if wire_type == 5:
            self.take(4)
            return None
        raise WireError(_BAD_GROUP)  # an end-group key with no group open

    def _skip_group(self, number: int, prost_limit: int | None) -> None:
        if prost_limit is not None:
            # prost recurses, one level of its budget per field inside.
            while True:
                inner, wire_type = self.key()
                if wire_type == 4:
                    if inner != number:
                        raise WireError(_BAD_GROUP)
                    return
                self.value(inner, wire_type, prost_limit - 1)
        open_groups = [number]
        while open_groups:
            inner, wire_type = self.key()
            if wire_type == 3:
                if len(open_groups) >= RECURSION_LIMIT:
                    raise WireError(_BAD_GROUP)
                open_groups.append(inner)
            elif wire_type == 4:
                if inner != open_groups[-1]:
                    raise WireError(_BAD_GROUP)
                open_groups.pop()
            else:
                self.value(inner, wire_type, None)

    def fields(self, prost_limit: int | None = None) -> Iterator[tuple[int, int, int | bytes | None]]:
        while self.pos < self.end:
            number, wire_type = self.key()
            yield number, wire_type, self.value(number, wire_type, prost_limit)


def _length_delimited(wire_type: int, value: int | bytes | None) -> bytes:
    if wire_type != 2 or not isinstance(value, bytes):
        raise WireError(_WRONG_WIRE_TYPE)
    return value


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def lossy(data: bytes) -> str:
    """Bytes as text, each ill-formed sequence replaced as Rust's
    ``String::from_utf8_lossy`` replaces it."""
    return data.decode("utf-8", "replace")


def _int32(value: int) -> int:
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value


def _int64(value: int) -> int:
    value &= 0xFFFFFFFFFFFFFFFF
    return value - (1 << 64) if value >= 1 << 63 else value


# --- google.rpc.Status, Any and ErrorInfo, as the crate's scanner reads them --
# Their strings are kept as text, lossily, with a flag saying whether every
# occurrence was UTF-8: U+FFFD names no type, reason or code, so text
# compares as the crate's bytes compare.

class AnyView(NamedTuple):
    type_url: str
    value: bytes
    type_url_utf8: bool

    @property
    def type_name(self) -> str:
        """The part of the type URL after its last ``/``, as ``Any.Is`` reads it."""
        return self.type_url.rpartition("/")[2]


class StatusView(NamedTuple):
    code: int
    message: str
    message_utf8: bool
    details: tuple[AnyView | WireError, ...]
    """Each detail read on its own: a broken one does not hide the others."""


def _parse_any(data: bytes) -> AnyView:
    type_url, value, utf8 = b"", b"", True
    for number, wire_type, field in _Reader(data).fields():
        if number == 1:
            type_url = _length_delimited(wire_type, field)
            utf8 = utf8 and _utf8(type_url)
        elif number == 2:
            value = _length_delimited(wire_type, field)
    return AnyView(lossy(type_url), value, utf8)


def _any_or_error(data: bytes) -> AnyView | WireError:
    try:
        return _parse_any(data)
    except WireError as error:
        return error


def parse_status(data: bytes) -> StatusView:
    """The Status in `data`; only its own framing can fail here."""
    fast = _canonical("Status", data)
    if fast is not None and fast.code >= 0:
        return StatusView(fast.code, fast.message, True, tuple(
            AnyView(detail.type_url, detail.value, True) for detail in fast.details))
    code, message, utf8 = 0, b"", True
    details = []
    for number, wire_type, field in _Reader(data).fields():
        if number == 1:
            if wire_type != 0 or not isinstance(field, int):
                raise WireError(_WRONG_WIRE_TYPE)
            code = _int32(field)
        elif number == 2:
            message = _length_delimited(wire_type, field)
            utf8 = utf8 and _utf8(message)
        elif number == 3:
            details.append(_length_delimited(wire_type, field))
    return StatusView(code, lossy(message), utf8, tuple(_any_or_error(detail) for detail in details))


class ErrorInfoView(NamedTuple):
    reason: str
    domain: str | None
    """None when not UTF-8, so that it equals no domain."""
    code: str | None
    """The value of the last metadata entry whose key is ``code``."""
    metadata: tuple[tuple[str, str], ...]
    """The entries in wire order; a later one of the same key wins."""
    utf8: bool
    """Whether every occurrence of every string was UTF-8."""


def _map_entry(data: bytes) -> tuple[bytes, bytes, bool]:
    """An entry's key and value, and whether every occurrence of either was UTF-8."""
    key, value, utf8 = b"", b"", True
    for number, wire_type, field in _Reader(data).fields():
        if number == 1:
            key = _length_delimited(wire_type, field)
            utf8 = utf8 and _utf8(key)
        elif number == 2:
            value = _length_delimited(wire_type, field)
            utf8 = utf8 and _utf8(value)
    return key, value, utf8


def parse_error_info(data: bytes) -> ErrorInfoView:
    fast = _canonical("ErrorInfo", data)
    entries: dict[str, str] = {}
    if fast is not None:
        entries = dict(fast.metadata)
        if "" in entries or "" in entries.values():
            fast = None
    if fast is not None:
        return ErrorInfoView(fast.reason, fast.domain, entries.get("code"), tuple(entries.items()), True)
    reason, domain, utf8 = b"", b"", True
    metadata = []
    for number, wire_type, field in _Reader(data).fields():
        if number == 1:
            reason = _length_delimited(wire_type, field)
            utf8 = utf8 and _utf8(reason)
        elif number == 2:
            domain = _length_delimited(wire_type, field)
            utf8 = utf8 and _utf8(domain)
        elif number == 3:
            key, value, entry_utf8 = _map_entry(_length_delimited(wire_type, field))
            utf8 = utf8 and entry_utf8
            metadata.append((lossy(key), lossy(value)))
    code = None
    for key_text, value_text in metadata:
        if key_text == "code":
            code = value_text
    return ErrorInfoView(lossy(reason), domain.decode("utf-8") if _utf8(domain) else None,
                         code, tuple(metadata), utf8)


# --- the other details, as prost reads them -----------------------------------

@dataclass
class _Schema:
    """A message as prost reads it: each known field's kind, a nested
    schema for message fields, and which are repeated."""

    name: str
    fields: dict[int, tuple[str, str, "_Schema | None"]]
    repeated: frozenset[int] = frozenset()


def _prost_merge(schema: _Schema, data: bytes, into: dict[str, Any], limit: int) -> None:
    for number, wire_type, field in _Reader(data).fields(limit):
        known = schema.fields.get(number)
        if known is None:
            continue
        name, kind, nested = known
        if kind in ("int64", "int32"):
            if wire_type != 0 or not isinstance(field, int):
                raise WireError(_WRONG_WIRE_TYPE)
            into[name] = _int64(field) if kind == "int64" else _int32(field)
            continue
        value = _length_delimited(wire_type, field)
        if kind == "string":
            if not _utf8(value):
                raise WireError(_NOT_UTF8)
            into[name] = value.decode("utf-8")
            continue
        assert nested is not None
        if limit == 0:
            raise WireError(_RECURSION)
        if number in schema.repeated:
            element: dict[str, Any] = {}
            _prost_merge(nested, value, element, limit - 1)
            into.setdefault(name, []).append(element)
        else:
            _prost_merge(nested, value, into.setdefault(name, {}), limit - 1)


def _prost_decode(schema: _Schema, data: bytes) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    _prost_merge(schema, data, fields, RECURSION_LIMIT)
    return fields


_LOCALIZED = _Schema("LocalizedMessage", {1: ("locale", "string", None), 2: ("message", "string", None)})
_DURATION = _Schema("Duration", {1: ("seconds", "int64", None), 2: ("nanos", "int32", None)})
_SCHEMAS = {
    "LocalizedMessage": _LOCALIZED,
    "RetryInfo": _Schema("RetryInfo", {1: ("retry_delay", "message", _DURATION)}),
    "BadRequest": _Schema("BadRequest", {1: ("field_violations", "message", _Schema(
        "FieldViolation", {1: ("field", "string", None), 2: ("description", "string", None),
                           3: ("reason", "string", None),
                           4: ("localized_message", "message", _LOCALIZED)}))}, frozenset({1})),
    "ResourceInfo": _Schema("ResourceInfo", {
        1: ("resource_type", "string", None), 2: ("resource_name", "string", None),
        3: ("owner", "string", None), 4: ("description", "string", None)}),
    "RequestInfo": _Schema("RequestInfo", {1: ("request_id", "string", None),
                                           2: ("serving_data", "string", None)}),
}


def _fast_fields(message: Any, schema: _Schema) -> dict[str, Any] | None:
    """The fields of a canonical mirror message as `_prost_decode` gives
    them; None when a number is negative (see the module's doc)."""
    fields: dict[str, Any] = {}
    for descriptor, value in message.ListFields():
        _, kind, nested = schema.fields[descriptor.number]
        if kind in ("int32", "int64"):
            if value < 0:
                return None
            fields[descriptor.name] = value
        elif kind == "string":
            fields[descriptor.name] = value
        elif descriptor.number in schema.repeated:
            assert nested is not None
            elements = []
            for element in value:
                read = _fast_fields(element, nested)
                if read is None:
                    return None
                elements.append(read)
            fields[descriptor.name] = elements
        else:
            assert nested is not None
            read = _fast_fields(value, nested)
            if read is None:
                return None
            fields[descriptor.name] = read
    return fields


def parse_detail(name: str, data: bytes) -> dict[str, Any]:
    """The detail `name` (``LocalizedMessage``, ``RetryInfo``,
    ``BadRequest``, ``ResourceInfo``, ``RequestInfo``) as prost decodes it:
    its set fields by name, messages as dicts. Raises WireError where prost
    fails."""
    schema = _SCHEMAS[name]
    fast = _canonical(name, data)
    if fast is not None:
        fields = _fast_fields(fast, schema)
        if fields is not None:
            return fields
    return _prost_decode(schema, data)
