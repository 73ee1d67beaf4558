#!/usr/bin/env bash
# Installs dependencies if missing, builds, then runs the whole test suite with ctest.
# The exit code is ctest's.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
BUILD_DIR=${BUILD_DIR:-build}
set +e
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "${JOBS:-$(nproc)}" --timeout 600 "$@"
rc=$?
exit $rc
