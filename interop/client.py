"""A Python grpcio client against the Rust demo server.

usage: client.py --addr HOST:PORT --scenarios FILE

FILE is the output of `chat-demo-client --list`. The client checks that the
chat_errors package has the normative table's codes; that it implements
exactly the demo's scenarios; then plays each one against the server and
decodes the error strictly with chat_errors.from_rpc_error (grpcio-status
must accept it too): the gRPC status, the code, reason, domain and metadata,
the ko-KR LocalizedMessage, and the scenario's extra detail; and that the
locale negotiated from accept-language picks the LocalizedMessage and, as the
demo opts in, the status message. Prints one line per check and `N passed,
M failed` last; exits 1 when any check fails.
"""

import argparse
import secrets
import sys

import chat_errors
import grpc
from chat.demo.v1 import chat_service_pb2 as pb
from chat.demo.v1 import chat_service_pb2_grpc

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


def catalogue_problems(table):
    """The chat_errors package (whose own tests check every option against
    the table) has exactly the table's codes."""
    numbers = {code.value for code in chat_errors.ErrorCode}
    return [] if numbers == set(table) else [f"codes differ: {sorted(numbers ^ set(table))}"]


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


# (accept-language, the negotiated locale, whether the status message is in it)
NEGOTIATIONS = [
    ("ko-KR,ko;q=0.9,en;q=0.8", catalogue.KOREAN_LOCALE, True),
    ("en-US", catalogue.ENGLISH_LOCALE, True),
    (None, catalogue.KOREAN_LOCALE, False),
]


def negotiation_problems(stub, table, accept_language, locale, in_message):
    """The LocalizedMessage is in the negotiated locale; the demo sends the
    status message in it too when the caller asked (percent-encoded on the
    wire and decoded by grpcio), and English otherwise."""
    row = table[2003]
    alice = Demo(stub, "py" + secrets.token_hex(4)).user("alice")
    request = pb.GetChannelRequest(channel_id="no-such-channel")
    language = [] if accept_language is None else [("accept-language", accept_language)]
    try:
        stub.GetChannel(request, metadata=alice.auth + language)
    except grpc.RpcError as error:
        problems = rich_status.problems(error, row, locale=locale)
        message = row.description(locale) if in_message else row.description_en
        if error.details() != message:
            problems.append(f"message: expected {message!r}, got {error.details()!r}")
        return problems
    return ["the call succeeded"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addr", required=True, help="the demo server, HOST:PORT")
    parser.add_argument("--scenarios", required=True, help="the output of chat-demo-client --list")
    args = parser.parse_args()

    table = catalogue.load()
    listing = read_listing(args.scenarios)
    results = [("chat_errors has the table's codes", catalogue_problems(table))]
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
        for accept_language, locale, in_message in NEGOTIATIONS:
            results.append((f"accept-language {accept_language} -> {locale}",
                             negotiation_problems(stub, table, accept_language, locale,
                                                  in_message)))

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
