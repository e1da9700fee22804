#!/usr/bin/env bash
# Stops what ops/kannel/start.sh started (by the pid files in KANNEL_RUN_DIR, never by name).
set -uo pipefail
run="${KANNEL_RUN_DIR:-$PWD/var/kannel}"
for name in dlr fakesmsc smsbox bearerbox; do
    pidfile="$run/$name.pid"
    [ -f "$pidfile" ] || continue
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    fi
    rm -f "$pidfile"
done
