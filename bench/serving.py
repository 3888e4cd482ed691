"""A real server for the benchmarks: ``wms serve`` in a subprocess on a given database.

    with server(database_url, tmp) as base:   # "http://127.0.0.1:<port>"
        token = await sign_in(http, base, "packer1", "demo-packer")

The database must be migrated and seeded already (the server starts with
``--no-migrate``). The server's log goes to ``tmp/server-<port>.log``; if the
process dies while starting, its log is raised.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(
    database_url: str,
    tmp: Path,
    *,
    broadcast_url: str = "memory://",
    secret_key: str = "bench-shared-secret",
    env: Mapping[str, str] | None = None,
    start_timeout: float = 30.0,
) -> Iterator[str]:
    """Run ``wms serve`` on a free port until the block ends; yields its base URL."""
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "BROADCAST_URL": broadcast_url,
        "WMS_SECRET_KEY": secret_key,
        "WMS_DATA_DIR": str(tmp),
        **(env or {}),
    }
    log_path = tmp / f"server-{port}.log"
    log = open(log_path, "w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "backend.cli",
            "serve",
            "--no-migrate",
            "--workers",
            "1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=REPO,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start:\n{log_path.read_text()}")
            time.sleep(0.05)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


SIGN_IN = """mutation($u: String!, $p: String!) { signIn(input: {username: $u, password: $p,
  deviceId: "bench"}) { ... on SignInSuccess { token } ... on UserError { code message } } }"""


async def graphql(
    http: httpx.AsyncClient,
    base: str,
    query: str,
    variables: Mapping[str, Any] | None = None,
    token: str | None = None,
) -> dict[str, Any]:
    """One GraphQL request; top-level errors are raised (a benchmark must not
    silently time failures)."""
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = await http.post(
        f"{base}/graphql",
        json={"query": query, "variables": dict(variables or {})},
        headers=headers,
    )
    body = response.json()
    if body.get("errors"):
        raise RuntimeError(f"GraphQL errors: {body['errors']}")
    return dict(body["data"])


async def sign_in(http: httpx.AsyncClient, base: str, user: str, password: str) -> str:
    data = await graphql(http, base, SIGN_IN, {"u": user, "p": password})
    token = data["signIn"].get("token")
    if not token:
        raise RuntimeError(f"sign-in of {user} failed: {data['signIn']}")
    return str(token)
