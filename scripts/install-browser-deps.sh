#!/usr/bin/env bash
# Installs the headless browser the dashboard's end-to-end test drives (Debian's `chromium`),
# with apt-get through scripts/install-deps.sh (sudo when not root; idempotent). Kept apart from
# install-deps.sh because only that one test needs it and it is large.
#   scripts/install-browser-deps.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# fonts-dejavu-core: chromium's recommended fonts are not installed (--no-install-recommends);
# without one font the screenshot's text is empty boxes.
scripts/install-deps.sh chromium fonts-dejavu-core
