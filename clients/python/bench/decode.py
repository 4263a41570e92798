"""python_decode_vs_protobuf: decoding the 57 chat errors with chat_errors,
against Google's protobuf runtime doing the same reads directly.

The statuses are the ones a chat server sends (grpc-status, the English
message, ErrorInfo with metadata code and message, a ko-KR
LocalizedMessage), built with googleapis-common-protos. The baseline parses
the Status, finds the ErrorInfo by type URL, unpacks it and reads its
reason, domain, metadata and code, and unpacks the LocalizedMessage: what
the package reads, minus its checks and its result object. Both sides run
in the same process, interleaved, best of several rounds; the figure is
ours/theirs (smaller is better).

usage: python bench/decode.py [--rounds N]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import grpc
from google.protobuf import any_pb2
from google.rpc import error_details_pb2, status_pb2

import chat_errors
from chat_errors import ErrorCode

ERROR_INFO_URL = "type.googleapis.com/google.rpc.ErrorInfo"
LOCALIZED_URL = "type.googleapis.com/google.rpc.LocalizedMessage"
Sent = tuple[grpc.StatusCode, str, bytes]


def packed(message: error_details_pb2.ErrorInfo | error_details_pb2.LocalizedMessage) -> any_pb2.Any:
    detail = any_pb2.Any()
    detail.Pack(message)
    return detail


def statuses() -> list[Sent]:
    sent = []
    for code in ErrorCode:
        info = error_details_pb2.ErrorInfo(
            reason=code.reason, domain=chat_errors.DEFAULT_DOMAIN,
            metadata={"code": str(code.value), "message": code.name_in_catalogue})
        localized = error_details_pb2.LocalizedMessage(locale="ko-KR", message=code.description("ko-KR"))
        message = code.description("en-US")
        status = status_pb2.Status(code=code.grpc_code.value[0], message=message,
                                   details=[packed(info), packed(localized)])
        sent.append((code.grpc_code, message, status.SerializeToString()))
    return sent


def with_chat_errors(sent: list[Sent]) -> None:
    for grpc_code, message, details in sent:
        error = chat_errors.from_status(grpc_code, message, details)
        assert error is not None and error.localized_message is not None


def with_chat_errors_strictly(sent: list[Sent]) -> None:
    for grpc_code, message, details in sent:
        error = chat_errors.from_status(grpc_code, message, details, strict=True)
        assert error is not None and error.localized_message is not None


def with_protobuf(sent: list[Sent]) -> None:
    for _grpc_code, _message, details in sent:
        status = status_pb2.Status.FromString(details)
        found = localized = None
        for detail in status.details:
            if detail.type_url == ERROR_INFO_URL:
                info = error_details_pb2.ErrorInfo.FromString(detail.value)
                if info.domain == chat_errors.DEFAULT_DOMAIN:
                    metadata = dict(info.metadata)
                    found = (info.reason, int(metadata["code"]), metadata)
            elif detail.type_url == LOCALIZED_URL:
                message = error_details_pb2.LocalizedMessage.FromString(detail.value)
                localized = (message.locale, message.message)
        assert found is not None and localized is not None


def best(run: Callable[[list[Sent]], None], sent: list[Sent], loops: int) -> float:
    start = time.perf_counter()
    for _ in range(loops):
        run(sent)
    return (time.perf_counter() - start) / loops


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    sent = statuses()
    assert len(sent) == 57
    sides = {"protobuf": with_protobuf, "lenient": with_chat_errors, "strict": with_chat_errors_strictly}
    times = {name: float("inf") for name in sides}
    for _ in range(args.rounds):
        for name, run in sides.items():
            times[name] = min(times[name], best(run, sent, 8))
    per_status = {name: seconds / len(sent) * 1e6 for name, seconds in times.items()}
    print(f"per status: protobuf {per_status['protobuf']:.2f} us, chat_errors {per_status['lenient']:.2f} us "
          f"(strict {per_status['strict']:.2f} us)")
    print(f"python_strict_decode_vs_protobuf={times['strict'] / times['protobuf']:.2f}")
    print(f"python_decode_vs_protobuf={times['lenient'] / times['protobuf']:.2f}")


if __name__ == "__main__":
    main()
