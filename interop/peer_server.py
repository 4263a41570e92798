"""A Python grpcio ChatService whose every call fails with a rich status
built by Python's own grpc_status.rpc_status.to_status, for the Rust client
`chat-demo-interop-client` to decode.

usage: peer_server.py

Binds 127.0.0.1 on a free port, prints `peer listening on 127.0.0.1:PORT`,
and serves until SIGTERM or SIGINT. It is a test peer, not a chat service:

- GetChannel with metadata `interop-error-code: N` fails with catalogue
  error N, and without it with CHANNEL_NOT_FOUND and a ResourceInfo;
- SendMessage fails with TOO_MANY_REQUESTS, a RetryInfo and a `limit`;
- SignUp without a user id fails with INVALID_PARAMS and a BadRequest;
- UploadFile fails with FILE_SIZE_LIMIT_EXCEEDED and a Korean message;
- every other call is UNIMPLEMENTED.

The Rust client expects exactly these values.
"""

import signal
import sys
from concurrent import futures

import grpc
from google.protobuf import any_pb2, duration_pb2
from google.rpc import error_details_pb2, status_pb2
from grpc_status import rpc_status

from chat.demo.v1 import chat_service_pb2_grpc

import catalogue

ERROR_CODE_KEY = "interop-error-code"
RETRY_DELAY_SECONDS = 2.5
RATE_LIMIT = "5 messages per 10 seconds"
KOREAN_MESSAGE = "파일이 너무 큽니다: 16 MiB (최대 15 MiB)"
CHANNEL_RESOURCE = "chat.demo.v1.Channel"

TABLE = catalogue.load()
TOO_MANY_REQUESTS = 1010
INVALID_PARAMS = 1002
CHANNEL_NOT_FOUND = 2003
FILE_SIZE_LIMIT_EXCEEDED = 6001


def packed(message):
    detail = any_pb2.Any()
    detail.Pack(message)
    return detail


def abort(context, code, *extras, message=None, metadata=None):
    """Ends the call with catalogue error `code`: ErrorInfo, the ko-KR
    LocalizedMessage, then `extras`, in a google.rpc.Status."""
    row = TABLE[code]
    info = error_details_pb2.ErrorInfo(
        reason=row.reason,
        domain=catalogue.DOMAIN,
        metadata={"code": str(row.code), "message": row.name, **(metadata or {})},
    )
    korean = error_details_pb2.LocalizedMessage(
        locale=catalogue.KOREAN_LOCALE, message=row.description_ko)
    status = status_pb2.Status(
        code=row.status_code.value[0],
        message=message or row.description_en,
        details=[packed(info), packed(korean), *map(packed, extras)],
    )
    context.abort_with_status(rpc_status.to_status(status))


def requested_code(context):
    for key, value in context.invocation_metadata():
        if key == ERROR_CODE_KEY:
            return int(value)
    return None


class PeerChatService(chat_service_pb2_grpc.ChatServiceServicer):
    """Fails every call; see the module's docstring for which error."""

    def GetChannel(self, request, context):
        code = requested_code(context)
        if code is not None:
            abort(context, code)
        resource = error_details_pb2.ResourceInfo(
            resource_type=CHANNEL_RESOURCE, resource_name=request.channel_id)
        abort(context, CHANNEL_NOT_FOUND, resource)

    def SendMessage(self, request, context):
        delay = duration_pb2.Duration()
        delay.FromNanoseconds(round(RETRY_DELAY_SECONDS * 1e9))
        retry = error_details_pb2.RetryInfo(retry_delay=delay)
        abort(context, TOO_MANY_REQUESTS, retry, metadata={"limit": RATE_LIMIT})

    def SignUp(self, request, context):
        if not request.user_id:
            violation = error_details_pb2.BadRequest.FieldViolation(
                field="user_id", description="is required")
            abort(context, INVALID_PARAMS, error_details_pb2.BadRequest(field_violations=[violation]))
        context.abort(grpc.StatusCode.UNIMPLEMENTED, "the interop peer signs nobody up")

    def UploadFile(self, request, context):
        abort(context, FILE_SIZE_LIMIT_EXCEEDED, message=KOREAN_MESSAGE)


def main():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    chat_service_pb2_grpc.add_ChatServiceServicer_to_server(PeerChatService(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    if port == 0:
        sys.exit("peer: could not bind 127.0.0.1:0")
    server.start()
    print(f"peer listening on 127.0.0.1:{port}", flush=True)
    for stop_signal in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop_signal, lambda *_: server.stop(grace=1))
    server.wait_for_termination()


if __name__ == "__main__":
    main()
