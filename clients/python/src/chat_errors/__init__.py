"""Decode the chat platform's gRPC errors: the catalogue's codes, generated
from chat_errors.proto, and the google.rpc rich details every chat error
carries.

    >>> from chat_errors import ErrorCode
    >>> ErrorCode.CHANNEL_NOT_FOUND == 2003
    True
    >>> ErrorCode.CHANNEL_NOT_FOUND.grpc_code
    <StatusCode.NOT_FOUND: (5, 'not found')>
"""

from chat_errors._catalogue import LOCALES, ENTRIES as _ENTRIES
from chat_errors._decode import (
    DEFAULT_DOMAIN,
    DecodeError,
    DecodeErrorKind,
    from_rpc_error,
    from_status,
    is_code,
)
from chat_errors._error_code import ErrorCode
from chat_errors._http import MAX_HTTP_ERROR_BYTES, from_http_error
from chat_errors._model import (
    ChatError,
    Detail,
    FieldViolation,
    LocalizedMessage,
    RequestInfo,
    ResourceInfo,
)

if {code.value for code in ErrorCode} != set(_ENTRIES):
    raise ImportError("chat_errors._error_code is stale against chat_errors.proto: "
                      "regenerate with scripts/gen-python-client.sh")

__all__ = [
    "DEFAULT_DOMAIN",
    "LOCALES",
    "MAX_HTTP_ERROR_BYTES",
    "ChatError",
    "DecodeError",
    "DecodeErrorKind",
    "Detail",
    "ErrorCode",
    "FieldViolation",
    "LocalizedMessage",
    "RequestInfo",
    "ResourceInfo",
    "from_http_error",
    "from_rpc_error",
    "from_status",
    "is_code",
]
