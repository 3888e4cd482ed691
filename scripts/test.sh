#!/usr/bin/env bash
# One command on a fresh machine: install what the tests need and run them all:
# lint and types, unit tests, integration tests on SQLite and on PostgreSQL + Redis,
# the PWA's unit tests and the browser tests in headless Chromium.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh --test
bash scripts/services.sh
export WMS_DATA_DIR="$ROOT/var/test"
mkdir -p "$WMS_DATA_DIR"

step() { printf '\n== %s\n' "$*"; }
PYTEST=(timeout 1200 .venv/bin/pytest -q -p no:cacheprovider)

step "ruff"
.venv/bin/ruff check backend tests bench
step "mypy"
.venv/bin/mypy
step "unit tests"
"${PYTEST[@]}" tests/unit
step "integration tests on SQLite (memory broadcast)"
WMS_TEST_DB=sqlite "${PYTEST[@]}" tests/integration
step "integration tests on PostgreSQL (Redis broadcast)"
WMS_TEST_DB=postgresql WMS_TEST_BROADCAST=redis://127.0.0.1:6379/0 "${PYTEST[@]}" tests/integration
step "PWA unit tests"
npm --prefix pwa test --silent
step "browser tests (headless Chromium)"
# One retry, of the failed files only: under heavy CPU load a stalled page can split
# a 5 ms-a-key wedge burst (a known timing weakness of the wedge idle timer, tracked
# in the issue notes). Only what failed runs again, so the retry is not a second
# draw over every test.
E2E_LOG="$WMS_DATA_DIR/e2e.log"
E2E_SKIP_BUILD=1 timeout 900 bash scripts/e2e.sh 2>&1 | tee "$E2E_LOG" || {
  mapfile -t FAILED < <(grep -A8 '^not ok' "$E2E_LOG" | sed -n "s/^ *location: '\(.*\.test\.mjs\):[0-9]*:[0-9]*'\$/\1/p" | sort -u)
  echo "browser tests failed once; running again: ${FAILED[*]:-all of them}"
  E2E_SKIP_BUILD=1 timeout 900 bash scripts/e2e.sh "${FAILED[@]}"
}
step "all tests passed"
