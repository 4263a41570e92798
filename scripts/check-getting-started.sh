#!/usr/bin/env bash
# Builds the README's getting started exactly as written, as a crate of its
# own outside the workspace that depends on this one by path, and runs it:
# its server on 127.0.0.1:0, its client calling it and decoding the
# catalogue error. A README that a newcomer cannot copy fails CI.
#
# The files come from the README's code blocks that follow a
# `<!-- getting-started: PATH -->` comment. Cargo.toml's block holds the
# dependency tables; this script adds the [package] table and points the
# `chat-errors` dependency at the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

for tool in cargo python3; do
  if ! command -v "$tool" >/dev/null; then
    echo "check-getting-started: $tool is required and not installed" >&2
    exit 2
  fi
done

# The repository's target directory, so that dependencies the workspace
# build compiled are reused; CARGO_TARGET_DIR, when set, wins as usual.
if [ -z "${CARGO_TARGET_DIR:-}" ]; then
  CARGO_TARGET_DIR=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
fi
export CARGO_TARGET_DIR

crate=$(mktemp -d "${TMPDIR:-/tmp}/chat-errors-getting-started.XXXXXX")
trap 'rm -rf "$crate"' EXIT

python3 - "$repo/README.md" "$crate" "$repo" <<'EOF'
import json, pathlib, re, sys

readme, crate, repo = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]
marker = re.compile(r"^<!-- getting-started: (\S+) -->$")
lines = readme.read_text(encoding="utf-8").splitlines()
files = {}
i = 0
while i < len(lines):
    found = marker.match(lines[i])
    i += 1
    if not found:
        continue
    path = found.group(1)
    if path.startswith("/") or ".." in pathlib.PurePosixPath(path).parts:
        sys.exit(f"check-getting-started: README names a file outside the crate: {path}")
    if path in files:
        sys.exit(f"check-getting-started: README gives {path} twice")
    if i >= len(lines) or not lines[i].startswith("```"):
        sys.exit(f"check-getting-started: the marker for {path} is not followed by a code block")
    i += 1
    body = []
    while i < len(lines) and lines[i] != "```":
        body.append(lines[i])
        i += 1
    if i == len(lines):
        sys.exit(f"check-getting-started: the code block for {path} is not closed")
    i += 1
    files[path] = "\n".join(body) + "\n"

required = {"Cargo.toml", "build.rs", "src/main.rs"}
missing = required - files.keys()
if missing or not any(path.endswith(".proto") for path in files):
    sys.exit("check-getting-started: README lacks getting-started blocks for "
             + ", ".join(sorted(missing) or ["a .proto file"]))

dependency = re.compile(r'^chat-errors = "[^"]+"$', re.MULTILINE)
manifest, count = dependency.subn(
    "chat-errors = { path = " + json.dumps(repo) + " }", files["Cargo.toml"])
if count != 1:
    sys.exit('check-getting-started: the Cargo.toml block must hold one chat-errors = "VERSION" line')
files["Cargo.toml"] = (
    '[package]\nname = "getting-started"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n'
    + manifest
    + "\n# Its own workspace: nothing above it may claim it.\n[workspace]\n"
)

for path, text in files.items():
    target = crate / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"check-getting-started: wrote {path} ({text.count(chr(10))} lines)")
EOF

# The workspace's lockfile, so that the crate builds with the versions CI
# tests (cargo drops what the crate does not use and adds nothing it need not).
cp Cargo.lock "$crate/Cargo.lock"

# What the README says the program prints.
expected=$(sed -n 's/^`cargo run` prints `\(.*\)`$/\1/p' README.md)
if [ -z "$expected" ]; then
  echo 'check-getting-started: README lacks the line "`cargo run` prints `OUTPUT`"' >&2
  exit 1
fi

cd "$crate"
# A newcomer's first build should not greet them with warnings either.
if ! build_log=$(cargo build --color never 2>&1); then
  printf '%s\n' "$build_log" >&2
  echo "check-getting-started: the getting started does not build" >&2
  exit 1
fi
if grep -q '^warning' <<<"$build_log"; then
  printf '%s\n' "$build_log" >&2
  echo "check-getting-started: the getting started builds with warnings" >&2
  exit 1
fi
output=$(cargo run --quiet)
printf '%s\n' "$output"
if [ "$output" != "$expected" ]; then
  echo "check-getting-started: the program printed the above, not what the README says: $expected" >&2
  exit 1
fi
echo "check-getting-started: the README's getting started builds outside the workspace and runs"
