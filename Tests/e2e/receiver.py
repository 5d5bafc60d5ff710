"""A webhook receiver for the two-server test: checks each body's HMAC
signature and appends the event type (or BADSIG) to a file."""
import hashlib, hmac, sys
from http.server import BaseHTTPRequestHandler, HTTPServer

port, secret, out = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3]

class Hook(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        want = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
        ok = hmac.compare_digest(want, self.headers.get("X-Lore-Signature", ""))
        with open(out, "a") as f:
            f.write((self.headers.get("X-Lore-Event", "?") if ok else "BADSIG") + "\n")
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass

HTTPServer(("127.0.0.1", port), Hook).serve_forever()
