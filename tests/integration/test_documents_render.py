"""Documents render in the app's render process: started on the first document,
replaced when it dies, stopped with the app; WMS_RENDER_PROCESSES=0 renders in a
thread of the server instead."""

from __future__ import annotations

import asyncio
import os
import signal
from dataclasses import replace

import httpx
import pytest

from backend.app import create_app
from backend.config import Settings
from backend.documents import service
from tests.integration.test_packing import Article, pack_completely, picked_order


async def _label_url(gql, session) -> str:  # type: ignore[no-untyped-def]
    order = await picked_order(session, Article("A", 2))
    packer = await gql.token("packer")
    closed = await pack_completely(gql, packer, order, (Article("A", 2),))
    return str(closed["carton"]["labelUrl"])


async def _gone(pid: int) -> bool:
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        await asyncio.sleep(0.05)
    return False


async def test_a_render_process_renders_is_replaced_when_killed_and_stops_with_the_app(
    gql, session, settings: Settings, monkeypatch: pytest.MonkeyPatch
):
    url = await _label_url(gql, session)
    headers = {"authorization": f"Bearer {await gql.token('packer')}"}
    app = create_app(settings)
    state = app.state.wms
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://wms.test") as http:
            assert id(state) not in service._pools  # nothing started before a document
            first = await http.get(url, headers=headers)
            assert first.status_code == 200 and first.content.startswith(b"%PDF")
            pool = service._pools[id(state)]
            (pid,) = pool.worker_pids()
            assert pid != os.getpid()

            os.kill(pid, signal.SIGKILL)
            assert await _gone(pid)
            again = await http.get(url, headers=headers)
            assert again.status_code == 200 and again.content.startswith(b"%PDF")
            replacement = service._pools[id(state)]
            assert replacement is not pool and replacement.worker_pids() != [pid]
            (new_pid,) = replacement.worker_pids()
    assert id(state) not in service._pools
    assert await _gone(new_pid)


async def test_with_no_render_processes_documents_render_in_a_thread(gql, session, client, app):
    state = app.state.wms
    state.settings = replace(state.settings, render_processes=0)
    url = await _label_url(gql, session)
    headers = {"authorization": f"Bearer {await gql.token('packer')}"}
    response = await client.get(url, headers=headers)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert id(app.state.wms) not in service._pools


def test_the_number_of_render_processes_is_checked():
    env = {"WMS_SECRET_KEY": "x"}
    assert Settings.from_env(env).render_processes == 1
    assert Settings.from_env({**env, "WMS_RENDER_PROCESSES": "2"}).render_processes == 2
    for bad in ("-1", "many", "99"):
        with pytest.raises(ValueError, match="WMS_RENDER_PROCESSES"):
            Settings.from_env({**env, "WMS_RENDER_PROCESSES": bad})
