"""Hostile bytes: decoding returns None or a ChatError, or (strictly)
raises DecodeError, and never anything else."""

from __future__ import annotations

from typing import NoReturn

import grpc
from google.protobuf import any_pb2, duration_pb2
from google.rpc import error_details_pb2, status_pb2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import chat_errors
from chat_errors import ChatError, DecodeError, _decode, _wire
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


def answer(details: bytes, strict: bool) -> object:
    """Everything decoding gives for `details` (sent as 1002 or 2003 are):
    the whole error, the breach, or None."""
    row = ROWS[1002] if details.startswith(RICH[:2]) else ROWS[2003]
    try:
        result = chat_errors.from_status(row.grpc_code, row.description_en, details, strict=strict)
    except DecodeError as error:
        return f"{error.kind} {error.type_name}"
    return None if result is None else result._fields


def exact_answer(details: bytes, strict: bool) -> object:
    """`answer` with upb's fast reading turned off, so every message goes
    through the port of the crate's reader."""
    def not_canonical(*_: object) -> NoReturn:
        raise _decode._NotCanonical

    originals = {(_wire, "_canonical"): lambda name, data: None,
                 (_decode, "_decode_canonical"): not_canonical,
                 (_decode, "_decode_common"): not_canonical}
    saved = {(module, name): getattr(module, name) for module, name in originals}
    for (module, name), replacement in originals.items():
        setattr(module, name, replacement)
    try:
        return answer(details, strict)
    finally:
        for (module, name), original in saved.items():
            setattr(module, name, original)


RICH = wire(ROWS[1002], error_details_pb2.RetryInfo(retry_delay=duration_pb2.Duration(seconds=3, nanos=5)),
            error_details_pb2.BadRequest(field_violations=[error_details_pb2.BadRequest.FieldViolation(
                field="f", description="d", reason="R",
                localized_message=error_details_pb2.LocalizedMessage(locale="en-US", message="m"))]),
            error_details_pb2.ResourceInfo(resource_type="t", resource_name="n"),
            error_details_pb2.RequestInfo(request_id="r", serving_data="s")).details


@FAST
@given(st.data(), st.sampled_from([GOLDEN, RICH]), st.booleans())
def test_fast_reading_gives_the_exact_readers_answer(data: st.DataObject, sent: bytes,
                                                     strict: bool) -> None:
    mutated = bytearray(sent)
    for _ in range(data.draw(st.integers(0, 4))):
        index = data.draw(st.integers(0, len(mutated) - 1))
        mutated[index] = data.draw(st.integers(0, 255))
    details = bytes(mutated[:data.draw(st.integers(0, len(mutated)))])
    assert answer(details, strict) == exact_answer(details, strict)


def test_the_exact_reader_reads_real_statuses_as_upb_does() -> None:
    for details in (GOLDEN, RICH):
        for strict in (True, False):
            fast = answer(details, strict)
            assert fast is not None and not isinstance(fast, str)
            assert fast == exact_answer(details, strict)
