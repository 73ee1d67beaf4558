# Shell helpers shared by the end-to-end bench scripts (sourced, not run).

# port_of FILE: the "port" a server (kite_sim, tick_feeder) prints in its first line; waits up
# to 10 s for it, prints nothing when it never came.
port_of() {
  local p
  for _ in $(seq 100); do
    p=$(grep -o '"port":[0-9]*' "$1" 2>/dev/null | cut -d: -f2 || true)
    [ -n "$p" ] && echo "$p" && return
    sleep 0.1
  done
}

# write_suite_config DIR REST_PORT WS_PORT: DIR/config.yaml for the simulator's account, with
# thresholds no bench reaches, and DIR/access_token.txt (0600).
write_suite_config() {
  cat >"$1/config.yaml" <<CFG
zerodha: {api_key: sim_key, access_token_file: access_token.txt,
          api_base_url: "http://127.0.0.1:$2", ws_url: "ws://127.0.0.1:$3/"}
trading: {mtm_loss_threshold: -1000000, daily_max_profit_target: 1000000}
paths: {data_dir: .}
CFG
  echo sim_token >"$1/access_token.txt" && chmod 600 "$1/access_token.txt"
}
