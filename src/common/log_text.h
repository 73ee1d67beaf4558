// SanitizeForLog: makes text that came from the network (Kite error messages, ticker text
// frames, order fields, WebSocket close reasons) safe to put in a log line.
//
// Why: a log line is read by people and by tools. A peer that controls part of a line could
// forge extra lines (CR/LF), drive the terminal (ESC sequences, C1 controls), or flood the log
// with one huge line. Every such text is passed through this one helper before it is logged or
// put into a Status message.
// Rules: printable ASCII and valid UTF-8 are kept; control characters become \n, \r, \t or
// \xNN; bytes that are not valid UTF-8 and C1 controls (U+0080..U+009F) become \xNN; the
// result is at most `max_bytes` bytes plus a "...(N more bytes)" suffix. Pure, thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace zm {

inline constexpr size_t kLogTextMaxBytes = 300;

std::string SanitizeForLog(std::string_view text, size_t max_bytes = kLogTextMaxBytes);

}  // namespace zm
