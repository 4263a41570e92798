"""Chat error statuses built with googleapis-common-protos from a table row,
as the wire contract describes them, independently of the package."""

from __future__ import annotations

from dataclasses import dataclass, replace

import grpc
from google.protobuf import any_pb2
from google.protobuf.message import Message
from google.rpc import error_details_pb2, status_pb2

from conftest import Row

DOMAIN = "chat.errors.v1"


def packed(message: Message) -> any_pb2.Any:
    detail = any_pb2.Any()
    detail.Pack(message)
    return detail


@dataclass(frozen=True)
class Wire:
    """What a client reads off a failed call: grpc-status, the decoded
    grpc-message and the grpc-status-details-bin bytes."""

    code: grpc.StatusCode
    message: str
    details: bytes

    def with_details(self, status: status_pb2.Status) -> Wire:
        return replace(self, details=status.SerializeToString())

    def status(self) -> status_pb2.Status:
        return status_pb2.Status.FromString(self.details)


def error_info(row: Row, **metadata: str) -> error_details_pb2.ErrorInfo:
    return error_details_pb2.ErrorInfo(
        reason=row.reason, domain=DOMAIN,
        metadata={"code": str(row.code), "message": row.name, **metadata})


def korean(row: Row) -> error_details_pb2.LocalizedMessage:
    return error_details_pb2.LocalizedMessage(locale="ko-KR", message=row.description_ko)


def wire(row: Row, *extras: Message, info: error_details_pb2.ErrorInfo | None = None,
         message: str | None = None) -> Wire:
    """Row `row` as a server sends it, with `extras` after the LocalizedMessage."""
    text = row.description_en if message is None else message
    status = status_pb2.Status(
        code=row.grpc_code.value[0], message=text,
        details=[packed(info or error_info(row)), packed(korean(row)),
                 *(packed(extra) for extra in extras)])
    return Wire(row.grpc_code, text, status.SerializeToString())
