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
echo "== 5. What the pension rules mean for one person (a woman born 1975, flexible worker) =="
"$BIN" benefits compare --birth 1975-06 --category female-50 | head -40

echo
echo "== 6. Explainers: what a few kinds of resident would receive =="
"$BIN" explain --samples 6

echo
echo "== 7. Audio for a resident who cannot read (Mandarin, slow, telephone A-law) =="
mkdir -p var/demo
VOICE_ID="$("$BIN" registry find --category 高龄 --unmask --json --limit 200 \
  | python3 -c 'import json,sys; rs=json.load(sys.stdin)["residents"]; print(next((r["id"] for r in rs if r["reachability"]=="语音"), rs[0]["id"] if rs else ""))')"
if [ -n "$VOICE_ID" ]; then
  "$BIN" explain "$VOICE_ID" --channel voice --json > var/demo/voice-explainer.json
  python3 -c 'import json,sys; d=json.load(open("var/demo/voice-explainer.json")); m=[x for x in d.get("messages",[]) if x.get("channel")=="voice"]; print(m[0]["text"] if m else "")' > var/demo/voice-script.txt
  if [ -s var/demo/voice-script.txt ]; then
    "$BIN" speak --file var/demo/voice-script.txt --format alaw8k --out var/demo/explainer-alaw8k.wav
    "$BIN" speak --file var/demo/voice-script.txt --format wav --out var/demo/explainer.wav
    echo "Voice script: var/demo/voice-script.txt; audio: var/demo/explainer.wav, var/demo/explainer-alaw8k.wav"
  fi
fi

echo
echo "Database: $CARNATION_HOME/var/carnation.sqlite — try: $BIN registry --help"
