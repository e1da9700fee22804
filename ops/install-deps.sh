#!/usr/bin/env bash
# Installs the system packages Carnation needs, only those missing.
# Quick and quiet when everything is already there.
set -euo pipefail

PACKAGES=(
  libsqlite3-dev      # GRDB links the system SQLite
  sqlite3             # reference for `carnation bench import`, backups
  libcurl4-openssl-dev # FoundationNetworking (URLSession)
  libespeak-ng-dev    # speech synthesis, linked in process
  espeak-ng           # the program: reference for `carnation bench speech`
  espeak-ng-data      # voices and dictionaries (cmn)
  kannel              # SMS gateway for the integration tests
  sox                 # audio checks in tests
  chromium            # the browser check of the team page (ops/browser-check.py, headless)
  fonts-noto-cjk      # Chinese glyphs in the browser check's screenshot
  python3             # runs ops/browser-check.py (standard library only)
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    echo "install-deps: add /opt/swift/usr/bin to PATH" >&2
  else
    echo "install-deps: Swift 6 toolchain not found (expected /opt/swift)" >&2
  fi
  exit 1
fi
