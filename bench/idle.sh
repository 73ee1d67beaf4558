#!/usr/bin/env bash
# The idle suite measure (scripts/bench.sh; also run alone while profiling): kite_sim with
# bench/idle.yaml (positions open, prices ticking once a second, no trigger), the whole suite
# started by zerodha_runner, then RSS and CPU per process over SECONDS and REST calls/min.
#   bench/idle.sh BIN_DIR SECONDS OUT_DIR [HOLD]
# Prints "role rss_kb pss_kb cpu_percent" lines (runner, ltp_subscriber, mtm_monitor; PSS
# shares each shared library page among the processes mapping it, so the sum of PSS is what the
# suite really holds, while the sum of RSS counts libstdc++, libcrypto, SQLite... three times),
# "rest_calls_per_min N", "start_to_first_cycle_ms N" (zerodha_runner start launched -> the
# monitor's first MTM line, pre-flight check included) and "monitor_start_to_first_cycle_ms N". HOLD=1 leaves the suite running and prints its pids (for perf/strace)
# and waits for a line on stdin before stopping it.
set -euo pipefail
bin=$1 seconds=$2 out=$3 hold=${4:-0}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
mkdir -p "$out"
"$bin/kite_sim" --port 0 --scenario "$here/idle.yaml" --log-level debug \
  >"$out/kite_sim.out" 2>"$out/kite_sim.log" &
sim=$!
port=$(port_of "$out/kite_sim.out")
write_suite_config "$out" "$port" "$port"
launched_ms=$(date +%s%3N)
"$bin/zerodha_runner" --config "$out/config.yaml" start >"$out/runner.out" 2>&1 &
runner=$!
stop() {
  kill -TERM "$runner" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$runner" 2>/dev/null || break; sleep 0.1; done
  kill -TERM "$sim" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT
sleep 5  # start-up, first positions read, instruments
child_pid() { pgrep -P "$runner" -f "zerodha_$1" | head -1; }
sub=$(child_pid ltp_subscriber) mon=$(child_pid mtm_monitor)
if [ "$hold" = 1 ]; then
  echo "pids runner=$runner ltp_subscriber=$sub mtm_monitor=$mon kite_sim=$sim"
  read -r _
  exit 0
fi
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
pss_kb() { awk '/^Pss:/ {print $2}' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }
hz=$(getconf CLK_TCK)
declare -A t0
for p in "$runner" "$sub" "$mon"; do t0[$p]=$(ticks "$p"); done
rest0=$(grep -c 'kite_sim: ' "$out/kite_sim.log" || true)
sleep "$seconds"
rest1=$(grep -c 'kite_sim: ' "$out/kite_sim.log" || true)
for role in runner ltp_subscriber mtm_monitor; do
  case $role in runner) p=$runner ;; ltp_subscriber) p=$sub ;; mtm_monitor) p=$mon ;; esac
  echo "$role $(rss_kb "$p") $(pss_kb "$p") $(awk -v a="${t0[$p]}" -v b="$(ticks "$p")" -v hz="$hz" \
    -v s="$seconds" 'BEGIN {printf "%.2f", (b - a) * 100 / hz / s}')"
done
awk -v n=$((rest1 - rest0)) -v s="$seconds" 'BEGIN {printf "rest_calls_per_min %.1f\n", n * 60 / s}'
# Log times are ISO 8601 with their offset: GNU date reads them as they are.
ms_of() { date -d "$1" +%s%3N; }
first_cycle=$(grep -m1 '\[mtm_monitor\] .* MTM ' "$out/system_runner.log" | cut -d' ' -f1)
monitor_start=$(head -1 "$out/mtm_monitor.log" | cut -d' ' -f1)
if [ -n "$first_cycle" ] && [ -n "$monitor_start" ]; then
  echo "start_to_first_cycle_ms $(($(ms_of "$first_cycle") - launched_ms))"
  echo "monitor_start_to_first_cycle_ms $(($(ms_of "$first_cycle") - $(ms_of "$monitor_start")))"
fi
