#!/usr/bin/env bash
# Run bench/pwa/bench.mjs against a real server, started as scripts/e2e.sh
# starts one: build the PWA (unless BENCH_SKIP_BUILD=1), a fresh SQLite
# database with the small demo warehouse, a free port; stopped at the end.
#
#   bash bench/pwa/run.sh            # BENCH_RUNS=3 by default
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
# The server runs this checkout's backend, whatever the venv was installed from.
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
PY="$ROOT/.venv/bin/python"
WMS="$ROOT/.venv/bin/wms"

if [ "${BENCH_SKIP_BUILD:-0}" != "1" ] || [ ! -f pwa/dist/index.html ]; then
  npm --prefix pwa run build >/dev/null
fi

TMP="$(mktemp -d "${TMPDIR:-/tmp}/wms-bench-pwa.XXXXXX")"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export DATABASE_URL="sqlite+aiosqlite:///$TMP/bench.db"
export WMS_PWA_DIST="$ROOT/pwa/dist"
"$WMS" migrate >"$TMP/migrate.log" 2>&1 || { cat "$TMP/migrate.log" >&2; exit 1; }
"$WMS" demo --small --credentials-out "$TMP/creds.json" >"$TMP/demo.log" 2>&1 || { cat "$TMP/demo.log" >&2; exit 1; }
BADGE="$("$PY" -c 'import json, sys; print(next(u["badge"] for u in json.load(open(sys.argv[1])) if u["role"] == "picker"))' "$TMP/creds.json")"
"$PY" tests/e2e/make_y4m.py "$BADGE" "$TMP/badge.y4m" >/dev/null

"$WMS" serve --host 127.0.0.1 --port "$PORT" --no-migrate --log-level warning >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
BASE="http://127.0.0.1:$PORT"
for i in $(seq 100); do
  "$PY" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' "$BASE/healthz" 2>/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$TMP/server.log" >&2; exit 1; }
  [ "$i" = 100 ] && { echo "bench: /healthz never answered" >&2; exit 1; }
  sleep 0.2
done

BENCH_BASE_URL="$BASE" BENCH_Y4M="$TMP/badge.y4m" E2E_BASE_URL="$BASE" E2E_CREDS="$TMP/creds.json" node bench/pwa/bench.mjs
