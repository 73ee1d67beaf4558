#!/usr/bin/env bash
# Formats the C++ tree with .clang-format (Google base, 100 columns) using Debian 12's
# clang-format 14 (pinned: other versions format differently).
#   scripts/format.sh           rewrites every file in place
#   scripts/format.sh --check   changes nothing; lists unformatted files and exits 1 if any
set -euo pipefail
cd "$(dirname "$0")/.."
tool=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "$tool" ] || ! "$tool" --version | grep -q 'version 14\.'; then
  echo "format.sh: clang-format 14 is required (apt-get install clang-format-14)" >&2
  exit 2
fi
# find, not git ls-files: CI's clean machine may have no git.
mapfile -t files < <(find src tests bench fuzz -type f \( -name '*.cc' -o -name '*.h' \) | sort)
if [ "${1:-}" = "--check" ]; then
  bad=0
  for f in "${files[@]}"; do
    if ! "$tool" --style=file "$f" | cmp -s - "$f"; then
      echo "not formatted: $f"
      bad=1
    fi
  done
  [ $bad = 0 ] && echo "format.sh: ${#files[@]} files formatted"
  exit $bad
fi
"$tool" --style=file -i "${files[@]}"
