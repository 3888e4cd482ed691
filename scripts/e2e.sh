#!/usr/bin/env bash
# Browser tests: build the PWA, start the real server on a free port with a
# fresh SQLite database and the small demo warehouse, run tests/e2e with
# node's test runner in headless Chromium, stop the server.
#
#   bash scripts/e2e.sh                 # all tests
#   bash scripts/e2e.sh tests/e2e/camera.test.mjs
#
# Env: E2E_CHROMIUM (default /usr/bin/chromium), E2E_SKIP_BUILD=1 to reuse pwa/dist,
# E2E_KEEP=1 to keep the temporary directory (database, server log).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# The venv may be an editable install of another checkout: the server and the
# demo loader must run this checkout's code.
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"

PY="$ROOT/.venv/bin/python"
WMS="$ROOT/.venv/bin/wms"
[ -x "$WMS" ] || { echo "e2e: $WMS not found (create the venv and pip install -e .)" >&2; exit 2; }

if [ "${E2E_SKIP_BUILD:-0}" != "1" ] || [ ! -f pwa/dist/index.html ]; then
  [ -d pwa/node_modules ] || npm --prefix pwa ci --no-audit --no-fund
  npm --prefix pwa run build
fi

TMP="$(mktemp -d "${TMPDIR:-/tmp}/wms-e2e.XXXXXX")"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "${E2E_KEEP:-0}" = "1" ]; then echo "e2e: kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT INT TERM

PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export DATABASE_URL="sqlite+aiosqlite:///$TMP/e2e.db"
export WMS_PWA_DIST="$ROOT/pwa/dist"

"$WMS" migrate >"$TMP/migrate.log" 2>&1 || { cat "$TMP/migrate.log" >&2; exit 1; }
"$WMS" demo --small --credentials-out "$TMP/creds.json" >"$TMP/demo.log" 2>&1 || { cat "$TMP/demo.log" >&2; exit 1; }

# The camera test reads the picker's badge from a fake camera.
PICKER_BADGE="$("$PY" -c 'import json, sys; print(next(u["badge"] for u in json.load(open(sys.argv[1])) if u["role"] == "picker"))' "$TMP/creds.json")"
"$PY" tests/e2e/make_y4m.py "$PICKER_BADGE" "$TMP/badge.y4m"

# The alert evaluator runs in the server, as it would in production (office desk test).
export WMS_ALERT_INTERVAL_SECONDS="${WMS_ALERT_INTERVAL_SECONDS:-3}"
"$WMS" serve --host 127.0.0.1 --port "$PORT" --no-migrate >"$TMP/server.log" 2>&1 &
SERVER_PID=$!

BASE="http://127.0.0.1:$PORT"
for i in $(seq 100); do
  if "$PY" -c 'import sys, urllib.request; sys.exit(0 if urllib.request.urlopen(sys.argv[1], timeout=1).status == 200 else 1)' "$BASE/healthz" 2>/dev/null; then
    break
  fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "e2e: the server exited" >&2; cat "$TMP/server.log" >&2; exit 1
  fi
  [ "$i" = 100 ] && { echo "e2e: /healthz never answered 200" >&2; cat "$TMP/server.log" >&2; exit 1; }
  sleep 0.2
done

export E2E_BASE_URL="$BASE"
export E2E_CREDS="$TMP/creds.json"
export E2E_Y4M="$TMP/badge.y4m"
export E2E_SCREENSHOT="${E2E_SCREENSHOT-$ROOT/docs/screenshot-tasks.png}"

if [ "$#" -gt 0 ]; then FILES=("$@"); else FILES=(tests/e2e/*.test.mjs); fi
status=0
node --test --test-reporter=tap --test-concurrency=1 --test-timeout=120000 "${FILES[@]}" || status=$?
if [ "$status" != 0 ]; then
  echo "---- server log (tail) ----" >&2
  tail -n 40 "$TMP/server.log" >&2
fi
exit "$status"
