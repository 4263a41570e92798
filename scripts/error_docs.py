"""Writes docs/error-codes.md: the catalogue for client teams.

usage: error_docs.py SCENARIOS OUTPUT --go GO_CONSTANTS [--check]

The codes and their options come from chat_errors.proto through the
chat_errors package (clients/python), which reads them from the proto's
descriptor; the extra details from the demo's own scenario list
(`chat-demo-client --list`, given as SCENARIOS); the Go constants from the
Go package's own generator (`go run ./internal/gencodes -list` in
clients/go, given as GO_CONSTANTS). With --check, compares
with OUTPUT instead of writing it and exits 1 when it is stale.
"""

from __future__ import annotations

import pathlib
import sys
from collections import defaultdict

import chat_errors
from chat_errors import ErrorCode

REGENERATE = "scripts/gen-error-docs.sh"
HEADER = ["id", "code", "detail", "title"]


def demo_details(path: pathlib.Path) -> dict[int, list[tuple[str, str]]]:
    """code -> [(detail, scenario title)] from `chat-demo-client --list`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if lines[0].split("\t") != HEADER:
        raise SystemExit(f"{path}: expected the header {HEADER}, got {lines[0]!r}")
    details: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for line in lines[1:]:
        _, code, detail, title = line.split("\t")
        details[int(code)].append((detail, title))
    return details


def describe(detail: str) -> str:
    """A `chat-demo-client --list` detail in words."""
    kind, _, value = detail.partition("=")
    if kind == "field":
        return f"`BadRequest` field violation on `{value}`"
    if kind == "resource":
        return f"`ResourceInfo` of type `{value}`"
    if kind == "retry":
        return "`RetryInfo` with a retry delay"
    if kind == "metadata":
        key, _, example = value.partition(":")
        return f"ErrorInfo metadata `{key}` (e.g. `{example}`)"
    return f"`{detail}`"


def rust_variant(code: ErrorCode) -> str:
    """The Rust variant, as build/catalogue.rs names it from the reason."""
    return "".join(word[:1] + word[1:].lower() for word in code.reason.split("_"))


def go_constants(path: pathlib.Path) -> dict[int, str]:
    """code -> the Go package's constant, from `gencodes -list` lines."""
    constants = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        number, name = line.split("\t")
        constants[int(number)] = name
    return constants


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def render(details: dict[int, list[tuple[str, str]]], go: dict[int, str]) -> str:
    out = [
        "# Error codes",
        "",
        "<!-- Generated from proto/chat/errors/v1/chat_errors.proto and the demo's",
        f"     scenarios by {REGENERATE}; do not edit. CI fails when it is stale. -->",
        "",
        f"The chat platform's {len(ErrorCode)} error codes. Every error travels as a gRPC",
        "status whose `grpc-status-details-bin` holds a `google.rpc.ErrorInfo` with the",
        f"reason, the domain `{chat_errors.DEFAULT_DOMAIN}` and metadata `code` (the number)",
        "and `message` (the original name), and a `google.rpc.LocalizedMessage`; see the",
        "wire contract in the [README](../README.md#the-wire-contract). Match errors by",
        "code (or reason), never by message text. The HTTP status is the standard",
        "mapping of the gRPC code. *Demo* lists what the demo service",
        "(`cargo run -p chat-demo`) attaches beyond that, where it raises the code.",
        "",
        "How to match a code, in each language:",
        "",
        "- **Rust**: `use chat_errors::{ChatStatusExt, Domain, ErrorCode};`, then",
        "  `status.chat_error_code(&domain) == Some(ErrorCode::…)` on a `tonic::Status`.",
        "- **Python**: `import chat_errors` and `from chat_errors import ErrorCode`",
        "  ([clients/python](../clients/python/README.md)), then",
        "  `chat_errors.is_code(err, ErrorCode.…)` on a `grpc.RpcError`.",
        "- **TypeScript**: `import { isChatError, ErrorCode } from \"@chat-errors/client\";`",
        "  ([clients/ts](../clients/ts/README.md)), then `isChatError(err, ErrorCode.…)`",
        "  on a `ConnectError`.",
        "- **Go**: `import chaterrors \"github.com/chat-errors/chat-errors/clients/go\"`",
        "  ([clients/go](../clients/go/README.md)), then",
        "  `chaterrors.Is(err, chaterrors.…)` on any `error` from a grpc-go call.",
        "- **Java**: `import chat.errors.ChatError;` and `import chat.errors.ErrorCode;`",
        "  ([clients/jvm](../clients/jvm/README.md)), then",
        "  `ChatError.isCode(e, ErrorCode.…)` on a `StatusRuntimeException` or any `Throwable`.",
        "- **Kotlin**: `import chat.errors.kotlin.chatError` (artifact `chat-errors-kotlin`), then",
        "  `when (e.chatError?.code()) { ErrorCode.… -> … }`.",
        "",
        "| code | name | reason | gRPC code | HTTP | retryable |",
        "|---|---|---|---|---|---|",
    ]
    for code in ErrorCode:
        anchor = f"{code.value}-{code.name_in_catalogue.lower()}"
        out.append(f"| [{code.value}](#{anchor}) | {code.name_in_catalogue} | `{code.reason}` | "
                   f"{code.grpc_code.name} | {code.http_status} | {'yes' if code.retryable else 'no'} |")
    for code in ErrorCode:
        out += [
            "",
            f"## {code.value} {code.name_in_catalogue}",
            "",
            "| | |",
            "|---|---|",
            f"| reason | `{code.reason}` |",
            f"| gRPC code | {code.grpc_code.name} ({code.grpc_code.value[0]}) |",
            f"| HTTP status | {code.http_status} |",
            f"| retryable | {'yes' if code.retryable else 'no'} |",
        ]
        out += [f"| {locale} | {cell(code.description(locale))} |" for locale in chat_errors.LOCALES]
        for detail, title in details.get(code.value, []):
            extra = "nothing beyond the contract" if detail == "-" else describe(detail)
            out.append(f"| demo | {cell(title)}: {extra} |")
        out += [
            f"| Rust | `status.chat_error_code(&domain) == Some(ErrorCode::{rust_variant(code)})` |",
            f"| Python | `chat_errors.is_code(err, ErrorCode.{code.reason})` |",
            f"| TypeScript | `isChatError(err, ErrorCode.{code.reason})` |",
            f"| Go | `chaterrors.Is(err, chaterrors.{go[code.value]})` |",
            # The JVM's ErrorCode constants are named after the reasons.
            f"| Java | `ChatError.isCode(e, ErrorCode.{code.reason})` |",
            f"| Kotlin | `e.chatError?.code() == ErrorCode.{code.reason}` |",
        ]
    return "\n".join(out) + "\n"


def main() -> int:
    args = [arg for arg in sys.argv[1:] if arg != "--check"]
    if len(args) != 4 or args[2] != "--go":
        raise SystemExit(__doc__.strip().splitlines()[2] if __doc__ else "usage")
    scenarios, output, _, go = map(pathlib.Path, args)
    constants = go_constants(go)
    if set(constants) != {code.value for code in ErrorCode}:
        raise SystemExit(f"{go}: the Go package's codes differ from the catalogue's")
    text = render(demo_details(scenarios), constants)
    if "--check" in sys.argv:
        if not output.exists() or output.read_text(encoding="utf-8") != text:
            print(f"{output} is stale: regenerate it with {REGENERATE}", file=sys.stderr)
            return 1
        return 0
    output.write_text(text, encoding="utf-8")
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
