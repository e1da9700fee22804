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
echo "== 5. Visits: who needs one, the next working day's plans, one team's list =="
DAY="$(TZ=Asia/Shanghai date -d tomorrow +%F)"
while [ "$(date -d "$DAY" +%u)" -gt 5 ]; do DAY="$(date -d "$DAY + 1 day" +%F)"; done
"$BIN" visits needs --due-before "$DAY" | sed -n '1,14p'
"$BIN" visits plan --date "$DAY" --time-limit 0.5
"$BIN" visits list --team 龙泉镇队 --date "$DAY" | sed -n '1,40p'

echo
echo "== 6. What the pension rules mean for one person (a woman born 1975, flexible worker) =="
"$BIN" benefits compare --birth 1975-06 --category female-50 | sed -n '1,40p'

echo
echo "== 7. Explainers: what a few kinds of resident would receive =="
"$BIN" explain --samples 6

echo
echo "== 8. Audio for a resident who cannot read (Mandarin, slow, telephone A-law) =="
mkdir -p var/demo
# The first resident who is reached by voice and has an explainer that fits them.
python3 - "$BIN" <<'PY' > var/demo/voice-script.txt
import json, subprocess, sys
bin = sys.argv[1]
run = lambda *a: json.loads(subprocess.run([bin, *a, "--json"], check=True, capture_output=True, text=True).stdout)
for r in run("registry", "find", "--unmask", "--limit", "400")["residents"]:
    if r["reachability"] != "语音":
        continue
    for o in run("explain", r["id"], "--channel", "voice")["outcomes"]:
        if o.get("offered") and o["message"].get("voice"):
            print(o["message"]["voice"]["script"])
            sys.exit(0)
PY
if [ -s var/demo/voice-script.txt ]; then
  sed 's/^/    /' var/demo/voice-script.txt
  "$BIN" speak --file var/demo/voice-script.txt --format wav --out var/demo/explainer.wav
  "$BIN" speak --file var/demo/voice-script.txt --format alaw8k --out var/demo/explainer-alaw8k.wav
fi

echo
echo "== 9. A campaign: annual certification reminders by SMS and voice (spool gateway under var/spool) =="
NAME="认证提醒-$(date +%m%d%H%M%S)"
"$BIN" campaign create "$NAME" --explainer certification-due --channels sms,voice
"$BIN" campaign preview "$NAME" | sed -n '1,30p'
# Campaigns above the approval threshold need another user's approval.
CARNATION_USER=demo-approver "$BIN" campaign approve "$NAME" >/dev/null 2>&1 || true
"$BIN" campaign send "$NAME"
"$BIN" campaign status "$NAME"

echo
echo "== 10. The morning SMS: each team leader's link to the day's page (spool gateway; run twice, sent once) =="
# The address teams open their page at; a real office sets web.public-url in its carnation.yaml.
mkdir -p var/demo
printf 'web:\n  public-url: http://127.0.0.1:8080\n' > var/demo/carnation.yaml
"$BIN" serve links --config var/demo/carnation.yaml --date "$DAY" --send
"$BIN" serve links --config var/demo/carnation.yaml --date "$DAY" --send | sed -n '1,4p'
echo "(the spool shows each link shortened; \`$BIN serve --config var/demo/carnation.yaml\` serves the pages)"

echo
echo "Database: $CARNATION_HOME/var/carnation.sqlite — try: $BIN registry --help"
