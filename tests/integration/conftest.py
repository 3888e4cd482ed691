from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from backend.app import create_app
from backend.config import Settings
from backend.core.db.engine import create_engine, session_factory
from backend.core.db.migrate import upgrade_async
from backend.demo import SMALL, Credential, seed

DB_KIND = os.environ.get("WMS_TEST_DB", "sqlite")
BROADCAST_URL = os.environ.get("WMS_TEST_BROADCAST", "memory://")
PG_ADMIN_DSN = os.environ.get("WMS_TEST_PG_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_HOST_URL = os.environ.get("WMS_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432")
_counter = itertools.count()


class Template:
    def __init__(self, url: str, credentials: list[Credential], name: str) -> None:
        self.url = url
        self.credentials = credentials
        self.name = name


async def _pg_admin(sql: str) -> None:
    connection = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@pytest.fixture(scope="session")
async def template(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Template]:
    """Migrated and seeded once; each test gets a fresh copy."""
    if DB_KIND == "postgresql":
        name = f"wms_tpl_{os.getpid()}"
        await _pg_admin(f"DROP DATABASE IF EXISTS {name}")
        await _pg_admin(f"CREATE DATABASE {name}")
        url = f"{PG_HOST_URL}/{name}"
    else:
        name = str(tmp_path_factory.mktemp("tpl") / "template.sqlite3")
        url = f"sqlite+aiosqlite:///{name}"
    await upgrade_async(url)
    engine = create_engine(url)
    async with session_factory(engine)() as session, session.begin():
        credentials = await seed(session, SMALL)
    await engine.dispose()
    yield Template(url, credentials, name)
    if DB_KIND == "postgresql":
        await _pg_admin(f"DROP DATABASE IF EXISTS {name}")


@pytest.fixture
async def database_url(template: Template, tmp_path: Path) -> AsyncIterator[str]:
    if DB_KIND == "postgresql":
        name = f"wms_t_{os.getpid()}_{next(_counter)}"
        await _pg_admin(f"CREATE DATABASE {name} TEMPLATE {template.name}")
        yield f"{PG_HOST_URL}/{name}"
        await _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    else:
        target = tmp_path / "wms.sqlite3"
        shutil.copy(template.name, target)
        yield f"sqlite+aiosqlite:///{target}"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        broadcast_url=BROADCAST_URL,
        secret_key="test-secret-" + uuid.uuid4().hex,
        pwa_dist=Path("/nonexistent"),
    )


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[Any]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://wms.test") as http:
        yield http


@pytest.fixture
async def session(app: Any) -> AsyncIterator[AsyncSession]:
    async with app.state.wms.sessions() as db_session:
        yield db_session


class GQL:
    def __init__(self, http: httpx.AsyncClient, credentials: list[Credential]) -> None:
        self.http = http
        self.credentials = {c.role: c for c in credentials}
        self._tokens: dict[str, str] = {}

    async def __call__(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> dict[str, Any]:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    async def token(self, role: str) -> str:
        if role not in self._tokens:
            cred = self.credentials[role]
            body = await self(
                """mutation($u: String!, $p: String!) { signIn(input: {username: $u, password: $p,
                deviceId: "test-device"}) { __typename ... on SignInSuccess { token }
                ... on UserError { code message } } }""",
                {"u": cred.username, "p": cred.password},
            )
            result = body["data"]["signIn"]
            assert result["__typename"] == "SignInSuccess", result
            self._tokens[role] = result["token"]
        return self._tokens[role]


@pytest.fixture
def gql(client: httpx.AsyncClient, template: Template) -> GQL:
    return GQL(client, template.credentials)


def key() -> str:
    return uuid.uuid4().hex


async def gather_limited(coros: list[Any]) -> list[Any]:
    return await asyncio.gather(*coros)
