#!/usr/bin/env bash
# Issue 14 as an operator tries it: fill Lore with the demo, back it up while
# the server is being used (reads and writes through the API), restore the
# backup elsewhere, move it to PostgreSQL and back to SQLite, and scrape
# /metrics. Every step is checked by what a person would look at: the counts
# the commands print, the organisation archive's per-table digests, and the
# metrics text.
# Usage: Tests/e2e/backup-while-serving.sh postgres://user@127.0.0.1:PORT/db
set -euo pipefail
URL="$1"
LORE="${LORE:-.build/debug/lore}"
WORK="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
export LORE_LOG_LEVEL=warning
METRICS_TOKEN="e2e-metrics-token-0123"

LORE_METRICS_TOKEN="$METRICS_TOKEN" "$LORE" serve --data-dir "$WORK/live" --port "$PORT" --demo \
  --admin-email ops@example.com --admin-password "a long e2e password" >"$WORK/serve.log" 2>&1 & pids+=($!)
for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
TOKEN=$("$LORE" tokens create --user ops@example.com --data-dir "$WORK/live")

# Someone using Lore meanwhile: incidents created and pages read, until stopped.
(
  n=0
  while [ ! -e "$WORK/stop" ]; do
    curl -fsS -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
      -d "{\"title\":\"Written while backing up $n\",\"severity\":\"SEV3\",\"detectionSource\":\"other\"}" \
      "http://127.0.0.1:$PORT/api/v1/incidents" >/dev/null
    curl -fsS -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/incidents?limit=20" >/dev/null
    n=$((n + 1))
  done
  echo "$n" > "$WORK/written"
) & writer=$!
sleep 2

"$LORE" backup "$WORK/backup.sqlite" --data-dir "$WORK/live" | tee "$WORK/backup.out"
grep -q "Verified: integrity check ok" "$WORK/backup.out" || fail "the backup was not verified"
sleep 1
touch "$WORK/stop"; wait "$writer"
written=$(cat "$WORK/written")
[ "$written" -gt 0 ] || fail "nothing was written while the backup ran"
echo "incidents written through the API during the run: $written"

in_backup=$(sed -n 's/.*: \([0-9]*\) incidents,.*/\1/p' "$WORK/backup.out")
"$LORE" restore "$WORK/backup.sqlite" --data-dir "$WORK/restored"
count() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM incidents").fetchone()[0])' "$1/lore.sqlite"; }
restored=$(count "$WORK/restored")
[ "$restored" = "$in_backup" ] || fail "the restored database has $restored incidents; the backup said $in_backup"
live=$(count "$WORK/live")
[ "$live" -gt "$restored" ] || fail "the live database ($live) should have gone on growing after the backup ($restored)"
echo "restored $restored incidents (the live database has $live)"

"$LORE" move --data-dir "$WORK/restored" --to "$URL" | tail -n 1
"$LORE" move --database-url "$URL" --to "sqlite://$WORK/back/lore.sqlite" | tail -n 1
# Apart from the audit log (each move records itself in its target), the
# organisation that came back is the one that left.
"$LORE" export organisation "$WORK/before.jsonl" --data-dir "$WORK/restored" >/dev/null
"$LORE" export organisation "$WORK/after.jsonl" --data-dir "$WORK/back" >/dev/null
grep '^{"end":' "$WORK/before.jsonl" | grep -v '"audit_events"' > "$WORK/before.ends"
grep '^{"end":' "$WORK/after.jsonl" | grep -v '"audit_events"' > "$WORK/after.ends"
diff "$WORK/before.ends" "$WORK/after.ends" || fail "the organisation changed on its way to PostgreSQL and back"
echo "SQLite -> PostgreSQL -> SQLite: $(wc -l < "$WORK/before.ends") tables with the same rows"

metrics=$(curl -fsS -H "Authorization: Bearer $METRICS_TOKEN" "http://127.0.0.1:$PORT/metrics")
echo "$metrics" | grep -q '^lore_http_requests_total{route="/api/v1/incidents",method="POST",status="201"}' || fail "/metrics does not count the API's writes"
echo "$metrics" | grep -q '^lore_review_windows_missed ' || fail "/metrics has no review windows"
echo "backup while serving: ok"
