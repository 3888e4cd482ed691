"""Tasks reach a handheld's subscription after commit, across server processes.

With Redis (or PostgreSQL NOTIFY) as the broadcast backend, the handheld listens
on one process and the task is created through another, as behind a proxy.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import httpx
import pytest
import websockets

from tests.integration.conftest import BROADCAST_URL, key

SIGN_IN = """mutation($u: String!, $p: String!) { signIn(input: {username: $u, password: $p,
  deviceId: "sub-test"}) { ... on SignInSuccess { token } ... on UserError { code } } }"""
CREATE = """mutation($k: String!, $t: String!) { createTask(input: {kind: COUNT, title: $t,
  idempotencyKey: $k}) { __typename } }"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(database_url: str, tmp: Path) -> Iterator[str]:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "BROADCAST_URL": BROADCAST_URL,
        "WMS_SECRET_KEY": "shared-secret-for-the-test",
        "WMS_DATA_DIR": str(tmp),
    }
    log = open(tmp / f"server-{port}.log", "w")
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
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None:
                raise RuntimeError((tmp / f"server-{port}.log").read_text())
            import time

            time.sleep(0.05)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


async def sign_in(base: str, username: str, password: str) -> str:
    async with httpx.AsyncClient() as http:
        body = (
            await http.post(
                f"{base}/graphql",
                json={"query": SIGN_IN, "variables": {"u": username, "p": password}},
            )
        ).json()
    return str(body["data"]["signIn"]["token"])


@asynccontextmanager
async def subscription(base: str, token: str | None, query: str) -> AsyncIterator[object]:
    url = base.replace("http", "ws") + "/graphql"
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        payload = {"authorization": f"Bearer {token}"} if token else {}
        await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        ack = json.loads(await asyncio.wait_for(ws.recv(), 5))
        assert ack["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
        yield ws


async def next_data(ws: object) -> dict:
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), 10))  # type: ignore[attr-defined]
        if message["type"] == "next":
            return message["payload"]["data"]  # type: ignore[no-any-return]
        assert message["type"] != "error", message


async def test_a_created_task_is_pushed_to_a_picker_on_another_process(
    database_url, template, tmp_path
):
    creds = {c.role: c for c in template.credentials}
    two_processes = not BROADCAST_URL.startswith("memory")
    with server(database_url, tmp_path) as listen_base:
        with server(database_url, tmp_path) if two_processes else _same(listen_base) as act_base:
            picker = await sign_in(listen_base, creds["picker"].username, creds["picker"].password)
            boss = await sign_in(
                act_base, creds["supervisor"].username, creds["supervisor"].password
            )
            query = "subscription { taskEvents { change task { title kind state } } }"
            async with subscription(listen_base, picker, query) as ws:
                await asyncio.sleep(0.3)  # the subscription registers with the broadcaster
                async with httpx.AsyncClient() as http:
                    created = await http.post(
                        f"{act_base}/graphql",
                        json={"query": CREATE, "variables": {"k": key(), "t": "Count A01-004"}},
                        headers={"authorization": f"Bearer {boss}"},
                    )
                assert created.json()["data"]["createTask"]["__typename"] == "TaskSuccess"
                data = await next_data(ws)
                assert data["taskEvents"] == {
                    "change": "CREATED",
                    "task": {"title": "Count A01-004", "kind": "COUNT", "state": "OPEN"},
                }


@contextmanager
def _same(base: str) -> Iterator[str]:
    yield base


async def test_a_socket_without_a_token_is_refused(database_url, tmp_path):
    with server(database_url, tmp_path) as base:
        url = base.replace("http", "ws") + "/graphql"
        async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
            await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 5)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403
