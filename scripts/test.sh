#!/usr/bin/env bash
# Installs dependencies if missing, builds, then runs the whole test suite with ctest.
# The exit code is ctest's. Extra arguments go to ctest.
#
#   scripts/test.sh --unit [ctest args]
# only the unit tests (ctest label `unit`: pure code, a few seconds); the labels `e2e` and
# `slow` select the rest (e.g. scripts/test.sh -L e2e).
#
#   scripts/test.sh --sanitize [ctest args]
# builds into build-asan/ with ZM_SANITIZE=address,undefined and runs the suite under ASan +
# UBSan (halt_on_error, leak detection). On 2 cores the whole suite under ASan is too slow for
# CI, so this runs the `unit` and `e2e` tests and leaves out the `slow` ones (whole suites end
# to end; they run in the normal, unsanitized suite).
#
#   scripts/test.sh --sanitize --unit [ctest args]
# the pure-logic test binaries only (kite, common, the square-off logic), built and
# run under ASan + UBSan: what CI runs (a few minutes; the whole tree under ASan is ~15 more).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

if [ "${1:-}" = "--unit" ]; then
  shift
  set -- -L unit "$@"
fi
if [ "${1:-}" != "--sanitize" ]; then
  scripts/build.sh
  BUILD_DIR=${BUILD_DIR:-build}
  set +e
  ctest --test-dir "$BUILD_DIR" --output-on-failure -j "${JOBS:-$(nproc)}" --timeout 600 "$@"
  exit $?
fi
shift
targets=()
labels=(-LE slow)
if [ "${1:-}" = "--unit" ]; then
  shift
  targets=(--target kite_test common_test squareoff_logic_test)
  labels=(-L unit)  # binaries not built register a placeholder test without a label
fi

BUILD_DIR=${SANITIZE_BUILD_DIR:-build-asan}
launcher=()
if command -v ccache >/dev/null 2>&1; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DZM_SANITIZE=address,undefined "${launcher[@]}" >/dev/null
cmake --build "$BUILD_DIR" -j "${JOBS:-$(nproc)}" "${targets[@]}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
set +e
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "${JOBS:-$(nproc)}" --timeout 600 \
  "${labels[@]}" "$@"
exit $?
