#!/usr/bin/env bash
# Runs the error-path benchmarks and prints their ratios.
#
#   scripts/bench.sh           criterion at its usual length, the full loopback run
#   scripts/bench.sh --quick   short measurements; a few minutes on 2 cores once built
#
# Every figure is a ratio between two measurements of the same run, so a
# slow or noisy machine moves both sides alike. The last lines are
# machine-readable `key=value` pairs: a speedup is theirs/ours (bigger is
# better), a ratio is ours/theirs (smaller is better).
set -euo pipefail
cd "$(dirname "$0")/.."

quick=false
case "${1:-}" in
  --quick) quick=true ;;
  "") ;;
  *) echo "usage: scripts/bench.sh [--quick]" >&2; exit 2 ;;
esac
command -v python3 >/dev/null || { echo "bench.sh: python3 is required to read criterion's estimates" >&2; exit 1; }

target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
criterion_dir="$target_dir/criterion"
rm -rf "$criterion_dir"

echo "==> building"
cargo bench --bench error_paths --no-run
cargo bench --bench layers --features opentelemetry --no-run
cargo bench --bench http_json --features http-json --no-run
cargo build --release -p chat-errors-e2e-bench
cargo build --release --example wire_size

echo "==> criterion: error_paths"
if $quick; then
  cargo bench --bench error_paths -- --warm-up-time 0.5 --measurement-time 2 --noplot
else
  cargo bench --bench error_paths -- --noplot
fi

echo "==> criterion: layers"
if $quick; then
  cargo bench --bench layers --features opentelemetry -- --warm-up-time 0.5 --measurement-time 2 --noplot
else
  cargo bench --bench layers --features opentelemetry -- --noplot
fi

echo "==> criterion: http_json"
if $quick; then
  cargo bench --bench http_json --features http-json -- --warm-up-time 0.5 --measurement-time 2 --noplot
else
  cargo bench --bench http_json --features http-json -- --noplot
fi

echo "==> loopback end to end"
e2e_args=()
$quick && e2e_args+=(--quick)
e2e_out=$(cargo run --release -q -p chat-errors-e2e-bench -- "${e2e_args[@]}")
echo "$e2e_out"

echo "==> loopback end to end: the server's instructions per call (callgrind)"
command -v valgrind >/dev/null || { echo "bench.sh: valgrind is required to count instructions (Debian: apt-get install valgrind)" >&2; exit 1; }
instructions_out=$(cargo run --release -q -p chat-errors-e2e-bench -- instructions)
echo "$instructions_out"

echo "==> wire size"
wire_out=$(cargo run --release -q --example wire_size)
echo "$wire_out" | tail -3

echo "==> TypeScript client beside connect-es and protobuf-es"
ts_args=()
$quick && ts_args+=(--quick)
ts_out=$(scripts/ts-bench.sh "${ts_args[@]}")
echo "$ts_out" | grep '_ns='

echo "==> JVM: reading the code out of a StatusRuntimeException, beside StatusProto"
(
  fail() { echo "bench.sh: $*" >&2; exit 1; }
  # shellcheck source=scripts/lib/jvm.sh
  . scripts/lib/jvm.sh
  jvm_require
  jvm_build_tools
)
jvm_rounds=15
$quick && jvm_rounds=7
jvm_out=$(. scripts/lib/jvm.sh && java -cp "$(jvm_tools_classpath)" chat.errors.demo.DecodeBench "$jvm_rounds")
echo "$jvm_out"

echo "==> Python client decode"
python_out=$(scripts/bench-python.sh)
echo "$python_out" | head -1

echo "==> ratios"
CRITERION_DIR="$criterion_dir" E2E_OUT="$e2e_out" INSTRUCTIONS_OUT="$instructions_out" WIRE_OUT="$wire_out" JVM_OUT="$jvm_out" python3 - <<'PY'
import json, os

def median_ns(group, bench):
    path = os.path.join(os.environ["CRITERION_DIR"], group, bench, "new", "estimates.json")
    with open(path) as f:
        return json.load(f)["median"]["point_estimate"]

def last_value(text, key):
    values = [line.split("=", 1)[1] for line in text.splitlines() if line.startswith(key + "=")]
    if not values:
        raise SystemExit(f"bench.sh: no {key}= line in the output")
    return values[-1]

rows = [
    ("static_encode", ["tonic_types", "floor", "chat_errors_code", "chat_errors_error"]),
    ("dynamic_encode", ["tonic_types", "chat_errors"]),
    ("decode_code", ["tonic_types", "chat_errors"]),
    ("decode_full", ["tonic_types", "tonic_types_strict", "chat_errors_lenient", "chat_errors_strict"]),
    ("json_error_render", ["serde_baseline", "chat_errors"]),
    ("localized_encode", ["static", "negotiated"]),
    ("layers", [f"{case}_{server}" for case in ["ok", "error", "error_in_english", "error_resent_in_english"] for server in ["bare", "stack"]]
               + [f"{case}_stack_metrics" for case in ["ok", "error"]]),
]
m = {}
for group, benches in rows:
    for bench in benches:
        m[group, bench] = median_ns(group, bench)
        print(f"{group}/{bench}: median {m[group, bench]:.1f} ns")

static_ours = max(m["static_encode", "chat_errors_code"], m["static_encode", "chat_errors_error"])
# get_chat_error() is lenient like get_error_details(); check_chat_error() is
# strict like check_error_details(). The worse of the two pairs is reported.
decode_full_ratio = max(
    m["decode_full", "chat_errors_lenient"] / m["decode_full", "tonic_types"],
    m["decode_full", "chat_errors_strict"] / m["decode_full", "tonic_types_strict"],
)
print()
print(f"encode_speedup_vs_tonic_types={m['static_encode', 'tonic_types'] / static_ours:.2f}")
print(f"encode_vs_floor={static_ours / m['static_encode', 'floor']:.2f}")
print(f"dynamic_encode_ratio_vs_tonic_types={m['dynamic_encode', 'chat_errors'] / m['dynamic_encode', 'tonic_types']:.2f}")
print(f"decode_code_speedup_vs_tonic_types={m['decode_code', 'tonic_types'] / m['decode_code', 'chat_errors']:.2f}")
print(f"decode_full_ratio_vs_tonic_types={decode_full_ratio:.2f}")
print(f"json_error_render_vs_serde_baseline={m['json_error_render', 'chat_errors'] / m['json_error_render', 'serde_baseline']:.2f}")
# Negotiating a browser's accept-language and building the status in its
# locale, against the plain static status.
print(f"localized_encode_vs_static_encode={m['localized_encode', 'negotiated'] / m['localized_encode', 'static']:.2f}")
# Each time-based overhead is followed by the same comparison in the
# server's instructions per call, which do not move with the machine's load
# (e2e-bench instructions, under callgrind; user space only, so the
# percentages are larger than the CPU-time ones, which include the kernel's
# share of each call).
def e2e(key, instructions_key):
    print(f"{key}={last_value(os.environ['E2E_OUT'], key)}")
    print(f"{instructions_key}={last_value(os.environ['INSTRUCTIONS_OUT'], instructions_key)}")

e2e("e2e_server_cpu_overhead_pct", "e2e_server_instructions_overhead_pct")
print(f"e2e_p50_overhead_pct={last_value(os.environ['E2E_OUT'], 'e2e_p50_overhead_pct')}")
# What the server stack's own code adds to one call, around a service that
# answers at once (benches/layers.rs).
for case in ["ok", "error", "error_in_english", "error_resent_in_english"]:
    print(f"layers_{case}_added_ns={m['layers', case + '_stack'] - m['layers', case + '_bare']:.0f}")
# What recording rpc.server.call.duration (Settings::with_meter, into an SDK
# pull reader) adds to the same stack, on a success and on a catalogue error.
for case in ["ok", "error"]:
    print(f"layers_metrics_{case}_added_ns={m['layers', case + '_stack_metrics'] - m['layers', case + '_stack']:.0f}")
# The recommended stack (Settings::layer on the server, TrailerShield on
# the client) against the bare server and client, with the same status.
e2e("e2e_stack_cpu_overhead_pct", "e2e_stack_instructions_overhead_pct")
print(f"e2e_stack_p50_overhead_pct={last_value(os.environ['E2E_OUT'], 'e2e_stack_p50_overhead_pct')}")
e2e("e2e_stack_ok_p50_overhead_pct", "e2e_stack_ok_instructions_overhead_pct")
# The same stack recording metrics on both ends (Settings::with_meter,
# ClientMetrics) against the bare server and client; the goals are the
# stack's own.
e2e("e2e_stack_metrics_cpu_overhead_pct", "e2e_stack_metrics_instructions_overhead_pct")
print(f"e2e_stack_metrics_p50_overhead_pct={last_value(os.environ['E2E_OUT'], 'e2e_stack_metrics_p50_overhead_pct')}")
e2e("e2e_stack_metrics_ok_p50_overhead_pct", "e2e_stack_metrics_ok_instructions_overhead_pct")
# The stack, the client sending a browser's accept-language that asks for
# another locale than the default, against the plain status on the bare
# server.
e2e("e2e_localized_p50_overhead_pct", "e2e_localized_instructions_overhead_pct")
# The client's retry layer (chat_errors::retry, RetryPolicy::default) on
# a call that succeeds first time, against the same call without it. The
# layer is client side, so the server's instructions do not show it.
print(f"e2e_retry_ok_p50_overhead_pct={last_value(os.environ['E2E_OUT'], 'e2e_retry_ok_p50_overhead_pct')}")
print(f"details_bin_base64_bytes_max={last_value(os.environ['WIRE_OUT'], 'details_bin_base64_bytes_max')}")
print(f"details_bin_base64_bytes_median={last_value(os.environ['WIRE_OUT'], 'details_bin_base64_bytes_median')}")
# chat-errors for the JVM's codeOf against StatusProto.fromThrowable plus
# unpacking the ErrorInfo (clients/jvm/chat-errors-demo DecodeBench).
print(f"jvm_decode_vs_status_proto={last_value(os.environ['JVM_OUT'], 'jvm_decode_vs_status_proto')}")
PY
echo "$ts_out" | grep -v '_ns='
echo "$python_out" | grep -E '^python_[a-z_]+='

echo "==> Go client beside grpc-go"
if $quick; then
  scripts/bench-go.sh --quick
else
  scripts/bench-go.sh
fi
