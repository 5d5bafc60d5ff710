#!/usr/bin/env python3
"""Follow-ups in GitHub, tried as a new user would, against `lore serve`.

A GitHub-shaped server (the documented subset of the issues API) runs here;
an admin sets it up in Settings, pushes a follow-up, pushes it again, closes
the issue "in GitHub" as not planned with a comment (GitHub's webhook, signed,
built from GitHub's own example body), redelivers that delivery, and reopens
the follow-up in Lore. Checked: one issue, the reason in the follow-up's
history, no duplicate change, the state sent back to GitHub.

Usage: tracker.py path/to/lore   (standard library only)
"""
import hashlib
import hmac
import http.cookiejar
import http.server
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.join(HERE, "..", "Fixtures", "github", "issues-reopened.payload.json")
REPO = "acme/payments"
SECRET = "an e2e webhook secret"
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class GitHub(http.server.BaseHTTPRequestHandler):
    """POST/GET /repos/o/r/issues, PATCH /repos/o/r/issues/n, GET …/n/comments."""
    issues = {}
    comments = {}
    requests = []

    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def issue_json(self, n):
        i = GitHub.issues[n]
        return {"number": n, "html_url": f"https://github.com/{REPO}/issues/{n}", "title": i["title"], "state": i["state"],
                "state_reason": i.get("state_reason"), "closed_by": {"login": i["closed_by"]} if i.get("closed_by") else None,
                "closed_at": i.get("closed_at"), "labels": [{"name": l} for l in i["labels"]]}

    def route(self, method):
        url = urllib.parse.urlsplit(self.path)
        GitHub.requests.append(f"{method} {url.path}")
        if self.headers.get("Authorization") != "Bearer e2e-token":
            return self.answer(401, {"message": "Bad credentials"})
        parts = url.path.strip("/").split("/")
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if parts[:3] != ["repos", *REPO.split("/")] or len(parts) < 4 or parts[3] != "issues":
            return self.answer(404, {"message": "Not Found"})
        if method == "POST" and len(parts) == 4:
            fields = json.loads(body)
            n = len(GitHub.issues) + 1
            GitHub.issues[n] = {"title": fields["title"], "body": fields.get("body", ""), "labels": fields.get("labels", []), "state": "open"}
            return self.answer(201, self.issue_json(n))
        if method == "GET" and len(parts) == 4:
            wanted = set(filter(None, urllib.parse.parse_qs(url.query).get("labels", [""])[0].split(",")))
            return self.answer(200, [self.issue_json(n) for n in sorted(GitHub.issues, reverse=True) if wanted <= set(GitHub.issues[n]["labels"])])
        if method == "PATCH" and len(parts) == 5:
            fields = json.loads(body)
            issue = GitHub.issues[int(parts[4])]
            if fields.get("state") and fields["state"] != issue["state"]:  # the reason goes only with a change of state
                issue["state"] = fields["state"]
                issue["state_reason"] = fields.get("state_reason") if fields["state"] == "closed" else None
            return self.answer(200, self.issue_json(int(parts[4])))
        if method == "GET" and len(parts) == 5:
            return self.answer(200, self.issue_json(int(parts[4])))
        if method == "GET" and len(parts) == 6 and parts[5] == "comments":
            return self.answer(200, GitHub.comments.get(int(parts[4]), []))
        return self.answer(404, {"message": "Not Found"})

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def do_PATCH(self):
        self.route("PATCH")


class Browser:
    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.csrf = ""

    def open(self, path, data=None, method=None, headers=None):
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers or {})
        try:
            with self.opener.open(req, timeout=15) as r:
                text = r.read().decode()
                status = r.status
        except urllib.error.HTTPError as e:
            text, status = e.read().decode(), e.code
        m = re.search(r'name="_csrf" value="([^"]*)"', text)
        if m:
            self.csrf = m.group(1)
        return status, text

    def form(self, path, fields):
        fields = dict(fields, _csrf=self.csrf)
        return self.open(path, urllib.parse.urlencode(fields).encode(), "POST", {"Content-Type": "application/x-www-form-urlencoded"})


def api(base, token, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + "/api/v1" + path, data=data, method=method,
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=15) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def wait_for(what, test, seconds=20):
    end = time.time() + seconds
    while time.time() < end:
        value = test()
        if value:
            return value
        time.sleep(0.2)
    check(False, f"within {seconds} s: {what}")
    return None


def delivery(action, state_reason, number, login, delivery_id):
    with open(EXAMPLE) as f:
        body = json.load(f)
    body["action"] = action
    body["issue"]["number"] = number
    body["issue"]["state"] = "closed" if action == "closed" else "open"
    body["issue"]["state_reason"] = state_reason
    body["repository"]["full_name"] = REPO
    body["sender"]["login"] = login
    data = json.dumps(body).encode()
    signature = "sha256=" + hmac.new(SECRET.encode(), data, hashlib.sha256).hexdigest()
    return data, {"Content-Type": "application/json", "X-GitHub-Event": "issues", "X-GitHub-Delivery": delivery_id, "X-Hub-Signature-256": signature}


def main():
    lore = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/lore"
    gh_port, lore_port = free_port(), free_port()
    github = http.server.ThreadingHTTPServer(("127.0.0.1", gh_port), GitHub)
    threading.Thread(target=github.serve_forever, daemon=True).start()
    work = tempfile.mkdtemp()
    base = f"http://127.0.0.1:{lore_port}"
    env = dict(os.environ, LORE_LOG_LEVEL="warning")
    server = subprocess.Popen([lore, "serve", "--data-dir", work, "--port", str(lore_port), "--public-url", base, "--work-interval", "1",
                               "--admin-email", "admin@example.com", "--admin-password", "a long tracker e2e password"],
                              env=env, stdout=open(os.path.join(work, "lore.log"), "w"), stderr=subprocess.STDOUT)
    try:
        wait_for("lore serve answers", lambda: subprocess.run(["curl", "-fs", base + "/healthz"], capture_output=True).returncode == 0)
        b = Browser(base)
        b.open("/signin")
        status, _ = b.form("/signin", {"email": "admin@example.com", "password": "a long tracker e2e password"})
        check(status == 200, "the admin signs in")
        b.open("/settings")
        b.form("/settings/teams", {"name": "Payments", "slug": "payments"})
        b.open("/settings")
        status, text = b.form("/settings/tracker", {"trackerAPIURL": f"http://127.0.0.1:{gh_port}", "trackerToken": "e2e-token",
                                                    "trackerWebhookSecret": SECRET, "trackerRepositories": f"payments = {REPO}"})
        check(status == 200 and "/hooks/github" in text, "Settings → Issue tracker saves, and shows the webhook address")
        token = subprocess.run([lore, "tokens", "create", "--data-dir", work, "--user", "admin@example.com"], capture_output=True, text=True).stdout.strip().split()[-1]
        status, incident = api(base, token, "POST", "/incidents", {"title": "Checkout 502s", "severity": "SEV2", "detectionSource": "monitoring alert"})
        status, fu = api(base, token, "POST", f"/incidents/{incident['key']}/follow-ups", {"title": "Alert on pool saturation", "ownerTeam": "payments"})
        fid = fu["id"]

        status, pushed = api(base, token, "POST", f"/follow-ups/{fid}/push")
        check(status == 202 and pushed["status"] == "queued", "a push is queued (202)")
        wait_for("the issue is opened in GitHub", lambda: len(GitHub.issues) == 1)
        got = wait_for("the follow-up knows its issue", lambda: (lambda r: r[1] if r[1]["status"] == "pushed" else None)(api(base, token, "POST", f"/follow-ups/{fid}/push")))
        check(got is not None and got["url"] == f"https://github.com/{REPO}/issues/1", "pushing again answers with the issue (200)")
        check(len(GitHub.issues) == 1, "one issue, however often it is pushed")
        issue = GitHub.issues[1]
        check(f"lore-{fid.lower()}" in issue["labels"] and base in issue["body"], "the issue carries its label and a link back")
        status, page = b.open(f"/incidents/{incident['key']}/follow-ups/{fid}/edit")
        check(f"{REPO}#1" in page, "the follow-up's page links to the issue")

        # Closed in GitHub as not planned, with a comment, by octocat.
        GitHub.comments[1] = [{"user": {"login": "octocat"}, "body": "The autoscaler covers this; no separate alert."}]
        GitHub.issues[1].update(state="closed", state_reason="not_planned", closed_by="octocat")
        data, headers = delivery("closed", "not_planned", 1, "octocat", "d-1")
        req = urllib.request.Request(base + "/hooks/github", data=data, method="POST", headers=headers)
        with urllib.request.urlopen(req, timeout=15) as r:
            check(r.status == 202, "GitHub's signed webhook is accepted (202)")
        bad = urllib.request.Request(base + "/hooks/github", data=data, method="POST", headers=dict(headers, **{"X-Hub-Signature-256": "sha256=00"}))
        try:
            urllib.request.urlopen(bad, timeout=15)
            check(False, "a wrongly signed delivery is refused")
        except urllib.error.HTTPError as e:
            check(e.code == 401, "a wrongly signed delivery is refused (401)")
        history = wait_for("the follow-up is not necessary", lambda: (lambda h: h if h and h[-1]["to"] == "not_necessary" else None)(api(base, token, "GET", f"/follow-ups/{fid}/history")[1]["items"]))
        if history:
            reason = history[-1]["reason"] or ""
            check("@octocat" in reason and "The autoscaler covers this" in reason and f"{REPO}#1" in reason, f"the history says who, where and why: {reason!r}")
        # A redelivery of the same delivery (GitHub's "Redeliver") changes nothing.
        req = urllib.request.Request(base + "/hooks/github", data=data, method="POST", headers=headers)
        urllib.request.urlopen(req, timeout=15)
        time.sleep(2.5)
        check(len(api(base, token, "GET", f"/follow-ups/{fid}/history")[1]["items"]) == len(history or []), "a redelivery adds no second change")
        check(not any(r.startswith("PATCH") for r in GitHub.requests), "a change from GitHub is not sent back to it")

        # Reopened in Lore: reopened in GitHub.
        status, _ = api(base, token, "PATCH", f"/follow-ups/{fid}", {"status": "open"})
        check(status == 200, "the follow-up is reopened in Lore")
        wait_for("the issue is reopened in GitHub", lambda: GitHub.issues[1]["state"] == "open")
    finally:
        server.terminate()
        server.wait(timeout=10)
        github.shutdown()
        log = open(os.path.join(work, "lore.log")).read()
        if failures:
            print(log[-3000:], file=sys.stderr)
        if "e2e-token" in log or SECRET in log:
            check(False, "no token or secret in the server's log")
    if failures:
        print(f"{len(failures)} tracker check(s) failed", file=sys.stderr)
        sys.exit(1)
    print("follow-ups in GitHub: every check passed")


if __name__ == "__main__":
    main()
