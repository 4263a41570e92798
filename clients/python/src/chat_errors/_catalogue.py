"""The catalogue as chat_errors.proto's descriptor gives it.

Every ErrorCode value's options are read here, at import, from the
descriptor that protoc compiled into chat_errors_pb2. Nothing about a code
is written down twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from types import MappingProxyType
from typing import Iterable, Mapping, TypeVar

import grpc
from google.protobuf.descriptor import EnumValueDescriptor, FileDescriptor

from chat_errors._generated import chat_errors_pb2 as pb
from chat_errors._http_status import http_status_for

ENUM_PREFIX = "ERROR_CODE_"
T = TypeVar("T")

# Before the catalogue declared its locales, each had an option of its own.
_LEGACY_DESCRIPTION_OPTIONS = {
    "ko-KR": "description_ko",
    "en-US": "description_en",
}
DEFAULT_DESCRIPTION_LOCALE = "en-US"

_STATUS_CODES = {code.value[0]: code for code in grpc.StatusCode}
_FILE: FileDescriptor = pb.DESCRIPTOR
_ERROR_CODE = _FILE.enum_types_by_name["ErrorCode"]


@dataclass(frozen=True)
class Entry:
    """One ErrorCode value's options."""

    reason: str
    original_name: str
    grpc_code: grpc.StatusCode
    retryable: bool
    descriptions: Mapping[str, str]


def _options(value: EnumValueDescriptor) -> dict[str, object]:
    """The catalogue's options set on `value`, by extension name."""
    return {
        field.name: option
        for field, option in value.GetOptions().ListFields()
        if field.is_extension and field.full_name == f"{_FILE.package}.{field.name}"
    }


def _option(value: EnumValueDescriptor, options: dict[str, object], name: str,
            kind: type[T]) -> T:
    option = options.get(name)
    if not isinstance(option, kind):
        raise ImportError(f"{_FILE.name}: {value.name} lacks option ({name})")
    return option


def _declared_locales() -> tuple[str, ...]:
    """The ErrorCode enum's (locales) option, first the default; or the
    locales of the per-language options."""
    declared = {
        field.name: option for field, option in _ERROR_CODE.GetOptions().ListFields()
        if field.is_extension and field.full_name == f"{_FILE.package}.{field.name}"
    }.get("locales")
    if not isinstance(declared, Iterable):
        return tuple(_LEGACY_DESCRIPTION_OPTIONS)
    return tuple(str(locale) for locale in declared)


LOCALES: tuple[str, ...] = _declared_locales()


def _descriptions(value: EnumValueDescriptor, options: dict[str, object]) -> Mapping[str, str]:
    """The value's text in each declared locale, from its repeated
    (description) option, or the per-language options."""
    repeated = options.get("description")
    if not isinstance(repeated, Iterable):
        texts = {locale: _option(value, options, name, str)
                 for locale, name in _LEGACY_DESCRIPTION_OPTIONS.items()}
    else:
        texts = {str(getattr(item, "locale")): str(getattr(item, "text"))
                 for item in repeated}
    missing = [locale for locale in LOCALES if locale not in texts]
    if missing:
        raise ImportError(f"{_FILE.name}: {value.name} has no description for {', '.join(missing)}")
    return MappingProxyType(texts)


def _entry(value: EnumValueDescriptor) -> Entry:
    options = _options(value)
    grpc_number = _option(value, options, "grpc_code", int)
    grpc_code = _STATUS_CODES.get(grpc_number)
    if grpc_code is None or grpc_code == grpc.StatusCode.OK:
        raise ImportError(f"{_FILE.name}: {value.name} has grpc_code {grpc_number}")
    return Entry(
        reason=value.name[len(ENUM_PREFIX):],
        original_name=_option(value, options, "original_name", str),
        grpc_code=grpc_code,
        retryable=_option(value, options, "retryable", bool),
        descriptions=_descriptions(value, options),
    )


ENTRIES: Mapping[int, Entry] = MappingProxyType({
    value.number: _entry(value)
    for value in _ERROR_CODE.values
    if value.number != 0
})


def _lookup_locale(locale: str) -> str | None:
    """The catalogue locale for `locale`: exact (case-insensitive), else the
    first with the same language (RFC 4647 lookup, `ko` -> `ko-KR`)."""
    wanted = locale.strip().lower()
    for known in LOCALES:
        if known.lower() == wanted:
            return known
    language = wanted.split("-", 1)[0]
    for known in LOCALES:
        if known.lower().split("-", 1)[0] == language:
            return known
    return None


class CatalogueCode(IntEnum):
    """The behaviour every ErrorCode member shares; members are generated."""

    @property
    def _entry(self) -> Entry:
        return ENTRIES[self.value]

    @property
    def reason(self) -> str:
        """The google.rpc.ErrorInfo reason, e.g. ``CHANNEL_NOT_FOUND``."""
        return self._entry.reason

    @property
    def name_in_catalogue(self) -> str:
        """The name in the platform's original document, e.g. ``ChannelNotFound``.
        Not unique: ``InternalServerError`` names 1003, 1004, 1005 and 3000."""
        return self._entry.original_name

    @property
    def grpc_code(self) -> grpc.StatusCode:
        """The gRPC status code the error is sent with."""
        return self._entry.grpc_code

    @property
    def http_status(self) -> int:
        """The HTTP status of :attr:`grpc_code` under the standard mapping."""
        return http_status_for(self._entry.grpc_code)

    @property
    def retryable(self) -> bool:
        """Whether a client may retry the same request unchanged."""
        return self._entry.retryable

    def description(self, locale: str = DEFAULT_DESCRIPTION_LOCALE) -> str:
        """The description in `locale` (e.g. ``ko-KR``, or just ``ko``).

        Raises LookupError when the catalogue has no text in that language;
        :data:`chat_errors.LOCALES` lists the ones it has.
        """
        known = _lookup_locale(locale)
        if known is None:
            raise LookupError(f"no {locale!r} description; the catalogue has {', '.join(LOCALES)}")
        return self._entry.descriptions[known]
