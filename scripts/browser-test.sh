#!/usr/bin/env bash
# The web chat in a real browser: builds the page (scripts/web-build.sh),
# starts chat-demo-server on 127.0.0.1 on a free port, and drives Debian's
# Chromium headless with the pinned playwright-core (no browser download)
# through every demo scenario under a Korean and an English locale, checking
# each error banner against tests/fixtures/error-codes.tsv; then bad input
# from the browser, CORS from another origin, and a screenshot of several
# banners in target/browser/. Installs chromium (and a Korean font for the
# screenshots) with apt-get when missing. Ends with `N passed, M failed`.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "browser-test: $*" >&2; exit 1; }
# shellcheck source=scripts/lib/node.sh
. scripts/lib/node.sh
# shellcheck source=scripts/lib/listening-addr.sh
. scripts/lib/listening-addr.sh
require_node_and_cargo

chromium=/usr/bin/chromium
missing=()
[ -x "$chromium" ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi nanum || missing+=(fonts-nanum)
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || fail "${missing[*]} missing; install with: apt-get install -y ${missing[*]}"
  echo "==> apt-get install ${missing[*]}"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
fi
[ -x "$chromium" ] || fail "$chromium is still missing"
echo "==> $("$chromium" --version)"

scripts/web-build.sh
cargo build --quiet -p chat-demo
target=$(cargo_target_dir)
bin=$target/debug
out=$target/browser
mkdir -p "$out"

tmp=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    # The server's own status (killed by SIGTERM) is not the test's.
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

"$bin/chat-demo-server" --addr 127.0.0.1:0 --web-dir demo/web/dist >"$tmp/server.out" 2>&1 &
server_pid=$!
server=$(listening_addr "$tmp/server.out" "$server_pid")
"$bin/chat-demo-client" --list >"$tmp/scenarios.tsv"

echo "==> Chromium against the web chat at http://$server/"
node demo/web/test/browser-test.mjs --addr "$server" --scenarios "$tmp/scenarios.tsv" \
  --table tests/fixtures/error-codes.tsv --out "$out" --chromium "$chromium"
