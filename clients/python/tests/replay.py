"""An in-process grpcio server that fails each call with the trailers a
test hands it, so tests get real sync and grpc.aio RpcErrors."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from concurrent import futures
from typing import NoReturn

import grpc

from statuses import Wire

METHOD = "/replay.Replay/Fail"
DETAILS_KEY = "grpc-status-details-bin"


def raw(data: bytes) -> bytes:
    return data


@contextlib.contextmanager
def replay_server(wire_for: Callable[[bytes], Wire], copies: int = 1) -> Iterator[str]:
    """Serves METHOD on 127.0.0.1:0, failing each call with `wire_for(request)`
    and its details header repeated `copies` times; yields the address."""

    def fail(request: bytes, context: grpc.ServicerContext) -> NoReturn:
        wire = wire_for(request)
        context.set_trailing_metadata(tuple((DETAILS_KEY, wire.details) for _ in range(copies)))
        context.abort(wire.code, wire.message)

    handler = grpc.method_handlers_generic_handler("replay.Replay", {
        "Fail": grpc.unary_unary_rpc_method_handler(
            fail, request_deserializer=raw, response_serializer=raw)})
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    server.add_generic_rpc_handlers([handler])
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.stop(grace=None)


def failing_call(channel: grpc.Channel, method: str = METHOD) -> grpc.UnaryUnaryMultiCallable[bytes, bytes]:
    return channel.unary_unary(method, request_serializer=raw, response_deserializer=raw)


def failing_aio_call(channel: grpc.aio.Channel, method: str = METHOD) -> grpc.aio.UnaryUnaryMultiCallable[bytes, bytes]:
    return channel.unary_unary(method, request_serializer=raw, response_deserializer=raw)
