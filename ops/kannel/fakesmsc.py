#!/usr/bin/env python3
"""A stand-in for Kannel's test/fakesmsc (package kannel-extras) for loopback trials.

Connects to bearerbox's fake SMSC port and writes every MT it receives as one JSON line:
sender, receiver, the raw line, the UDH (hex), the payload (hex) and its text (UTF-16BE for
ucs-2 and binary parts, UTF-8 for text; null when a part does not decode alone). When the last
part of a concatenated message arrives, one more line with "assembled": true holds the whole text.
Reconnects until killed.

Wire format of Kannel 1.4.5's smsc_fake.c, one message a line (observed on Debian 12):
"sender receiver text TEXT", "sender receiver ucs-2 URLENC",
"sender receiver udh URLENC_UDH data URLENC".
"""
import json
import socket
import sys
import time
import urllib.parse


def decode(raw: bytes, kind: str):
    """The text of a payload, or None when it does not decode on its own (a part split mid-character)."""
    try:
        if kind in ("ucs-2", "data"):
            return raw.decode("utf-16-be")
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


# Parts of concatenated messages waiting for their siblings: (sender, receiver, ref) -> {seq: bytes}
pending = {}


def parse(line: bytes) -> list:
    """One record for the line, plus an `assembled` record when it completes a concatenated message."""
    parts = line.split(b" ")
    record = {"line": line.decode("latin-1")}
    if len(parts) < 4:
        record["error"] = "short line"
        return [record]
    sender, receiver = parts[0].decode(), parts[1].decode()
    record.update(sender=sender, receiver=receiver)
    rest = parts[2:]
    udh = b""
    if rest[0] == b"udh" and len(rest) >= 4:
        udh = urllib.parse.unquote_to_bytes(rest[1].decode("latin-1").replace("+", " "))
        record["udh"] = udh.hex()
        rest = rest[2:]
    kind = rest[0].decode("latin-1")
    body = b" ".join(rest[1:])
    # Kannel's octstr_url_encode writes a space (0x20, e.g. the low byte of 张 U+5F20) as '+'.
    payload = body if kind == "text" else urllib.parse.unquote_to_bytes(body.decode("latin-1").replace("+", " "))
    record.update(type=kind, payloadHex=payload.hex(), text=decode(payload, kind))
    records = [record]
    # 8-bit reference concatenation UDH: 05 00 03 ref total seq
    if len(udh) >= 6 and udh[0] == 5 and udh[1] == 0 and udh[2] == 3:
        ref, total, seq = udh[3], udh[4], udh[5]
        key = (sender, receiver, ref)
        pending.setdefault(key, {})[seq] = payload
        if len(pending[key]) == total:
            got = pending.pop(key)
            whole = b"".join(got[i] for i in range(1, total + 1))
            records.append({"assembled": True, "sender": sender, "receiver": receiver, "parts": total,
                            "type": kind, "text": decode(whole, kind)})
    return records


def main() -> None:
    host, port, out_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    while True:
        try:
            with socket.create_connection((host, port)) as sock, open(out_path, "a", encoding="utf-8") as out:
                buffer = b""
                while True:
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    buffer += chunk
                    while b"\n" in buffer:
                        raw, buffer = buffer.split(b"\n", 1)
                        for record in parse(raw):
                            out.write(json.dumps(record, ensure_ascii=False) + "\n")
                        out.flush()
        except OSError:
            pass
        time.sleep(0.5)


if __name__ == "__main__":
    main()
