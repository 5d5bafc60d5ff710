#!/usr/bin/env bash
# Single sign-on against a real OpenID provider: oidc-provider-mock (PyPI)
# on this machine, Lore configured through LORE_OIDC_*, and a real browser
# (Tests/e2e/sso.py, Playwright and Debian's chromium) through the real
# redirects: a first sign-in that creates the account, an unverified
# address, a domain that is not allowed, a sign-in denied at the provider,
# and the password form switched off except for the break-glass admin.
# Usage: Tests/e2e/sso.sh [path/to/lore]   (default .build/debug/lore)
set -euo pipefail
LORE="${1:-.build/debug/lore}"
HERE="$(cd "$(dirname "$0")" && pwd)"
WORK="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
python3 -c 'import oidc_provider_mock' 2>/dev/null || pip install -q "oidc-provider-mock==0.3.4"

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
IDP_PORT=$(port)
LORE_PORT=$(port)
IDP="http://127.0.0.1:$IDP_PORT"
BASE="http://127.0.0.1:$LORE_PORT"

# The provider insists on a nonce, as Lore always sends one.
python3 -W ignore -m oidc_provider_mock --port "$IDP_PORT" --require-nonce true >"$WORK/idp.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -fs "$IDP/.well-known/openid-configuration" >/dev/null && break; sleep 0.1; done
curl -fs "$IDP/.well-known/openid-configuration" >/dev/null || { echo "FAIL: oidc-provider-mock did not start" >&2; cat "$WORK/idp.log" >&2; exit 1; }
# The people the provider knows, with the claims it will put in their ID tokens.
user() { curl -fs -X PUT "$IDP/users/$1" -H 'Content-Type: application/json' -d "$2" >/dev/null; }
user grace@example.com '{"email": "grace@example.com", "email_verified": true, "name": "Grace Hopper"}'
user unverified@example.com '{"email": "unverified@example.com", "email_verified": false, "name": "Una Verified"}'
user eve@elsewhere.org '{"email": "eve@elsewhere.org", "email_verified": true, "name": "Eve Elsewhere"}'

ADMIN_EMAIL=admin@example.com
ADMIN_PASSWORD="a long break-glass admin password"
LORE_LOG_FORMAT=json LORE_LOG_LEVEL=info \
LORE_OIDC_ISSUER="$IDP" LORE_OIDC_CLIENT_ID=lore-e2e LORE_OIDC_CLIENT_SECRET="an e2e client secret" \
LORE_OIDC_DOMAINS=example.com LORE_OIDC_BREAK_GLASS="$ADMIN_EMAIL" \
  "$LORE" serve --data-dir "$WORK/data" --host 127.0.0.1 --port "$LORE_PORT" --public-url "$BASE" \
  --admin-email "$ADMIN_EMAIL" --admin-password "$ADMIN_PASSWORD" >"$WORK/lore.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 150); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.1; done
curl -fs "$BASE/healthz" >/dev/null || { echo "FAIL: lore serve did not start" >&2; cat "$WORK/lore.log" >&2; exit 1; }

status=0
python3 "$HERE/sso.py" --lore "$BASE" --admin "$ADMIN_EMAIL|$ADMIN_PASSWORD" || status=$?
# One account for Grace, however many times she signed in (SQLite allows a reader beside the server).
n=$("$LORE" users list --data-dir "$WORK/data" | grep -c "grace@example.com" || true)
[ "$n" = 1 ] || { echo "FAIL: $n accounts for grace@example.com, expected 1" >&2; status=1; }
# The admin's side of each refusal: a log line with the reason.
for reason in "unverified email unverified@example.com" "domain not allowed: eve@elsewhere.org" "provider error access_denied"; do
  if ! grep '"single sign-on refused"' "$WORK/lore.log" | grep -q "$reason"; then
    echo "FAIL: no log line with the reason \"$reason\"" >&2; status=1
  fi
done
if grep -q "an e2e client secret" "$WORK/lore.log"; then echo "FAIL: the client secret reached the log" >&2; status=1; fi
if grep -qE '"level":"(error|critical)"' "$WORK/lore.log"; then
  echo "FAIL: lore logged errors:" >&2; grep -m5 -E '"level":"(error|critical)"' "$WORK/lore.log" >&2; status=1
fi
[ $status = 0 ] || { echo "--- lore log (last 30 lines)" >&2; tail -30 "$WORK/lore.log" >&2; echo "--- provider log" >&2; tail -20 "$WORK/idp.log" >&2; }
exit $status
