#!/usr/bin/env bash
# The compatibility gate: proto/chat/errors/v1/chat_errors.proto against the
# last released catalogue, committed in compat/baseline/. Fails, naming the
# problem, when
#   - `buf breaking` with the WIRE_JSON rules reports a break, or
#   - a catalogue rule breaks (scripts/lib/catalogue_compat.py): a released
#     number or reason removed, renamed or reused, or a code's gRPC code or
#     retryable flag changed.
# New codes and new locales pass. Then a self-test proves the gate refuses
# edits that break those rules and accepts the ones that do not.
#
#   scripts/check-proto-compat.sh                    check (CI runs this)
#   scripts/check-proto-compat.sh --update-baseline  at a release: move the baseline
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "proto-compat: $*" >&2; exit 1; }
command -v npm >/dev/null || fail "npm is required (Node 20+) for buf"
command -v python3 >/dev/null || fail "python3 is required"
proto=chat/errors/v1/chat_errors.proto
baseline=compat/baseline

if [ "${1:-}" = "--update-baseline" ]; then
  mkdir -p "$baseline/$(dirname "$proto")"
  cp "proto/$proto" "$baseline/$proto"
  echo "compat/baseline now holds this proto: commit it with the release"
  exit 0
fi
[ $# -eq 0 ] || fail "usage: $0 [--update-baseline]"
[ -f "$baseline/$proto" ] || fail "no baseline at $baseline/$proto"

npm ci --prefix tools/buf --no-audit --no-fund --loglevel=error >/dev/null || fail "npm ci in tools/buf failed"
buf=$PWD/tools/buf/node_modules/.bin/buf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A buf image (JSON) of one copy of the proto, built outside the workspace.
image() {
  local source=$1 name=$2
  mkdir -p "$tmp/$name/$(dirname "$proto")"
  cp "$source" "$tmp/$name/$proto"
  (cd "$tmp/$name" && "$buf" build --exclude-source-info -o "$tmp/$name.json") ||
    fail "buf could not build $source"
}

# Prints every problem of `proto_file` against the baseline; fails if any.
problems_against_baseline() {
  local proto_file=$1 name=$2 ok=0
  image "$proto_file" "$name"
  "$buf" breaking "$tmp/$name.json" --against "$tmp/baseline.json" \
    --config '{"version":"v2","breaking":{"use":["WIRE_JSON"]}}' >"$tmp/$name.buf" 2>&1 || ok=1
  sed 's/^/buf breaking (WIRE_JSON): /' "$tmp/$name.buf"
  python3 scripts/lib/catalogue_compat.py "$tmp/baseline.json" "$tmp/$name.json" || ok=1
  return $ok
}

image "$baseline/$proto" baseline
echo "==> proto/$proto against $baseline ($("$buf" --version))"
if ! problems_against_baseline "proto/$proto" current >"$tmp/current.out"; then
  sed 's/^/proto-compat: /' "$tmp/current.out" >&2
  fail "proto/$proto breaks compatibility with the last release (see above)"
fi
echo "compatible: no WIRE_JSON break, no catalogue rule broken"

echo "==> self-test: the gate refuses breaking edits and accepts additions"
self_test_failures=0
for case in remove-value:refuse:2003 reuse-number:refuse:2003 move-reason:refuse:CHANNEL_NOT_FOUND \
  change-grpc-code:refuse:2003 flip-retryable:refuse:2003 add-code:accept: add-locale:accept:; do
  IFS=: read -r kind expected names <<<"$case"
  python3 scripts/lib/proto_mutations.py "$kind" "proto/$proto" "$tmp/$kind.proto"
  if problems_against_baseline "$tmp/$kind.proto" "$kind" >"$tmp/$kind.out"; then
    outcome=accept
  else
    outcome=refuse
  fi
  if [ "$outcome" != "$expected" ]; then
    echo "FAIL $kind: expected the gate to $expected, it did $outcome:"
    cat "$tmp/$kind.out"
    self_test_failures=$((self_test_failures + 1))
  elif [ "$outcome" = refuse ] && ! grep -q "catalogue rule: .*$names" "$tmp/$kind.out"; then
    echo "FAIL $kind: refused, but no catalogue rule names $names:"
    cat "$tmp/$kind.out"
    self_test_failures=$((self_test_failures + 1))
  else
    echo "ok   $kind: ${outcome%e}ed$( [ "$outcome" = refuse ] && printf ' (%s)' "$(grep -m1 'catalogue rule' "$tmp/$kind.out")")"
  fi
done
[ "$self_test_failures" -eq 0 ] || fail "$self_test_failures self-test case(s) failed"
