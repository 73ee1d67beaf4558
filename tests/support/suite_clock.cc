#include "support/suite_clock.h"

#include <stdlib.h>

#include <fstream>
#include <sstream>

#include "common/ist.h"
#include "common/process_clock.h"
#include "support/sim_harness.h"

namespace zm::testing {
namespace {

std::optional<std::string> Env(const char* name) {
  const char* value = ::getenv(name);
  return value == nullptr ? std::nullopt : std::optional<std::string>(value);
}

std::chrono::milliseconds ReadOffset(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  std::string value = text.str();
  while (!value.empty() && (value.back() == '\n' || value.back() == ' ')) value.pop_back();
  return ParseOffsetMs(value).value_or(std::chrono::milliseconds(0));
}

}  // namespace

SysTime IstTime(const std::string& date, int hour, int minute, int second) {
  return *IstDayStart(date) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
         std::chrono::seconds(second);
}

SysTime DefaultTradingTime() {
  SysTime day = std::chrono::system_clock::now();
  for (int i = 0; i < 7; ++i) {
    const int weekday = ToIst(day).weekday;
    if (weekday != 0 && weekday != 6) break;
    day -= std::chrono::hours(24);
  }
  return IstTime(IstDate(day), 10, 30);
}

SysTime SuiteNow() {
  std::chrono::milliseconds offset(0);
  if (auto file = Env(kClockFileEnv); file && std::filesystem::exists(*file)) {
    offset = ReadOffset(*file);
  } else if (auto text = Env(kClockOffsetEnv)) {
    offset = ParseOffsetMs(*text).value_or(offset);
  }
  return std::chrono::system_clock::now() + offset;
}

std::unique_ptr<SuiteClock> SuiteClock::Install(std::optional<SysTime> at) {
  std::unique_ptr<SuiteClock> clock(new SuiteClock());
  if (auto existing = Env(kClockFileEnv)) {
    clock->file_ = *existing;
    if (at) (void)clock->Set(*at);
    return clock;
  }
  clock->owner_ = true;
  clock->file_ = MakeTempDir("zm_clock") / "offset_ms";
  clock->previous_offset_env_ = Env(kClockOffsetEnv);
  ::unsetenv(kClockOffsetEnv);
  (void)clock->Set(at.value_or(DefaultTradingTime()));
  ::setenv(kClockFileEnv, clock->file_.c_str(), 1);
  return clock;
}

SuiteClock::~SuiteClock() {
  if (!owner_) return;
  ::unsetenv(kClockFileEnv);
  if (previous_offset_env_) ::setenv(kClockOffsetEnv, previous_offset_env_->c_str(), 1);
  std::error_code ec;
  std::filesystem::remove_all(file_.parent_path(), ec);
}

Status SuiteClock::Set(SysTime at) {
  const auto offset =
      std::chrono::duration_cast<std::chrono::milliseconds>(at - std::chrono::system_clock::now());
  const std::filesystem::path tmp = file_.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << offset.count() << "\n";
    if (!out) return IoError("cannot write " + tmp.string());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, file_, ec);
  if (ec) return IoError("cannot replace " + file_.string() + ": " + ec.message());
  return Status::Ok();
}

std::chrono::milliseconds SuiteClock::offset() const { return ReadOffset(file_); }

}  // namespace zm::testing
