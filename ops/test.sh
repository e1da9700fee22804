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
