"""Inputs and answers of warehouse, zone, bin and layout mutations."""

from __future__ import annotations

import strawberry

from backend.layout.generator import DEFAULT_PATTERN, LayoutPlan, LayoutSpec
from backend.schema.errors import result_union
from backend.schema.types import Bin, Warehouse, Zone


@strawberry.input
class WarehouseInput:
    code: str
    name: str
    timezone: str = "UTC"
    street: str = ""
    city: str = ""
    postcode: str = ""
    country: str = ""
    active: bool = True
    idempotency_key: str | None = None


@strawberry.type
class WarehouseSuccess:
    warehouse: Warehouse


@strawberry.input
class ZoneInput:
    warehouse_id: strawberry.ID
    code: str
    name: str
    kind: str = strawberry.field(description="RECEIVING, QC, RESERVE, PICK_FACE, PACKING, SHIPPING")
    storage_class: str = "AMBIENT"
    idempotency_key: str | None = None


@strawberry.type
class ZoneSuccess:
    zone: Zone


@strawberry.input(
    description="A single bin (a dock lane, a QC cage, a bench); the code is made from warehouse and label."
)
class BinInput:
    warehouse_id: strawberry.ID
    zone_code: str
    label: str
    aisle: int | None = None
    bay: int | None = None
    level: int | None = None
    side: str | None = None
    capacity_units: int = 0
    capacity_volume_cm3: int = 0
    capacity_weight_g: int = 0
    storage_class: str = "AMBIENT"
    idempotency_key: str | None = None


@strawberry.input
class SetBinActiveInput:
    code: str
    active: bool
    idempotency_key: str | None = None


@strawberry.type
class BinSuccess:
    bin: Bin


@strawberry.input(
    description="Racking drawn from numbers: aisles × bays × levels (× sides). Aisles and "
    "bays count from 0 in the routing model; the code pattern sees them from 1."
)
class LayoutInput:
    warehouse_id: strawberry.ID
    aisles: int
    bays: int
    levels: int
    first_aisle: int = 0
    sides: int = 2
    pattern: str = strawberry.field(
        default=DEFAULT_PATTERN,
        description="Python format with {aisle} {bay} {level} {side}, e.g. A{aisle:02d}-{bay:03d}-{level}{side}",
    )
    pick_face_levels: int = 2
    pick_zone_code: str = "PF"
    reserve_zone_code: str = "RSV"
    storage_class: str = "AMBIENT"
    pick_capacity_units: int = 120
    reserve_capacity_units: int = 400
    capacity_volume_cm3: int = 1_200_000
    capacity_weight_g: int = 250_000
    n_blocks: int = strawberry.field(
        default=1, description="Blocks along the aisles; n_blocks - 1 middle cross aisles."
    )
    cell_length_m: float = 1.3
    aisle_pitch_m: float = 3.0
    cross_aisle_width_m: float = 3.0
    depot_aisle: int = 0
    replace: bool = strawberry.field(
        default=False,
        description="Retire the warehouse's other bins in these aisles (refused if any holds stock).",
    )
    idempotency_key: str | None = None

    def spec(self, warehouse_id: int) -> LayoutSpec:
        return LayoutSpec(
            warehouse_id=warehouse_id,
            aisles=self.aisles,
            bays=self.bays,
            levels=self.levels,
            first_aisle=self.first_aisle,
            sides=self.sides,
            pattern=self.pattern,
            pick_face_levels=self.pick_face_levels,
            pick_zone_code=self.pick_zone_code,
            reserve_zone_code=self.reserve_zone_code,
            storage_class=self.storage_class.strip().upper(),
            pick_capacity_units=self.pick_capacity_units,
            reserve_capacity_units=self.reserve_capacity_units,
            capacity_volume_cm3=self.capacity_volume_cm3,
            capacity_weight_g=self.capacity_weight_g,
            n_blocks=self.n_blocks,
            cell_length_m=self.cell_length_m,
            aisle_pitch_m=self.aisle_pitch_m,
            cross_aisle_width_m=self.cross_aisle_width_m,
            depot_aisle=self.depot_aisle,
            replace=self.replace,
        )


@strawberry.type
class PlannedBin:
    code: str
    label: str
    zone_code: str
    aisle: int
    bay: int
    level: int
    side: str | None
    x_m: float
    y_m: float
    pick_face: bool


@strawberry.type(description="The walking model routing and putaway use, for drawing the map.")
class LayoutGeometry:
    n_aisles: int
    cells_per_aisle: int
    n_blocks: int
    aisle_x_m: list[float]
    cross_aisle_y_m: list[float]
    depot_x_m: float
    depot_y_m: float
    width_m: float
    length_m: float


@strawberry.type
class LayoutPreview:
    warehouse_code: str
    bin_count: int
    geometry: LayoutGeometry
    existing_codes: list[str] = strawberry.field(
        description="Planned codes that exist (updated on save)."
    )
    bins: list[PlannedBin]


@strawberry.type
class SaveLayoutSuccess:
    warehouse: Warehouse
    created: int
    updated: int
    retired: int
    geometry: LayoutGeometry


def geometry_view(plan: LayoutPlan) -> LayoutGeometry:
    g = plan.geometry
    xs = [g.aisle_x(a) for a in range(g.n_aisles)]
    return LayoutGeometry(
        n_aisles=g.n_aisles,
        cells_per_aisle=g.cells_per_aisle,
        n_blocks=g.n_blocks,
        aisle_x_m=xs,
        cross_aisle_y_m=list(g.cross_aisle_y),
        depot_x_m=g.aisle_x(g.depot_aisle),
        depot_y_m=0.0,
        width_m=xs[-1] + g.aisle_pitch_m / 2 if xs else 0.0,
        length_m=g.cross_aisle_y[-1],
    )


def preview_view(plan: LayoutPlan, existing: list[str], first: int, offset: int) -> LayoutPreview:
    return LayoutPreview(
        warehouse_code=plan.warehouse_code,
        bin_count=len(plan.bins),
        geometry=geometry_view(plan),
        existing_codes=existing[:1000],
        bins=[
            PlannedBin(
                code=b.code,
                label=b.label,
                zone_code=b.zone_code,
                aisle=b.aisle,
                bay=b.bay,
                level=b.level,
                side=b.side,
                x_m=b.x_m,
                y_m=b.y_m,
                pick_face=b.pick_face,
            )
            for b in plan.bins[offset : offset + first]
        ],
    )


WarehouseResult = result_union("WarehouseResult", WarehouseSuccess)
ZoneResult = result_union("ZoneResult", ZoneSuccess)
BinResult = result_union("BinResult", BinSuccess)
SaveLayoutResult = result_union("SaveLayoutResult", SaveLayoutSuccess)
