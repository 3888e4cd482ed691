"""An import asked for ``application/x-ndjson`` streams its progress, then its report."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select

from backend.core.db import models as m
from tests.integration.test_imports import HEADER, ean13
from tests.integration.test_inbound_support import fetch


async def stream(client: Any, token: str, kind: str, body: bytes, mode: str) -> list[Any]:
    response = await client.post(
        f"/imports/{kind}",
        params={"mode": mode},
        content=body,
        headers={"authorization": f"Bearer {token}", "accept": "application/x-ndjson"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/x-ndjson")
    return [json.loads(line) for line in response.text.splitlines()]


async def test_progress_lines_then_the_report(client, gql, session):
    admin = await gql.token("admin")
    rows = "".join(
        f"PRG-{n},Article {n},EA,{ean13(f'21000000{n:04d}')},,,NONE,no\n" for n in range(2500)
    )
    body = (HEADER + rows).encode()
    lines = await stream(client, admin, "items", body, "apply")
    *progress, report = lines
    assert progress[0] == {"done": 0, "total": 2500}
    assert [p["done"] for p in progress] == [0, 1000, 2000, 2500]
    assert all(p["total"] == 2500 for p in progress)
    assert report["rows"] == 2500 and report["applied"] is True and report["errors"] == []
    count = select(func.count()).where(m.Item.sku.like("PRG-%"))
    assert await fetch(session, count) == 2500


async def test_a_bad_row_is_in_the_last_line_and_nothing_applies(client, gql, session):
    admin = await gql.token("admin")
    body = (HEADER + "PRB-1,Fine,EA,,,,NONE,no\nPRB-2,Unit,BARREL,,,,NONE,no\n").encode()
    *_, report = await stream(client, admin, "items", body, "apply")
    assert report["applied"] is False
    assert [(e["line"], e["column"], e["code"]) for e in report["errors"]] == [
        (3, "base_unit", "UNKNOWN_UNIT")
    ]
    count = select(func.count()).where(m.Item.sku.like("PRB-%"))
    assert await fetch(session, count) == 0


async def test_a_refused_file_ends_the_stream_with_its_code(client, gql):
    admin = await gql.token("admin")
    lines = await stream(client, admin, "items", b"sku,colour\nA,red\n", "dry-run")
    assert lines[-1]["code"] == "IMPORT_BAD_COLUMNS"
    assert lines[-1]["field"] == "header"
