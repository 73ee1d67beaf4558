// The square-off journal as the engine sees it: its rows (JournaledSquareOff, JournaledOrder and
// the order states) are the common journal rows (common/journal/journal_rows.h, shared with the
// square-off report); journal_store.h persists them. Plain values.
#pragma once

#include <string>

#include "common/journal/journal_rows.h"

namespace zm::monitor {

using journal::JournaledOrder;
using journal::JournaledSquareOff;
namespace order_state = journal::order_state;

// "EX:SYM:PRODUCT": one net position.
inline std::string PositionKey(const std::string& exchange, const std::string& tradingsymbol,
                               const std::string& product) {
  return exchange + ":" + tradingsymbol + ":" + product;
}

}  // namespace zm::monitor
