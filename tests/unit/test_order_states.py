"""The table of sales-order state changes: what is allowed, and that a refused change
is a typed error that leaves the order as it was."""

from __future__ import annotations

import pytest

from backend.core.db import models as m
from backend.core.db.models.outbound import CANCELLABLE_STATES, POOL_STATES
from backend.core.errors import DomainError, ErrorCode
from backend.outbound import order_states

S = m.OrderState


def order(state: S) -> m.SalesOrder:
    return m.SalesOrder(number="SO-T", state=state, wave_id=7)


def test_every_state_has_a_row_and_final_states_go_nowhere():
    assert set(order_states.TRANSITIONS) == set(S)
    assert order_states.TRANSITIONS[S.SHIPPED] == frozenset()
    assert order_states.TRANSITIONS[S.CANCELLED] == frozenset()


def test_the_table_agrees_with_the_model_constants():
    # A wave releases pool orders only; cancelling is allowed exactly until picked,
    # plus the packing station giving up a picked order.
    assert set(order_states.sources_of(S.RELEASED)) == set(POOL_STATES)
    assert set(order_states.sources_of(S.CANCELLED)) == {*CANCELLABLE_STATES, S.PICKED}


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (S.SHIPPED, S.PACKED),
        (S.CANCELLED, S.RESERVED),
        (S.PACKED, S.CANCELLED),
        (S.NEW, S.RELEASED),
        (S.BACKORDERED, S.RELEASED),
        (S.RELEASED, S.PACKED),
        (S.PICKED, S.SHIPPED),
    ],
)
def test_a_refused_change_is_invalid_state_and_changes_nothing(start: S, target: S):
    row = order(start)
    with pytest.raises(DomainError) as refused:
        order_states.change(row, target)
    assert refused.value.code == ErrorCode.INVALID_STATE
    assert "SO-T" in refused.value.message
    assert row.state == start and row.cancelled_at is None


def test_allowed_changes_and_their_side_effects():
    row = order(S.RESERVED)
    order_states.change(row, S.RESERVED)  # the same state: nothing to do
    assert row.state == S.RESERVED
    order_states.follow_reservations(row, covered=2, needed=5)
    assert row.state == S.PARTIALLY_RESERVED
    order_states.follow_reservations(row, covered=0, needed=5)
    assert row.state == S.BACKORDERED

    cancelled = order(S.PICKING)
    order_states.mark_cancelled(cancelled)
    assert cancelled.state == S.CANCELLED and cancelled.cancelled_at is not None

    found_nothing = order(S.RELEASED)
    order_states.mark_picks_done(found_nothing, units_picked=0)
    assert found_nothing.state == S.BACKORDERED and found_nothing.wave_id is None

    picked = order(S.RELEASED)
    order_states.mark_picking(picked)
    order_states.mark_picks_done(picked, units_picked=3)
    order_states.mark_packed(picked)
    order_states.mark_shipped(picked)
    assert picked.state == S.SHIPPED and picked.wave_id == 7


def test_packing_and_shipping_keep_no_copy_of_the_state_changes():
    """order_states is the one owner: packing's order module neither defines nor
    re-exports a state change, and no outbound module assigns an order's state."""
    from pathlib import Path

    from backend.outbound.packing import orders as packing_orders

    for name in ("mark_packed", "mark_shipped", "mark_cancelled", "picked_units"):
        assert not hasattr(packing_orders, name)
    outbound = Path(order_states.__file__).parent
    for path in outbound.rglob("*.py"):
        if path.name != "order_states.py":
            assert "order.state = " not in path.read_text(), path
