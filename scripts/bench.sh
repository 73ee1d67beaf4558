#!/usr/bin/env bash
# Runs every benchmark and writes build/bench/results.json and build/bench/results.md (the table
# README's "Performance" section shows). Figures, never assertions: nothing here fails on speed.
#   scripts/bench.sh [--quick]    --quick: short runs (about 2 minutes in all; CI keeps the JSON)
# Parts: tick decode (full/quote/ltp packets/s/core), SQLite ingest (rows/s), the square-off of
# 20 positions / 40 slices against kite_sim (no lag, and positions lagging 2 s: breach -> first
# order, -> verified flat), breach (a price change in kite_sim) -> first order with the whole
# suite at mtm_check_interval 3 s and 0.25 s (20 trials each; 3 with --quick), and the idle suite (RSS, CPU % and REST calls/min per process with
# positions open and prices ticking once a second, bench/idle.yaml).
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
[ "${1:-}" = "--quick" ] && quick=1
scripts/install-deps.sh >/dev/null
scripts/build.sh executables tick_decode_bench ingest_bench squareoff_test mtm_monitor_test \
  >/dev/null
BUILD_DIR=${BUILD_DIR:-build}
out="$BUILD_DIR/bench"
rm -rf "$out" && mkdir -p "$out"
min_time=0.5 idle_seconds=60
[ $quick = 1 ] && min_time=0.1 idle_seconds=15

figures=()  # "name|value|unit" rows, in order
add() { figures+=("$1|$2|$3"); }

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

echo "bench: idle suite for ${idle_seconds} s" >&2
idle="$out/idle"
mkdir -p "$idle"
"$BUILD_DIR/bin/kite_sim" --port 0 --scenario bench/idle.yaml --log-level debug \
  >"$idle/kite_sim.out" 2>"$idle/kite_sim.log" &
sim=$!
port=""
for _ in $(seq 100); do
  port=$(grep -o '"port":[0-9]*' "$idle/kite_sim.out" 2>/dev/null | cut -d: -f2 || true)
  [ -n "$port" ] && break
  sleep 0.1
done
cat >"$idle/config.yaml" <<EOF
zerodha: {api_key: sim_key, access_token_file: access_token.txt,
          api_base_url: "http://127.0.0.1:$port", ws_url: "ws://127.0.0.1:$port/"}
trading: {mtm_loss_threshold: -1000000, daily_max_profit_target: 1000000}
paths: {data_dir: .}
EOF
echo sim_token >"$idle/access_token.txt" && chmod 600 "$idle/access_token.txt"
"$BUILD_DIR/bin/zerodha_runner" --config "$idle/config.yaml" start >"$idle/runner.out" 2>&1 &
runner=$!
sleep 5  # start-up, first positions read, instruments
child_pid() { pgrep -P "$runner" -f "zerodha_$1" | head -1; }
sub=$(child_pid ltp_subscriber) mon=$(child_pid mtm_monitor)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
hz=$(getconf CLK_TCK)
declare -A t0
for p in "$runner" "$sub" "$mon"; do t0[$p]=$(ticks "$p"); done
rest0=$(grep -c 'kite_sim: ' "$idle/kite_sim.log" || true)
sleep "$idle_seconds"
rest1=$(grep -c 'kite_sim: ' "$idle/kite_sim.log" || true)
total_rss=0 total_cpu=0
for role in runner ltp_subscriber mtm_monitor; do
  case $role in runner) p=$runner ;; ltp_subscriber) p=$sub ;; mtm_monitor) p=$mon ;; esac
  rss=$(rss_kb "$p")
  cpu=$(awk -v a="${t0[$p]}" -v b="$(ticks "$p")" -v hz="$hz" -v s="$idle_seconds" \
    'BEGIN {printf "%.2f", (b - a) * 100 / hz / s}')
  add "idle RSS, $role" "$((rss / 1024))" MB
  add "idle CPU, $role" "$cpu" "% of a core"
  total_rss=$((total_rss + rss))
  total_cpu=$(awk -v a="$total_cpu" -v b="$cpu" 'BEGIN {printf "%.2f", a + b}')
done
add "idle RSS, all three" "$((total_rss / 1024))" MB
add "idle CPU, all three" "$total_cpu" "% of a core"
add "idle REST calls (all endpoints)" \
  "$(awk -v n=$((rest1 - rest0)) -v s="$idle_seconds" 'BEGIN {printf "%.1f", n * 60 / s}')" calls/min
kill -TERM "$runner" 2>/dev/null || true
for _ in $(seq 100); do kill -0 "$runner" 2>/dev/null || break; sleep 0.1; done
kill -TERM "$sim" 2>/dev/null || true
wait 2>/dev/null || true

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
