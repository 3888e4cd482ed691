"""Purchase orders: lines in any packaging unit, submission, multi-level approval.

Approval rules say which levels an order needs (by amount, ABC class, storage
class); each level is approved by someone holding the rule's role. The levels
are fixed when the order is submitted, so a later rule change does not move the
goalposts of an order already in review.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth.permissions import Role
from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.core.scope import acting_warehouse, check_in_scope
from backend.inbound.common import find_po, item_by_sku, parse_id, text
from backend.inventory.ledger import check_quantity
from backend.scan.internal import CodeKind, make_code
from backend.tasks.engine import NewTask, create_task, finish

MAX_LINES = 500
MAX_PRICE_CENTS = 100_000_000  # one unit at a million: anything above is a typo


@dataclass(frozen=True)
class NewLine:
    item_sku: str
    quantity: int
    unit_price_cents: int
    packaging: str | None = None
    due_date: date | None = None


async def _packaging(
    session: AsyncSession, item: m.Item, name: str | None
) -> m.ItemPackaging | None:
    if name is None or not name.strip() or name.strip().upper() == item.base_unit.upper():
        return None
    row = await session.scalar(
        select(m.ItemPackaging).where(
            m.ItemPackaging.item_id == item.id,
            func.lower(m.ItemPackaging.name) == name.strip().lower(),
        )
    )
    if row is None:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"{item.sku} has no packaging {name!r}.",
            "packaging",
        )
    return row


async def create_order(
    uow: UnitOfWork,
    principal: Principal,
    *,
    supplier_code: str,
    lines: list[NewLine],
    warehouse_id: object | None = None,
    note: str | None = None,
) -> m.PurchaseOrder:
    session = uow.session
    wid = acting_warehouse(principal, warehouse_id)
    warehouse = await session.get(m.Warehouse, wid)
    if warehouse is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such warehouse.", "warehouseId")
    supplier = await session.scalar(
        select(m.Supplier).where(m.Supplier.code == supplier_code.strip())
    )
    if supplier is None:
        raise DomainError(
            ErrorCode.SUPPLIER_NOT_FOUND, f"No supplier {supplier_code!r}.", "supplierCode"
        )
    if not lines:
        raise DomainError(ErrorCode.INVALID_INPUT, "An order needs at least one line.", "lines")
    if len(lines) > MAX_LINES:
        raise DomainError(ErrorCode.INVALID_INPUT, f"At most {MAX_LINES} lines.", "lines")
    po = m.PurchaseOrder(
        code="",
        number="",
        warehouse_id=wid,
        supplier_id=supplier.id,
        state=m.PoState.DRAFT,
        note=text(note, "note"),
        created_by=principal.user_id,
        required_levels=[],
    )
    session.add(po)
    await session.flush()
    po.number = f"{warehouse.code}-{po.id:06d}"
    po.code = make_code(CodeKind.PO, po.number)
    total = 0
    for line_no, line in enumerate(lines, start=1):
        item = await item_by_sku(session, line.item_sku, "lines.itemSku")
        packaging = await _packaging(session, item, line.packaging)
        check_quantity(line.quantity, "lines.quantity")
        if not 0 <= line.unit_price_cents <= MAX_PRICE_CENTS:
            raise DomainError(
                ErrorCode.INVALID_INPUT, "A price between 0 and 1,000,000.", "lines.unitPriceCents"
            )
        base = line.quantity * (packaging.quantity if packaging else 1)
        check_quantity(base, "lines.quantity")
        total += line.quantity * line.unit_price_cents
        session.add(
            m.PurchaseOrderLine(
                po_id=po.id,
                line_no=line_no,
                item_id=item.id,
                packaging_id=packaging.id if packaging else None,
                ordered_units=line.quantity,
                quantity=base,
                unit_price_cents=line.unit_price_cents,
                due_date=line.due_date,
            )
        )
    po.total_cents = total
    await session.flush()
    return po


async def matching_levels(uow: UnitOfWork, po: m.PurchaseOrder) -> list[m.ApprovalRule]:
    """The active rules this order meets, one per level (lowest rule id wins a level)."""
    session = uow.session
    rules = (
        await session.scalars(
            select(m.ApprovalRule)
            .where(
                m.ApprovalRule.active.is_(True),
                (m.ApprovalRule.warehouse_id.is_(None))
                | (m.ApprovalRule.warehouse_id == po.warehouse_id),
            )
            .order_by(m.ApprovalRule.level, m.ApprovalRule.id)
        )
    ).all()
    classes = (
        await session.execute(
            select(m.Item.abc_class, m.Item.storage_class)
            .join(m.PurchaseOrderLine, m.PurchaseOrderLine.item_id == m.Item.id)
            .where(m.PurchaseOrderLine.po_id == po.id)
        )
    ).all()
    abc = {row[0] for row in classes}
    storage = {row[1] for row in classes}
    chosen: dict[int, m.ApprovalRule] = {}
    for rule in rules:
        if rule.min_amount_cents is not None and po.total_cents < rule.min_amount_cents:
            continue
        if rule.abc_class is not None and rule.abc_class not in abc:
            continue
        if rule.storage_class is not None and rule.storage_class not in storage:
            continue
        chosen.setdefault(rule.level, rule)
    return [chosen[level] for level in sorted(chosen)]


async def submit_order(uow: UnitOfWork, principal: Principal, raw_code: str) -> m.PurchaseOrder:
    po = await find_po(uow.session, principal, raw_code, lock=True)
    if po.state != m.PoState.DRAFT:
        raise DomainError(
            ErrorCode.INVALID_STATE, f"Only a draft can be submitted; this one is {po.state}."
        )
    rules = await matching_levels(uow, po)
    po.required_levels = [rule.level for rule in rules]
    po.state = m.PoState.SUBMITTED
    po.submitted_at = utcnow()
    if not rules:
        # No rule asks for a review: the order is approved as it stands, and that is recorded.
        uow.session.add(
            m.ApprovalDecision(
                po_id=po.id,
                level=0,
                decision="AUTO",
                user_id=principal.user_id,
                comment="No approval rule applies.",
                at=utcnow(),
            )
        )
        await _approve(uow, principal, po)
    await uow.session.flush()
    return po


async def _approved_levels(uow: UnitOfWork, po: m.PurchaseOrder) -> set[int]:
    # Decisions of an earlier submission (before a rejection) stay on record but do not count.
    submitted = po.submitted_at
    rows = await uow.session.scalars(
        select(m.ApprovalDecision.level).where(
            m.ApprovalDecision.po_id == po.id,
            m.ApprovalDecision.decision == "APPROVED",
            m.ApprovalDecision.at >= submitted,
        )
    )
    return set(rows)


def _may_act_as(principal: Principal, role: str) -> bool:
    return role in principal.roles or Role.ADMIN in principal.roles


async def decide_order(
    uow: UnitOfWork, principal: Principal, raw_code: str, *, approve: bool, comment: str | None
) -> tuple[m.PurchaseOrder, int]:
    """Approve or reject the next open level. Returns the order and the level decided."""
    session = uow.session
    po = await find_po(session, principal, raw_code, lock=True)
    if po.state != m.PoState.SUBMITTED:
        raise DomainError(ErrorCode.INVALID_STATE, f"The order is {po.state}, not in review.")
    if po.created_by == principal.user_id:
        raise DomainError(ErrorCode.SELF_APPROVAL, "Someone else must approve your own order.")
    done = await _approved_levels(uow, po)
    pending = [level for level in po.required_levels if level not in done]
    level = pending[0]
    rule = next((r for r in await matching_levels(uow, po) if r.level == level), None)
    # A rule retired while the order was in review: its level falls to a supervisor.
    role = rule.approver_role if rule else Role.SUPERVISOR.value
    if not _may_act_as(principal, role):
        raise DomainError(
            ErrorCode.APPROVER_ROLE_REQUIRED,
            f"Level {level} of this order is approved by a {role}.",
        )
    note = text(comment, "comment")
    if not approve and not note:
        raise DomainError(ErrorCode.INVALID_INPUT, "Say why the order is rejected.", "comment")
    acting_role = role if role in principal.roles else Role.ADMIN.value
    session.add(
        m.ApprovalDecision(
            po_id=po.id,
            level=level,
            decision="APPROVED" if approve else "REJECTED",
            user_id=principal.user_id,
            role=acting_role,
            comment=note,
            at=utcnow(),
        )
    )
    if not approve:
        po.state = m.PoState.DRAFT  # back to the buyer, who may change it and submit again
    elif len(pending) == 1:
        await _approve(uow, principal, po)
    await session.flush()
    return po, level


async def _approve(uow: UnitOfWork, principal: Principal, po: m.PurchaseOrder) -> None:
    po.state = m.PoState.APPROVED
    po.approved_at = utcnow()
    supplier = await uow.session.get(m.Supplier, po.supplier_id)
    dock = await default_dock_bin(uow, po.warehouse_id)
    task = await create_task(
        uow,
        NewTask(
            warehouse_id=po.warehouse_id,
            kind=m.TaskKind.RECEIVE,
            title=f"Receive {po.number} from {supplier.name if supplier else 'supplier'}",
            priority=5,
            bin_id=dock.id if dock else None,
            reference=po.code,
            payload={"po_code": po.code, "po_id": po.id},
        ),
        principal.user_id,
    )
    po.receive_task_id = task.id


async def default_dock_bin(uow: UnitOfWork, warehouse_id: int) -> m.Bin | None:
    return await uow.session.scalar(
        select(m.Bin)
        .join(m.Zone, m.Zone.id == m.Bin.zone_id)
        .where(
            m.Bin.warehouse_id == warehouse_id,
            m.Zone.kind == m.ZoneKind.RECEIVING,
            m.Bin.blocked.is_(False),
        )
        .order_by(m.Bin.id)
        .limit(1)
    )


async def _finish_receive_task(uow: UnitOfWork, po: m.PurchaseOrder, state: m.TaskState) -> None:
    if po.receive_task_id is None:
        return
    task = await uow.session.get(m.Task, po.receive_task_id)
    if task is not None and task.state in (m.TaskState.OPEN, m.TaskState.CLAIMED):
        await finish(uow, task, state)


async def cancel_order(
    uow: UnitOfWork, principal: Principal, raw_code: str, reason: str | None
) -> m.PurchaseOrder:
    po = await find_po(uow.session, principal, raw_code, lock=True)
    if po.state not in (m.PoState.DRAFT, m.PoState.SUBMITTED, m.PoState.APPROVED):
        raise DomainError(
            ErrorCode.INVALID_STATE,
            f"A {po.state} order cannot be cancelled; close it instead.",
        )
    po.note = text(f"{po.note}\nCancelled: {text(reason, 'reason')}".strip(), "reason")
    po.state = m.PoState.CANCELLED
    await _finish_receive_task(uow, po, m.TaskState.CANCELLED)
    await uow.session.flush()
    return po


async def close_order(uow: UnitOfWork, principal: Principal, raw_code: str) -> m.PurchaseOrder:
    """Short-close: nothing more is expected of this order."""
    po = await find_po(uow.session, principal, raw_code, lock=True)
    if po.state not in (m.PoState.APPROVED, m.PoState.PARTIALLY_RECEIVED, m.PoState.RECEIVED):
        raise DomainError(ErrorCode.INVALID_STATE, f"A {po.state} order cannot be closed.")
    open_receipt = await uow.session.scalar(
        select(m.Receipt.id).where(m.Receipt.po_id == po.id, m.Receipt.state == m.ReceiptState.OPEN)
    )
    if open_receipt is not None:
        raise DomainError(ErrorCode.INVALID_STATE, "A receipt of this order is still open.")
    po.state = m.PoState.CLOSED
    await _finish_receive_task(uow, po, m.TaskState.DONE)
    await uow.session.flush()
    return po


async def refresh_received_state(uow: UnitOfWork, po: m.PurchaseOrder) -> None:
    """PARTIALLY_RECEIVED or RECEIVED from the lines; RECEIVED finishes the RECEIVE task."""
    lines = (
        await uow.session.scalars(
            select(m.PurchaseOrderLine).where(m.PurchaseOrderLine.po_id == po.id)
        )
    ).all()
    if all(line.received >= line.quantity for line in lines):
        po.state = m.PoState.RECEIVED
        await _finish_receive_task(uow, po, m.TaskState.DONE)
    elif any(line.received > 0 for line in lines):
        po.state = m.PoState.PARTIALLY_RECEIVED


async def set_rule(
    uow: UnitOfWork,
    principal: Principal,
    *,
    level: int,
    approver_role: str,
    min_amount_cents: int | None,
    abc_class: str | None,
    storage_class: str | None,
    warehouse_id: object | None,
) -> m.ApprovalRule:
    """A rule for one warehouse (one the caller works in), or for all when omitted."""
    if not 1 <= level <= 9:
        raise DomainError(ErrorCode.INVALID_INPUT, "Levels run from 1 to 9.", "level")
    if approver_role not in {r.value for r in Role}:
        raise DomainError(ErrorCode.INVALID_INPUT, "Not a role.", "approverRole")
    if min_amount_cents is not None and not 0 <= min_amount_cents <= 10**12:
        raise DomainError(ErrorCode.INVALID_INPUT, "Amount out of range.", "minAmountCents")
    if abc_class is not None and abc_class not in ("A", "B", "C"):
        raise DomainError(ErrorCode.INVALID_INPUT, "ABC class is A, B or C.", "abcClass")
    if storage_class is not None and storage_class not in {s.value for s in m.StorageClass}:
        raise DomainError(ErrorCode.INVALID_INPUT, "Not a storage class.", "storageClass")
    wid = None if warehouse_id is None else parse_id(warehouse_id, "warehouseId")
    if wid is not None:
        check_in_scope(principal, wid)
    rule = m.ApprovalRule(
        level=level,
        approver_role=approver_role,
        min_amount_cents=min_amount_cents,
        abc_class=abc_class,
        storage_class=storage_class,
        warehouse_id=wid,
        created_by=principal.user_id,
    )
    uow.session.add(rule)
    await uow.session.flush()
    return rule


async def retire_rule(uow: UnitOfWork, principal: Principal, rule_id: object) -> m.ApprovalRule:
    rule = await uow.session.get(m.ApprovalRule, parse_id(rule_id, "ruleId"))
    if rule is None or (
        rule.warehouse_id is not None and not principal.in_scope(rule.warehouse_id)
    ):
        raise DomainError(ErrorCode.NOT_FOUND, "No such approval rule.", "ruleId")
    rule.active = False
    await uow.session.flush()
    return rule
