#!/usr/bin/env bash
# Starts a loopback-only Kannel (bearerbox + smsbox), a fake SMSC client and a delivery-report
# recorder, for integration tests and local trials. Stop with ops/kannel/stop.sh.
#
# Environment (defaults in brackets):
#   KANNEL_RUN_DIR [./var/kannel]   config, logs, pid files, received.jsonl (MTs at the SMSC), dlr.log
#   KANNEL_ADMIN_PORT [13000] KANNEL_SMSBOX_PORT [13001] KANNEL_SENDSMS_PORT [13013]
#   KANNEL_FAKE_SMSC_PORT [10000] KANNEL_DLR_PORT [18080] (0 = no recorder: carnation serve receives them)
#   KANNEL_USER [coord] KANNEL_PASSWORD [secret] KANNEL_ADMIN_PASSWORD [adminpw] KANNEL_SENDER [10690000]
# Prints the sendsms URL when smsbox answers; exits non-zero if it does not within 20 s.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
run="${KANNEL_RUN_DIR:-$PWD/var/kannel}"
admin_port="${KANNEL_ADMIN_PORT:-13000}"
smsbox_port="${KANNEL_SMSBOX_PORT:-13001}"
sendsms_port="${KANNEL_SENDSMS_PORT:-13013}"
fake_port="${KANNEL_FAKE_SMSC_PORT:-10000}"
dlr_port="${KANNEL_DLR_PORT:-18080}"
user="${KANNEL_USER:-coord}"
password="${KANNEL_PASSWORD:-secret}"
admin_password="${KANNEL_ADMIN_PASSWORD:-adminpw}"
sender="${KANNEL_SENDER:-10690000}"

for bin in /usr/sbin/bearerbox /usr/sbin/smsbox; do
    [ -x "$bin" ] || { echo "start.sh: $bin not found; install the 'kannel' package (ops/install-deps.sh)" >&2; exit 1; }
done
mkdir -p "$run"
run="$(cd "$run" && pwd)"
if [ -f "$run/bearerbox.pid" ] && kill -0 "$(cat "$run/bearerbox.pid")" 2>/dev/null; then
    echo "start.sh: Kannel already running from $run (stop it with ops/kannel/stop.sh)" >&2
    exit 1
fi

sed -e "s|@RUN_DIR@|$run|g" -e "s|@ADMIN_PORT@|$admin_port|g" -e "s|@SMSBOX_PORT@|$smsbox_port|g" \
    -e "s|@SENDSMS_PORT@|$sendsms_port|g" -e "s|@FAKE_SMSC_PORT@|$fake_port|g" \
    -e "s|@SENDSMS_USER@|$user|g" -e "s|@SENDSMS_PASSWORD@|$password|g" \
    -e "s|@ADMIN_PASSWORD@|$admin_password|g" -e "s|@SENDER@|$sender|g" \
    "$here/kannel-loopback.conf.in" > "$run/kannel.conf"

start() { # name, command…
    local name="$1"; shift
    nohup "$@" > "$run/$name.out" 2>&1 &
    echo $! > "$run/$name.pid"
}

start bearerbox /usr/sbin/bearerbox -v 1 "$run/kannel.conf"
sleep 1
start smsbox /usr/sbin/smsbox -v 1 "$run/kannel.conf"
if [ -x /usr/lib/kannel/test/fakesmsc ]; then
    # The real fakesmsc prints "Got message N: <from to type data>" for every MT.
    start fakesmsc /usr/lib/kannel/test/fakesmsc -H 127.0.0.1 -r "$fake_port" -i 0 -m 0
else
    start fakesmsc python3 "$here/fakesmsc.py" 127.0.0.1 "$fake_port" "$run/received.jsonl"
fi
if [ "$dlr_port" != "0" ]; then
    start dlr python3 "$here/dlr_receiver.py" "$dlr_port" "$run/dlr.log"
fi

url="http://127.0.0.1:$sendsms_port/cgi-bin/sendsms"
for _ in $(seq 1 40); do
    # Any HTTP answer (403 without credentials) means smsbox is up.
    code="$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)"
    if [ "$code" != "000" ]; then
        # Wait until the fake SMSC is connected, so messages are not merely queued.
        if curl -s "http://127.0.0.1:$admin_port/status.txt?password=$admin_password" | grep -q 'FAKE.*online'; then
            echo "$url"
            exit 0
        fi
    fi
    sleep 0.5
done
echo "start.sh: Kannel did not come up within 20 s; see $run/*.log and $run/*.out" >&2
exit 1
