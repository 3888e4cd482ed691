"""End to end through the outbound flow: a released wave picked on the handheld API,
each order packed from its tote, all of them shipped in one carrier pickup."""

from __future__ import annotations

from sqlalchemy import func, select

from backend.core.db import models as m
from backend.inventory.ledger import ledger_mismatches
from tests.integration.conftest import key
from tests.integration.test_packing import CLOSE, SCAN, START
from tests.integration.test_shipping import SHIP, ship_vars
from tests.integration.test_wave import PROGRESS, pick_current, released_task, step


async def test_picked_wave_is_packed_from_totes_and_shipped_once(gql, session):
    ctx = await released_task(gql, session)
    progress = await step(gql, PROGRESS, ctx["picker"], id=ctx["task"])
    totes: dict[str, str] = {}
    while progress["step"] != "DONE":
        progress = await pick_current(gql, ctx, progress, totes)
    await session.rollback()
    gtins = {ref.sku: ref.gtin for ref in ctx["items"]}
    item_ids = [ref.id for ref in ctx["items"]]
    packer = await gql.token("packer")
    order_ids = []
    for number, tote in totes.items():
        started = (await gql(START, {"code": tote, "key": key()}, token=packer))["data"][
            "startPacking"
        ]
        assert started["__typename"] == "PackSessionSuccess", started
        pack = started["session"]
        assert pack["orderRef"] == number
        order_ids.append(pack["orderId"])
        for line in pack["lines"]:
            scanned = await gql(
                SCAN,
                {
                    "session": pack["id"],
                    "code": gtins[line["sku"]],
                    "qty": line["expected"],
                    "key": key(),
                },
                token=packer,
            )
            assert scanned["data"]["packScan"]["__typename"] == "PackScanSuccess", scanned
        closed = await gql(
            CLOSE,
            {"session": pack["id"], "type": None, "weight": None, "last": True, "key": key()},
            token=packer,
        )
        assert closed["data"]["closeCarton"]["orderPacked"], closed
    shipper = await gql.token("shipper")
    shipped = (await gql(SHIP, ship_vars(order_ids), token=shipper))["data"]["ship"]
    assert shipped["__typename"] == "ShipSuccess", shipped
    assert len(shipped["shipment"]["cartons"]) == len(totes) == 3
    out = await session.scalar(
        select(func.sum(m.StockMove.quantity)).where(
            m.StockMove.reason == m.MoveReason.SHIP, m.StockMove.item_id.in_(item_ids)
        )
    )
    assert out == 12  # (1 + 2 + 3) of one item, 3 × 2 of the other
    left = await session.scalar(
        select(func.coalesce(func.sum(m.Quant.on_hand), 0))
        .join(m.Bin, m.Bin.id == m.Quant.bin_id)
        .join(m.Zone, m.Zone.id == m.Bin.zone_id)
        .where(
            m.Zone.kind.in_((m.ZoneKind.PACKING, m.ZoneKind.SHIPPING)),
            m.Quant.item_id.in_(item_ids),
        )
    )
    assert left == 0
    assert set(
        await session.scalars(
            select(m.SalesOrder.state).where(m.SalesOrder.id.in_([int(o) for o in order_ids]))
        )
    ) == {"SHIPPED"}
    assert await ledger_mismatches(session) == []
