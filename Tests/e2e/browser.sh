#!/usr/bin/env bash
# Lore in a real browser: Tests/e2e/browser.py drives Debian's chromium
# through a whole learning-review journey at a laptop and a phone viewport,
# checking every page it visits (console errors, CSP violations, title, one
# h1, labelled form fields, no sideways scrolling on a phone).
# Each viewport gets a server and data directory of its own, so the journeys
# cannot see each other's incidents or the renamed practice.
# Usage: Tests/e2e/browser.sh [path/to/lore]   (default .build/debug/lore)
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
export LORE_LOG_LEVEL=warning LORE_LOG_FORMAT=json

ADMIN_EMAIL=admin@example.com
ADMIN_PASSWORD="a long browser-test admin password"
MEMBERS=("Noor Haddad|noor@example.com|noor's long browser password"
         "Kai Lindqvist|kai@example.com|kai's long browser password")

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# Starts one server with its own data directory, in this shell so that the
# trap knows its process id; its address goes in BASE[name].
declare -A BASE
start() {
  local name="$1" p
  p=$(port)
  mkdir -p "$WORK/$name"
  "$LORE" serve --data-dir "$WORK/$name" --host 127.0.0.1 --port "$p" \
    --admin-email "$ADMIN_EMAIL" --admin-password "$ADMIN_PASSWORD" >"$WORK/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$p/healthz" >/dev/null && break; sleep 0.1; done
  curl -fs "http://127.0.0.1:$p/healthz" >/dev/null || { echo "FAIL: lore serve ($name) did not start" >&2; cat "$WORK/$name.log" >&2; exit 1; }
  # Members after the server has created the first admin (serve only does
  # that while there are no accounts at all).
  for m in "${MEMBERS[@]}"; do
    IFS='|' read -r mname memail mpass <<<"$m"
    "$LORE" users add --data-dir "$WORK/$name" --email "$memail" --name "$mname" --password-stdin <<<"$mpass" >/dev/null
  done
  BASE[$name]="http://127.0.0.1:$p"
}
start laptop
start phone

args=(--admin "$ADMIN_EMAIL|$ADMIN_PASSWORD")
for m in "${MEMBERS[@]}"; do args+=(--member "$m"); done
status=0
python3 "$HERE/browser.py" "${args[@]}" "laptop=${BASE[laptop]}" "phone=${BASE[phone]}" || status=$?
for vp in laptop phone; do
  if grep -qE '"level":"(error|critical)"' "$WORK/$vp.log"; then
    echo "FAIL: the $vp server logged errors:" >&2; grep -m5 -E '"level":"(error|critical)"' "$WORK/$vp.log" >&2; status=1
  fi
done
exit $status
