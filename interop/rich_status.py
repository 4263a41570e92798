"""Checking a failed call's chat error, decoded strictly by the chat_errors
package (clients/python), against a catalogue row."""

import chat_errors
import grpc
from grpc_status import rpc_status

from catalogue import DOMAIN, KOREAN_LOCALE, Row


def problems(error: grpc.RpcError, row: Row, detail: str = "-",
             locale: str = KOREAN_LOCALE) -> list[str]:
    """What differs between the failed call and catalogue row `row`, with the
    extra `detail` in `chat-demo-client --list` form and the one
    LocalizedMessage in `locale`. Empty when nothing does."""
    found = []

    def expect(what, actual, expected):
        if actual != expected:
            found.append(f"{what}: expected {expected!r}, got {actual!r}")

    expect("gRPC status", error.code(), row.status_code)
    try:
        # grpcio-status's own reader insists that the details agree with the
        # call's status code and message; it must accept ours too.
        if rpc_status.from_call(error) is None:
            found.append("grpcio-status finds no grpc-status-details-bin")
        chat = chat_errors.from_rpc_error(error, strict=True)
    except (ValueError, chat_errors.DecodeError) as cause:
        return found + [f"details: {cause}"]
    if chat is None:
        return found + [f"no chat error of {DOMAIN} in the details"]
    expect("code", chat.code, chat_errors.ErrorCode(row.code))
    expect("number", chat.number, row.code)
    expect("reason", chat.reason, row.reason)
    expect("domain", chat.domain, DOMAIN)
    expect("metadata code", chat.metadata.get("code"), str(row.code))
    expect("name", chat.name, row.name)
    expect("LocalizedMessage", chat.localized_messages,
           (chat_errors.LocalizedMessage(locale, row.description(locale)),))
    return found + detail_problems(chat, detail)


def detail_problems(chat: chat_errors.ChatError, detail: str) -> list[str]:
    kind, _, value = detail.partition("=")
    if kind == "-":
        return []
    if kind == "field":
        fields = [violation.field for violation in chat.field_violations]
        return [] if fields == [value] else [f"field violations: expected [{value!r}], got {fields!r}"]
    if kind == "retry":
        delay = chat.retry_delay
        return [] if delay is not None and delay.total_seconds() > 0 else [
            f"RetryInfo: expected a positive delay, got {delay!r}"]
    if kind == "resource":
        resource = chat.resource_info.resource_type if chat.resource_info else None
        return [] if resource == value else [f"ResourceInfo: expected {value!r}, got {resource!r}"]
    if kind == "metadata":
        key, _, expected = value.partition(":")
        actual = chat.metadata.get(key)
        return [] if actual == expected else [f"metadata {key}: expected {expected!r}, got {actual!r}"]
    return [f"unknown detail kind {detail!r}"]
