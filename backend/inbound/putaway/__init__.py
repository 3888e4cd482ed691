"""Putaway: which bin received stock should go to.

    suggestions = await suggest_bins(session, PutawayRequest(
        warehouse_id=1, item_id=7, lot_id=None, quantity=40, status="AVAILABLE"))
    suggestions[0].bin_code, suggestions[0].reasons   # best first; [] if nothing fits
    await check_bin(session, request, bin_id)          # [] or codes like "CAPACITY_UNITS"

Hard rules (always): storage class matches, capacity left in units, volume
and weight, quarantined stock only to QC bins and available stock only to
RESERVE / PICK_FACE bins, never a blocked bin, no second lot of an item on a
bin (unless the warehouse allows mixed lots). Ranking rules, in the order a
supervisor set (``set_rules``), compared lexicographically: see ``core``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.errors import DomainError, ErrorCode
from backend.inbound.putaway import loader
from backend.inbound.putaway.core import (
    AVAILABLE,
    DEFAULT_RULES,
    EMPTY,
    QUARANTINE,
    BinFacts,
    BinLoad,
    Candidates,
    ItemFacts,
    ItemStock,
    PutawayRequest,
    RankingParams,
    Rule,
    Suggestion,
    Violation,
    rank,
    violations,
)
from backend.inbound.putaway.rules import RuleSet, get_rules, set_rules
from backend.inventory.ledger import check_quantity

__all__ = [
    "DEFAULT_RULES",
    "BinFacts",
    "BinLoad",
    "ItemFacts",
    "ItemStock",
    "PutawayRequest",
    "RankingParams",
    "Rule",
    "RuleSet",
    "Suggestion",
    "Violation",
    "check_bin",
    "get_rules",
    "rank",
    "set_rules",
    "suggest_bins",
    "violations",
]


MAX_PATCHES = 4


def _check_request(request: PutawayRequest) -> None:
    check_quantity(request.quantity)
    if request.status not in (AVAILABLE, QUARANTINE):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"Putaway status must be AVAILABLE or QUARANTINE, not {request.status!r}.",
            "status",
        )


async def suggest_bins(
    session: AsyncSession,
    request: PutawayRequest,
    limit: int = 3,
    *,
    rules: Sequence[Rule | str] | None = None,
    fresh: bool = False,
) -> list[Suggestion]:
    """The best ``limit`` bins for the put, best first; [] if nothing fits.

    ``rules`` overrides the warehouse's ranking order for this call only.
    Every suggested bin is re-read and re-checked before it is returned; the
    other bins are ranked on loads at most ``loader.LOADS_TTL_S`` seconds old
    (and bin rows ``loader.STATIC_TTL_S``) unless ``fresh`` reads all now.
    Raises DomainError for an unknown item, a lot of another item, a bad
    quantity or status.
    """
    _check_request(request)
    if limit <= 0:
        return []
    item = await loader.item_facts(session, request)
    wid = request.warehouse_id
    facts = await loader.warehouse_facts(session, wid, refresh=fresh)
    params = await loader.ranking_params(session, wid, facts)
    if rules is not None:
        params = replace(params, rules=tuple(Rule(r) for r in rules))
    stock = await loader.item_stock(session, request)
    loads = await loader.snapshot_loads(session, facts, wid, refresh=fresh)
    bins_fresh = loads_fresh = fresh
    for _ in range(MAX_PATCHES):
        candidates = facts.candidates(item, request.status, params)
        ranked = rank(request, item, candidates, loads, stock, params, limit)
        if not ranked:
            if loads_fresh and bins_fresh:
                return []
            # Nothing fitted on cached data: make sure, with everything read now.
            facts = await loader.warehouse_facts(session, wid, refresh=True)
            loads = await loader.snapshot_loads(session, facts, wid, refresh=True)
            bins_fresh = loads_fresh = True
            continue
        ids = [s.bin_id for s in ranked]
        rows_changed, now = await _recheck(session, ids, candidates)
        loads_changed = [i for i in ids if now.get(i, EMPTY) != loads.get(i, EMPTY)]
        if not rows_changed and not loads_changed:
            return ranked
        if rows_changed:  # a bin blocked or resized since the cache was built
            facts = await loader.warehouse_facts(session, wid, refresh=True)
            loads = await loader.snapshot_loads(session, facts, wid)
            bins_fresh = True
        for bin_id in loads_changed:  # patch the snapshot with what was just read
            loads[bin_id] = now.get(bin_id, EMPTY)
    facts = await loader.warehouse_facts(session, wid, refresh=True)
    loads = await loader.snapshot_loads(session, facts, wid, refresh=True)
    return rank(
        request, item, facts.candidates(item, request.status, params), loads, stock, params, limit
    )


async def _recheck(
    session: AsyncSession, ids: list[int], candidates: Candidates
) -> tuple[bool, dict[int, BinLoad]]:
    """Whether any of the bins' rows changed since cached, and their loads now."""
    current = await loader.current_bins(session, ids)
    now = {bin_id: load for bin_id, (_, load) in current.items()}
    for bin_id in ids:
        cached = candidates.by_id[bin_id]
        found = current.get(bin_id)
        if found is None or replace(found[0].facts, travel_m=cached.travel_m) != cached:
            return True, now
    return False, now


async def check_bin(session: AsyncSession, request: PutawayRequest, bin_id: int) -> list[str]:
    """Hard rules the put onto ``bin_id`` breaks, as stable codes; [] = acceptable.

    Raises DomainError for an unknown bin (or one of another warehouse), an
    unknown item, a lot of another item, a bad quantity or status.
    """
    _check_request(request)
    found = (await loader.current_bins(session, [bin_id])).get(bin_id)
    if found is None or found[0].warehouse_id != request.warehouse_id:
        raise DomainError(ErrorCode.BIN_NOT_FOUND, f"No bin {bin_id} in this warehouse.", "binId")
    current, load = found
    item = await loader.item_facts(session, request)
    stock = await loader.item_stock(session, request, bin_id=bin_id)
    params = await loader.ranking_params(session, request.warehouse_id)
    return [
        str(code)
        for code in violations(request, item, current.facts, load, stock, params.allow_mixed_lots)
    ]
