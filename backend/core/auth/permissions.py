"""Roles and what they may do. A permission is checked on every field that needs one."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    PLANNER = "planner"
    RECEIVER = "receiver"
    PICKER = "picker"
    PACKER = "packer"
    SHIPPER = "shipper"
    VIEWER = "viewer"


class Perm(StrEnum):
    MASTER_READ = "master.read"
    MASTER_WRITE = "master.write"
    STOCK_READ = "stock.read"
    # Look stock up on the floor (itemStock, binContents, history, lot trace): the book of
    # bins a blind count holds stays hidden from those without STOCK_READ.
    STOCK_LOOKUP = "stock.lookup"
    STOCK_RESERVE = "stock.reserve"
    STOCK_ADJUST = "stock.adjust"
    STOCK_MOVE = "stock.move"
    TASK_READ = "task.read"
    TASK_WORK = "task.work"
    TASK_MANAGE = "task.manage"
    RECEIVE = "inbound.receive"
    PURCHASE_MANAGE = "purchase.manage"
    PURCHASE_APPROVE = "purchase.approve"
    QC_INSPECT = "qc.inspect"
    ORDER_MANAGE = "order.manage"
    # Decide a sales order held over its customer's credit limit (supervisors).
    ORDER_CREDIT_APPROVE = "order.credit_approve"
    WAVE_PLAN = "wave.plan"
    PICK = "outbound.pick"
    PACK = "outbound.pack"
    SHIP = "outbound.ship"
    PRINT = "print"
    COUNT = "inventory.count"
    COUNT_APPROVE = "inventory.approve"
    ALERT_MANAGE = "alert.manage"
    ANALYTICS_READ = "analytics.read"
    AUDIT_READ = "audit.read"
    USER_MANAGE = "user.manage"
    # Accept an order as packed with units missing (supervisors).
    SHORT_SHIP = "outbound.short_ship"


_READ = {Perm.MASTER_READ, Perm.STOCK_READ, Perm.STOCK_LOOKUP, Perm.TASK_READ}
# Floor roles count blind, so they may not read the book wholesale (stock, stockMoves, lots);
# they may look an item or bin up, minus the bins a count holds (STOCK_LOOKUP).
_FLOOR = (_READ - {Perm.STOCK_READ}) | {Perm.TASK_WORK, Perm.COUNT, Perm.STOCK_MOVE, Perm.PRINT}

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.VIEWER: frozenset(_READ | {Perm.ANALYTICS_READ}),
    Role.PICKER: frozenset(_FLOOR | {Perm.PICK}),
    Role.RECEIVER: frozenset(_FLOOR | {Perm.RECEIVE, Perm.QC_INSPECT}),
    Role.PACKER: frozenset(_FLOOR | {Perm.PACK}),
    Role.SHIPPER: frozenset(_FLOOR | {Perm.PACK, Perm.SHIP}),
    Role.PLANNER: frozenset(
        _READ
        | {
            Perm.WAVE_PLAN,
            Perm.ORDER_MANAGE,
            Perm.STOCK_RESERVE,
            Perm.TASK_MANAGE,
            Perm.PRINT,
            Perm.ANALYTICS_READ,
        }
    ),
    Role.SUPERVISOR: frozenset(set(Perm) - {Perm.USER_MANAGE}),
    Role.ADMIN: frozenset(Perm),
}

# Which role's people do which kind of task (the task list and push follow this).
TASK_ROLES: dict[str, frozenset[Role]] = {
    "RECEIVE": frozenset({Role.RECEIVER}),
    "QC": frozenset({Role.RECEIVER}),
    "PUTAWAY": frozenset({Role.RECEIVER, Role.PICKER}),
    "PICK": frozenset({Role.PICKER}),
    "REPLENISH": frozenset({Role.PICKER, Role.RECEIVER}),
    "MOVE": frozenset({Role.PICKER, Role.RECEIVER}),
    "COUNT": frozenset({Role.PICKER, Role.RECEIVER}),
    "PACK": frozenset({Role.PACKER, Role.SHIPPER}),
    "SHIP": frozenset({Role.SHIPPER}),
}


def permissions_of(roles: frozenset[str] | set[str]) -> frozenset[Perm]:
    granted: set[Perm] = set()
    for name in roles:
        try:
            granted |= ROLE_PERMISSIONS[Role(name)]
        except ValueError:
            continue
    return frozenset(granted)


def may_work_task(roles: frozenset[str], task_kind: str) -> bool:
    if Role.SUPERVISOR in roles or Role.ADMIN in roles:
        return True
    return bool(TASK_ROLES.get(task_kind, frozenset()) & roles)
