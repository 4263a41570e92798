#!/usr/bin/env bash
# The Go client beside grpc-go's own way, in one run of go test -bench
# (clients/go/bench_test.go; each op handles all 57 codes once):
#   go_decode_vs_status_details       CodeOf(err) over status.FromError plus a
#                                     scan of Details() for the ErrorInfo (goal <= 1.2)
#   go_encode_speedup_vs_with_details status.New(...).WithDetails(...) over the
#                                     package's shared default status (goal >= 5)
# With --quick, shorter runs.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/go.sh
. scripts/lib/go.sh
go_require
benchtime=1s
[ "${1:-}" = "--quick" ] && benchtime=300ms
out=$(cd clients/go && go test -run '^$' -bench 'DecodeCode|EncodeDefault' -benchtime "$benchtime" -count 3 .)
echo "$out" | grep '^Benchmark'
echo "$out" | awk '
  # The median of the three runs of each benchmark.
  /^Benchmark/ { name = $1; sub(/-[0-9]+$/, "", name); runs[name] = runs[name] " " $3 }
  function median(list,   n, v, i, j, t) {
    n = split(list, v, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
    return v[int((n + 1) / 2)]
  }
  END {
    ours = median(runs["BenchmarkDecodeCode/chaterrors"]); theirs = median(runs["BenchmarkDecodeCode/status_details"])
    printf "go_decode_vs_status_details=%.2f\n", ours / theirs
    ours = median(runs["BenchmarkEncodeDefault/chaterrors"]); theirs = median(runs["BenchmarkEncodeDefault/with_details"])
    printf "go_encode_speedup_vs_with_details=%.2f\n", theirs / ours
  }'
