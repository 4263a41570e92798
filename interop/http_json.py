"""Third-party judges of the demo's HTTP JSON errors.

1. Plays demo/rest_scenarios.json against the demo server with `requests`
   and reads every error with google-api-core's
   `exceptions.from_http_response`: the exception class is the one for the
   fixture's HTTP status, and reason, domain, metadata and details are the
   fixture's, with the LocalizedMessage and Content-Language in the locale
   the step's accept-language asks for. Every detail also parses with
   protobuf's `json_format`.
2. Parses every gateway-form body that `examples/http_json_bodies.rs`
   prints as a `google.rpc.Status` with `json_format`, and checks it
   against the fixture.
3. Runs demo/README.md's `curl -i` examples against the server.

Prints one line per check and ends with `N passed, M failed`.
"""

import argparse
import json
import pathlib
import re
import shlex
import subprocess
import sys

import requests
from google.api_core import exceptions
from google.protobuf import any_pb2, duration_pb2, json_format
from google.rpc import error_details_pb2, status_pb2

REPO = pathlib.Path(__file__).resolve().parent.parent
DOMAIN = "chat.errors.v1"
ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo"
LOCALIZED = "type.googleapis.com/google.rpc.LocalizedMessage"
GRPC_CODES = [
    "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
    "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
    "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
]


def fixture():
    """tests/fixtures/error-codes.tsv by numeric code."""
    lines = (REPO / "tests/fixtures/error-codes.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    rows = {}
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t")))
        rows[int(row["code"])] = row
    return rows


class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, label, problems):
        if problems:
            self.failed += 1
            print(f"FAIL {label}: {'; '.join(problems)}")
        else:
            self.passed += 1
            print(f"ok   {label}")


def details_parse(details):
    """Problems with details that protobuf's json_format refuses."""
    problems = []
    for detail in details:
        try:
            json_format.ParseDict(detail, any_pb2.Any())
        except json_format.ParseError as error:
            problems.append(f"json_format refuses {detail.get('@type')}: {error}")
    return problems


DESCRIPTION_COLUMN = {"ko-KR": "description_ko", "en-US": "description_en"}


def judge_rest_error(response, row, locale):
    """What google-api-core reads from `response`, against the fixture row."""
    problems = []
    error = exceptions.from_http_response(response)
    status = int(row["http_status"])
    expected_class = exceptions.exception_class_for_http_status(status)
    if type(error) is not expected_class:
        problems.append(f"exception {type(error).__name__}, want {expected_class.__name__}")
    if error.code != status:
        problems.append(f"HTTP status {error.code}, want {status}")
    if error.reason != row["reason"]:
        problems.append(f"reason {error.reason!r}, want {row['reason']!r}")
    if error.domain != DOMAIN:
        problems.append(f"domain {error.domain!r}")
    metadata = error.metadata or {}
    if metadata.get("code") != row["code"] or metadata.get("message") != row["name"]:
        problems.append(f"metadata {metadata}")
    localized = [d for d in error.details if d.get("@type") == LOCALIZED]
    if [(d.get("locale"), d.get("message")) for d in localized] != [(locale, row[DESCRIPTION_COLUMN[locale]])]:
        problems.append(f"localized messages {localized}, want {locale}")
    if response.headers.get("content-language") != locale:
        problems.append(f"content-language {response.headers.get('content-language')!r}, want {locale}")
    if response.json()["error"].get("status") != row["grpc_code"]:
        problems.append(f"status {response.json()['error'].get('status')!r}")
    if response.headers.get("content-type") != "application/json; charset=utf-8":
        problems.append(f"content-type {response.headers.get('content-type')!r}")
    if (response.headers.get("www-authenticate") is not None) != (row["grpc_code"] == "UNAUTHENTICATED"):
        problems.append(f"www-authenticate {response.headers.get('www-authenticate')!r}")
    problems += details_parse(error.details)
    return problems


def play_rest(base, table, tally):
    doc = json.loads((REPO / "demo/rest_scenarios.json").read_text(encoding="utf-8"))
    run = "py"
    http = requests.Session()
    tokens = {}
    for user in doc["users"]:
        user_id = f"{user}-{run}"
        signed_up = http.post(f"{base}/v1/users", json={"userId": user_id})
        login_token = signed_up.json()["loginToken"]
        logged_in = http.post(f"{base}/v1/sessions", json={"userId": user_id, "loginToken": login_token})
        tokens[user] = "Bearer " + logged_in.json()["sessionToken"]
    reached = set()
    for step in doc["steps"]:
        headers = {}
        who = step["as"]
        if who is not None:
            headers["authorization"] = tokens.get(who, who)
        body = step["body"].replace("{run}", run).encode("utf-8")
        if body:
            headers["content-type"] = "application/json"
        if "acceptLanguage" in step:
            headers["accept-language"] = step["acceptLanguage"]
        url = base + step["path"].replace("{run}", run)
        for _ in range(step.get("repeat", 1)):
            response = http.request(step["method"], url, data=body, headers=headers)
        expected = step["expect"]
        label = f"REST {step['id']}"
        if expected is None:
            tally.check(label, [] if response.status_code == 200 else [f"HTTP {response.status_code}: {response.text}"])
            continue
        locale = step.get("locale", "ko-KR")
        problems = judge_rest_error(response, table[expected], locale)
        if step["id"] == "too-many-messages":
            retry = [d for d in response.json()["error"]["details"] if d["@type"].endswith("RetryInfo")]
            delay = json_format.ParseDict(retry[0]["retryDelay"], duration_pb2.Duration()) if retry else None
            if delay is None:
                problems.append("no RetryInfo")
            else:
                whole = delay.seconds + (1 if delay.nanos else 0)
                if response.headers.get("retry-after") != str(whole):
                    problems.append(f"retry-after {response.headers.get('retry-after')!r}, want {whole}")
        reached.add(expected)
        tally.check(f"{label} -> {expected} {table[expected]['name']} ({locale})", problems)
    tally.check(f"REST scenarios reach {len(reached)} distinct codes (at least 15)", [] if len(reached) >= 15 else ["too few"])


def judge_gateway(lines, table, tally):
    for line in lines:
        entry = json.loads(line)
        row = table[entry["code"]]
        problems = []
        status = status_pb2.Status()
        try:
            json_format.Parse(json.dumps(entry["gateway"]), status)
        except json_format.ParseError as error:
            tally.check(f"gateway {entry['label']} {entry['code']}", [f"json_format: {error}"])
            continue
        if GRPC_CODES[status.code] != row["grpc_code"]:
            problems.append(f"code {status.code}")
        info = error_details_pb2.ErrorInfo()
        localized = error_details_pb2.LocalizedMessage()
        if not (status.details and status.details[0].Unpack(info)):
            problems.append("details[0] is not an ErrorInfo")
        elif (info.reason, info.domain, dict(info.metadata).get("code"), dict(info.metadata).get("message")) != (
            row["reason"], DOMAIN, row["code"], row["name"]
        ):
            problems.append(f"ErrorInfo {info}")
        if not (len(status.details) > 1 and status.details[1].Unpack(localized)) or (
            localized.locale, localized.message) != ("ko-KR", row["description_ko"]):
            problems.append("details[1] is not the ko-KR LocalizedMessage")
        if entry["label"] == "default" and status.message != row["description_en"]:
            problems.append(f"message {status.message!r}")
        if entry["label"] == "all-extras":
            retry = error_details_pb2.RetryInfo()
            bad = error_details_pb2.BadRequest()
            resource = error_details_pb2.ResourceInfo()
            request = error_details_pb2.RequestInfo()
            unpacked = [d.Unpack(m) for d, m in zip(status.details[2:], [retry, bad, resource, request])]
            if unpacked != [True] * 4:
                problems.append(f"extras {unpacked}")
            elif (retry.retry_delay.seconds, retry.retry_delay.nanos) != (2, 500_000_000):
                problems.append(f"retry delay {retry.retry_delay}")
            elif (bad.field_violations[0].field, resource.resource_name, request.request_id) != ("text", "lobby", "req-42"):
                problems.append("extras' values")
        # AIP-193's form of the same error carries the same details.
        if entry["aip193"]["error"]["details"] != entry["gateway"]["details"]:
            problems.append("the AIP-193 and gateway details differ")
        tally.check(f"gateway {entry['label']} {entry['code']} {row['name']}", problems)


def readme_curls(addr, tally):
    text = (REPO / "demo" / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^(curl -i .*?)\s+# (\d{3})$", text, re.M)
    if not commands:
        tally.check("demo/README.md curl examples", ["none found"])
    for command, status in commands:
        argv = shlex.split(command.replace("127.0.0.1:50051", addr))
        out = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        first = out.stdout.splitlines()[0] if out.stdout else ""
        problems = [] if first.startswith(f"HTTP/1.1 {status}") else [f"got {first!r}: {out.stderr}"]
        if status != "200" and "application/json; charset=utf-8" not in out.stdout:
            problems.append("not a JSON error")
        tally.check(f"demo/README.md: {command}", problems)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--addr", required=True)
    parser.add_argument("--bodies", required=True, help="the output of examples/http_json_bodies.rs")
    args = parser.parse_args()
    table = fixture()
    tally = Tally()
    play_rest(f"http://{args.addr}", table, tally)
    judge_gateway(pathlib.Path(args.bodies).read_text(encoding="utf-8").splitlines(), table, tally)
    readme_curls(args.addr, tally)
    print(f"{tally.passed} passed, {tally.failed} failed")
    return 0 if tally.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
