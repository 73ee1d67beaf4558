// ParseInstrumentsCsv (GET /instruments): any bytes give instruments or an error; what parses
// is written back with InstrumentsToCsv and parses to the same instruments.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/kite/instruments.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view csv(reinterpret_cast<const char*>(data), size);
  auto parsed = zm::kite::ParseInstrumentsCsv(csv);
  if (!parsed.ok()) return 0;
  auto again = zm::kite::ParseInstrumentsCsv(zm::kite::InstrumentsToCsv(*parsed));
  if (!again.ok() || *again != *parsed) std::abort();
  return 0;
}
