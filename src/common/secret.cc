#include "common/secret.h"

#include <mutex>
#include <vector>

namespace zm {
namespace {

std::mutex& SecretsMutex() {
  static std::mutex m;
  return m;
}
std::vector<std::string>& Secrets() {
  static std::vector<std::string> s;
  return s;
}

}  // namespace

void RegisterSecret(const std::string& value) {
  if (value.empty()) return;
  std::lock_guard<std::mutex> lock(SecretsMutex());
  for (const auto& s : Secrets()) {
    if (s == value) return;
  }
  Secrets().push_back(value);
}

std::string RedactSecrets(std::string text) {
  std::lock_guard<std::mutex> lock(SecretsMutex());
  for (const auto& secret : Secrets()) {
    for (size_t pos = text.find(secret); pos != std::string::npos;
         pos = text.find(secret, pos + 3)) {
      text.replace(pos, secret.size(), "***");
    }
  }
  return text;
}

Secret RegisteredSecret(std::string value) {
  RegisterSecret(value);
  return Secret(std::move(value));
}

}  // namespace zm
