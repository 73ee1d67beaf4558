#include "common/kite/instruments.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace zm::kite {
namespace {

const char kHeader[] =
    "instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,"
    "lot_size,instrument_type,segment,exchange\n";

TEST(InstrumentsTest, BothFixturesParse) {
  for (const char* name : {"instruments_nse.csv", "instruments_all.csv"}) {
    const std::string csv = testing::ReadFixture(name);
    ASSERT_FALSE(csv.empty()) << name;
    auto instruments = ParseInstrumentsCsv(csv);
    ASSERT_TRUE(instruments.ok()) << name << ": " << instruments.status().ToString();
    EXPECT_EQ(instruments->size(), 99u) << name;
    const Instrument& first = instruments->front();
    EXPECT_EQ(first.instrument_token, 3813889u);
    EXPECT_EQ(first.exchange_token, 14898u);
    EXPECT_EQ(first.tradingsymbol, "CENTRALBK-BE");
    EXPECT_EQ(first.name, "CENTRAL BANK OF INDIA");
    EXPECT_DOUBLE_EQ(first.tick_size, 0.05);
    EXPECT_EQ(first.lot_size, 1);
    EXPECT_EQ(first.segment, "NSE");
    for (const Instrument& i : *instruments) {
      // instrument_token == exchange_token * 256 + segment id
      EXPECT_EQ(i.instrument_token >> 8, i.exchange_token) << i.tradingsymbol;
    }
    auto again = ParseInstrumentsCsv(InstrumentsToCsv(*instruments));
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, *instruments) << name;
  }
}

TEST(InstrumentsTest, OptionRowFields) {
  auto instruments = ParseInstrumentsCsv(testing::ReadFixture("instruments_all.csv"));
  ASSERT_TRUE(instruments.ok());
  const Instrument* option = nullptr;
  for (const Instrument& i : *instruments) {
    if (i.tradingsymbol == "BANKNIFTY18JAN23500CE") option = &i;
  }
  ASSERT_NE(option, nullptr);
  EXPECT_EQ(option->instrument_token, 12073986u);
  EXPECT_EQ(option->name, "");
  EXPECT_DOUBLE_EQ(option->last_price, 2528.4);
  EXPECT_EQ(option->expiry, "2018-01-25");
  EXPECT_DOUBLE_EQ(option->strike, 23500);
  EXPECT_EQ(option->lot_size, 40);
  EXPECT_EQ(option->instrument_type, "CE");
  EXPECT_EQ(option->segment, "NFO-OPT");
  EXPECT_EQ(option->exchange, "NFO");
}

TEST(InstrumentsTest, QuotedFieldsCrlfAndColumnOrder) {
  const std::string csv =
      "exchange,segment,instrument_type,lot_size,tick_size,strike,expiry,last_price,name,"
      "tradingsymbol,exchange_token,instrument_token\r\n"
      "NFO,NFO-OPT,CE,75,0.05,24000.0,2026-12-29,123.4,\"NIFTY, \"\"50\"\"\nX\","
      "NIFTY26DEC24000CE,54321,13906178\r\n"
      "\r\n";
  auto instruments = ParseInstrumentsCsv(csv);
  ASSERT_TRUE(instruments.ok()) << instruments.status().ToString();
  ASSERT_EQ(instruments->size(), 1u);
  const Instrument& i = instruments->front();
  EXPECT_EQ(i.name, "NIFTY, \"50\"\nX");
  EXPECT_EQ(i.tradingsymbol, "NIFTY26DEC24000CE");
  EXPECT_EQ(i.lot_size, 75);
  EXPECT_EQ(i.instrument_token, 13906178u);
  auto again = ParseInstrumentsCsv(InstrumentsToCsv(*instruments));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, *instruments);
}

void ExpectError(const std::string& csv, const std::string& needle1, const std::string& needle2) {
  auto result = ParseInstrumentsCsv(csv);
  ASSERT_FALSE(result.ok()) << csv;
  EXPECT_EQ(result.status().code(), StatusCode::kParseError);
  EXPECT_NE(result.status().message().find(needle1), std::string::npos)
      << result.status().message();
  EXPECT_NE(result.status().message().find(needle2), std::string::npos)
      << result.status().message();
}

// A row that cannot be used is skipped and counted, naming its line and column; the rows
// around it are kept.
void ExpectSkipped(const std::string& bad_row, const std::string& needle1,
                   const std::string& needle2) {
  const std::string good = "408065,1594,INFY,INFOSYS,0.0,,0.0,0.05,1,EQ,NSE,NSE\n";
  const std::string after = "408321,1595,TCS,TCS,0.0,,0.0,0.05,1,EQ,NSE,NSE\n";
  CsvSkips skips;
  auto result = ParseInstrumentsCsv(std::string(kHeader) + good + bad_row + after, &skips);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(skips.count, 1) << bad_row;
  ASSERT_EQ(skips.first_reasons.size(), 1u) << bad_row;
  EXPECT_NE(skips.first_reasons[0].find(needle1), std::string::npos) << skips.first_reasons[0];
  EXPECT_NE(skips.first_reasons[0].find(needle2), std::string::npos) << skips.first_reasons[0];
  ASSERT_EQ(result->size(), 2u) << bad_row;
  EXPECT_EQ((*result)[0].tradingsymbol, "INFY");
  EXPECT_EQ((*result)[1].tradingsymbol, "TCS");
}

TEST(InstrumentsTest, MalformedRowsAreSkippedNamingLineAndColumn) {
  ExpectSkipped("40806x,1594,INFY,I,0,,0,0.05,1,EQ,NSE,NSE\n", "line 3", "instrument_token");
  ExpectSkipped("408065,1594,INFY,I,0,,0,0.05,zero,EQ,NSE,NSE\n", "line 3", "column 9");
  ExpectSkipped("408065,1594,INFY,I,0,,0,,1,EQ,NSE,NSE\n", "line 3", "tick_size");
  ExpectSkipped("408065,1594,INFY,I,0,,0,-0.05,1,EQ,NSE,NSE\n", "line 3", "tick_size");
  ExpectSkipped("408065,1594,INFY,I,0,,0,0.05,-1,EQ,NSE,NSE\n", "line 3", "lot_size");
  ExpectSkipped("408065,1594,INFY,I,abc,,0,0.05,1,EQ,NSE,NSE\n", "line 3", "last_price");
  ExpectSkipped("408065,1594,INFY,I,0,,0,0.05,1,EQ,NSE\n", "line 3", "11 fields");
  ExpectSkipped("408065,1594,INFY,\"I\"x,0,,0,0.05,1,EQ,NSE,NSE\n", "line 3",
                "after a closing quote");
  ExpectSkipped("-1,1594,INFY,I,0,,0,0.05,1,EQ,NSE,NSE\n", "line 3", "instrument_token");
  ExpectSkipped("99999999999,1594,INFY,I,0,,0,0.05,1,EQ,NSE,NSE\n", "line 3", "instrument_token");
  ExpectSkipped("408065,1594,,I,0,,0,0.05,1,EQ,NSE,NSE\n", "line 3", "tradingsymbol");
}

TEST(InstrumentsTest, UnterminatedQuoteSkipsTheRestNotTheFile) {
  CsvSkips skips;
  auto result = ParseInstrumentsCsv(std::string(kHeader) +
                                        "408065,1594,INFY,I,0,,0,0.05,1,EQ,NSE,NSE\n"
                                        "408065,1594,INFY,\"I,0,,0,0.05,1,EQ,NSE,NSE\n",
                                    &skips);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->size(), 1u);
  EXPECT_EQ(skips.count, 1);
  EXPECT_NE(skips.first_reasons.at(0).find("unterminated"), std::string::npos);
}

// Kite's real dump: index rows have tick_size and lot_size 0, and some F&O rows an empty name.
TEST(InstrumentsTest, IndexRowsWithZeroTickAndLotAreKeptAsUnknown) {
  CsvSkips skips;
  auto result =
      ParseInstrumentsCsv(std::string(kHeader) +
                              "256265,1001,NIFTY 50,NIFTY 50,0.0,,0.0,0.0,0,EQ,INDICES,NSE\n"
                              "12073986,47164,BANKNIFTY18JAN23500CE,,2528.4,2018-01-25,23500.0,0."
                              "05,40,CE,NFO-OPT,NFO\n",
                          &skips);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(skips.count, 0);
  ASSERT_EQ(result->size(), 2u);
  EXPECT_EQ((*result)[0].tick_size, 0);
  EXPECT_EQ((*result)[0].lot_size, 0);
  EXPECT_EQ((*result)[1].name, "");
  EXPECT_EQ((*result)[1].lot_size, 40);
}

TEST(InstrumentsTest, HeaderProblemsFailTheFile) {
  ExpectError("instrument_token,tradingsymbol\n1,X\n", "header", "exchange_token");
  ExpectError("", "header", "instrument_token");
}

TEST(InstrumentsTest, IndexRowsAndEmptyNamesOfTheRealDumpParse) {
  auto instruments = ParseInstrumentsCsv(testing::ReadLocalFixture("instruments_real_rows.csv"));
  ASSERT_TRUE(instruments.ok()) << instruments.status().ToString();
  ASSERT_EQ(instruments->size(), 9u);
  const Instrument& nifty = instruments->at(0);
  EXPECT_EQ(nifty.instrument_token, 256265u);
  EXPECT_EQ(nifty.tradingsymbol, "NIFTY 50");
  EXPECT_EQ(nifty.segment, "INDICES");
  EXPECT_EQ(nifty.tick_size, 0);
  EXPECT_EQ(nifty.lot_size, 0);
  EXPECT_EQ(instruments->at(3).exchange, "BSE");
  EXPECT_EQ(instruments->at(4).name, "");  // option rows without a name
  EXPECT_EQ(instruments->at(4).lot_size, 40);
  // Written back, the index rows are byte for byte what the dump has.
  const std::string csv = InstrumentsToCsv(*instruments);
  EXPECT_NE(csv.find("\n256265,1001,NIFTY 50,NIFTY 50,0.0,,0.0,0.0,0,EQ,INDICES,NSE\n"),
            std::string::npos);
}

TEST(InstrumentsTest, HeaderOnlyIsEmptyList) {
  auto instruments = ParseInstrumentsCsv(kHeader);
  ASSERT_TRUE(instruments.ok());
  EXPECT_TRUE(instruments->empty());
  EXPECT_EQ(InstrumentsToCsv({}), kHeader);
}

}  // namespace
}  // namespace zm::kite
