#!/usr/bin/env bash
# Randomized end-to-end square-offs against kite_sim, with broker faults and kill -9 of the
# monitor, the subscriber or the runner (tests/soak/soak_test.cc is one run).
#   scripts/soak.sh N [--jobs J] [--first F]   runs seeds F .. F+N-1 (F = 1), J at a time
#   scripts/soak.sh --seed S                   replays one seed
# Each run leaves its folder build/soak/<seed>/ (config, databases, logs, result.json). Failing
# runs are printed with their seed and folder; the last line is one JSON object of totals.
# Exit code: 0 when every run passed.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=10 jobs=1 first=1
while [ $# -gt 0 ]; do
  case "$1" in
    --jobs) jobs=$2; shift 2 ;;
    --first) first=$2; shift 2 ;;
    --seed) first=$2; runs=1; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) runs=$1; shift ;;
  esac
done
scripts/install-deps.sh >/dev/null
scripts/build.sh >/dev/null
BUILD_DIR=${BUILD_DIR:-build}
out="$BUILD_DIR/soak"
mkdir -p "$out"
# Runs use a snapshot of the executables, so rebuilding build/ meanwhile cannot disturb them.
snapshot="$out/bin-snapshot"
rm -rf "$snapshot" && mkdir -p "$snapshot"
cp "$BUILD_DIR"/bin/* "$BUILD_DIR/tests/soak_test" "$snapshot/"
ZM_BIN_DIR="$(cd "$snapshot" && pwd)"
export BUILD_DIR out ZM_BIN_DIR

run_one() {
  local seed=$1 dir="$out/$1"
  rm -rf "$dir" && mkdir -p "$dir"
  ZM_SOAK_SEED=$seed ZM_SOAK_DIR="$(cd "$dir" && pwd)" timeout 300 \
    "$ZM_BIN_DIR/soak_test" --gtest_also_run_disabled_tests --gtest_filter='Soak.*' \
    >"$dir/test.log" 2>&1
  echo "$?" >"$dir/exit_code"
}
export -f run_one

seq "$first" $((first + runs - 1)) | xargs -P "$jobs" -I{} bash -c 'run_one {}'

total=0 failed=0 dup=0 left=0 orders=0 twice=0
for seed in $(seq "$first" $((first + runs - 1))); do
  dir="$out/$seed"
  total=$((total + 1))
  line=$(cat "$dir/result.json" 2>/dev/null || true)
  field() { echo "$line" | grep -o "\"$1\":[0-9]*" | head -1 | cut -d: -f2; }
  d=$(field duplicate_lots) p=$(field positions_left_open) o=$(field orders_left_open) t=$(field tags_twice)
  code=$(cat "$dir/exit_code" 2>/dev/null || echo 1)
  if [ -z "$line" ] || [ "$code" != 0 ]; then
    failed=$((failed + 1))
    echo "FAILED seed $seed: $dir (exit $code) ${line:-no result}"
  fi
  dup=$((dup + ${d:-0})) left=$((left + ${p:-0})) orders=$((orders + ${o:-0})) twice=$((twice + ${t:-0}))
done
echo "{\"runs\":$total,\"duplicate_lots\":$dup,\"tags_twice\":$twice,\"positions_left_open\":$left,\"orders_left_open\":$orders,\"failed_runs\":$failed}"
[ "$failed" -eq 0 ]
