"""The Python client's side of conformance/README.md: each input line is
decoded with the chat_errors package, strictly and leniently, and written
back as the JSON view every runner writes for the same answer.

The trailer layer (grpc-status, base64, percent-decoding) is the crate's
`status_from_headers`, which a grpcio call does before the package sees
anything; it is written here, once, from the README's rules.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import sys
import urllib.parse
from typing import Any, Callable

import chat_errors
from chat_errors import ChatError, DecodeError

GRPC_STATUS = re.compile(r"0|[1-9]|1[0-6]")
BASE64 = re.compile(r"[A-Za-z0-9+/]*")
BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
UNKNOWN = 2

View = dict[str, Any] | None


class Refused(Exception):
    """A trailer strict reading refuses, by the crate's StatusHeaderError kind."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def base64_details(text: str) -> bytes | None:
    """The base64 crate's STANDARD with DecodePaddingMode::Indifferent: no
    stray trailing bits, and padding optional, even partial, but never past
    the last quad."""
    unpadded = text.rstrip("=")
    padding = len(text) - len(unpadded)
    if not BASE64.fullmatch(unpadded) or len(unpadded) % 4 == 1:
        return None
    if padding > (4 - len(unpadded) % 4) % 4:
        return None
    if len(unpadded) % 4:
        last = BASE64_ALPHABET.index(unpadded[-1])
        if last & (0x0F if len(unpadded) % 4 == 2 else 0x03):
            return None
    try:
        return base64.b64decode(unpadded + "=" * (-len(unpadded) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None


def grpc_view(headers: dict[str, str], domain: str, strict: bool) -> View:
    status = headers.get("grpc-status")
    if status is None:
        return None
    if GRPC_STATUS.fullmatch(status):
        code = int(status)
    elif strict:
        raise Refused("InvalidGrpcStatus")
    else:
        code = UNKNOWN
    details = b""
    if "grpc-status-details-bin" in headers:
        decoded = base64_details(headers["grpc-status-details-bin"])
        if decoded is None and strict:
            raise Refused("DetailsNotBase64")
        details = decoded or b""
    message_bytes = urllib.parse.unquote_to_bytes(headers.get("grpc-message", ""))
    try:
        message = message_bytes.decode("utf-8")
    except UnicodeDecodeError:
        if strict:
            raise Refused("MessageNotUtf8") from None
        message = message_bytes.decode("utf-8", "replace")
    return view(chat_errors.from_status(code, message, details, domain=domain, strict=strict))


def http_view(status: int, body: str, domain: str, strict: bool) -> View:
    return view(chat_errors.from_http_error(body.encode("utf-8"), http_status=status,
                                            domain=domain, strict=strict))


def localized(message: chat_errors.LocalizedMessage | None) -> View:
    return None if message is None else {"locale": message.locale, "message": message.message}


def view(error: ChatError | None) -> View:
    if error is None:
        return None
    return {
        "code": error.code.value if error.code is not None else None,
        "domain": error.domain,
        "field_violations": [
            {"description": violation.description, "field": violation.field,
             "localized_message": localized(violation.localized_message), "reason": violation.reason}
            for violation in error.field_violations],
        "grpc_code": error.grpc_code.value[0],
        "localized_message": localized(error.localized_message),
        "message": error.message,
        "metadata": dict(error.metadata),
        "name": error.name,
        "number": error.number,
        "reason": error.reason,
        "request_info": None if error.request_info is None else {
            "request_id": error.request_info.request_id,
            "serving_data": error.request_info.serving_data},
        "resource_info": None if error.resource_info is None else {
            "description": error.resource_info.description, "owner": error.resource_info.owner,
            "resource_name": error.resource_info.resource_name,
            "resource_type": error.resource_info.resource_type},
        "retry_delay": None if error.retry_delay_ns is None else str(error.retry_delay_ns),
    }


def strict_answer(decode: Callable[[bool], View]) -> dict[str, Any]:
    try:
        return {"ok": decode(True)}
    except Refused as refused:
        return {"error": {"kind": refused.kind}}
    except DecodeError as error:
        answer = {"kind": str(error.kind)}
        if error.type_name is not None:
            answer["detail"] = error.type_name
        return {"error": answer}


def answer(line: str) -> dict[str, Any]:
    request = json.loads(line)
    identifier = request.get("id")
    try:
        domain = request.get("domain", chat_errors.DEFAULT_DOMAIN)
        decode: Callable[[bool], View]
        if request.get("transport") == "grpc":
            headers = request["headers"]

            def decode(strict: bool) -> View:
                return grpc_view(headers, domain, strict)
        elif request.get("transport") == "http":
            status, body = request["status"], request["body"]

            def decode(strict: bool) -> View:
                return http_view(status, body, domain, strict)
        else:
            return {"id": identifier, "runner_error": "the Python client only decodes"}
        return {"id": identifier, "lenient": decode(False), "strict": strict_answer(decode)}
    except Exception as error:  # noqa: BLE001 - reported, as the interface asks
        return {"id": identifier, "runner_error": f"{type(error).__name__}: {error}"}


def main() -> None:
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        out.write(json.dumps(answer(line), ensure_ascii=False, separators=(",", ":"), sort_keys=True))
        out.write("\n")
        out.flush()


if __name__ == "__main__":
    main()
