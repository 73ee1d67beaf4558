#!/usr/bin/env bash
# Installs exactly what the build needs, with apt-get (through sudo when not root).
# Idempotent: when every package is already present it returns in well under a second.
#   scripts/install-deps.sh [PACKAGE...]   other packages instead of the build's (fuzz, browser)
set -euo pipefail

PACKAGES=(
  cmake ninja-build g++ pkg-config
  libboost1.81-dev libssl-dev nlohmann-json3-dev libyaml-cpp-dev
  libsqlitecpp-dev libsqlite3-dev libspdlog-dev
  libgtest-dev libgmock-dev libbenchmark-dev zlib1g-dev
  ca-certificates clang-format-14
)
if [ $# -gt 0 ]; then PACKAGES=("$@"); fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "install-deps: need root or sudo to install: ${missing[*]}" >&2
    exit 1
  fi
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: done"
