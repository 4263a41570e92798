"""A Python grpcio client against the Rust demo server.

usage: client.py --addr HOST:PORT --scenarios FILE

FILE is the output of `chat-demo-client --list`. The client checks that the
catalogue proto, as Python generated it, agrees with the normative table;
that it implements exactly the demo's scenarios; then plays each one against
the server and checks the error with grpc_status.rpc_status.from_call: the
gRPC status, the ErrorInfo reason, domain and metadata, the ko-KR
LocalizedMessage, and the scenario's extra detail. Prints one line per check
and `N passed, M failed` last; exits 1 when any check fails.
"""

import argparse
import secrets
import sys

import grpc
from chat.demo.v1 import chat_service_pb2 as pb
from chat.demo.v1 import chat_service_pb2_grpc
from chat.errors.v1 import chat_errors_pb2

import catalogue
import rich_status
from scenarios import SCENARIOS, Demo


def read_listing(path):
    """`chat-demo-client --list`: scenario id -> (code, detail)."""
    with open(path, encoding="utf-8") as listing:
        lines = listing.read().splitlines()
    if lines[0].split("\t") != ["id", "code", "detail", "title"]:
        raise ValueError(f"{path}: unexpected header {lines[0]!r}")
    scenarios = {}
    for line in lines[1:]:
        scenario_id, code, detail, _title = line.split("\t")
        scenarios[scenario_id] = (int(code), detail)
    return scenarios


def proto_checks(table):
    """Each catalogue row as the generated Python enum and its options say it."""
    enum = chat_errors_pb2.ErrorCode.DESCRIPTOR
    grpc_names = chat_errors_pb2.GrpcCode.DESCRIPTOR.values_by_number
    numbers = {value.number for value in enum.values} - {0}
    yield "proto catalogue has the table's codes", (
        [] if numbers == set(table) else [f"codes differ: {sorted(numbers ^ set(table))}"])
    for code, row in table.items():
        problems = []
        value = enum.values_by_number.get(code)
        if value is None:
            yield f"proto {code}", ["missing"]
            continue
        options = value.GetOptions().Extensions
        grpc_name = grpc_names[options[chat_errors_pb2.grpc_code]].name
        actual = (value.name, grpc_name, options[chat_errors_pb2.retryable],
                  options[chat_errors_pb2.original_name],
                  options[chat_errors_pb2.description_ko],
                  options[chat_errors_pb2.description_en])
        expected = ("ERROR_CODE_" + row.reason, "GRPC_CODE_" + row.grpc_code, row.retryable,
                    row.name, row.description_ko, row.description_en)
        if actual != expected:
            problems.append(f"expected {expected!r}, got {actual!r}")
        yield f"proto {code} {row.reason}", problems


def coverage_problems(listing):
    ours = {scenario_id: code for scenario_id, (code, _play) in SCENARIOS.items()}
    theirs = {scenario_id: code for scenario_id, (code, _detail) in listing.items()}
    if ours == theirs:
        return []
    return [f"{scenario_id}: Python {ours.get(scenario_id)}, demo {theirs.get(scenario_id)}"
            for scenario_id in sorted(ours.keys() | theirs.keys())
            if ours.get(scenario_id) != theirs.get(scenario_id)]


def play(stub, prefix, scenario_id, detail, table):
    code, scenario = SCENARIOS[scenario_id]
    try:
        final_call = scenario(Demo(stub, prefix))
    except grpc.RpcError as error:
        return [f"a set-up call failed: {error.code()} {error.details()!r}"]
    try:
        final_call()
    except grpc.RpcError as error:
        return rich_status.problems(error, table[code], detail)
    return ["the call succeeded"]


def korean_problems(stub, table):
    """With accept-language: ko-KR the status message is the Korean
    description, percent-encoded on the wire and decoded by grpcio."""
    row = table[2003]
    alice = Demo(stub, "py" + secrets.token_hex(4)).user("alice")
    request = pb.GetChannelRequest(channel_id="no-such-channel")
    try:
        stub.GetChannel(request, metadata=alice.auth + [("accept-language", "ko-KR")])
    except grpc.RpcError as error:
        problems = rich_status.problems(error, row)
        if error.details() != row.description_ko:
            problems.append(f"message: expected {row.description_ko!r}, got {error.details()!r}")
        return problems
    return ["the call succeeded"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addr", required=True, help="the demo server, HOST:PORT")
    parser.add_argument("--scenarios", required=True, help="the output of chat-demo-client --list")
    args = parser.parse_args()

    table = catalogue.load()
    listing = read_listing(args.scenarios)
    results = list(proto_checks(table))
    results.append(("Python plays exactly the demo's scenarios", coverage_problems(listing)))

    run = "py" + secrets.token_hex(4)
    with grpc.insecure_channel(args.addr) as channel:
        stub = chat_service_pb2_grpc.ChatServiceStub(channel)
        for index, (scenario_id, (code, detail)) in enumerate(listing.items()):
            name = f"scenario {scenario_id} -> {code} {table[code].reason}"
            if scenario_id not in SCENARIOS:
                results.append((name, ["no Python implementation"]))
                continue
            results.append((name, play(stub, f"{run}-{index:02}", scenario_id, detail, table)))
        results.append(("Korean status message", korean_problems(stub, table)))

    failed = 0
    for name, problems in results:
        if problems:
            failed += 1
            print(f"FAIL {name}: {'; '.join(problems)}")
        else:
            print(f"ok   {name}")
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
