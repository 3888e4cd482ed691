"""Events are typed: the unit of work takes only the declared dataclasses, every emitter
in the backend hands it one, and on the wire every key is camelCase."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import pytest

from backend.core.db.uow import UnitOfWork
from backend.core.events import (
    EVENT_TYPES,
    AlertChanged,
    AlertSnapshot,
    CartonClosed,
    CartonRef,
    Event,
    OrderChanged,
    PrintJobChanged,
    PrintJobSnapshot,
    ReturnCredited,
    SessionsRevoked,
    ShipmentShipped,
    ShipmentSnapshot,
    TaskChanged,
    TaskSnapshot,
    WaveChanged,
)

BACKEND = Path(__file__).resolve().parents[2] / "backend"
CAMEL = re.compile(r"^[a-z][a-zA-Z0-9]*$")

TASK = TaskSnapshot(1, 2, "PICK", "OPEN", "PICKER", "Pick W-1", 5, "A-01", "Z1", None, "W-1", 1,
                    "2027-01-15T08:00:00+00:00")  # fmt: skip
SAMPLES: list[Event] = [
    TaskChanged(2, "CREATED", TASK),
    WaveChanged(2, "RELEASED", 7, "W-7"),
    OrderChanged(2, "packed", 9, "SO-9"),
    CartonClosed(2, "closed", CartonRef(3, "006141411234567890", 9), order_packed=True),
    ShipmentShipped(
        2,
        "shipped",
        ShipmentSnapshot(4, 2, "DHL", "STD", "JD1", "WB1", (9,), ("SO-9",), ("0061",), "now"),
    ),
    AlertChanged(2, "RAISED", AlertSnapshot(5, 1, 2, 8, "SKU", "s", "OPEN", "HIGH", "m", None)),
    PrintJobChanged(2, "DONE", PrintJobSnapshot(6, "DONE", 1, 3, "carton_label", "3", None)),
    # Not a warehouse's event: it goes to the sessions channel and names no warehouse.
    SessionsRevoked(0, "signOut", 7, ("a1b2",)),
    ReturnCredited(2, "credited", {"number": "RMA-000001", "creditReference": "CR-000001"}),
]


def _keys(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [k for k, v in value.items() for k in (k, *_keys(v))]
    if isinstance(value, list):
        return [k for v in value for k in _keys(v)]
    return []


def test_every_declared_type_has_a_sample_and_a_distinct_name() -> None:
    assert {type(e) for e in SAMPLES} == set(EVENT_TYPES)
    assert len({t.type for t in EVENT_TYPES}) == len(EVENT_TYPES)


@pytest.mark.parametrize("event", SAMPLES, ids=lambda e: type(e).__name__)
def test_the_wire_is_json_with_type_change_and_camel_case_keys(event: Event) -> None:
    wire = json.loads(json.dumps(event.wire()))
    assert wire["type"] == type(event).type and wire["change"] == event.change
    assert wire["warehouseId"] == event.warehouse_id
    assert [k for k in _keys(wire) if not CAMEL.match(k)] == []
    expected = (
        "sessions" if isinstance(event, SessionsRevoked) else f"warehouse.{event.warehouse_id}"
    )
    assert event.channel == expected


def test_a_task_comes_back_from_the_wire_as_it_went() -> None:
    wire = json.loads(json.dumps(TaskChanged(2, "CLAIMED", TASK).wire()))
    assert wire["task"]["assigneeId"] is None and wire["task"]["binCode"] == "A-01"
    assert TaskSnapshot.from_wire(wire["task"]) == TASK


def test_the_unit_of_work_refuses_anything_but_a_declared_event() -> None:
    uow = UnitOfWork(sessions=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        uow.emit({"type": "task", "change": "CREATED"})  # type: ignore[arg-type]
    for event in SAMPLES:
        uow.emit(event)
    assert uow.event_warehouses == {2}


def _emit_calls() -> list[tuple[str, ast.Call]]:
    found = []
    for path in BACKEND.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "emit"
            ):
                found.append((f"{path.relative_to(BACKEND.parent)}:{node.lineno}", node))
    return found


def _event_returning_functions() -> set[str]:
    """Functions in backend annotated to return a declared event type."""
    names = {t.__name__ for t in EVENT_TYPES}
    found = set()
    for path in BACKEND.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns:
                if ast.unparse(node.returns) in names:
                    found.add(node.name)
    return found


def test_every_emitter_hands_over_a_declared_event() -> None:
    """Each `.emit(...)` in the backend gets one argument: a declared event built in
    place, one from a function returning a declared type, or a loop variable over the
    alert evaluation's typed events. The unit of work checks the rest at run time."""
    declared = {t.__name__ for t in EVENT_TYPES}
    makers = _event_returning_functions()
    calls = _emit_calls()
    assert len(calls) >= 8
    wrong = []
    for where, call in calls:
        if len(call.args) != 1 or call.keywords:
            wrong.append(where)
            continue
        arg = call.args[0]
        if isinstance(arg, ast.Call):
            name = arg.func.attr if isinstance(arg.func, ast.Attribute) else ast.unparse(arg.func)
            if name not in declared | makers:
                wrong.append(where)
        elif not isinstance(arg, ast.Name):
            wrong.append(where)
    assert wrong == []
