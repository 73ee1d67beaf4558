// End to end, a real account's book (issue #10): the real zerodha_mtm_monitor binary against the
// in-process simulator holding a carried NRML long, a carried short partly closed today, today's
// MIS and a sale from holdings. Prices are pinned (POST /_sim/price) before MTM is compared to
// the simulator's own m2m and pnl sums.
#include <cmath>
#include <map>
#include <string>

#include "cycle_e2e_fixture.h"

namespace zm::testing {
namespace {

constexpr const char* kMixedBook = R"(holdings:
  - {exchange: NSE, tradingsymbol: INFY, isin: INE009A01021, quantity: 100, average_price: 1400}
positions:
  - {exchange: NFO, tradingsymbol: NIFTY26DEC24000CE, product: NRML, quantity: 75,
     carried: true, entry_price: 100, close: 110}
  - {exchange: NFO, tradingsymbol: NIFTY26DEC24000PE, product: NRML, quantity: -150,
     carried: true, entry_price: 90, close: 100}
  - {exchange: NFO, tradingsymbol: NIFTY26DEC24000PE, product: NRML, quantity: 75, price: 96}
  - {exchange: NSE, tradingsymbol: INFY, product: MIS, quantity: 10, price: 1495}
)";

double Number(const nlohmann::json& j, const char* key) {
  return j.contains(key) && j[key].is_number() ? j[key].get<double>() : std::nan("");
}

class AccountE2eTest : public CycleE2eTest {
 protected:
  void StartMixedBook() {
    sim_.reset();  // the fixture's default book is replaced by the mixed one
    std::string yaml = ReadScenario("test_basic.yaml");
    yaml.replace(yaml.find("positions: []"), 13, kMixedBook);
    auto sim = SimHarness::Start(yaml);
    ASSERT_TRUE(sim.ok()) << sim.status().ToString();
    sim_ = std::move(sim).value();
    // The sale from holdings, made in the Kite app: 40 of the 100 INFY shares.
    auto sale = sim_->Control("POST", "/_sim/position",
                              {{"exchange", "NSE"},
                               {"tradingsymbol", "INFY"},
                               {"product", "CNC"},
                               {"quantity", -40},
                               {"price", 1500}});
    ASSERT_TRUE(sale.ok()) << sale.status().ToString();
    for (const auto& [key, price] : std::map<std::string, double>{
             {"NFO:NIFTY26DEC24000CE", 120}, {"NFO:NIFTY26DEC24000PE", 95.5}, {"NSE:INFY", 1500}}) {
      ASSERT_TRUE(sim_->SetPrice(key, price).ok());  // pinned: MTM compared to the paisa
    }
  }
  // The simulator's sums of `field` ("m2m" | "pnl") over every net row but the holding sale.
  double SimSum(const char* field) {
    auto state = sim_->State();
    if (!state.ok()) return std::nan("");
    double sum = 0;
    for (const auto& p : (*state)["positions"]["net"]) {
      if (p.value("product", "") == "CNC" && p.value("quantity", 0LL) < 0) continue;
      sum += Number(p, field);
    }
    return sum;
  }
  long long NetOf(const std::string& symbol, const std::string& product) {
    auto state = sim_->State();
    if (!state.ok()) return -999999;
    long long qty = 0;
    for (const auto& p : (*state)["positions"]["net"]) {
      if (p.value("tradingsymbol", "") == symbol && p.value("product", "") == product) {
        qty += p.value("quantity", 0LL);
      }
    }
    return qty;
  }
  // Quantity sent per "SYMBOL:PRODUCT:SIDE" (every order POST of the simulator's log).
  std::map<std::string, long long> Sent() {
    std::map<std::string, long long> sent;
    for (const auto& r : sim_->OrderLog()) {
      if (r.value("method", "") != "POST" || !r.contains("params")) continue;
      const auto& p = r["params"];
      const std::string key = p.value("tradingsymbol", "") + ":" + p.value("product", "") + ":" +
                              p.value("transaction_type", "");
      sent[key] += std::stoll(p.value("quantity", std::string("0")));
    }
    return sent;
  }
};

TEST_F(AccountE2eTest, BothBasesEqualTheSimulatorsSumsAndTheHoldingSaleIsApart) {
  StartMixedBook();
  StartMonitor("trading: {mtm_loss_threshold: -50000, daily_max_profit_target: 50000}\n");
  const double day = SimSum("m2m"), since_entry = SimSum("pnl");
  ASSERT_FALSE(std::isnan(day));
  ASSERT_GT(std::fabs(day - since_entry), 100);  // the book makes the bases differ
  ASSERT_TRUE(WaitUntil(
      [&] {
        auto s = Snapshot();
        return s && std::fabs(Number(*s, "mtm_day") - day) < 0.01 &&
               std::fabs(Number(*s, "mtm_since_entry") - since_entry) < 0.01;
      },
      seconds(20)))
      << "sim m2m " << day << " pnl " << since_entry << "\n"
      << Snapshot().value_or(nullptr).dump() << monitor_->ReadStderr();
  const nlohmann::json s = *Snapshot();
  EXPECT_EQ(s["mtm_basis"], "day");
  EXPECT_NEAR(Number(s, "mtm"), day, 0.01);
  int sold = 0;
  for (const auto& p : s["positions"]) {
    if (p["scope"] == "sold_from_holdings") {
      ++sold;
      EXPECT_EQ(p["tradingsymbol"], "INFY");
      EXPECT_EQ(p["product"], "CNC");
    }
  }
  EXPECT_EQ(sold, 1);
  EXPECT_TRUE(sim_->OrderLog().empty());
}

TEST_F(AccountE2eTest, ABreachClosesTheNetFnoAndIntradayQuantitiesAndNeverTheHoldingSale) {
  StartMixedBook();
  StartMonitor("trading: {mtm_loss_threshold: -5000, daily_max_profit_target: 50000}\n");
  ASSERT_TRUE(WaitUntil([&] { return StdoutHas("state=monitoring positions=3"); }, seconds(20)))
      << monitor_->ReadStdout() << monitor_->ReadStderr();
  // The carried long falls from its previous close of 110 to 30: the day's MTM -6,000 and less.
  ASSERT_TRUE(sim_->SetPrice("NFO:NIFTY26DEC24000CE", 30).ok());
  ASSERT_TRUE(WaitUntil(
      [&] {
        return NetOf(kCe, "NRML") == 0 && NetOf(kPe, "NRML") == 0 && NetOf("INFY", "MIS") == 0;
      },
      seconds(30)))
      << monitor_->ReadStderr();
  ASSERT_TRUE(WaitUntil(
      [&] {
        auto snap = Snapshot();
        return snap && (*snap)["state"] == "locked_after_loss";
      },
      seconds(10)))
      << Snapshot().value_or(nullptr).dump();
  const std::map<std::string, long long> expected = {
      {std::string(kCe) + ":NRML:SELL", 75},
      {std::string(kPe) + ":NRML:BUY", 75},
      {"INFY:MIS:SELL", 10},
  };
  EXPECT_EQ(Sent(), expected);
  EXPECT_EQ(NetOf("INFY", "CNC"), -40);  // the sale from holdings stands
}

}  // namespace
}  // namespace zm::testing
