"""ABC classification by cumulative share (Pareto). Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

A_SHARE = 0.80
B_SHARE = 0.95


@dataclass(frozen=True)
class AbcEntry:
    item_id: int
    measure: float
    share: float
    cumulative_share: float
    abc_class: str


def classify(
    measures: Mapping[int, float], a_share: float = A_SHARE, b_share: float = B_SHARE
) -> list[AbcEntry]:
    """Items by descending measure (ties by id). An item is A while the cumulative
    share *before* it is below `a_share` (so the item that crosses the line is
    still A), B likewise up to `b_share`, C after; items with no measure are C."""
    if not 0 < a_share < b_share <= 1:
        raise ValueError("need 0 < a_share < b_share <= 1")
    total = float(sum(v for v in measures.values() if v > 0))
    ranked = sorted(measures.items(), key=lambda kv: (-kv[1], kv[0]))
    out: list[AbcEntry] = []
    before = 0.0
    for item_id, value in ranked:
        share = value / total if total > 0 and value > 0 else 0.0
        if share == 0.0:
            klass = "C"
        elif before < a_share - 1e-12:
            klass = "A"
        elif before < b_share - 1e-12:
            klass = "B"
        else:
            klass = "C"
        before += share
        out.append(AbcEntry(item_id, value, share, min(before, 1.0), klass))
    return out
