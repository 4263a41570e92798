#!/usr/bin/env bash
# Checks the chat-errors .crate as crates.io would get it:
#   1. it holds the README, the license and what the build needs, and no
#      tests, benches or fuzz corpus (they stay in the repository);
#   2. every link in the packaged README resolves: a relative link names a
#      file the .crate holds, a link into this repository names a file on
#      its main branch, and an anchor names one of the README's headings;
#   3. `cargo package` verifies: the .crate builds on its own.
# Extra arguments go to both cargo package runs (e.g. --allow-dirty locally).
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in cargo git python3; do
  if ! command -v "$tool" >/dev/null; then
    echo "check-package: $tool is required and not installed" >&2
    exit 2
  fi
done

list=$(mktemp)
tracked=$(mktemp)
trap 'rm -f "$list" "$tracked"' EXIT
git ls-files >"$tracked"
cargo package -p chat-errors --no-verify --list "$@" >"$list"
echo "check-package: the .crate holds $(wc -l <"$list") files"

repository=$(cargo metadata --format-version 1 --no-deps | python3 -c '
import json, sys
print(next(p for p in json.load(sys.stdin)["packages"] if p["name"] == "chat-errors")["repository"] or "")')
if [ -z "$repository" ]; then
  echo "check-package: Cargo.toml sets no repository" >&2
  exit 1
fi

python3 - "$list" "$tracked" "$repository" <<'EOF'
import pathlib, re, sys

packaged = set(pathlib.Path(sys.argv[1]).read_text().split())
tracked = set(pathlib.Path(sys.argv[2]).read_text().split())
repository = sys.argv[3].rstrip("/")
tracked_dirs = {str(parent) for path in tracked for parent in pathlib.PurePosixPath(path).parents}
problems = []

for required in ("Cargo.toml", "README.md", "LICENSE", "src/lib.rs", "build.rs"):
    if required not in packaged:
        problems.append(f"the .crate lacks {required}")
for path in sorted(packaged):
    if path.startswith(("tests/", "benches/", "fuzz/")) or "/corpus/" in path or "/seeds/" in path:
        problems.append(f"the .crate holds {path}, which belongs to the repository only")

readme = pathlib.Path("README.md").read_text(encoding="utf-8")
# Code blocks hold code, not links.
prose = re.sub(r"^```.*?^```$", "", readme, flags=re.S | re.M)
prose = re.sub(r"`[^`\n]*`", "", prose)


def slug(heading):
    # GitHub's and crates.io's anchors: lower case, punctuation dropped, spaces to dashes.
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


anchors = {slug(h) for h in re.findall(r"^#+ (.+)$", prose, re.M)}
targets = re.findall(r"\]\(([^)\s]+)\)", prose) + re.findall(r"<(https?://[^>\s]+)>", prose)
if not targets:
    problems.append("found no links in README.md, so the link check would prove nothing")
for target in targets:
    if target.startswith("#"):
        if target[1:] not in anchors:
            problems.append(f"README link {target}: no such heading")
    elif target.startswith(repository + "/"):
        found = re.fullmatch(re.escape(repository) + r"/(?:blob|tree)/main/([^#?]+)(?:#.*)?", target)
        if not found:
            problems.append(f"README link {target}: not a blob/main or tree/main link into the repository")
        elif found.group(1).rstrip("/") not in tracked | tracked_dirs:
            problems.append(f"README link {target}: the repository has no {found.group(1)}")
    elif re.match(r"^[a-z]+:", target):
        continue  # another site's page: not ours to check offline
    else:
        path = target.split("#", 1)[0]
        if path not in packaged:
            problems.append(f"README link {target}: the .crate holds no {path}; link into {repository} instead")

for problem in problems:
    print(f"check-package: {problem}", file=sys.stderr)
if problems:
    sys.exit(1)
print(f"check-package: no tests, benches or fuzz corpus; all {len(targets)} README links resolve")
EOF

cargo package -p chat-errors "$@"
echo "check-package: cargo package verified the .crate"
