#!/usr/bin/env bash
# Installs what the system needs on a Debian/Ubuntu machine: the Debian libraries
# WeasyPrint renders with (and CJK fonts), Node.js when missing, the Python
# virtualenv .venv with the package, and the built PWA in pwa/dist.
#
#   scripts/setup.sh            # to run the system
#   scripts/setup.sh --test     # plus what the tests need (Chromium, zbar, poppler,
#                               # PostgreSQL, Redis)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
WITH_TEST=0
[ "${1:-}" = "--test" ] && WITH_TEST=1

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

APT_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core fonts-noto-cjk python3-venv)
if [ "$WITH_TEST" = 1 ]; then
  APT_PACKAGES+=(chromium zbar-tools poppler-utils postgresql redis-server)
fi
command -v node >/dev/null 2>&1 || APT_PACKAGES+=(nodejs npm)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# postgresql/redis may also be present as non-Debian installs: a running server is enough.
if [ "$WITH_TEST" = 1 ]; then
  filtered=()
  for pkg in "${missing[@]}"; do
    case "$pkg" in
      postgresql) command -v pg_ctlcluster >/dev/null 2>&1 || filtered+=("$pkg") ;;
      redis-server) command -v redis-server >/dev/null 2>&1 || filtered+=("$pkg") ;;
      *) filtered+=("$pkg") ;;
    esac
  done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
extras=""
[ "$WITH_TEST" = 1 ] && extras="[test]"
.venv/bin/pip install --quiet --disable-pip-version-check -e ".${extras}" 2>&1 | grep -v "is ignored" || true
.venv/bin/python -c "import backend, strawberry, weasyprint" >/dev/null

if [ ! -f pwa/node_modules/.package-lock.json ] || [ pwa/package-lock.json -nt pwa/node_modules/.package-lock.json ]; then
  npm --prefix pwa ci --no-audit --no-fund --loglevel=error
fi
if [ ! -f pwa/dist/index.html ] || [ -n "$(find pwa/src pwa/index.html pwa/vite.config.* -newer pwa/dist/index.html 2>/dev/null | head -1)" ]; then
  npm --prefix pwa run build --silent
fi
echo "setup: done"
