#include "kite_sim/market.h"

#include <algorithm>
#include <cmath>

namespace zm::sim {

double RoundToTick(double price, double tick_size) {
  if (tick_size <= 0) return price;
  const double ticks = std::round(price / tick_size);
  // Round the result to 1e-8 so that 0.05 steps print as 123.45, not 123.45000000000002.
  return std::round(ticks * tick_size * 1e8) / 1e8;
}

Market::Market(const std::vector<SimInstrument>& instruments, uint64_t seed)
    : instruments_(instruments),
      states_(instruments.size()),
      rng_(seed),
      depth_rng_(seed ^ 0x9e3779b97f4a7c15ULL) {
  for (size_t i = 0; i < instruments_.size(); ++i) {
    const SimInstrument& s = instruments_[i];
    by_key_[s.key()] = i;
    by_token_[s.instrument.instrument_token] = i;
    const double start = RoundToTick(s.start_price, s.instrument.tick_size);
    states_[i] = State{start, start, start, start, 0, 0, false, 0, {}};
    RefreshDepth(i);
  }
}

void Market::RefreshDepth(size_t index) {
  const SimInstrument& s = instruments_[index];
  states_[index].depth = MakeDepth(states_[index].ltp, s.instrument.tick_size,
                                   s.instrument.lot_size, s.depth_lots, depth_rng_);
}

double Market::BasePrice(const SimInstrument& s, double seconds) const {
  double prev_t = 0, prev_p = s.start_price;
  for (const PricePoint& p : s.path.points) {
    if (seconds <= p.at_seconds) {
      if (p.at_seconds <= prev_t) return p.price;
      return prev_p + (p.price - prev_p) * (seconds - prev_t) / (p.at_seconds - prev_t);
    }
    prev_t = p.at_seconds;
    prev_p = p.price;
  }
  return prev_p;
}

void Market::Advance(double seconds) {
  std::normal_distribution<double> normal(0.0, 1.0);
  for (size_t i = 0; i < instruments_.size(); ++i) {
    State& st = states_[i];
    const SimInstrument& s = instruments_[i];
    const double dt = std::max(0.0, seconds - st.last_seconds);
    st.last_seconds = seconds;
    const bool moves =
        !s.path.points.empty() || s.path.volatility != 0 || s.path.drift_per_second != 0;
    if (!st.pinned && moves) {
      if (s.path.volatility > 0 || s.path.drift_per_second != 0) {
        st.walk += s.path.drift_per_second * dt + s.path.volatility * std::sqrt(dt) * normal(rng_);
      }
      Update(i, BasePrice(s, seconds) + st.walk);
    }
    RefreshDepth(i);  // every market tick brings fresh liquidity, moved or not
  }
}

void Market::Update(size_t index, double price) {
  const double tick = instruments_[index].instrument.tick_size;
  price = std::max(tick, RoundToTick(price, tick));
  State& st = states_[index];
  if (price == st.ltp) return;
  st.ltp = price;
  st.high = std::max(st.high, price);
  st.low = std::min(st.low, price);
  st.volume += static_cast<uint32_t>(instruments_[index].instrument.lot_size);
  changed_.insert(instruments_[index].instrument.instrument_token);
}

bool Market::SetPrice(const std::string& key, double price) {
  auto it = by_key_.find(key);
  if (it == by_key_.end() || price <= 0) return false;
  states_[it->second].pinned = true;
  Update(it->second, price);
  RefreshDepth(it->second);
  // A test setting the same price again still expects a tick.
  changed_.insert(instruments_[it->second].instrument.instrument_token);
  return true;
}

void Market::StartDay(const std::map<std::string, double>& closes) {
  for (size_t i = 0; i < instruments_.size(); ++i) {
    State& st = states_[i];
    auto close = closes.find(instruments_[i].key());
    instruments_[i].close_price = close != closes.end() ? close->second : st.ltp;
    st.open = st.high = st.low = st.ltp;
    st.volume = 0;
  }
}

const SimInstrument* Market::Find(const std::string& key) const {
  auto it = by_key_.find(key);
  return it == by_key_.end() ? nullptr : &instruments_[it->second];
}

const SimInstrument* Market::FindByToken(uint32_t token) const {
  auto it = by_token_.find(token);
  return it == by_token_.end() ? nullptr : &instruments_[it->second];
}

std::optional<double> Market::Ltp(const std::string& key) const {
  auto it = by_key_.find(key);
  if (it == by_key_.end()) return std::nullopt;
  return states_[it->second].ltp;
}

double Market::LtpByToken(uint32_t token) const {
  auto it = by_token_.find(token);
  return it == by_token_.end() ? 0 : states_[it->second].ltp;
}

std::set<uint32_t> Market::TakeChanged() {
  std::set<uint32_t> out;
  out.swap(changed_);
  return out;
}

DepthBook Market::Depth(uint32_t token) const {
  auto it = by_token_.find(token);
  return it == by_token_.end() ? DepthBook{} : states_[it->second].depth;
}

std::vector<Execution> Market::Take(uint32_t token, bool buy, double limit_price,
                                    long long max_quantity) {
  auto it = by_token_.find(token);
  if (it == by_token_.end()) return {};
  return TakeDepth(&states_[it->second].depth, buy, limit_price, max_quantity);
}

Market::DayStats Market::Stats(uint32_t token) const {
  auto it = by_token_.find(token);
  if (it == by_token_.end()) return {};
  const State& st = states_[it->second];
  return {st.open, st.high, st.low, st.volume};
}

std::map<std::string, double> Market::AllLtps() const {
  std::map<std::string, double> out;
  for (size_t i = 0; i < instruments_.size(); ++i) out[instruments_[i].key()] = states_[i].ltp;
  return out;
}

kite::Tick Market::MakeTick(uint32_t token, kite::TickMode mode, int64_t epoch_seconds) const {
  kite::Tick t;
  t.instrument_token = token;
  t.mode = mode;
  auto it = by_token_.find(token);
  if (it == by_token_.end()) return t;
  const SimInstrument& s = instruments_[it->second];
  const State& st = states_[it->second];
  t.tradable = kite::SegmentOf(token) != kite::kIndices;
  t.last_price = st.ltp;
  if (mode == kite::TickMode::kLtp) return t;
  t.open = st.open;
  t.high = st.high;
  t.low = st.low;
  t.close = s.close_price;
  if (!t.tradable) {
    t.change = st.ltp - s.close_price;
  } else {
    t.last_traded_quantity = static_cast<uint32_t>(s.instrument.lot_size);
    t.average_traded_price =
        RoundToTick((st.open + st.high + st.low + st.ltp) / 4, s.instrument.tick_size);
    t.volume = st.volume;
    for (int level = 0; level < 5; ++level) {
      t.total_buy_quantity += st.depth.bids[level].quantity;
      t.total_sell_quantity += st.depth.offers[level].quantity;
    }
  }
  if (mode != kite::TickMode::kFull) return t;
  t.exchange_timestamp = epoch_seconds;
  if (!t.tradable) return t;
  t.last_trade_time = epoch_seconds;
  t.bids = st.depth.bids;
  t.offers = st.depth.offers;
  return t;
}

}  // namespace zm::sim
