"""Customer addresses and order ship-to addresses are encrypted at rest when
WMS_DATA_KEY is set: the raw column holds no plaintext, reads round-trip, and
rows written before the key existed are converted."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select, text

from backend.app import create_app
from backend.config import Settings
from backend.core import crypto
from backend.core.db.engine import create_engine
from backend.core.db.models import Customer
from backend.core.db.personal_data import decrypt_personal_data, encrypt_personal_data
from tests.integration.conftest import GQL, key

KEY = crypto.generate_key()
SHIP_TO = {
    "name": "Ada Lovelace",
    "street": "12 Marylebone Road",
    "city": "London",
    "postalCode": "NW1 5LR",
    "country": "GB",
    "phone": "+44 20 7946 0958",
}
CREATE = """mutation($input: CreateSalesOrderInput!) { createSalesOrder(input: $input) {
  __typename ... on SalesOrderSuccess { order { id shipTo { name street city phone } } }
  ... on UserError { code message } } }"""


@pytest.fixture
async def keyed_app(settings: Settings) -> AsyncIterator[Any]:
    application = create_app(dataclasses.replace(settings, data_key=KEY))
    async with application.router.lifespan_context(application):
        yield application
    crypto.configure(None)


async def raw(app: Any, sql: str) -> list[Any]:
    async with app.state.wms.engine.connect() as connection:
        return [row[0] for row in await connection.execute(text(sql))]


async def test_a_ship_to_is_stored_encrypted_and_read_back(keyed_app, template):
    import httpx

    transport = httpx.ASGITransport(app=keyed_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://wms.test") as http:
        gql = GQL(http, template.credentials)
        token = await gql.token("planner")
        sku = (await raw(keyed_app, "SELECT sku FROM items ORDER BY id LIMIT 1"))[0]
        body = await gql(
            CREATE,
            {
                "input": {
                    "number": "SO-ENC-1",
                    "customerCode": "CUS-ALBA",
                    "lines": [{"itemSku": sku, "quantity": 1}],
                    "shipTo": SHIP_TO,
                    "idempotencyKey": key(),
                }
            },
            token=token,
        )
        order = body["data"]["createSalesOrder"]
        assert order["__typename"] == "SalesOrderSuccess", order
        assert order["order"]["shipTo"] == {
            "name": "Ada Lovelace",
            "street": "12 Marylebone Road",
            "city": "London",
            "phone": "+44 20 7946 0958",
        }
        stored = (
            await raw(keyed_app, "SELECT ship_to FROM sales_orders WHERE number = 'SO-ENC-1'")
        )[0]
        stored_text = stored if isinstance(stored, str) else str(stored)
        for secret in ("Lovelace", "Marylebone", "7946", "London"):
            assert secret not in stored_text
        assert "enc1:" in stored_text
        # A fresh read through the API decrypts.
        again = await gql(
            "query($id: ID!) { salesOrder(id: $id) { shipTo { street phone } } }",
            {"id": order["order"]["id"]},
            token=token,
        )
        assert again["data"]["salesOrder"]["shipTo"] == {
            "street": "12 Marylebone Road",
            "phone": "+44 20 7946 0958",
        }


async def test_existing_rows_are_converted_and_can_be_converted_back(database_url):
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            before = {
                code: address
                for code, address in await connection.execute(
                    select(Customer.code, Customer.address)
                )
            }
        assert before and all("city" in a for a in before.values())

        crypto.configure(KEY)
        async with engine.begin() as connection:
            assert await connection.run_sync(encrypt_personal_data) >= len(before)
        async with engine.connect() as connection:
            stored = [
                row[0] for row in await connection.execute(text("SELECT address FROM customers"))
            ]
            assert all("enc1:" in str(s) and "city" not in str(s) for s in stored)
            after = dict((await connection.execute(select(Customer.code, Customer.address))).all())
        assert after == before
        # Idempotent: a second run leaves the same plaintext behind the new ciphertext.
        async with engine.begin() as connection:
            await connection.run_sync(encrypt_personal_data)

        # Without the key the data cannot be read, and says why.
        crypto.configure(None)
        async with engine.connect() as connection:
            with pytest.raises(crypto.DataKeyError):
                (await connection.execute(select(Customer.address))).all()

        # A new key in front of the old one: readable, and rotation re-seals.
        new_key = crypto.generate_key()
        crypto.configure(f"{new_key},{KEY}")
        async with engine.begin() as connection:
            await connection.run_sync(encrypt_personal_data)
        crypto.configure(new_key)
        async with engine.connect() as connection:
            assert (
                dict((await connection.execute(select(Customer.code, Customer.address))).all())
                == before
            )
        async with engine.begin() as connection:
            await connection.run_sync(decrypt_personal_data)
        crypto.configure(None)
        async with engine.connect() as connection:
            assert (
                dict((await connection.execute(select(Customer.code, Customer.address))).all())
                == before
            )
    finally:
        crypto.configure(None)
        await engine.dispose()


def test_a_malformed_key_is_refused_with_a_clear_message():
    with pytest.raises(crypto.DataKeyError, match="wms data-key"):
        crypto.configure("not-a-key")
    crypto.configure(None)


async def test_the_migration_encrypts_existing_rows_when_a_key_is_set(database_url, monkeypatch):
    import asyncio

    from backend.core.db.migrate import downgrade, upgrade

    monkeypatch.setenv("WMS_DATA_KEY", KEY)

    def migrate() -> None:
        downgrade(database_url, "0014")
        upgrade(database_url)

    try:
        await asyncio.to_thread(migrate)
        engine = create_engine(database_url)
        async with engine.connect() as connection:
            stored = [r[0] for r in await connection.execute(text("SELECT address FROM customers"))]
            assert stored and all("enc1:" in str(s) for s in stored)
            addresses = (await connection.execute(select(Customer.address))).scalars().all()
            assert all("city" in a for a in addresses)
        await engine.dispose()
    finally:
        crypto.configure(None)
