// The page is one raw string: plain DOM calls, no framework, text always set through
// textContent (event messages and symbols came from the network; nothing is parsed as HTML).
#include "runner/dashboard_page.h"

namespace zm::runner {
namespace {

constexpr std::string_view kPage = R"ZMPAGE(<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>zerodha-mtm dashboard</title>
<style>
body{margin:0;font:14px/1.4 "DejaVu Sans",system-ui,sans-serif;background:#0f1419;color:#d8dee6}
header{display:flex;align-items:center;gap:16px;padding:10px 18px;background:#171e26;
  border-bottom:1px solid #27313d}
header h1{font-size:17px;margin:0;font-weight:600}
.badge{padding:2px 10px;border-radius:10px;background:#27313d;font-size:12px}
#conn.live{background:#1d4d2e}#conn.down{background:#6b2323}
main{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:14px;padding:14px 18px}
section{background:#171e26;border:1px solid #27313d;border-radius:6px;padding:10px 14px;
  overflow-x:auto}
section h2{font-size:13px;margin:0 0 8px;color:#8da2b8;text-transform:uppercase;letter-spacing:.5px}
.wide{grid-column:1 / -1}
#mtm-value{font-size:34px;font-weight:700}
.pos{color:#4cc38a}.neg{color:#f2626b}.muted{color:#7d8b99}
.kv{display:flex;flex-wrap:wrap;gap:6px 18px;margin-top:4px;font-size:13px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:3px 8px;border-bottom:1px solid #222b35;white-space:nowrap}
td.wrap{white-space:normal}
th{color:#8da2b8;font-weight:500}td.num,th.num{text-align:right}
#mtm-chart{width:100%;height:280px;display:block}
#events-list{list-style:none;margin:0;padding:0;max-height:260px;overflow:auto;font-size:13px}
#events-list li{padding:2px 0;border-bottom:1px solid #222b35}
.so{margin-bottom:12px}.so h3{font-size:14px;margin:4px 0}
</style></head><body>
<header><h1>zerodha-mtm</h1><span id="state" class="badge">-</span>
<span id="conn" class="badge">connecting</span><span id="updated" class="muted"></span></header>
<main>
<section class="wide"><h2>Today's MTM</h2>
<div><span id="mtm-value" data-mtm="">-</span> <span id="problem" class="muted"></span></div>
<div class="kv" id="limits"></div>
<svg id="mtm-chart" viewBox="0 0 1000 280" preserveAspectRatio="none"></svg></section>
<section><h2>Positions</h2><table id="positions-table"><thead><tr><th>Instrument</th>
<th>Product</th><th class="num">Qty</th><th class="num">LTP</th><th>Source</th><th>Age</th>
<th class="num">P&amp;L</th><th>Scope</th></tr></thead><tbody></tbody></table></section>
<section><h2>Processes</h2><table id="processes-table"><thead><tr><th>Process</th><th>PID</th>
<th>Health</th><th>Heartbeat</th><th>Restarts</th><th>Details</th></tr></thead><tbody></tbody>
</table><div id="runner" class="muted"></div></section>
<section><h2>Square-offs</h2><div id="squareoffs" class="muted">none today</div></section>
<section><h2>Events</h2><ul id="events-list"></ul></section>
</main>
<script>
"use strict";
const $ = id => document.getElementById(id);
const NS = "http://www.w3.org/2000/svg";
const money = new Intl.NumberFormat("en-US", {minimumFractionDigits: 2, maximumFractionDigits: 2});
const rs = v => typeof v === "number" ? "\u20b9" + money.format(v) : "-";
const num = v => typeof v === "number" ? money.format(v) : "-";
const ist = ms => new Date(ms + 19800000).toISOString().substr(11, 8);
const age = s => typeof s !== "number" ? "-" : s < 60 ? s.toFixed(1) + " s" :
  s < 3600 ? Math.floor(s / 60) + " min " + Math.floor(s % 60) + " s" : (s / 3600).toFixed(1) + " h";
const signClass = v => typeof v !== "number" ? "" : v < 0 ? "neg" : v > 0 ? "pos" : "";
function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}
function row(cells) {
  const tr = el("tr");
  for (const c of cells) {
    const td = el("td", c.t, c.c);
    tr.appendChild(td);
  }
  return tr;
}
function fill(tbody, rows) { tbody.replaceChildren(...rows); }
function svg(tag, attrs, text) {
  const e = document.createElementNS(NS, tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  return e;
}
function drawChart(s) {
  const chart = $("mtm-chart"), W = 1000, H = 280, L = 70, R = 130, T = 12, B = 24;
  const pts = (s.curve || []).filter(p => typeof p[1] === "number");
  const lines = [["loss limit", s.loss_threshold, "#f2626b"],
                 ["target", s.profit_target, "#4cc38a"],
                 ["trail floor", s.trailing_floor, "#f0a04b"],
                 ["day max", s.daily_max_mtm, "#5aa9e6"]].filter(l => typeof l[1] === "number");
  const ys = pts.map(p => p[1]).concat(lines.map(l => l[1]), [0]);
  let lo = Math.min(...ys), hi = Math.max(...ys);
  const pad = (hi - lo) * 0.08 || 100; lo -= pad; hi += pad;
  const t0 = pts.length ? pts[0][0] : s.now_ms - 60000;
  const t1 = Math.max(pts.length ? pts[pts.length - 1][0] : s.now_ms, t0 + 30000);
  const clock = t => t1 - t0 < 900000 ? ist(t) : ist(t).substr(0, 5);
  const whole = v => Math.round(v).toLocaleString("en-US");
  const x = t => L + (t - t0) / (t1 - t0) * (W - L - R);
  const y = v => T + (hi - v) / (hi - lo) * (H - T - B);
  const kids = [];
  for (let i = 0; i <= 4; i++) {
    const v = lo + (hi - lo) * i / 4;
    kids.push(svg("line", {x1: L, x2: W - R, y1: y(v), y2: y(v), stroke: "#222b35"}));
    kids.push(svg("text", {x: L - 6, y: y(v) + 4, fill: "#7d8b99", "font-size": 11,
                           "text-anchor": "end"}, whole(v)));
  }
  for (let i = 0; i <= 4; i++) {
    const t = t0 + (t1 - t0) * i / 4;
    kids.push(svg("text", {x: x(t), y: H - 6, fill: "#7d8b99", "font-size": 11,
                           "text-anchor": "middle"}, clock(t)));
  }
  kids.push(svg("line", {x1: L, x2: W - R, y1: y(0), y2: y(0), stroke: "#3a4654"}));
  for (const [name, v, color] of lines) {
    kids.push(svg("line", {x1: L, x2: W - R, y1: y(v), y2: y(v), stroke: color,
                           "stroke-dasharray": "6 4", "stroke-width": 1.5}));
    kids.push(svg("text", {x: W - R + 6, y: y(v) + 4, fill: color, "font-size": 11},
                  name + " " + whole(v)));
  }
  if (pts.length) {
    const d = pts.map(p => x(p[0]).toFixed(1) + "," + y(p[1]).toFixed(1)).join(" ");
    kids.push(svg("polyline", {points: d, fill: "none", stroke: "#e6edf3", "stroke-width": 2,
                               "vector-effect": "non-scaling-stroke"}));
    const last = pts[pts.length - 1];
    kids.push(svg("circle", {cx: x(last[0]), cy: y(last[1]), r: 4,
                             fill: last[1] < 0 ? "#f2626b" : "#4cc38a"}));
  }
  chart.replaceChildren(...kids);
}
function renderHeader(s) {
  $("state").textContent = s.state || "no data";
  $("updated").textContent = typeof s.snapshot_age_s === "number" ?
    "monitor cycle " + age(s.snapshot_age_s) + " ago" : "";
  const v = $("mtm-value");
  v.textContent = rs(s.mtm);
  v.dataset.mtm = typeof s.mtm === "number" ? String(s.mtm) : "";
  v.className = signClass(s.mtm);
  $("problem").textContent = s.available ? "" : (s.problem || "");
  const kv = [["day max", rs(s.daily_max_mtm)], ["loss threshold", rs(s.loss_threshold)],
              ["profit target", rs(s.profit_target)], ["trailing floor", rs(s.trailing_floor)],
              ["basis", s.mtm_basis || "-"], ["realised", rs(s.realised)],
              ["unrealised", rs(s.unrealised)]];
  $("limits").replaceChildren(...kv.map(([k, val]) => {
    const span = el("span"); span.append(el("span", k + " ", "muted"), el("b", val)); return span;
  }));
}
function renderPositions(s) {
  fill($("positions-table").tBodies[0], (s.positions || []).map(p => row([
    {t: p.instrument}, {t: p.product}, {t: p.quantity, c: "num"}, {t: num(p.last_price), c: "num"},
    {t: p.price_source || "-"}, {t: age(p.price_age_s)},
    {t: num(p.pnl), c: "num " + signClass(p.pnl)}, {t: p.scope || "-"}])));
}
function renderProcesses(s) {
  const procs = s.processes || {};
  fill($("processes-table").tBodies[0], Object.keys(procs).map(name => {
    const p = procs[name];
    const details = name === "ltp_subscriber" ?
      "ws " + (p.ws_connected ? "up" : "down") + " \u00b7 tick " + age(p.last_tick_age_s) +
        " ago \u00b7 token " + (p.token_state || "-") :
      (p.state || "-") + " \u00b7 cycle " + age(p.last_cycle_age_s) + " ago";
    return row([{t: name}, {t: p.running ? p.pid : "-"}, {t: p.health || "-"},
                {t: age(p.heartbeat_age_s)}, {t: (p.restarts || 0) + (p.crash_loop ? " LOOP" : "")},
                {t: details, c: "wrap"}]);
  }));
  const r = s.runner || {};
  $("runner").textContent = "runner: " + (r.state || "-") + (r.pid ? " (pid " + r.pid + ")" : "") +
    (s.last_critical && s.last_critical.message ? "; last critical: " + s.last_critical.message : "");
}
function renderEvents(s) {
  $("events-list").replaceChildren(...(s.events || []).map(e => {
    const li = el("li"); li.append(el("span", ist(e.at_ms) + " ", "muted"),
                                   el("b", e.kind + " "), el("span", e.message)); return li;
  }));
}
function renderSquareoffs(s) {
  const box = $("squareoffs"), list = s.squareoffs || [];
  if (!list.length) { box.textContent = "none today"; return; }
  box.replaceChildren(...list.slice().reverse().map(r => {
    const d = el("div", null, "so");
    const ms = v => typeof v === "number" ? v + " ms" : "-";
    d.append(el("h3", "#" + r.id + " " + r.reason + ": " + r.outcome + " at " + ist(r.started_at_ms)));
    d.append(el("div", "MTM at trigger " + rs(r.mtm_at_trigger) + ", exit P&L " + rs(r.exit_pnl) +
      ", slippage " + rs(r.slippage) + "; breach \u2192 first order " +
      ms(r.breach_to_first_order_ms) + ", \u2192 flat " + ms(r.breach_to_flat_ms) + "; " +
      r.orders + " orders, " + r.rejections + " rejected, " + r.reprices + " re-priced"));
    const t = el("table"), head = el("tr");
    for (const h of ["Slice", "Side", "Qty", "Filled", "Trigger", "Fill", "Slippage", "Status"])
      head.appendChild(el("th", h));
    t.appendChild(head);
    for (const sl of r.slices || []) t.appendChild(row([
      {t: sl.instrument}, {t: sl.side}, {t: sl.quantity, c: "num"}, {t: sl.filled, c: "num"},
      {t: num(sl.trigger_price), c: "num"}, {t: num(sl.fill_price), c: "num"},
      {t: num(sl.slippage), c: "num " + signClass(sl.slippage)},
      {t: sl.status + (sl.error ? " (" + sl.error + ")" : "")}]));
    d.append(t);
    return d;
  }));
}
window.zmUpdates = 0;
function render(s) {
  window.zmSnapshot = s;
  renderHeader(s); drawChart(s); renderPositions(s); renderProcesses(s); renderEvents(s);
  renderSquareoffs(s);
  window.zmUpdates++;
}
const token = new URLSearchParams(location.search).get("token") || "";
const source = new EventSource("/events?token=" + encodeURIComponent(token));
source.addEventListener("snapshot", e => {
  $("conn").textContent = "live"; $("conn").className = "badge live";
  try { render(JSON.parse(e.data)); } catch (err) { $("problem").textContent = String(err); }
});
source.onerror = () => { $("conn").textContent = "reconnecting"; $("conn").className = "badge down"; };
</script></body></html>
)ZMPAGE";

}  // namespace

std::string_view DashboardPageHtml() { return kPage; }

}  // namespace zm::runner
