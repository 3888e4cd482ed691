"""Pick lists of demo data print, and every demo bin code on them scans."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from backend.core.db import models as m
from backend.printing.documents import PickList, PickStop
from backend.printing.render import DocumentRenderer
from tests.integration.test_wave import released_task
from tests.unit.test_printing_render import decode_pages

OFFICE_DPI = 300  # an A4 pick list goes to an office printer


def bin_codes(pages) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.text for page in pages for s in page if s.text.startswith("BIN-")]


async def test_a_released_waves_pick_list_prints_and_its_bins_scan(gql, session, client, tmp_path):
    ctx = await released_task(gql, session)
    stops = list(
        await session.scalars(
            select(m.Bin.code)
            .join(m.PickLine, m.PickLine.bin_id == m.Bin.id)
            .join(m.WaveTour, m.WaveTour.id == m.PickLine.tour_id)
            .where(m.WaveTour.wave_id == int(ctx["wave"]))
        )
    )
    await session.rollback()
    token = await gql.token("picker")
    response = await client.get(
        f"/documents/pick_list/{ctx['wave']}.pdf", headers={"authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    pages = decode_pages(response.content, tmp_path, dpi=OFFICE_DPI)
    # zbar reports a code printed on several rows of one page once
    assert set(bin_codes(pages)) == set(stops) and len(stops) == 6


async def test_every_demo_bin_code_fits_a_pick_list_and_scans(session, tmp_path):
    codes = list(await session.scalars(select(m.Bin.code).order_by(m.Bin.id)))
    await session.rollback()
    longest = max(len(code) for code in codes)
    assert longest >= 18  # BIN-W1-A01-001-1-X: no Code 128 of it fits 58 mm at 0.25 mm
    pick_list = PickList(
        list_ref="DEMO-BINS",
        warehouse="W1",
        created_at=datetime(2026, 11, 22, tzinfo=UTC),
        stops=tuple(
            PickStop(sequence=n, bin_code=code, sku=f"SKU-{n}", description="", quantity=1)
            for n, code in enumerate(codes, start=1)
        ),
    )
    pdf = DocumentRenderer().render_pdf("pick_list", pick_list)
    pages = decode_pages(pdf, tmp_path, dpi=OFFICE_DPI)
    read = bin_codes(pages)
    assert sorted(read) == sorted(codes)
    kinds = {s.kind for page in pages for s in page if s.text.startswith("BIN-")}
    assert kinds == {"CODE-128"}
