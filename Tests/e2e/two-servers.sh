#!/usr/bin/env bash
# Two `lore serve` processes on one PostgreSQL database, both doing background
# work, and one webhook receiver: a review window that closes a few seconds
# from now must produce exactly one signed delivery. Then PagerDuty's real
# webhook bodies, each delivered twice to either server at once, must give
# one timeline entry per event.
# Usage: Tests/e2e/two-servers.sh postgres://user@127.0.0.1:PORT/db
set -euo pipefail
URL="$1"
LORE="${LORE:-.build/debug/lore}"
WORK="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
RP=$(port); PA=$(port); PB=$(port)
SECRET="e2e-signing-secret-0123456789"
export LORE_LOG_LEVEL=warning

python3 Tests/e2e/receiver.py "$RP" "$SECRET" "$WORK/events" & pids+=($!)
"$LORE" migrate --database-url "$URL" >/dev/null
"$LORE" users add --email ops@example.com --name Ops --role admin --password-stdin --database-url "$URL" <<<"a long e2e password" >/dev/null
TOKEN=$("$LORE" tokens create --user ops@example.com --database-url "$URL")

"$LORE" serve --database-url "$URL" --port "$PA" --work-interval 1 >"$WORK/a.log" 2>&1 & pids+=($!)
"$LORE" serve --database-url "$URL" --port "$PB" --work-interval 1 >"$WORK/b.log" 2>&1 & pids+=($!)
for p in "$PA" "$PB"; do
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$p/healthz" >/dev/null && break; sleep 0.2; done
done

api() { curl -fsS -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }
api -d "{\"name\":\"e2e\",\"url\":\"http://127.0.0.1:$RP/hook\",\"format\":\"json\",\"secret\":\"$SECRET\"}" "http://127.0.0.1:$PA/api/v1/webhooks" >/dev/null
# Resolved 72 h minus 6 s ago: the window closes in 6 s (the 24-hour reminder
# is two days old and is not sent late).
RESOLVED=$(python3 -c 'import datetime as d; print((d.datetime.now(d.timezone.utc)-d.timedelta(hours=72)+d.timedelta(seconds=6)).strftime("%Y-%m-%dT%H:%M:%S.000Z"))')
DETECTED=$(python3 -c 'import datetime as d; print((d.datetime.now(d.timezone.utc)-d.timedelta(hours=73)).strftime("%Y-%m-%dT%H:%M:%S.000Z"))')
api -d "{\"title\":\"Two servers, one reminder\",\"severity\":\"SEV2\",\"detectionSource\":\"other\",\"status\":\"resolved\",\"detectedAt\":\"$DETECTED\",\"resolvedAt\":\"$RESOLVED\"}" "http://127.0.0.1:$PB/api/v1/incidents" >/dev/null

sleep 16
events=$(cat "$WORK/events" 2>/dev/null || true)
echo "deliveries received: ${events:-none}"
if [ "$events" != "review.window_closed" ]; then
  echo "FAIL: expected exactly one signed review.window_closed delivery" >&2
  tail -n 20 "$WORK/a.log" "$WORK/b.log" >&2
  exit 1
fi
echo "two servers: exactly one delivery"

"$LORE" webhooks pagerduty add e2e --secret "$SECRET" --database-url "$URL" >/dev/null
python3 Tests/e2e/pagerduty-deliveries.py "http://127.0.0.1:$PA" "http://127.0.0.1:$PB" "$SECRET" Tests/Fixtures/pagerduty "$TOKEN"
