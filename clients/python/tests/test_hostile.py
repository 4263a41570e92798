"""Hostile bytes: decoding returns None or a ChatError, or (strictly)
raises DecodeError, and never anything else."""

from __future__ import annotations

import grpc
from google.protobuf import any_pb2
from google.rpc import status_pb2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import chat_errors
from chat_errors import ChatError, DecodeError
from conftest import ROWS
from statuses import packed, error_info, wire

GOLDEN = wire(ROWS[2003]).details
TYPE_NAMES = ["google.rpc.ErrorInfo", "google.rpc.LocalizedMessage", "google.rpc.RetryInfo",
              "google.rpc.BadRequest", "google.rpc.ResourceInfo", "google.rpc.RequestInfo",
              "google.rpc.Help", "", "/", "x/"]
FAST = settings(max_examples=300, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])


def outcome(code: grpc.StatusCode | int, message: str, details: bytes, strict: bool) -> str:
    try:
        result = chat_errors.from_status(code, message, details, strict=strict)
    except DecodeError:
        assert strict, "lenient decoding raised DecodeError"
        return "refused"
    assert result is None or isinstance(result, ChatError)
    return "none" if result is None else "decoded"


@FAST
@given(st.binary(max_size=512), st.booleans())
def test_random_bytes(details: bytes, strict: bool) -> None:
    outcome(grpc.StatusCode.NOT_FOUND, "", details, strict)


@FAST
@given(st.data(), st.booleans())
def test_mutated_golden(data: st.DataObject, strict: bool) -> None:
    mutated = bytearray(GOLDEN)
    for _ in range(data.draw(st.integers(1, 8))):
        index = data.draw(st.integers(0, len(mutated) - 1))
        mutated[index] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(mutated)))
    outcome(grpc.StatusCode.NOT_FOUND, ROWS[2003].description_en, bytes(mutated[:cut]), strict)


@FAST
@given(st.lists(st.tuples(st.sampled_from(TYPE_NAMES), st.binary(max_size=64)), max_size=6),
       st.integers(-(2**31), 2**31 - 1), st.text(max_size=32), st.booleans())
def test_details_of_any_type_with_junk_values(
    details: list[tuple[str, bytes]], code: int, message: str, strict: bool
) -> None:
    status = status_pb2.Status(code=code, message=message, details=[packed(error_info(ROWS[2003]))])
    for type_name, value in details:
        status.details.append(any_pb2.Any(type_url=f"type.googleapis.com/{type_name}", value=value))
    outcome(code, message, status.SerializeToString(), strict)


@FAST
@given(st.dictionaries(st.text(max_size=12), st.text(max_size=24), max_size=5),
       st.text(max_size=40), st.text(max_size=20), st.booleans())
def test_error_info_with_any_strings(
    metadata: dict[str, str], reason: str, domain: str, strict: bool
) -> None:
    info = error_info(ROWS[2003])
    info.reason = reason
    info.metadata.update(metadata)
    status = status_pb2.Status(code=5, message="m", details=[packed(info)])
    outcome(5, "m", status.SerializeToString(), strict)


def test_deeply_nested_groups_and_huge_lengths() -> None:
    nested = b"\x0b" * 5000 + b"\x0c" * 5000
    huge_length = b"\x1a\xff\xff\xff\xff\x0f"
    for details in (nested, huge_length, b"\x1a" + b"\xff" * 11, b"\x08\x80" * 10):
        for strict in (True, False):
            outcome(5, "", details, strict)


def test_grpc_status_outside_the_enum() -> None:
    assert outcome(99, ROWS[2003].description_en, GOLDEN, strict=True) == "refused"
    assert outcome(99, ROWS[2003].description_en, GOLDEN, strict=False) == "decoded"
