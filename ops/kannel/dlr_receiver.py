#!/usr/bin/env python3
"""Records Kannel's delivery-report callbacks (one raw query string a line) until carnation serve
takes over this job. Usage: dlr_receiver.py PORT LOGFILE. Listens on 127.0.0.1 only."""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        query = self.path.split("?", 1)[1] if "?" in self.path else ""
        with open(sys.argv[2], "a", encoding="utf-8") as out:
            out.write(query + "\n")
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"OK")

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
