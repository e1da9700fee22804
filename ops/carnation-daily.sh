#!/usr/bin/env bash
# The daily job behind carnation-daily.timer: plan today for every team, then send each team that has visits
# today its day link by SMS, through the outbox like any message (quiet hours hold it until they end; the
# dispatcher of `carnation serve` sends it then). Safe to run twice: each team gets one link a day.
# A lost phone: `carnation serve link TEAM --revoke`, then `carnation serve link TEAM --send` for a new link.
set -euo pipefail
BIN="${CARNATION_BIN:-carnation}"
DAY="$(TZ=Asia/Shanghai date +%F)"
"$BIN" visits plan --date "$DAY" --time-limit 2
"$BIN" serve links --date "$DAY" --send
