# mypy: disable-error-code="valid-type"
"""Exception inbox types and their mapping from the desk's read model."""

from __future__ import annotations

from datetime import datetime

import strawberry

from backend.desk.inbox import ExceptionInbox, ExceptionItem, ExceptionKind

ExceptionKindEnum = strawberry.enum(ExceptionKind, name="ExceptionKind")


@strawberry.type(description="One thing waiting for a decision; `kind` + `id` link to its detail.")
class DeskException:
    kind: ExceptionKindEnum
    id: strawberry.ID = strawberry.field(
        description="Of the entity the kind names: adjustment, count, pick line, sales order, "
        "receipt line, quant, print job or shipment webhook."
    )
    warehouse_id: strawberry.ID
    title: str
    raised_at: datetime | None
    item_sku: str | None
    bin_code: str | None
    quantity: int | None
    reference: str | None
    raised_by_id: strawberry.ID | None = strawberry.field(
        description="Who asked, counted or printed (when the kind has an owner)."
    )
    raised_by_name: str | None = strawberry.field(description="That person's display name.")
    actions: list[str] = strawberry.field(
        description="The mutations the caller's role may use on it (none offered to approve "
        "one's own request)."
    )

    @classmethod
    def of(cls, item: ExceptionItem) -> DeskException:
        return cls(
            kind=item.kind,
            id=strawberry.ID(str(item.id)),
            warehouse_id=strawberry.ID(str(item.warehouse_id)),
            title=item.title,
            raised_at=item.raised_at,
            item_sku=item.item_sku,
            bin_code=item.bin_code,
            quantity=item.quantity,
            reference=item.reference,
            raised_by_id=strawberry.ID(str(item.owner_id)) if item.owner_id else None,
            raised_by_name=item.owner_name,
            actions=list(item.actions),
        )


@strawberry.type
class ExceptionCount:
    kind: ExceptionKindEnum
    count: int


@strawberry.type
class ExceptionInboxView:
    total: int
    counts: list[ExceptionCount]
    items: list[DeskException]

    @classmethod
    def of(cls, inbox: ExceptionInbox) -> ExceptionInboxView:
        return cls(
            total=inbox.total,
            counts=[ExceptionCount(kind=k, count=n) for k, n in inbox.counts.items()],
            items=[DeskException.of(i) for i in inbox.items],
        )
