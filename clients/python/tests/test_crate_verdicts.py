"""The Rust crate's strict decoder and this package agree on crafted and
mutated statuses: every verdict `chat-errors decode` gave (recorded by the
TypeScript package's goldens, which CI regenerates from the CLI) is this
package's strict verdict too."""

from __future__ import annotations

import base64
import binascii
import json
import urllib.parse
from typing import Any

import pytest

import chat_errors
from chat_errors import DecodeError
from conftest import REPO

VERDICTS = REPO / "clients" / "ts" / "test" / "goldens" / "verdicts.json"
DECODED, MALFORMED_TRAILERS, NOT_BASE64, GARBAGE, INCONSISTENT, OTHER_DOMAIN, NO_CHAT_ERROR = (
    0, 4, 5, 6, 7, 8, 9)


def load() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads(VERDICTS.read_text(encoding="utf-8"))
    assert len(cases) > 100
    return cases


def details_bytes(text: str) -> bytes | None:
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None


@pytest.mark.parametrize("case", load(), ids=lambda case: str(case["name"]))
def test_same_verdict_as_the_crate(case: dict[str, Any]) -> None:
    trailers, exit_code = case["trailers"], case["exit"]
    details = details_bytes(trailers["grpc-status-details-bin"])
    if details is None:
        # grpcio hands the package bytes: base64 is the transport's to refuse.
        assert exit_code == NOT_BASE64
        return
    message = urllib.parse.unquote(trailers["grpc-message"], errors="strict")
    try:
        decoded = chat_errors.from_status(int(trailers["grpc-status"]), message, details, strict=True)
    except DecodeError:
        assert exit_code in (GARBAGE, INCONSISTENT, MALFORMED_TRAILERS), case["name"]
        return
    if decoded is None:
        assert exit_code in (OTHER_DOMAIN, NO_CHAT_ERROR), case["name"]
        return
    assert exit_code == DECODED, case["name"]
    assert decoded.number == case["code"]
    assert decoded.reason == case["reason"]
