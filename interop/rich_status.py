"""Reading the rich error details of a failed call, as any grpcio client can."""

from dataclasses import dataclass, field

import grpc
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from catalogue import DOMAIN, KOREAN_LOCALE, Row


@dataclass
class Details:
    """The google.rpc details of one status, by type."""
    status_code: int
    message: str
    error_infos: list = field(default_factory=list)
    localized_messages: list = field(default_factory=list)
    retry_infos: list = field(default_factory=list)
    bad_requests: list = field(default_factory=list)
    resource_infos: list = field(default_factory=list)


DETAIL_TYPES = {
    error_details_pb2.ErrorInfo: "error_infos",
    error_details_pb2.LocalizedMessage: "localized_messages",
    error_details_pb2.RetryInfo: "retry_infos",
    error_details_pb2.BadRequest: "bad_requests",
    error_details_pb2.ResourceInfo: "resource_infos",
}


def details_of(error: grpc.RpcError) -> Details:
    """The details grpc-status-details-bin carries, read with
    grpc_status.rpc_status.from_call, which also insists that they agree
    with the call's status code and message."""
    status = rpc_status.from_call(error)
    if status is None:
        raise AssertionError(f"no grpc-status-details-bin on {error.code()} {error.details()!r}")
    details = Details(status.code, status.message)
    for any_detail in status.details:
        for message_type, attribute in DETAIL_TYPES.items():
            if any_detail.Is(message_type.DESCRIPTOR):
                message = message_type()
                any_detail.Unpack(message)
                getattr(details, attribute).append(message)
    return details


def problems(error: grpc.RpcError, row: Row, detail: str = "-") -> list[str]:
    """What differs between the failed call and catalogue row `row`, with the
    extra `detail` in `chat-demo-client --list` form. Empty when nothing does."""
    found = []

    def expect(what, actual, expected):
        if actual != expected:
            found.append(f"{what}: expected {expected!r}, got {actual!r}")

    expect("gRPC status", error.code(), row.status_code)
    try:
        details = details_of(error)
    except (AssertionError, ValueError) as cause:
        return found + [f"details: {cause}"]
    expect("details status code", details.status_code, row.status_code.value[0])
    expect("ErrorInfo count", len(details.error_infos), 1)
    expect("LocalizedMessage count", len(details.localized_messages), 1)
    if details.error_infos:
        info = details.error_infos[0]
        expect("reason", info.reason, row.reason)
        expect("domain", info.domain, DOMAIN)
        expect("metadata code", info.metadata.get("code"), str(row.code))
        expect("metadata message", info.metadata.get("message"), row.name)
    if details.localized_messages:
        localized = details.localized_messages[0]
        expect("locale", localized.locale, KOREAN_LOCALE)
        expect("Korean message", localized.message, row.description_ko)
    found += detail_problems(details, detail)
    return found


def detail_problems(details: Details, detail: str) -> list[str]:
    kind, _, value = detail.partition("=")
    if kind == "-":
        return []
    if kind == "field":
        fields = [v.field for bad in details.bad_requests for v in bad.field_violations]
        return [] if fields == [value] else [f"field violations: expected [{value!r}], got {fields!r}"]
    if kind == "retry":
        delays = [info.retry_delay.ToTimedelta().total_seconds() for info in details.retry_infos]
        return [] if len(delays) == 1 and delays[0] > 0 else [f"RetryInfo: expected one positive delay, got {delays!r}"]
    if kind == "resource":
        types = [info.resource_type for info in details.resource_infos]
        return [] if types == [value] else [f"ResourceInfo: expected [{value!r}], got {types!r}"]
    if kind == "metadata":
        key, _, expected = value.partition(":")
        actual = details.error_infos[0].metadata.get(key) if details.error_infos else None
        return [] if actual == expected else [f"metadata {key}: expected {expected!r}, got {actual!r}"]
    return [f"unknown detail kind {detail!r}"]

