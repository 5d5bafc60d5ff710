#!/usr/bin/env bash
# The OpenAPI document as a contract: schemathesis (every check) against a live
# `lore serve`, as an admin and as a member, with a fixed seed and a bounded
# number of examples. Seeds an incident, a review, a follow-up, a finding and
# a timeline entry first and points path parameters at them, so operations
# on existing records are exercised, not only their 404s.
# Usage: Tests/e2e/schemathesis.sh sqlite|postgres://... [max-examples]
set -euo pipefail
TARGET="$1"; EXAMPLES="${2:-20}"
LORE="${LORE:-.build/debug/lore}"
WORK="$(mktemp -d)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
if [ "$TARGET" = sqlite ]; then DATA=(--data-dir "$WORK/data"); else DATA=(--database-url "$TARGET"); fi
export LORE_LOG_LEVEL=warning
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"$LORE" migrate "${DATA[@]}" >/dev/null
"$LORE" users add --email st-admin@example.com --name "ST Admin" --role admin --password-stdin "${DATA[@]}" <<<"a long schemathesis password" >/dev/null
"$LORE" users add --email st-member@example.com --name "ST Member" --password-stdin "${DATA[@]}" <<<"a long schemathesis password" >/dev/null
ADMIN=$("$LORE" tokens create --user st-admin@example.com "${DATA[@]}")
MEMBER=$("$LORE" tokens create --user st-member@example.com "${DATA[@]}")
"$LORE" serve "${DATA[@]}" --port "$PORT" >"$WORK/serve.log" 2>&1 & pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
BASE="http://127.0.0.1:$PORT/api/v1"

python3 - "$BASE" "$ADMIN" "$MEMBER" "$WORK/schemathesis.toml" <<'PY'
import json, sys, urllib.request
base, admin, member, out = sys.argv[1:5]
def call(token, method, path, body=None):
    req = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req))
me = call(member, "GET", "/me")
call(admin, "POST", "/teams", {"name": "Payments", "slug": "payments"})
call(admin, "POST", "/services", {"name": "Checkout API", "slug": "checkout-api", "owningTeam": "payments", "pagedTeams": ["payments"]})
inc = call(admin, "POST", "/incidents", {"title": "Checkout 502s", "severity": "SEV2", "detectionSource": "other", "services": ["checkout-api"], "teams": ["payments"],
                                         "detectedAt": "2026-03-01T10:00:00Z", "resolvedAt": "2026-03-01T12:00:00Z", "status": "resolved"})
entry = call(member, "POST", f"/incidents/{inc['key']}/timeline", {"occurredAt": "2026-03-01T10:05:00Z", "text": "Rolled back the deploy"})
review = call(member, "POST", f"/incidents/{inc['key']}/reviews", {"level": "team", "teams": ["payments"], "participantIds": [me["id"]]})
fu = call(member, "POST", f"/incidents/{inc['key']}/follow-ups", {"title": "Alert on 502 rate", "ownerTeam": "payments", "reviewId": review["id"]})
finding = call(member, "POST", f"/reviews/{review['id']}/findings", {"kind": "learning", "text": "Retries doubled the load"})
hook = call(admin, "POST", "/webhooks", {"name": "ops", "url": "http://127.0.0.1:9/hook", "format": "json"})
ops = [("/incidents/{key}/timeline/{id}", entry["id"]), ("/incidents/{key}/timeline/{id}/restore", entry["id"]),
       ("/reviews/{id}", review["id"]), ("/reviews/{id}/parent", review["id"]), ("/reviews/{id}/findings", review["id"]),
       ("/reviews/{id}/ballot", review["id"]), ("/reviews/{id}/ballot/picks", review["id"]), ("/reviews/{id}/ballot/close", review["id"]),
       ("/reviews/{id}/language", review["id"]), ("/reviews/{id}/language/keep", review["id"]), ("/reviews/{id}/history", review["id"]),
       ("/follow-ups/{id}", fu["id"]), ("/follow-ups/{id}/history", fu["id"]), ("/findings/{id}/promote", finding["id"]),
       ("/webhooks/{id}", hook["id"])]
with open(out, "w") as f:
    # A 422 is a documented answer to a schema-valid request where the rule
    # cannot be written in the schema (an unknown team, a ballot already open).
    f.write('[checks.positive_data_acceptance]\nexpected-statuses = ["2xx", "401", "403", "404", "409", "422"]\n\n')
    f.write('[parameters]\n"path.key" = "%s"\n"path.slug" = "checkout-api"\n\n' % inc["key"])
    for path, ident in ops:
        f.write('[[operations]]\ninclude-path = "%s"\nparameters = { "path.id" = "%s" }\n\n' % (path, ident))
PY

status=0
for who in admin member; do
  if [ "$who" = admin ]; then TOKEN="$ADMIN"; else TOKEN="$MEMBER"; fi
  echo "-- schemathesis as $who ($TARGET, $EXAMPLES examples per operation)"
  if ! st --config-file "$WORK/schemathesis.toml" run "$BASE/openapi.yaml" -H "Authorization: Bearer $TOKEN" \
       --checks all --max-examples "$EXAMPLES" --seed 20261203 -w 1 --phases examples,coverage,fuzzing \
       --suppress-health-check all --no-color > "$WORK/st-$who.txt" 2>&1; then
    status=1
    grep -E "^_+ |Received: |Documented: |Invalid component|Unsupported|Valid data|Invalid data|Response violates" "$WORK/st-$who.txt" | head -80 >&2
  fi
  tail -n 8 "$WORK/st-$who.txt"
done
if grep -q "Internal Server Error\|API request failed" "$WORK/serve.log"; then echo "FAIL: the server logged an internal error" >&2; grep -m5 "API request failed" "$WORK/serve.log" >&2; status=1; fi
exit $status
