"""Sample documents: printer test pages, template previews, tests and benchmarks."""

from __future__ import annotations

from datetime import UTC, date, datetime

from backend.printing.documents import (
    Address,
    BinLabel,
    BinLabelSheet,
    CartonContentLabel,
    CartonLine,
    CountSheet,
    CountSheetLine,
    DocumentLine,
    LotQuantity,
    PackingSlip,
    PickList,
    PickStop,
    ShippingLabel,
    Waybill,
)
from backend.printing.sscc import sscc18

WAREHOUSE = Address(
    company="Northwind Fulfilment",
    name="Dock 3",
    line1="12 Harbour Road",
    postal_code="3011 AB",
    city="Rotterdam",
    country="Netherlands",
    phone="+31 10 555 0100",
)
CUSTOMER = Address(
    company="Contoso Retail Ltd",
    name="Receiving / Anna Schmidt",
    line1="Unit 7, Meadow Park",
    line2="Station Lane",
    postal_code="OX4 2JZ",
    city="Oxford",
    country="United Kingdom",
    phone="+44 1865 555 010",
)
CUSTOMER_ZH = Address(
    company="上海东方贸易有限公司",
    name="收货部 王芳",
    line1="浦东新区张江路 88 号 3 号仓",
    postal_code="201203",
    city="上海市",
    country="中国",
    phone="+86 21 5555 0188",
)

LINES = (
    DocumentLine(1, "SKU-10021", "Cordless drill 18 V, 2 batteries", 4, gtin="09501101530003",
                 serials=("DR18-00412", "DR18-00413", "DR18-00418", "DR18-00420")),
    DocumentLine(2, "SKU-20410", "Wood screws 4×40 mm, box of 200", 12, unit="BOX",
                 lots=(LotQuantity("L2411-07", 8, date(2029, 11, 30)),
                       LotQuantity("L2411-09", 4, date(2029, 12, 31)))),
    DocumentLine(3, "SKU-30077", "Safety glasses, clear", 10, ordered=15),
    DocumentLine(4, "SKU-41200", "Wood glue D3, 750 g", 6, unit="BTL",
                 lots=(LotQuantity("G-5521", 6, date(2027, 6, 30)),)),
)  # fmt: skip


def sample_sscc(serial: int = 123456789) -> str:
    return sscc18(1, "0614141", serial)


def shipping_label(n: int = 1, *, chinese: bool = False) -> ShippingLabel:
    return ShippingLabel(
        ship_from=WAREHOUSE,
        ship_to=CUSTOMER_ZH if chinese else CUSTOMER,
        carrier="SF Express" if chinese else "DHL Parcel",
        service="标快" if chinese else "Express 12:00",
        tracking_number=f"JD{n:014d}" if chinese else f"1Z999AA1{n:010d}",
        sscc=sample_sscc(123456788 + n),
        weight_g=12_350,
        order_ref=f"SO-2026-{n:05d}",
        ship_date=date(2026, 11, 20),
        carton_no=1 + (n - 1) % 3,
        carton_count=3,
        reference="PO 4500123987",
    )


def carton_label(*, chinese: bool = False) -> CartonContentLabel:
    return CartonContentLabel(
        sscc=sample_sscc(),
        order_ref="SO-2026-00042",
        ship_to=CUSTOMER_ZH if chinese else CUSTOMER,
        lines=(
            CartonLine("SKU-10021", "Cordless drill 18 V" if not chinese else "无绳电钻 18V", 2),
            CartonLine(
                "SKU-20410",
                "Wood screws 4×40 mm" if not chinese else "木螺丝 4×40",
                8,
                "BOX",
                "L2411-07",
                date(2029, 11, 30),
            ),
            CartonLine(
                "SKU-41200",
                "Wood glue D3" if not chinese else "木工胶",
                6,
                "BTL",
                "G-5521",
                date(2027, 6, 30),
            ),
        ),
        carton_no=1,
        carton_count=3,
        weight_g=12_350,
        packed_by="packer07",
        packed_at=datetime(2026, 11, 20, 9, 41, tzinfo=UTC),
    )


def packing_slip(*, chinese: bool = False) -> PackingSlip:
    return PackingSlip(
        order_ref="SO-2026-00042",
        order_date=date(2026, 11, 18),
        ship_date=date(2026, 11, 20),
        ship_from=WAREHOUSE,
        ship_to=CUSTOMER_ZH if chinese else CUSTOMER,
        lines=LINES,
        customer_ref="PO 4500123987",
        carrier="DHL Parcel",
        tracking_number="1Z999AA10123456784",
        cartons=(sample_sscc(1), sample_sscc(2), sample_sscc(3)),
        notes="Deliver to goods-in door 2.",
    )


def waybill(*, chinese: bool = False) -> Waybill:
    return Waybill(
        waybill_no="SHP-2026-000731",
        ship_date=date(2026, 11, 20),
        ship_from=WAREHOUSE,
        ship_to=CUSTOMER_ZH if chinese else CUSTOMER,
        carrier="DHL Freight",
        service="Euroconnect",
        tracking_number="JJD0099012345678",
        vehicle="NL 12-ABC-3",
        lines=LINES,
        order_refs=("SO-2026-00042", "SO-2026-00047"),
        carton_count=3,
        pallet_count=1,
        total_weight_g=48_200,
        cartons=(sample_sscc(1), sample_sscc(2), sample_sscc(3)),
        notes="Tail-lift required.",
    )


def pick_list() -> PickList:
    stops = tuple(
        PickStop(
            sequence=i + 1,
            # the shape of real bin codes: warehouse, aisle, bay, level, check character
            bin_code=f"BIN-RTM1-A{1 + i // 4:02d}-{(i % 4) * 2 + 1:03d}-{1 + i % 3}-"
            f"{'KX7P9'[i % 5]}",
            sku=f"SKU-{10000 + 137 * i}",
            description=("Cordless drill 18 V", "Wood screws 4×40", "Safety glasses")[i % 3],
            quantity=1 + (i * 7) % 12,
            lot="L2411-07" if i % 3 == 1 else "",
            order_ref=f"SO-2026-{40 + i % 4:05d}",
            tote=f"TOTE-{i % 4 + 1:03d}",
        )
        for i in range(14)
    )
    return PickList(
        list_ref="WAVE-0192-01",
        warehouse="RTM1",
        created_at=datetime(2026, 11, 20, 7, 5, tzinfo=UTC),
        stops=stops,
        wave_ref="WAVE-0192",
        picker="j.devries",
        zone="A",
    )


def bin_labels(count: int = 14) -> BinLabelSheet:
    labels = tuple(
        BinLabel(
            code=f"BIN-A{1 + i // 8:02d}-{1 + i % 8:03d}-{1 + i % 4}-{'K7X2PQ9M'[i % 8]}",
            caption=f"Aisle A{1 + i // 8:02d} · Bay {1 + i % 8:03d} · Level {1 + i % 4}",
        )
        for i in range(count)
    )
    return BinLabelSheet(labels=labels)


def count_sheet() -> CountSheet:
    lines = tuple(
        CountSheetLine(
            sequence=i + 1,
            bin_code=f"BIN-B{1 + i // 5:02d}-{1 + i % 5:03d}-1-Z",
            sku=f"SKU-{20000 + 91 * i}",
            description=("Wood glue D3, 750 g", "Hinge 35 mm", "Sanding paper P120")[i % 3],
            lot="G-5521" if i % 3 == 0 else "",
            expiry=date(2027, 6, 30) if i % 3 == 0 else None,
        )
        for i in range(12)
    )
    return CountSheet(
        count_ref="CNT-2026-0311",
        warehouse="RTM1",
        created_at=datetime(2026, 11, 20, 6, 0, tzinfo=UTC),
        lines=lines,
        zone="B",
    )
