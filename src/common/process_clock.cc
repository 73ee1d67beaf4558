#include "common/process_clock.h"

#include <cstdlib>
#include <memory>

#include "common/text_file.h"

namespace zm {
namespace {

constexpr auto kFileCheckEvery = std::chrono::milliseconds(100);

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

std::optional<std::chrono::milliseconds> ReadOffsetFile(const std::filesystem::path& file) {
  const std::optional<std::string> text = ReadTextFile(file);
  if (!text) return std::nullopt;
  return ParseOffsetMs(std::string(TrimSpace(*text)));
}

struct Built {
  std::unique_ptr<Clock> clock;
  bool shifted = false;
  std::string description = "real";
};

Built Build() {
  Built b;
  const std::string offset_text = Env(kClockOffsetEnv);
  const std::string file = Env(kClockFileEnv);
  const auto offset = ParseOffsetMs(offset_text);
  if (!file.empty() || (offset && offset->count() != 0)) {
    const auto start = offset.value_or(std::chrono::milliseconds(0));
    b.clock = std::make_unique<OffsetClock>(start, file);
    b.shifted = true;
    b.description = "shifted (" + std::string(kClockOffsetEnv) + "=" + offset_text +
                    (file.empty() ? "" : ", " + std::string(kClockFileEnv) + "=" + file) + ")";
  } else {
    b.clock = std::make_unique<RealClock>();
  }
  return b;
}

const Built& Instance() {
  static const Built built = Build();
  return built;
}

}  // namespace

OffsetClock::OffsetClock(std::chrono::milliseconds offset, std::filesystem::path file)
    : file_(std::move(file)), offset_(offset) {}

void OffsetClock::MaybeReload() const {
  if (file_.empty()) return;
  const auto now = std::chrono::steady_clock::now();
  if (now < next_check_) return;
  next_check_ = now + kFileCheckEvery;
  std::error_code ec;
  const auto written = std::filesystem::last_write_time(file_, ec);
  if (ec || written == seen_write_) return;
  if (auto offset = ReadOffsetFile(file_)) {
    offset_ = *offset;
    seen_write_ = written;
  }
}

SysTime OffsetClock::Now() const {
  std::lock_guard<std::mutex> lock(mutex_);
  MaybeReload();
  return std::chrono::system_clock::now() + offset_;
}

std::chrono::milliseconds OffsetClock::offset() const {
  std::lock_guard<std::mutex> lock(mutex_);
  MaybeReload();
  return offset_;
}

const Clock& ProcessClock() { return *Instance().clock; }

int64_t ProcessNowMs() { return ToEpochMs(ProcessClock().Now()); }

bool ProcessClockShifted() { return Instance().shifted; }

std::string DescribeProcessClock() { return Instance().description; }

std::optional<std::chrono::milliseconds> ParseOffsetMs(const std::string& text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  size_t i = (text[0] == '-' || text[0] == '+') ? 1 : 0;
  if (i == text.size()) return std::nullopt;
  for (size_t j = i; j < text.size(); ++j) {
    if (text[j] < '0' || text[j] > '9') return std::nullopt;
  }
  return std::chrono::milliseconds(std::stoll(text));
}

}  // namespace zm
