#!/usr/bin/env bash
# Runs the libFuzzer targets in fuzz/ for SECONDS each (default 60), after
# replaying their committed seeds. Installs the pinned cargo-fuzz when it is
# missing. A crash stops the run and leaves its input in
# fuzz/artifacts/<target>/; see FUZZING.md for turning it into a regression.
#
#   scripts/fuzz.sh            # one minute per target
#   scripts/fuzz.sh 900        # the fifteen-minute runs FUZZING.md records
#   scripts/fuzz.sh 60 trailer_shield
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(details_decoder trailer_shield http_json_decoder accept_language)

cargo_fuzz_version=0.13.2
if ! cargo fuzz --version 2>/dev/null | grep -q "$cargo_fuzz_version"; then
  echo "installing cargo-fuzz $cargo_fuzz_version" >&2
  cargo install cargo-fuzz --version "$cargo_fuzz_version" --locked
fi
command -v c++ >/dev/null || { echo "fuzz.sh: libFuzzer needs a C++ compiler (c++)" >&2; exit 1; }

# cargo-fuzz passes nightly-only sanitizer flags; this lets stable accept them.
export RUSTC_BOOTSTRAP=1
cargo fuzz build --fuzz-dir fuzz

for target in "${targets[@]}"; do
  corpus=fuzz/corpus/$target
  mkdir -p "$corpus"
  echo "==> $target: ${seconds}s" >&2
  cargo fuzz run --fuzz-dir fuzz "$target" "$corpus" "tests/fuzz/seeds/$target" -- \
    -max_total_time="$seconds" -max_len=4096 -timeout=2 -print_final_stats=1
  echo "corpus: $(find "$corpus" -type f | wc -l) inputs in $corpus" >&2
done
