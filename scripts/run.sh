#!/usr/bin/env bash
# One command on a fresh machine: install, migrate, load the demo warehouse into
# the embedded SQLite database (first run only) and serve the API and the PWA.
#   HOST=0.0.0.0 PORT=8000 scripts/run.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
.venv/bin/wms demo
echo "Open http://${HOST:-127.0.0.1}:${PORT:-8000}/ on a phone or handheld (GraphiQL at /graphql)."
exec .venv/bin/wms serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
