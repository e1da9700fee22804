#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (unit, integration, end-to-end).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v swift >/dev/null 2>&1 || export PATH="/opt/swift/usr/bin:$PATH"
ops/install-deps.sh

# Build everything, the carnation binary included: the end-to-end tests run it.
swift build --build-tests
export CARNATION_BIN="$(swift build --show-bin-path)/carnation"
export CARNATION_CONTENT="$PWD/content"
export CARNATION_TEMPLATES="$PWD/Templates"

# Services the integration tests need are started here and stopped on exit:
# a loopback Kannel (bearerbox + smsbox + fake SMSC) for the gateway tests.
export KANNEL_RUN_DIR="$(mktemp -d /tmp/carnation-kannel.XXXXXX)"
export CARNATION_KANNEL_RUN_DIR="$KANNEL_RUN_DIR"
trap 'ops/kannel/stop.sh >/dev/null 2>&1 || true' EXIT
ops/kannel/start.sh >/dev/null

swift test --skip-build "$@"

# The browser check: headless Chromium against a running `carnation serve` on the demo county (it starts and
# stops its own server). It fails the run when a check fails; the screenshot's path is printed.
# (Run with test filters, e.g. `ops/test.sh --filter X`, it is skipped.)
if [ $# -eq 0 ]; then
  /usr/bin/python3 ops/browser-check.py --bin "$CARNATION_BIN" --screenshot "$PWD/var/browser-check/team-page.png"
fi
