"""Issue 12, the request-facing half: every bad request gets a 4xx or a typed error,
nothing internal reaches a client, and the limits hold. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from sqlalchemy import func, select

from backend.app import create_app
from backend.config import Settings
from backend.core.db import models as m
from backend.core.metrics import REQUESTS
from tests.integration.conftest import GQL, key
from tests.integration.test_subscriptions import server

LEAKS = (
    "Traceback",
    "sqlalchemy",
    "asyncpg",
    "sqlite3",
    "psycopg",
    "IntegrityError",
    "SELECT ",
    "INSERT ",
    "UPDATE ",
)


def assert_no_leak(text: str) -> None:
    for marker in LEAKS:
        assert marker not in text, f"{marker!r} leaked: {text[:500]}"


async def _post(client: httpx.AsyncClient, body: bytes, **headers: str) -> httpx.Response:
    return await client.post(
        "/graphql", content=body, headers={"content-type": "application/json", **headers}
    )


# --- HTTP bodies and URLs -----------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"null",
        b"42",
        b'"text"',
        b"true",
        b"\x80\xff{",
        b'{"query": "{ me { id } }"\xc3}',
        b"[" * 10_000 + b"]" * 10_000,
        b'{"query": "{ __typename }", "operationName": 42}',
        b'{"query": 7}',
        b'{"query": "{ __typename }", "variables": [1]}',
    ],
)
async def test_malformed_bodies_are_400(client: httpx.AsyncClient, body: bytes) -> None:
    response = await _post(client, body)
    assert response.status_code == 400, response.text
    assert_no_leak(response.text)


async def test_oversize_body_is_413_declared_or_streamed(app: Any) -> None:
    limit = app.state.wms.settings.max_body_bytes
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://wms.test") as client:
        big = b'{"query": "{ __typename }", "pad": "' + b"x" * limit + b'"}'
        declared = await _post(client, big)
        assert declared.status_code == 413
        assert declared.json()["code"] == "PAYLOAD_TOO_LARGE"

        async def chunks() -> Any:
            for start in range(0, len(big), 65536):
                yield big[start : start + 65536]

        streamed = await client.post(
            "/graphql", content=chunks(), headers={"content-type": "application/json"}
        )
        assert streamed.status_code == 413
        # Under the limit the same request is fine.
        ok = await _post(client, b'{"query": "{ __typename }"}')
        assert ok.status_code == 200 and ok.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize(
    "target",
    ["999999999999", "2147483648", "99999999999999999999999", "\uff11\uff12", "-1", "1e3", "wave-"],
)
async def test_document_urls_that_name_no_row_are_404(gql: GQL, target: str) -> None:
    token = await gql.token("admin")
    response = await gql.http.get(
        f"/documents/shipping_label/{target}.pdf", headers={"authorization": f"Bearer {token}"}
    )
    assert response.status_code == 404, response.text
    assert response.json()["code"] in ("DOCUMENT_NOT_FOUND", "INVALID_INPUT")


# --- ids and text -----------------------------------------------------------------


READS_BY_WAREHOUSE = {
    "bins": "query($w: ID) { bins(warehouseId: $w) { edges { node { code } } } }",
    "stock": "query($w: ID) { stock(warehouseId: $w) { edges { node { onHand } } } }",
    "orderPool": "query($w: ID) { orderPool(warehouseId: $w) { edges { node { number } } } }",
    "channelStockPools": "query($w: ID) { channelStockPools(warehouseId: $w) { channel } }",
}


@pytest.mark.parametrize("field", sorted(READS_BY_WAREHOUSE))
@pytest.mark.parametrize(
    "raw", ["abc", "-1", "\uff11", "2147483648", "9223372036854775808", " 1", "1\x00"]
)
async def test_malformed_warehouse_ids_are_invalid_input(gql: GQL, field: str, raw: str) -> None:
    token = await gql.token("admin")
    body = await gql(READS_BY_WAREHOUSE[field], {"w": raw}, token=token)
    assert body["data"] is None
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "INVALID_INPUT", error
    assert_no_leak(str(body))


async def test_largest_id_reads_nothing(gql: GQL) -> None:
    token = await gql.token("admin")
    body = await gql(READS_BY_WAREHOUSE["bins"], {"w": str(2**31 - 1)}, token=token)
    assert body == {"data": {"bins": {"edges": []}}}


async def test_nul_in_text_is_refused_before_anything_runs(gql: GQL, session: Any) -> None:
    token = await gql.token("admin")
    before = await session.scalar(select(func.count()).select_from(m.Task))
    await session.rollback()
    mutation = """mutation($t: String!, $k: String!) { createTask(input: {kind: COUNT,
        title: $t, idempotencyKey: $k}) { __typename } }"""
    as_variable = await gql(mutation, {"t": "a\x00b", "k": key()}, token=token)
    literal = await gql(
        'mutation { createTask(input: {kind: COUNT, title: "a\\u0000b", '
        f'idempotencyKey: "{key()}"}}) {{ __typename }} }}',
        token=token,
    )
    for body in (as_variable, literal):
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    assert await session.scalar(select(func.count()).select_from(m.Task)) == before


async def test_overlong_sign_in_is_a_typed_error(gql: GQL) -> None:
    body = await gql(
        """mutation($u: String!) { signIn(input: {username: $u, password: "x", deviceId: "d"})
        { __typename ... on UserError { code field } } }""",
        {"u": "u" * 5000},
    )
    assert body["data"]["signIn"] == {
        "__typename": "InputError",
        "code": "INVALID_INPUT",
        "field": "username",
    }


# --- database refusals as typed errors ---------------------------------------------


async def test_unknown_warehouse_is_not_found_not_a_driver_error(gql: GQL) -> None:
    token = await gql.token("admin")
    missing = str(2**31 - 1)
    task = await gql(
        """mutation($w: ID, $k: String!) { createTask(input: {kind: COUNT, title: "t",
        warehouseId: $w, idempotencyKey: $k}) { __typename ... on UserError { code } } }""",
        {"w": missing, "k": key()},
        token=token,
    )
    printer = await gql(
        """mutation($w: ID) { savePrinter(input: {name: "P9", kind: CUPS, address: "q",
        warehouseId: $w}) { __typename ... on UserError { code } } }""",
        {"w": missing},
        token=token,
    )
    rule = await gql(
        """mutation($w: ID) { createAlertRule(input: {name: "r", warehouseId: $w,
        conditions: [{kind: BELOW_MINIMUM, threshold: 5}]})
        { __typename ... on UserError { code } } }""",
        {"w": missing},
        token=token,
    )
    for body, field in ((task, "createTask"), (printer, "savePrinter"), (rule, "createAlertRule")):
        assert_no_leak(str(body))
        assert "errors" not in body, body
        assert body["data"][field]["code"] == "NOT_FOUND", body


async def test_concurrent_orders_with_one_number_give_one_duplicate(gql: GQL, session: Any) -> None:
    token = await gql.token("admin")
    customer = await session.scalar(select(m.Customer.code).order_by(m.Customer.id))
    sku = await session.scalar(select(m.Item.sku).order_by(m.Item.id))
    await session.rollback()  # SQLite's pool has one connection: give it back
    mutation = """mutation($i: CreateSalesOrderInput!) { createSalesOrder(input: $i)
        { __typename ... on UserError { code } } }"""

    def order(idempotency_key: str) -> dict[str, Any]:
        return {
            "i": {
                "number": "SO-RACE-1",
                "customerCode": customer,
                "lines": [{"itemSku": sku, "quantity": 1}],
                "idempotencyKey": idempotency_key,
            }
        }

    bodies = await asyncio.gather(*(gql(mutation, order(key()), token=token) for _ in range(6)))
    kinds = sorted(b["data"]["createSalesOrder"]["__typename"] for b in bodies)
    assert all("errors" not in b for b in bodies), bodies
    assert kinds.count("SalesOrderSuccess") == 1, kinds
    assert all(
        b["data"]["createSalesOrder"].get("code") == "DUPLICATE"
        for b in bodies
        if b["data"]["createSalesOrder"]["__typename"] != "SalesOrderSuccess"
    ), bodies


# --- the boundary ------------------------------------------------------------------


async def test_unexpected_error_is_generic_with_a_correlation_id(
    gql: GQL, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    token = await gql.token("admin")

    async def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError('SELECT secret FROM users WHERE name = "x" (sqlalchemy)')

    monkeypatch.setattr("backend.schema.queries.paginate", broken)
    with caplog.at_level(logging.INFO, logger="backend.errors"):
        response = await gql.http.post(
            "/graphql",
            json={"query": "{ bins { edges { node { code } } } }"},
            headers={"authorization": f"Bearer {token}", "x-request-id": "probe-42"},
        )
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "probe-42"
    assert_no_leak(response.text)
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": "INTERNAL", "correlationId": "probe-42"}
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(logged) == 1 and "probe-42" in logged[0].getMessage()
    assert logged[0].exc_info is not None  # the traceback is in the log, once


async def test_expected_refusals_log_one_line_without_traceback(
    gql: GQL, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        body = await gql("{ bins { edges { node { code } } } }")
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert not [r for r in caplog.records if r.exc_info], "a refusal logged a traceback"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


# --- limits ------------------------------------------------------------------------


async def test_aliases_and_root_fields_are_limited(gql: GQL) -> None:
    token = await gql.token("admin")
    aliases = " ".join(f"a{i}: __typename" for i in range(51))
    body = await gql(f"{{ me {{ {aliases} }} }}", token=token)
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_LARGE"
    roots = " ".join(f"r{i}: me {{ username }}" for i in range(31))
    body = await gql(f"{{ {roots} }}", token=token)
    assert any(e["extensions"]["code"] == "QUERY_TOO_LARGE" for e in body["errors"])
    under = " ".join(f"r{i}: me {{ username }}" for i in range(30))
    body = await gql(f"{{ {under} }}", token=token)
    assert "errors" not in body and len(body["data"]) == 30


async def _client_for(settings: Settings, **changes: Any) -> tuple[Any, Any]:
    from dataclasses import replace

    application = create_app(replace(settings, **changes))
    return application, httpx.ASGITransport(app=application)


async def test_introspection_for_admins_only(settings: Settings, gql: GQL) -> None:
    application, transport = await _client_for(settings, introspection="admins")
    query = {"query": "{ __schema { queryType { name } } }"}
    async with application.router.lifespan_context(application):
        async with httpx.AsyncClient(transport=transport, base_url="http://wms.test") as client:
            scoped = GQL(client, list(gql.credentials.values()))
            admin, viewer = await scoped.token("admin"), await scoped.token("viewer")
            for token, allowed in ((admin, True), (viewer, False), (None, False)):
                headers = {"authorization": f"Bearer {token}"} if token else {}
                body = (await client.post("/graphql", json=query, headers=headers)).json()
                if allowed:
                    assert body["data"]["__schema"]["queryType"]["name"] == "Query"
                else:
                    assert body["errors"][0]["extensions"]["code"] == "INTROSPECTION_DISABLED"
            # __typename is not introspection.
            body = (await client.post("/graphql", json={"query": "{ __typename }"})).json()
            assert body == {"data": {"__typename": "Query"}}


async def test_introspection_off_refuses_admins_too(settings: Settings, gql: GQL) -> None:
    application, transport = await _client_for(settings, introspection="off")
    async with application.router.lifespan_context(application):
        async with httpx.AsyncClient(transport=transport, base_url="http://wms.test") as client:
            token = await GQL(client, list(gql.credentials.values())).token("admin")
            body = (
                await client.post(
                    "/graphql",
                    json={"query": '{ __type(name: "Query") { name } }'},
                    headers={"authorization": f"Bearer {token}"},
                )
            ).json()
            assert body["data"] is None and body["errors"]


async def test_metrics_need_the_token_or_a_local_client(settings: Settings) -> None:
    application, _ = await _client_for(settings, metrics_token="scrape-me")
    async with application.router.lifespan_context(application):
        local = httpx.ASGITransport(app=application, client=("127.0.0.1", 5000))
        async with httpx.AsyncClient(transport=local, base_url="http://wms.test") as client:
            assert (await client.get("/metrics")).status_code == 401
            wrong = await client.get("/metrics", headers={"authorization": "Bearer nope"})
            assert wrong.status_code == 401
            right = await client.get("/metrics", headers={"authorization": "Bearer scrape-me"})
            assert right.status_code == 200 and "wms_http_requests_total" in right.text
    application, _ = await _client_for(settings, metrics_token=None)
    async with application.router.lifespan_context(application):
        for host, status in (("127.0.0.1", 200), ("203.0.113.9", 401)):
            transport = httpx.ASGITransport(app=application, client=(host, 5000))
            async with httpx.AsyncClient(transport=transport, base_url="http://wms.test") as c:
                assert (await c.get("/metrics")).status_code == status


async def test_a_client_that_hangs_up_is_not_a_server_error(
    app: Any, caplog: pytest.LogCaptureFixture
) -> None:
    def count(status: str) -> float:
        return REQUESTS.labels("/graphql", "POST", status)._value.get()  # type: ignore[no-any-return]

    before_500, before_499 = count("500"), count("499")
    sent: list[Any] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json"), (b"host", b"wms.test")],
        "client": ("127.0.0.1", 1),
        "server": ("wms.test", 80),
        "scheme": "http",
        "root_path": "",
    }
    with caplog.at_level(logging.INFO):
        await app(scope, receive, send)
    assert count("500") == before_500
    assert count("499") == before_499 + 1
    assert not [r for r in caplog.records if r.exc_info]


async def test_socket_without_connection_init_is_closed(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WMS_WS_INIT_TIMEOUT_SECONDS", "1")
    with server(database_url, tmp_path) as base:
        url = base.replace("http", "ws") + "/graphql"
        started = time.monotonic()
        async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 10)
        waited = time.monotonic() - started
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4408
    assert waited < 5


# --- CLI ---------------------------------------------------------------------------


def test_users_create_refuses_an_unknown_warehouse(database_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "WMS_DATA_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "backend.cli", "users", "create", "ghost"]
    args = ["--password", "a-long-password", "--role", "picker", "--warehouse", "W9"]
    result = subprocess.run(command + args, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert "No such warehouse: W9" in result.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "backend.cli", "users", "list"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "ghost" not in listed.stdout
