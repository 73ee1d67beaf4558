#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, -fsanitize=fuzzer,address,undefined) into build-fuzz/
# and runs each for SECONDS (default 30) from its seed corpus in fuzz/corpus/<target>/.
# Prints executions and crashes per target; exits non-zero when any target crashed (the
# crashing input is saved as build-fuzz/artifacts/<target>/crash-*).
#   scripts/fuzz.sh [SECONDS] [TARGET...]      e.g. scripts/fuzz.sh 600 tick_frame url
# Environment: FUZZ_JOBS (parallel targets, default 1), FUZZ_BUILD_DIR (default build-fuzz),
# FUZZ_RUNS (stop a target after that many executions, when that comes before SECONDS),
# FUZZ_MAX_LEN (largest input libFuzzer makes, default 65536; smaller inputs run faster).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${1:-30}
shift || true
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  TARGETS=(tick_frame text_frame rest_models instruments_csv url config)
fi
BUILD_DIR=${FUZZ_BUILD_DIR:-build-fuzz}

scripts/install-deps.sh >/dev/null
scripts/install-fuzz-deps.sh >/dev/null
launcher=()
if command -v ccache >/dev/null 2>&1; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++-14 -DZM_FUZZ=ON -DZM_SANITIZE=address,undefined \
  "${launcher[@]}" >/dev/null
cmake --build "$BUILD_DIR" -j "${JOBS:-$(nproc)}" --target fuzz_all

export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

# One target: fuzzes into a scratch corpus seeded from the committed one (which stays as is).
run_target() {
  local target=$1 work="$BUILD_DIR/fuzz-work/$1" artifacts="$BUILD_DIR/artifacts/$1"
  rm -rf "$work" "$artifacts" && mkdir -p "$work" "$artifacts"  # a crash counts only if this run made it
  set +e
  "$BUILD_DIR/fuzz/fuzz_$target" "$work" "fuzz/corpus/$target" \
    -max_total_time="$SECONDS_PER_TARGET" -max_len="${FUZZ_MAX_LEN:-65536}" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" ${FUZZ_RUNS:+-runs=$FUZZ_RUNS} >"$BUILD_DIR/fuzz-$target.log" 2>&1
  local rc=$?
  set -e
  local runs crashes
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$BUILD_DIR/fuzz-$target.log" |
    grep -o '[0-9]*$' | tail -1)
  crashes=$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
    -o -name 'oom-*' \) | wc -l)
  if [ "$rc" -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes=1; fi
  printf '%-16s executions %12s  crashes %s\n' "$target" "${runs:-0}" "$crashes"
  [ "$crashes" -eq 0 ]
}

status=0
pids=()
for target in "${TARGETS[@]}"; do
  run_target "$target" &
  pids+=($!)
  if [ ${#pids[@]} -ge "${FUZZ_JOBS:-1}" ]; then
    wait "${pids[0]}" || status=1
    pids=("${pids[@]:1}")
  fi
done
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
if [ $status -ne 0 ]; then
  echo "fuzz: crash(es) found; inputs in $BUILD_DIR/artifacts/, logs in $BUILD_DIR/fuzz-*.log"
fi
exit $status
