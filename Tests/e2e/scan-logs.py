#!/usr/bin/env python3
"""Fails if a log holds a secret: an API token (lore_…), a webhook signing
secret (whsec_…), a session cookie's value, or a password the tests use.

CI runs it over everything the whole test run printed (the servers' request
logs, the store's statement logs at the levels tests use) — the issue's
promise is that no secret, token, password or session id reaches a log line,
whatever the code path."""
import re
import sys

# Secrets.generate: a prefix and 43 characters of base64url (32 random bytes).
PATTERNS = {
    "API token": re.compile(r"lore_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])"),
    "webhook signing secret": re.compile(r"whsec_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])"),
    "session cookie": re.compile(r"lore_session=[A-Za-z0-9_-]{20,}"),
}
# Passwords the test fixtures sign in with.
PASSWORDS = ["correct horse battery", "another long password"]


def main(paths):
    found = 0
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as f:
            for n, line in enumerate(f, 1):
                for what, pattern in PATTERNS.items():
                    m = pattern.search(line)
                    if m:
                        found += 1
                        print(f"{path}:{n}: a {what} ({m.group(0)[:10]}…) appears in the log", file=sys.stderr)
                for p in PASSWORDS:
                    if p in line:
                        found += 1
                        print(f"{path}:{n}: a test password ({p[:6]}…) appears in the log", file=sys.stderr)
    if found:
        print(f"FAIL: {found} secret(s) in the logs", file=sys.stderr)
        return 1
    print(f"no secret in {', '.join(paths)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
