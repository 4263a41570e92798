#!/usr/bin/env bash
# Differential fuzzing of the conformance runners against the Rust reference
# (conformance/README.md), longer than CI's 20,000 inputs.
#
#   scripts/conformance-fuzz.sh                      # rust, one seed of 20,000 inputs (as CI)
#   scripts/conformance-fuzz.sh --long python ts     # 10 seeds of 100,000 inputs per runner
#   scripts/conformance-fuzz.sh --seeds 3 --per-seed 50000 --first-seed 7 rust
#
# Each seed is a separate `conformance/check LANG --fuzz N --seed S`, so a
# disagreement is reproduced by rerunning that one command. The corpus is
# checked on every seed too. Exits nonzero if any run disagrees.
set -euo pipefail
cd "$(dirname "$0")/.."

seeds=1
per_seed=20000
first_seed=1
langs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --long) seeds=10; per_seed=100000; first_seed=101 ;;
    --seeds) seeds=$2; shift ;;
    --per-seed) per_seed=$2; shift ;;
    --first-seed) first_seed=$2; shift ;;
    rust | python | ts | go | jvm) langs+=("$1") ;;
    *) echo "usage: $0 [--long] [--seeds N] [--per-seed N] [--first-seed S] [LANG...]" >&2; exit 2 ;;
  esac
  shift
done
[ ${#langs[@]} -gt 0 ] || langs=(rust)

failed=0
for lang in "${langs[@]}"; do
  for ((seed = first_seed; seed < first_seed + seeds; seed++)); do
    started=$(date +%s)
    if conformance/check "$lang" --fuzz "$per_seed" --seed "$seed"; then
      verdict=agrees
    else
      verdict=DISAGREES
      failed=1
    fi
    echo "== $lang seed $seed: $per_seed inputs, $verdict, $(($(date +%s) - started)) s"
  done
done
exit "$failed"
