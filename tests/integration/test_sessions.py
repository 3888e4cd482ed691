"""Sign-out, disabling a user, changing their roles or warehouses and rotating a
token end the session: its open subscriptions close within a second (also when
the change is made through another server process) and its token is refused."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import websockets

from tests.integration.conftest import BROADCAST_URL
from tests.integration.test_subscriptions import server, sign_in, subscription

TASKS = "subscription { taskEvents { change task { title } } }"
ME = "{ me { username } }"


async def post(base: str, query: str, token: str, variables: dict[str, Any] | None = None) -> Any:
    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"{base}/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"authorization": f"Bearer {token}"},
        )
    assert response.status_code == 200, response.text
    return response.json()


async def closed_within(ws: Any, seconds: float) -> tuple[int, float]:
    """Wait for the server to close `ws`; the close code and how long it took."""
    started = time.monotonic()
    with pytest.raises(websockets.ConnectionClosed) as closed:
        while True:
            message = json.loads(await asyncio.wait_for(ws.recv(), seconds))
            assert message["type"] != "next", message
    assert closed.value.rcvd is not None
    return closed.value.rcvd.code, time.monotonic() - started


async def user_id(base: str, token: str, username: str) -> str:
    body = await post(base, "{ me { id username } }", token)
    assert body["data"]["me"]["username"] == username
    return str(body["data"]["me"]["id"])


@contextmanager
def two_servers(database_url: str, tmp_path: Any) -> Iterator[tuple[str, str]]:
    """The socket on one process and the change made on another, when the bus
    crosses processes (Redis, PostgreSQL); one process with the in-memory bus."""
    with server(database_url, tmp_path) as listen:
        if BROADCAST_URL.startswith("memory"):
            yield listen, listen
        else:
            with server(database_url, tmp_path) as act:
                yield listen, act


async def refused(base: str, token: str) -> None:
    body = await post(base, ME, token)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_sign_out_closes_the_open_subscription_and_refuses_the_token(
    database_url, template, tmp_path
):
    picker = {c.role: c for c in template.credentials}["picker"]
    with two_servers(database_url, tmp_path) as (listen, act):
        token = await sign_in(listen, picker.username, picker.password)
        async with subscription(listen, token, TASKS) as ws:
            await asyncio.sleep(0.3)  # registered with the broadcaster
            body = await post(act, "mutation { signOut { __typename } }", token)
            assert body["data"]["signOut"]["__typename"] == "SignOutSuccess"
            code, took = await closed_within(ws, 5)
        assert code == 4401
        assert took < 1.0, took
        await refused(listen, token)
        await refused(act, token)


@pytest.mark.parametrize(
    ("mutation", "variables"),
    [
        (
            "mutation($n: String!) { setUserActive(input: {username: $n, active: false}) "
            "{ __typename } }",
            {"by_name": True},
        ),
        (
            'mutation($u: ID!) { setUserRoles(input: {userId: $u, roles: ["packer"]}) '
            "{ __typename } }",
            {},
        ),
        (
            "mutation($u: ID!) { setUserWarehouses(input: {userId: $u, warehouseIds: []}) "
            "{ __typename } }",
            {},
        ),
    ],
    ids=["disabled", "roles", "warehouses"],
)
async def test_an_admin_change_to_the_user_closes_their_subscription(
    database_url, template, tmp_path, mutation, variables
):
    creds = {c.role: c for c in template.credentials}
    picker, admin = creds["picker"], creds["admin"]
    with two_servers(database_url, tmp_path) as (listen, act):
        token = await sign_in(listen, picker.username, picker.password)
        boss = await sign_in(act, admin.username, admin.password)
        uid = await user_id(listen, token, picker.username)
        async with subscription(listen, token, TASKS) as ws:
            await asyncio.sleep(0.3)
            sent = {"n": picker.username} if variables.get("by_name") else {"u": uid}
            body = await post(act, mutation, boss, sent)
            assert body["data"][next(iter(body["data"]))]["__typename"] in (
                "UserAccountSuccess",
                "UserSuccess",
            )
            code, took = await closed_within(ws, 5)
        assert code == 4401
        assert took < 1.0, took
        await refused(listen, token)
        # The admin's own session is untouched.
        assert (await post(act, ME, boss))["data"]["me"]["username"] == admin.username


async def test_a_rotated_token_replaces_the_old_one(database_url, template, tmp_path):
    picker = {c.role: c for c in template.credentials}["picker"]
    refresh = """mutation { refreshToken { __typename ... on SignInSuccess { token expiresAt }
      ... on UserError { code } } }"""
    with server(database_url, tmp_path) as base:
        old = await sign_in(base, picker.username, picker.password)
        async with subscription(base, old, TASKS) as ws:
            await asyncio.sleep(0.3)
            body = await post(base, refresh, old)
            result = body["data"]["refreshToken"]
            assert result["__typename"] == "SignInSuccess", result
            code, took = await closed_within(ws, 5)
        # 4000: not an authentication refusal, so the handheld reconnects at once
        # with the token it now holds.
        assert code == 4000
        assert took < 1.0
        new = result["token"]
        assert new != old
        await refused(base, old)
        assert (await post(base, ME, new))["data"]["me"]["username"] == picker.username
        again = await post(base, refresh, old)
        assert again["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        async with subscription(base, new, TASKS) as fresh:
            await asyncio.sleep(0.3)
            await post(base, "mutation { signOut { __typename } }", new)
            assert (await closed_within(fresh, 5))[0] == 4401


async def test_sessions_are_recorded_per_device_and_other_devices_are_unaffected_by_rotation(
    app, gql
):
    from sqlalchemy import select

    from backend.core.db.models import UserSession

    picker = gql.credentials["picker"]
    tokens = []
    for device in ("hh-1", "hh-2"):
        body = await gql(
            """mutation($u: String!, $p: String!, $d: String!) { signIn(input: {username: $u,
            password: $p, deviceId: $d}) { ... on SignInSuccess { token } } }""",
            {"u": picker.username, "p": picker.password, "d": device},
        )
        tokens.append(body["data"]["signIn"]["token"])
    async with app.state.wms.sessions() as session:
        rows = (await session.scalars(select(UserSession).order_by(UserSession.created_at))).all()
    mine = [r for r in rows if r.device_id in ("hh-1", "hh-2")]
    assert [r.device_id for r in mine] == ["hh-1", "hh-2"]
    assert all(r.revoked_at is None and r.last_seen_at is not None for r in mine)
    body = await gql("mutation { refreshToken { __typename } }", token=tokens[0])
    assert body["data"]["refreshToken"]["__typename"] == "SignInSuccess"
    assert (await gql(ME, token=tokens[1]))["data"]["me"]["username"] == picker.username
    assert (await gql(ME, token=tokens[0]))["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    async with app.state.wms.sessions() as session:
        first = await session.get(UserSession, mine[0].id)
    assert first is not None and first.revoked_reason == "rotated"


async def test_an_admin_cannot_lock_themselves_out(gql):
    token = await gql.token("admin")
    me = (await gql("{ me { id } }", token=token))["data"]["me"]["id"]
    body = await gql(
        'mutation($u: ID!) { setUserRoles(input: {userId: $u, roles: ["viewer"]}) '
        "{ __typename ... on UserError { code } } }",
        {"u": me},
        token=token,
    )
    assert body["data"]["setUserRoles"] == {"__typename": "StateError", "code": "INVALID_STATE"}
    admin = gql.credentials["admin"].username
    body = await gql(
        "mutation($n: String!) { setUserActive(input: {username: $n, active: false}) "
        "{ __typename ... on UserError { code } } }",
        {"n": admin},
        token=token,
    )
    assert body["data"]["setUserActive"] == {"__typename": "StateError", "code": "INVALID_STATE"}
