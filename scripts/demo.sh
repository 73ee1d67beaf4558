#!/usr/bin/env bash
# Installs dependencies if missing, builds, then runs a complete simulated trading session
# against the bundled Kite simulator: no account, no network, no input needed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# Only the four executables: the tests and benchmarks are built by scripts/test.sh.
scripts/build.sh executables
exec build/bin/zerodha_runner demo "$@"
