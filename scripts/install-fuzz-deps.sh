#!/usr/bin/env bash
# Installs what scripts/fuzz.sh needs on top of scripts/install-deps.sh: clang 14 and its
# runtime libraries (libFuzzer, ASan, UBSan), with apt-get (through sudo when not root).
# Idempotent: a no-op when they are present.
set -euo pipefail
exec "$(dirname "$0")/install-deps.sh" clang-14 libclang-rt-14-dev
