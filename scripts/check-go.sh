#!/usr/bin/env bash
# The Go module's gates: generated code fresh, go vet, staticcheck, the
# tests with the race detector (the decoder's fuzz target replays its seed
# corpus as a normal test), then conformance/check go. Modules come pinned
# by go.sum.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/go.sh
. scripts/lib/go.sh
go_tools
scripts/gen-go-client.sh --check
cd clients/go
for module in . interop; do
  (cd "$module" && go mod verify && go vet ./... && staticcheck ./...)
done
# -race needs cgo; say so rather than fail obscurely when no C compiler is there.
command -v "$(go env CC)" >/dev/null || { echo "check-go: go test -race needs a C compiler ($(go env CC))" >&2; exit 1; }
CGO_ENABLED=1 go test -race -count=1 ./...
cd ../..
# The Go runner against the corpus and 20,000 fuzzed inputs, every kind:
# decode, negotiate and encode.
command -v cargo >/dev/null || { echo "check-go: cargo is required for conformance/check" >&2; exit 1; }
conformance/check go
