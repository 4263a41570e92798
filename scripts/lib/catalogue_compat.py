"""The catalogue's compatibility rules, beyond what buf breaking checks.

usage: catalogue_compat.py BASELINE.json CURRENT.json

Both are `buf build` images in JSON. A reason and a number are API (AIP-193):
once released, an ErrorCode value is never removed, its number never gets
another reason and its reason never another number, and its gRPC code and
retryable flag never change. Texts, names and new codes or locales may
change freely. Prints one line per broken rule; exits 1 when any is.
"""

import json
import sys

PROTO = "chat/errors/v1/chat_errors.proto"
PACKAGE = "chat.errors.v1"
PREFIX = "ERROR_CODE_"


def catalogue(path):
    """number -> (reason, gRPC code name, retryable) of the image's ErrorCode."""
    with open(path, encoding="utf-8") as image:
        files = json.load(image)["file"]
    proto = next((f for f in files if f["name"] == PROTO), None)
    if proto is None:
        sys.exit(f"{path}: no {PROTO}")
    enum = next((e for e in proto.get("enumType", []) if e["name"] == "ErrorCode"), None)
    if enum is None:
        sys.exit(f"{path}: no ErrorCode enum")
    values = {}
    for value in enum["value"]:
        number = value.get("number", 0)
        if number == 0:
            continue
        options = value.get("options", {})
        values[number] = (
            value["name"].removeprefix(PREFIX),
            options.get(f"[{PACKAGE}.grpc_code]"),
            options.get(f"[{PACKAGE}.retryable]", False),
        )
    return values


def problems(baseline, current):
    numbers_by_reason = {reason: number for number, (reason, _, _) in current.items()}
    for number, (reason, grpc_code, retryable) in sorted(baseline.items()):
        now = current.get(number)
        moved_to = numbers_by_reason.get(reason)
        if moved_to is not None and moved_to != number:
            yield f"reason {reason} was {number}, now {moved_to}: a reason keeps its number"
        if now is None:
            if moved_to is None:
                yield f"{number} {reason} was removed: released codes are never removed"
            continue
        now_reason, now_grpc_code, now_retryable = now
        if now_reason != reason:
            yield (f"{number} was {reason}, now {now_reason}: a number is never renamed "
                   f"or given to another reason")
            continue
        if now_grpc_code != grpc_code:
            yield f"{number} {reason}: gRPC code changed from {grpc_code} to {now_grpc_code}"
        if now_retryable != retryable:
            yield f"{number} {reason}: retryable changed from {retryable} to {now_retryable}"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[2])
    found = list(problems(catalogue(sys.argv[1]), catalogue(sys.argv[2])))
    for problem in found:
        print(f"catalogue rule: {problem}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
