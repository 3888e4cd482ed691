"""A warehouse's ranking order, as a supervisor sets it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.db.models import PutawayRuleSet, Warehouse
from backend.core.errors import DomainError, ErrorCode
from backend.inbound.putaway.core import DEFAULT_RULES, Rule

MAX_TRAVEL_BAND_M = 1000.0


@dataclass(frozen=True)
class RuleSet:
    warehouse_id: int
    rules: tuple[Rule, ...]
    travel_band_m: float
    golden_travel_m: float | None  # None: the nearest third of the storage bins
    allow_mixed_lots: bool
    is_default: bool


async def get_rules(session: AsyncSession, warehouse_id: int) -> RuleSet:
    row = await session.get(PutawayRuleSet, warehouse_id)
    if row is None:
        return RuleSet(warehouse_id, DEFAULT_RULES, 5.0, None, False, True)
    return RuleSet(
        warehouse_id,
        tuple(Rule(r) for r in row.rules if r in Rule.__members__),
        row.travel_band_m,
        row.golden_travel_m,
        row.allow_mixed_lots,
        False,
    )


def parse_rules(names: Sequence[str]) -> tuple[Rule, ...]:
    """Rule names, most important first; each once. Leaving a rule out switches it off."""
    rules: list[Rule] = []
    for name in names:
        if name not in Rule.__members__:
            known = ", ".join(Rule)
            raise DomainError(
                ErrorCode.INVALID_INPUT, f"Unknown putaway rule {name!r} (known: {known}).", "rules"
            )
        if Rule(name) in rules:
            raise DomainError(ErrorCode.DUPLICATE, f"Putaway rule {name} is listed twice.", "rules")
        rules.append(Rule(name))
    return tuple(rules)


async def set_rules(
    session: AsyncSession,
    warehouse_id: int,
    rules: Sequence[str],
    *,
    travel_band_m: float = 5.0,
    golden_travel_m: float | None = None,
    allow_mixed_lots: bool = False,
    user_id: int | None = None,
) -> RuleSet:
    parsed = parse_rules(rules)
    if not 0 < travel_band_m <= MAX_TRAVEL_BAND_M:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"The travel band must be above 0 and at most {MAX_TRAVEL_BAND_M:.0f} m.",
            "travelBandM",
        )
    if golden_travel_m is not None and not 0 <= golden_travel_m <= 100_000:
        raise DomainError(
            ErrorCode.INVALID_INPUT, "The golden zone radius must be 0 m or more.", "goldenTravelM"
        )
    if await session.get(Warehouse, warehouse_id) is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"No warehouse {warehouse_id}.", "warehouseId")
    row = await session.get(PutawayRuleSet, warehouse_id)
    if row is None:
        row = PutawayRuleSet(warehouse_id=warehouse_id)
        session.add(row)
    row.rules = [str(r) for r in parsed]
    row.travel_band_m = travel_band_m
    row.golden_travel_m = golden_travel_m
    row.allow_mixed_lots = allow_mixed_lots
    row.updated_by = user_id
    await session.flush()
    return await get_rules(session, warehouse_id)
