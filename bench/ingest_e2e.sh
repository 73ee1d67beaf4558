#!/usr/bin/env bash
# End-to-end ingest (scripts/bench.sh): bench/tick_feeder (a minimal Kite ticker replaying
# full-mode frames for 3000 instruments as fast as the client reads them) into the real
# zerodha_ltp_subscriber, with kite_sim serving REST (3000 open positions, so the subscriber
# subscribes 3000 instruments in full mode).
#   bench/ingest_e2e.sh BIN_DIR SECONDS OUT_DIR
# Prints "ticks_per_s N", "rows_per_s N", "tick_to_commit_p50_ms N", "tick_to_commit_p99_ms N",
# "subscriber_cpu_percent N" and "feeder_cpu_percent N". Rates come from the subscriber's own
# heartbeat counters (ticks decoded, rows committed) over the window; the latency is the
# subscriber's tick received -> its row committed, over every committed row since start.
set -euo pipefail
bin=$1 seconds=$2 out=$3
instruments=3000
. "$(dirname "$0")/lib.sh"
mkdir -p "$out"
{
  cat <<'YAML'
credentials: {api_key: sim_key, api_secret: sim_secret, access_token: sim_token, user_id: SIM001}
market: {tick_interval_ms: 60000, heartbeat_interval_ms: 1000, circuit_percent: 20}
broker: {accept_latency_ms: 20, fill_latency_ms: 40}
freeze_limits: {NIFTY: 1800}
instruments:
YAML
  for i in $(seq 1 $instruments); do
    echo "  - {exchange: NFO, tradingsymbol: NIFTY26DEC${i}CE, name: NIFTY, exchange_token: $((70000 + i)), instrument_type: CE, segment: NFO-OPT, expiry: \"2026-12-29\", strike: $i, lot_size: 75, tick_size: 0.05, price: 100.00}"
  done
  echo "positions:"
  for i in $(seq 1 $instruments); do
    echo "  - {exchange: NFO, tradingsymbol: NIFTY26DEC${i}CE, product: NRML, quantity: 75, price: 100.0}"
  done
  echo "faults: []"
} >"$out/scenario.yaml"
"$bin/kite_sim" --port 0 --scenario "$out/scenario.yaml" >"$out/kite_sim.out" 2>"$out/kite_sim.log" &
sim=$!
"$bin/tick_feeder" --port 0 >"$out/feeder.out" 2>"$out/feeder.log" &
feeder=$!
sub=""
stop() {
  [ -n "$sub" ] && kill -TERM "$sub" 2>/dev/null
  kill -TERM "$feeder" "$sim" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT
sim_port=$(port_of "$out/kite_sim.out") feed_port=$(port_of "$out/feeder.out")
write_suite_config "$out" "$sim_port" "$feed_port"
"$bin/zerodha_ltp_subscriber" --config "$out/config.yaml" >"$out/subscriber.out" 2>&1 &
sub=$!
db="$out/zerodha_trading.db"
# "updated_at_ms ticks_received rows_written p50 p99" from the subscriber's heartbeat row.
heartbeat() {
  sqlite3 -readonly "file:$db?mode=ro" "SELECT updated_at_ms, json_extract(details,'\$.ticks_received'),
    json_extract(details,'\$.rows_written'), json_extract(details,'\$.tick_to_db_ms_p50'),
    json_extract(details,'\$.tick_to_db_ms_p99') FROM process_heartbeat
    WHERE component='ltp_subscriber'" 2>/dev/null | tr '|' ' '
}
for _ in $(seq 300); do  # up to 30 s for REST, the subscription and the first ticks
  read -r _ t _ _ _ <<<"$(heartbeat)" || true
  [ "${t:-0}" -gt 0 ] 2>/dev/null && break
  sleep 0.1
done
sleep 2  # past the first rounds
cpu() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
hz=$(getconf CLK_TCK)
read -r u0 t0 r0 _ _ <<<"$(heartbeat)"
c0=$(cpu "$sub") f0=$(cpu "$feeder") w0=$(date +%s%N)
sleep "$seconds"
read -r u1 t1 r1 p50 p99 <<<"$(heartbeat)"
c1=$(cpu "$sub") f1=$(cpu "$feeder") w1=$(date +%s%N)
awk -v t="$((t1 - t0))" -v r="$((r1 - r0))" -v ms="$((u1 - u0))" \
  'BEGIN {printf "ticks_per_s %.0f\nrows_per_s %.0f\n", t * 1000 / ms, r * 1000 / ms}'
echo "tick_to_commit_p50_ms $p50"
echo "tick_to_commit_p99_ms $p99"
awk -v a="$c0" -v b="$c1" -v fa="$f0" -v fb="$f1" -v hz="$hz" -v ns="$((w1 - w0))" 'BEGIN {
  printf "subscriber_cpu_percent %.1f\nfeeder_cpu_percent %.1f\n",
    (b - a) * 100 / hz / (ns / 1e9), (fb - fa) * 100 / hz / (ns / 1e9) }'
