#!/usr/bin/env bash
# The reviewer UI end to end in headless Debian chromium (ctest: ui_browser_test).
# Usage: tests/ui/run.sh path/to/vigil repo-root
# Installs playwright-core from the committed lock file when node_modules is missing (npm
# ci; never a browser download). A missing chromium or node is a failure, not a skip: CI
# installs both (scripts/install-deps).
set -euo pipefail
vigil=$(realpath "${1:?usage: run.sh path/to/vigil repo-root}")
root=$(realpath "${2:?usage: run.sh path/to/vigil repo-root}")
here=$root/tests/ui
chromium=${VIGIL_CHROMIUM:-/usr/bin/chromium}

for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (scripts/install-deps)" >&2; exit 1; }
done
[[ -x $chromium ]] || { echo "FAIL: no chromium at $chromium (scripts/install-deps installs it)" >&2; exit 1; }

# One install at a time, should two build folders run this suite at once.
if [[ ! -f $here/node_modules/playwright-core/package.json ]]; then
  (cd "$here" && flock "${TMPDIR:-/tmp}/vigil-ui-npm.lock" npm ci --no-audit --no-fund --loglevel=error)
fi
cd "$here"
VIGIL="$vigil" VIGIL_ROOT="$root" VIGIL_CHROMIUM="$chromium" \
  exec node --test --test-reporter=spec --test-timeout=240000 review_flow.test.js
