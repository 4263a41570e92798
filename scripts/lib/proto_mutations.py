"""Edits of the catalogue proto for the compatibility gate's self-test.

usage: proto_mutations.py KIND SOURCE DEST

Each KIND is one change a release could make to chat_errors.proto; the gate
must refuse the breaking ones and accept the others (scripts/check-proto-compat.sh).
"""

import re
import sys

VALUE = re.compile(r"(  // [^\n]*\n)?  ERROR_CODE_(\w+) = (\d+) \[\n.*?\n  \];\n", re.S)
SUBJECT = 2003


def block(text, number):
    for match in VALUE.finditer(text):
        if int(match.group(3)) == number:
            return match
    sys.exit(f"no ErrorCode value {number}")


def edit_subject(text, change):
    match = block(text, SUBJECT)
    edited = change(match.group(0))
    if edited == match.group(0):
        sys.exit("the edit changed nothing")
    return text[:match.start()] + edited + text[match.end():]


def add_locale(text):
    """Adds ja-JP the way the proto declares locales: a (locales) entry and
    a (description) per value, or else an option per language."""
    declared = list(re.finditer(r'  option \(locales\) = "[^"]*";\n', text))
    if declared:
        at = declared[-1].end()
        text = text[:at] + '  option (locales) = "ja-JP";\n' + text[at:]
        entry = '(description) = {locale: "ja-JP" text: "日本語"}'
    else:
        extension = re.search(r"extend google\.protobuf\.EnumValueOptions \{\n.*?\n\}", text, re.S)
        at = extension.end() - 1
        text = text[:at] + "  // The Japanese description.\n  string description_ja = 52099;\n" + text[at:]
        entry = '(description_ja) = "日本語"'
    return VALUE.sub(lambda m: m.group(0).replace("\n  ];\n", f",\n    {entry}\n  ];\n"), text)


MUTATIONS = {
    "remove-value": lambda text: edit_subject(text, lambda b: ""),
    "reuse-number": lambda text: edit_subject(
        text, lambda b: b.replace("ERROR_CODE_CHANNEL_NOT_FOUND", "ERROR_CODE_CHANNEL_GONE")),
    "move-reason": lambda text: edit_subject(text, lambda b: b.replace(" = 2003 [", " = 2099 [")),
    "change-grpc-code": lambda text: edit_subject(
        text, lambda b: b.replace("GRPC_CODE_NOT_FOUND", "GRPC_CODE_INTERNAL")),
    "flip-retryable": lambda text: edit_subject(
        text, lambda b: b.replace("(retryable) = false", "(retryable) = true")),
    "add-code": lambda text: edit_subject(text, lambda b: b + b.replace(
        "ERROR_CODE_CHANNEL_NOT_FOUND = 2003", "ERROR_CODE_CHANNEL_ARCHIVED = 2099")),
    "add-locale": add_locale,
}


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in MUTATIONS:
        sys.exit(f"usage: proto_mutations.py {{{'|'.join(MUTATIONS)}}} SOURCE DEST")
    kind, source, dest = sys.argv[1:]
    with open(source, encoding="utf-8") as proto:
        text = proto.read()
    with open(dest, "w", encoding="utf-8") as proto:
        proto.write(MUTATIONS[kind](text))


if __name__ == "__main__":
    main()
