"""createItem, updateItem and createParty sent twice with one idempotency key: the
second answer is the first one, replayed, and nothing is written twice."""

from __future__ import annotations

from sqlalchemy import func, select

from backend.core.db import models as m
from tests.integration.test_inbound_support import fetch
from tests.integration.test_master_data import ITEM, PARTY, UPDATE_ITEM, item_input

FULL_ITEM = ITEM.replace(
    "gtins",
    "gtins name specification category baseUnit tracking expiryTracked shelfLifeDays "
    "lengthMm widthMm heightMm weightG storageClass abcClass unitCostCents retiredAt",
)


async def _twice(gql, query, variables, token, field):  # type: ignore[no-untyped-def]
    first = (await gql(query, variables, token=token))["data"][field]
    second = (await gql(query, variables, token=token))["data"][field]
    return first, second


async def test_item_writes_replay_their_first_answer(gql, session):
    admin = await gql.token("admin")
    payload = item_input("REPLAY-1", specification="500 g", unitCostCents=450)
    first, second = await _twice(
        gql, FULL_ITEM, {"input": {**payload, "idempotencyKey": "rk-item-1"}}, admin, "createItem"
    )
    assert first["__typename"] == "ItemSuccess", first
    assert second == first
    count = select(func.count()).where(m.Item.sku == "REPLAY-1")
    assert await fetch(session, count) == 1

    changed = {**payload, "brand": "Other", "idempotencyKey": "rk-item-2"}
    first, second = await _twice(gql, UPDATE_ITEM, {"input": changed}, admin, "updateItem")
    assert first["__typename"] == "ItemSuccess", first
    assert first["item"]["brand"] == "Other"
    assert second == first
    # A later change under a new key is not undone by replaying the old one.
    later = {**payload, "brand": "Third", "idempotencyKey": "rk-item-3"}
    assert (await gql(UPDATE_ITEM, {"input": later}, token=admin))["data"]["updateItem"]["item"][
        "brand"
    ] == "Third"
    replayed = (await gql(UPDATE_ITEM, {"input": changed}, token=admin))["data"]["updateItem"]
    assert replayed["item"]["brand"] == "Other"  # the first answer, not a second write
    brand = select(m.Item.brand).where(m.Item.sku == "REPLAY-1")
    assert await fetch(session, brand) == "Third"

    # The same key with another input is refused, not replayed.
    other = {**payload, "name": "Something else", "idempotencyKey": "rk-item-1"}
    body = await gql(FULL_ITEM, {"input": other}, token=admin)
    assert body["data"]["createItem"]["__typename"] != "ItemSuccess"


async def test_party_creation_replays_its_first_answer(gql, session):
    admin = await gql.token("admin")
    customer = {
        "kind": "CUSTOMER",
        "code": "cus-replay",
        "name": "Replay Customer",
        "city": "Suzhou",
        "rating": 3,
        "creditLimitCents": 500000,
        "idempotencyKey": "rk-party-1",
    }
    first, second = await _twice(gql, PARTY, {"input": customer}, admin, "createParty")
    assert first["__typename"] == "PartySuccess", first
    assert second == first
    count = select(func.count()).where(m.Customer.code == "CUS-REPLAY")
    assert await fetch(session, count) == 1
