#!/usr/bin/env bash
# Installs what is missing, builds in release mode, and runs the main job on the embedded
# defaults: a demo county registry in var/carnation.sqlite, and what is in it.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v swift >/dev/null 2>&1 || export PATH="/opt/swift/usr/bin:$PATH"
ops/install-deps.sh

echo "Building (release)…" >&2
swift build -c release --product carnation >&2
BIN="$(swift build -c release --show-bin-path)/carnation"
export CARNATION_HOME="${CARNATION_HOME:-$PWD}"

echo
echo "== 1. Department exports of a demo county, imported into the register =="
"$BIN" demo seed --residents "${DEMO_RESIDENTS:-3000}" --seed "${DEMO_SEED:-2026}"

echo
echo "== 2. What is in the register =="
"$BIN" registry stats

echo
echo "== 3. Bedridden residents (IDs and phones masked) =="
"$BIN" registry find --category 长期卧床 --limit 8

echo
echo "== 4. Fields two departments disagree on, kept for review =="
"$BIN" registry conflicts --limit 5

echo
echo "Database: $CARNATION_HOME/var/carnation.sqlite — try: $BIN registry --help"
