#!/usr/bin/env bash
# Online backup of the Carnation database with SQLite's backup API (safe while the server and
# dispatcher write), then a restore check: the copy is restored into a scratch database as an operator
# would (`.restore`), the restored database passes integrity_check and holds as many rows in every table
# as the copy, and, when the carnation binary is at hand ($CARNATION_BIN or on PATH), the tool reads it.
# The team-link key (var/team-link.key) is deliberately not copied: see ops/carnation.example.yaml.
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
restored="$out.restore-check"
rm -f "$tmp" "$restored"
trap 'rm -f "$tmp" "$restored"' EXIT
sqlite3 "$db" ".timeout 10000" ".backup '$tmp'"

# Restore check: restore the copy into a scratch database and compare.
fail() { echo "backup: restore check failed: $*" >&2; exit 74; }
check="$(sqlite3 "$tmp" "PRAGMA integrity_check;")"
[ "$check" = "ok" ] || fail "integrity check of the copy: $check"
sqlite3 "$restored" ".restore '$tmp'"
check="$(sqlite3 "$restored" "PRAGMA integrity_check;")"
[ "$check" = "ok" ] || fail "integrity check of the restored database: $check"
tables="$(sqlite3 "$tmp" "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name;")"
[ -n "$tables" ] || fail "the copy has no tables"
for table in $tables; do
  a="$(sqlite3 "$tmp" "SELECT count(*) FROM \"$table\";")"
  b="$(sqlite3 "$restored" "SELECT count(*) FROM \"$table\";")"
  [ "$a" = "$b" ] || fail "table $table has $a rows in the copy but $b after restoring"
  case "$table" in resident|outbox|visit) echo "backup: $table rows in copy: $a (restored: $b)";; esac
done
bin="${CARNATION_BIN:-$(command -v carnation || true)}"
if [ -n "$bin" ] && [ -x "$bin" ]; then
  "$bin" registry stats --database "$restored" --json >/dev/null || fail "carnation cannot read the restored database"
  echo "backup: carnation reads the restored database"
fi
mv "$tmp" "$out"
echo "$out"
