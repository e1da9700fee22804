#!/usr/bin/env bash
# The daily job behind carnation-daily.timer: plan today for every team, then issue each team's
# link for today (printed; sending it by SMS through the outbox is still to come, see issue 9).
set -euo pipefail
BIN="${CARNATION_BIN:-carnation}"
DAY="$(TZ=Asia/Shanghai date +%F)"
"$BIN" visits plan --date "$DAY" --time-limit 2
"$BIN" teams list --json | python3 -c 'import json,sys; [print(t["name"]) for t in json.load(sys.stdin)]' | while read -r team; do
  "$BIN" serve link "$team" --date "$DAY"
done
