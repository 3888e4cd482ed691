"""The PWA goes over the wire compressed and with cache headers that fit each file:
hashed /assets for a year, the shell and service worker revalidated every time.
GraphQL answers are gzipped; PDFs are not touched."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import brotli  # type: ignore[import-untyped]
import httpx
import pytest

from backend.app import create_app
from backend.config import Settings
from tests.integration.test_documents_render import _label_url

SCRIPT = ("export const tasks = () => fetch('/graphql');\n" * 200).encode()
SHELL = b"<!doctype html><title>WMS</title>" + b"<!-- shell -->" * 100


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    """A build as pwa/vite.config.ts writes it: text files with .br and .gz copies."""
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    files = {
        "index.html": SHELL,
        "sw.js": SCRIPT,
        "manifest.webmanifest": b'{"name": "WMS"}',
        "assets/index-Ab12Cd34.js": SCRIPT,
    }
    for name, body in files.items():
        (root / name).write_bytes(body)
        (root / f"{name}.gz").write_bytes(gzip.compress(body))
        (root / f"{name}.br").write_bytes(brotli.compress(body))
    # A file the build left without copies: compressed on the fly.
    (root / "assets/legacy-Ef56Gh78.css").write_bytes(b"body { color: black; }\n" * 100)
    return root


@pytest.fixture
async def web(settings: Settings, dist: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(replace(settings, pwa_dist=dist))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://wms.test") as http:
            yield http


async def test_hashed_assets_are_gzip_encoded_and_immutable(web: httpx.AsyncClient):
    response = await web.get("/assets/index-Ab12Cd34.js", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "accept-encoding" in response.headers["vary"].lower()
    assert int(response.headers["content-length"]) < len(SCRIPT) / 10
    assert response.content == SCRIPT  # httpx decoded it: the copy is the file

    on_the_fly = await web.get("/assets/legacy-Ef56Gh78.css", headers={"accept-encoding": "gzip"})
    assert on_the_fly.headers["content-encoding"] == "gzip"
    assert on_the_fly.headers["cache-control"] == "public, max-age=31536000, immutable"


async def test_brotli_when_accepted_and_plain_when_nothing_is(web: httpx.AsyncClient):
    br = await web.get("/assets/index-Ab12Cd34.js", headers={"accept-encoding": "gzip, br"})
    assert br.headers["content-encoding"] == "br"
    assert br.content == SCRIPT

    refused = await web.get(
        "/assets/index-Ab12Cd34.js", headers={"accept-encoding": "br;q=0, gzip"}
    )
    assert refused.headers["content-encoding"] == "gzip"

    plain = await web.get("/assets/index-Ab12Cd34.js", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.content == SCRIPT
    assert plain.headers["content-length"] == str(len(SCRIPT))

    ranged = await web.get(
        "/assets/index-Ab12Cd34.js", headers={"accept-encoding": "gzip", "range": "bytes=0-9"}
    )
    assert ranged.status_code == 206 and ranged.content == SCRIPT[:10]


async def test_the_shell_the_worker_and_the_manifest_are_revalidated(web: httpx.AsyncClient):
    for path in ("/", "/index.html", "/tasks/12", "/sw.js", "/manifest.webmanifest"):
        response = await web.get(path, headers={"accept-encoding": "gzip"})
        assert response.status_code == 200, path
        assert response.headers["cache-control"] == "no-cache", path
    index = await web.get("/", headers={"accept-encoding": "gzip"})
    assert index.headers["content-encoding"] == "gzip"
    assert index.headers["content-type"].startswith("text/html")
    assert index.content == SHELL
    # A revalidation is cheap: the same ETag answers 304.
    again = await web.get(
        "/", headers={"accept-encoding": "gzip", "if-none-match": index.headers["etag"]}
    )
    assert again.status_code == 304


async def test_graphql_answers_are_gzipped_and_pdfs_are_not(
    gql, session, client: httpx.AsyncClient
):
    query = {"query": "{ __schema { types { name } } }"}
    answer = await client.post("/graphql", json=query, headers={"accept-encoding": "gzip"})
    assert answer.status_code == 200
    assert answer.headers["content-encoding"] == "gzip"
    assert answer.json()["data"]["__schema"]["types"]

    url = await _label_url(gql, session)
    headers = {"authorization": f"Bearer {await gql.token('packer')}", "accept-encoding": "gzip"}
    pdf = await client.get(url, headers=headers)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "content-encoding" not in pdf.headers
    assert pdf.headers["content-length"] == str(len(pdf.content))
