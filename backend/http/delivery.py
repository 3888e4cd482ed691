"""How the PWA's files travel: compressed, and cached as long as they can be.

The build (pwa/vite.config.ts) writes a brotli (``.br``) and a gzip (``.gz``)
copy next to every text asset, compressed once at the highest level; the
server picks the copy the client accepts, so no CPU is spent per request and
brotli needs no Python package. Anything else textual (GraphQL answers, a file
without a copy) goes through starlette's GZipMiddleware, which leaves
WebSockets alone and is told to skip PDFs (already compressed inside).
"""

from __future__ import annotations

import os
from mimetypes import guess_type
from typing import Any

from starlette.datastructures import Headers
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES
from starlette.responses import Response

# Vite puts a content hash in every file name under /assets: a new build is a
# new URL, so a device may keep these for a year without asking again.
IMMUTABLE = "public, max-age=31536000, immutable"
# The shell and the service worker must be revalidated on every load, or a
# handheld keeps running an old build.
NO_CACHE = "no-cache"
_SHELL = frozenset({"index.html", "sw.js", "manifest.webmanifest"})

GZIP_EXCLUDED = (*DEFAULT_EXCLUDED_CONTENT_TYPES, "application/pdf")

# Preferred first: brotli is 15-20 % smaller than gzip on this app's JavaScript.
_VARIANTS = (("br", ".br"), ("gzip", ".gz"))


def cache_control(path: str) -> str | None:
    """The Cache-Control for a file of the PWA (path relative to dist), if any."""
    if path.startswith("assets/"):
        return IMMUTABLE
    if path in ("", ".") or path in _SHELL:
        return NO_CACHE
    return None


def accepted_encodings(header: str) -> set[str]:
    """Codings an Accept-Encoding header allows (``q=0`` refuses one)."""
    allowed: set[str] = set()
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        quality = params.strip().removeprefix("q=").strip() if params else "1"
        try:
            refused = float(quality) == 0
        except ValueError:
            refused = False
        if name and not refused:
            allowed.add(name.strip().lower())
    return allowed


def _media_type(name: str) -> str:
    media_type = guess_type(name)[0] or "application/octet-stream"
    return f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type


def precompressed(static: Any, path: str, scope: Any) -> Response | None:
    """The build's compressed copy of ``path`` the client accepts, or None.

    ``static`` is the StaticFiles app serving dist; its ``lookup_path`` keeps the
    lookup inside the directory. Range requests get the plain file.
    """
    headers = Headers(scope=scope)
    if "range" in headers:
        return None
    name = "index.html" if path in ("", ".") else path
    allowed = accepted_encodings(headers.get("accept-encoding", ""))
    for coding, suffix in _VARIANTS:
        if coding not in allowed:
            continue
        full_path, stat_result = static.lookup_path(name + suffix)
        if stat_result is None or not os.path.isfile(full_path):
            continue
        response: Response = static.file_response(full_path, stat_result, scope)
        if response.status_code == 200:
            response.headers["content-type"] = _media_type(name)
        response.headers["content-encoding"] = coding
        response.headers["vary"] = "Accept-Encoding"
        return response
    return None
