#!/usr/bin/env bash
# Runs every benchmark and writes build/bench/results.json and build/bench/results.md (the table
# README's "Performance" section shows). Figures, never assertions: nothing here fails on speed.
#   scripts/bench.sh [--quick]    --quick: short runs (about 2 minutes in all; CI keeps the JSON)
# Parts: tick decode (full/quote/ltp packets/s/core), SQLite ingest (rows/s), the square-off of
# 20 positions / 40 slices against kite_sim (no lag, and positions lagging 2 s: breach -> first
# order, -> verified flat), breach (a price change in kite_sim) -> first order with the whole
# suite at mtm_check_interval 3 s and 0.25 s (20 trials each; 3 with --quick), the MTM cycle
# for 10/100/1000 positions (bench/mtm_cycle_bench.cc), ingest end to end (bench/ingest_e2e.sh:
# bench/tick_feeder -> zerodha_ltp_subscriber, 3000 instruments, 30 s; 5 s with --quick), the
# idle suite (bench/idle.sh: RSS, PSS, CPU % per process over 60 s, 15 s with --quick, REST
# calls/min, start -> first MTM cycle) and scripts/demo.sh on a warm machine.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
[ "${1:-}" = "--quick" ] && quick=1
scripts/install-deps.sh >/dev/null
scripts/install-deps.sh sqlite3 procps >/dev/null  # the CLI reads heartbeats; pgrep finds children
scripts/build.sh executables tick_decode_bench ingest_bench mtm_cycle_bench tick_feeder \
  squareoff_test mtm_monitor_test >/dev/null
BUILD_DIR=${BUILD_DIR:-build}
out="$BUILD_DIR/bench"
rm -rf "$out" && mkdir -p "$out"
min_time=0.5 idle_seconds=60 ingest_seconds=30
[ $quick = 1 ] && min_time=0.1 idle_seconds=15 ingest_seconds=5

figures=()  # "name|value|unit" rows, in order
add() { figures+=("$1|$2|$3"); }
kb_to_mb() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
per_op_us() { awk -v r="$1" 'BEGIN {printf "%.1f", (r > 0 ? 1e6 / r : 0)}'; }  # items/s -> us each

# Google Benchmark JSON: items_per_second of each benchmark, by name.
gbench() {
  local bin=$1 json="$out/$1.json"
  "$BUILD_DIR/bin/$bin" --benchmark_min_time="$min_time" --benchmark_out="$json" \
    --benchmark_out_format=json >/dev/null 2>&1
  awk -F'"' '/"name":/ {name=$4} /"items_per_second":/ {
      split($0, a, ":"); gsub(/[ ,]/, "", a[2]); printf "%s %.0f\n", name, a[2] }' "$json"
}
echo "bench: tick decode" >&2
while read -r name rate; do
  case "$name" in
    BM_DecodeFullFrame/500) add "tick decode, full mode (500-packet frames)" "$rate" "packets/s/core" ;;
    BM_DecodeModeFrame/quote) add "tick decode, quote mode" "$rate" "packets/s/core" ;;
    BM_DecodeModeFrame/ltp) add "tick decode, ltp mode" "$rate" "packets/s/core" ;;
  esac
done < <(gbench tick_decode_bench)
echo "bench: ingest" >&2
while read -r name rate; do
  [ "$name" = "BM_UpsertLtpsBatch/3000" ] && add "SQLite ingest, 3000-row upserts" "$rate" "rows/s"
done < <(gbench ingest_bench)

echo "bench: square-off against kite_sim" >&2
"$BUILD_DIR/tests/squareoff_test" --gtest_filter='*MeasureTwentyPositions*' >"$out/squareoff.log" 2>&1 || true
measure() {  # measure LINE_PATTERN FIELD -> the number after FIELD on the matching line
  grep "\[measure\] $1" "$out/squareoff.log" | grep -o "$2 [0-9]*" | grep -o '[0-9]*$' | head -1
}
add "20 positions / 40 slices: breach -> first order" "$(measure '20 positions / 40 slices:' 'first order')" ms
add "20 positions / 40 slices: breach -> verified flat" "$(measure '20 positions / 40 slices:' 'verified flat')" ms
add "same, positions lagging 2 s: breach -> first order" "$(measure '20 positions / 40 slices, positions lag' 'first order')" ms
add "same, positions lagging 2 s: breach -> verified flat" "$(measure '20 positions / 40 slices, positions lag' 'verified flat')" ms

echo "bench: breach -> first order, whole suite" >&2
trials=20
[ $quick = 1 ] && trials=3
for interval in 3 0.25; do
  ZM_FASTPATH_INTERVAL=$interval ZM_FASTPATH_TRIALS=$trials "$BUILD_DIR/tests/mtm_monitor_test" \
    --gtest_also_run_disabled_tests --gtest_filter='FastPath*Measure*' >"$out/fastpath_$interval.log" 2>&1 || true
  line=$(grep '\[measure\] breach->first order' "$out/fastpath_$interval.log" || true)
  p50=$(echo "$line" | grep -o 'p50 [0-9]*' | grep -o '[0-9]*$')
  p90=$(echo "$line" | grep -o 'p90 [0-9]*' | grep -o '[0-9]*$')
  add "breach -> first order, cycle ${interval} s, p50 ($trials trials)" "$p50" ms
  add "breach -> first order, cycle ${interval} s, p90 ($trials trials)" "$p90" ms
done

echo "bench: MTM cycle" >&2
while read -r name rate; do
  n=${name##*/}
  case "$name" in
    BM_ComputeMtm/*) add "MTM computation, $n positions (pure)" "$(per_op_us "$rate")" "us" ;;
    BM_QuickCycleReads/*) add "quick cycle (DB reads + MTM), $n positions" "$(per_op_us "$rate")" "us" ;;
    BM_FullReadCycle/*) add "full cycle reads (positions re-read + MTM), $n positions" \
      "$(per_op_us "$rate")" "us" ;;
  esac
done < <(gbench mtm_cycle_bench)

echo "bench: ingest end to end for ${ingest_seconds} s" >&2
declare -A ingest
while read -r key value; do ingest[$key]=$value; done \
  < <(bench/ingest_e2e.sh "$BUILD_DIR/bin" "$ingest_seconds" "$out/ingest" 2>"$out/ingest.err" || true)
add "ingest e2e (3000 instruments, full mode): ticks decoded" "${ingest[ticks_per_s]:-}" "ticks/s"
add "ingest e2e: rows committed (latest per instrument, 50 ms batches)" "${ingest[rows_per_s]:-}" rows/s
add "ingest e2e: tick received -> row committed, p50" "${ingest[tick_to_commit_p50_ms]:-}" ms
add "ingest e2e: tick received -> row committed, p99" "${ingest[tick_to_commit_p99_ms]:-}" ms
add "ingest e2e: subscriber CPU" "${ingest[subscriber_cpu_percent]:-}" "% of a core"

echo "bench: idle suite for ${idle_seconds} s" >&2
declare -A idle
total_rss=0 total_pss=0 total_cpu=0
while read -r key a b c; do
  case $key in
    runner | ltp_subscriber | mtm_monitor)
      add "idle RSS, $key" "$(kb_to_mb "$a")" MB
      add "idle PSS, $key" "$(kb_to_mb "$b")" MB
      add "idle CPU, $key" "$c" "% of a core"
      total_rss=$((total_rss + a)) total_pss=$((total_pss + b))
      total_cpu=$(awk -v x="$total_cpu" -v y="$c" 'BEGIN {printf "%.2f", x + y}') ;;
    *) idle[$key]=$a ;;
  esac
done < <(bench/idle.sh "$BUILD_DIR/bin" "$idle_seconds" "$out/idle" 2>"$out/idle.err" || true)
add "idle RSS, all three" "$(kb_to_mb "$total_rss")" MB
add "idle PSS, all three (shared library pages counted once)" "$(kb_to_mb "$total_pss")" MB
add "idle CPU, all three" "$total_cpu" "% of a core"
add "idle REST calls (all endpoints)" "${idle[rest_calls_per_min]:-}" calls/min
add "start -> first MTM cycle (runner launched, pre-flight check included)" \
  "${idle[start_to_first_cycle_ms]:-}" ms
add "monitor process start -> first MTM cycle" "${idle[monitor_start_to_first_cycle_ms]:-}" ms

echo "bench: scripts/demo.sh on a warm machine" >&2
demo_start=$(date +%s%3N) demo_first=""
while IFS= read -r line; do
  [ -z "$demo_first" ] && case $line in "demo"* | *"kite_sim"*) demo_first=$(date +%s%3N) ;; esac
done < <(scripts/demo.sh 2>&1 || true)
demo_end=$(date +%s%3N)
add "scripts/demo.sh, warm: to the demo's first line" "$((${demo_first:-$demo_end} - demo_start))" ms
add "scripts/demo.sh, warm: whole simulated session" "$((demo_end - demo_start))" ms

# results.json and results.md
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME")"
{
  printf '{"date":"%s","commit":"%s","machine":"%s","quick":%s,"figures":[' \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$commit" "$machine" "$([ $quick = 1 ] && echo true || echo false)"
  sep=""
  for f in "${figures[@]}"; do
    IFS='|' read -r name value unit <<<"$f"
    printf '%s{"name":"%s","value":%s,"unit":"%s"}' "$sep" "$name" "${value:-null}" "$unit"
    sep=","
  done
  printf ']}\n'
} >"$out/results.json"
{
  echo "Machine: $machine; commit $commit; $(date -u +%Y-%m-%d)$([ $quick = 1 ] && echo ' (--quick)')"
  echo
  echo "| figure | value | unit |"
  echo "|---|---:|---|"
  for f in "${figures[@]}"; do
    IFS='|' read -r name value unit <<<"$f"
    echo "| $name | ${value:-n/a} | $unit |"
  done
} >"$out/results.md"
cat "$out/results.md"
