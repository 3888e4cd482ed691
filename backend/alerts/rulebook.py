"""Alert rules as a manager writes them: checked whole, then stored."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from backend.alerts.rules import (
    Combine,
    Condition,
    validate_conditions,
    validate_quiet_hours,
    validate_repeat,
)
from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.notify.sms import valid_number


@dataclass(frozen=True)
class RuleRequest:
    warehouse_id: int
    name: str
    conditions: list[Condition]
    combine: Combine = Combine.ALL
    severity: m.AlertSeverity = m.AlertSeverity.WARNING
    item_sku: str | None = None
    category: str | None = None
    abc_class: str | None = None
    storage_class: str | None = None
    repeat_minutes: int = 240
    quiet_start_minute: int | None = None
    quiet_end_minute: int | None = None
    email_to: tuple[str, ...] = ()
    sms_to: tuple[str, ...] = ()
    webhook_url: str | None = None
    webhook_secret: str | None = None


def _text(value: str | None, field: str, limit: int) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if len(value) > limit:
        raise DomainError(ErrorCode.INVALID_INPUT, f"At most {limit} characters.", field)
    return value or None


def _emails(raw: tuple[str, ...]) -> str:
    addresses = [a.strip() for a in raw if a.strip()]
    for address in addresses:
        local, _, domain = address.partition("@")
        if not local or "." not in domain or "," in address or " " in address:
            raise DomainError(
                ErrorCode.INVALID_INPUT, f"Not an e-mail address: {address}", "emailTo"
            )
    joined = ",".join(addresses)
    if len(joined) > 400:
        raise DomainError(ErrorCode.INVALID_INPUT, "Too many e-mail addresses.", "emailTo")
    return joined


def _numbers(raw: tuple[str, ...]) -> str:
    numbers = [n.strip().replace(" ", "") for n in raw if n.strip()]
    for number in numbers:
        if not valid_number(number):
            raise DomainError(
                ErrorCode.INVALID_INPUT, f"Not a phone number in +E.164 form: {number}", "smsTo"
            )
    joined = ",".join(numbers)
    if len(joined) > 400:
        raise DomainError(ErrorCode.INVALID_INPUT, "Too many phone numbers.", "smsTo")
    return joined


def _webhook(url: str | None, secret: str | None) -> tuple[str, str]:
    """The webhook URL and its signing secret; a URL needs a secret worth the name."""
    address = _text(url, "webhookUrl", 400) or ""
    key = (secret or "").strip()
    if not address:
        return "", ""
    if not address.startswith(("http://", "https://")):
        raise DomainError(ErrorCode.INVALID_INPUT, "A webhook URL is http(s)://…", "webhookUrl")
    if not 16 <= len(key) <= 200:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "A webhook needs a secret of 16–200 characters.",
            "webhookSecret",
        )
    return address, key


async def _scope_fields(
    uow: UnitOfWork, request: RuleRequest
) -> tuple[int | None, str | None, str | None]:
    """The item, ABC class and storage class a rule is narrowed to."""
    item_id = None
    if request.item_sku is not None:
        item_id = await uow.session.scalar(select(m.Item.id).where(m.Item.sku == request.item_sku))
        if item_id is None:
            raise DomainError(ErrorCode.ITEM_NOT_FOUND, "No item with this SKU.", "itemSku")
    abc = _text(request.abc_class, "abcClass", 1)
    if abc is not None and abc not in ("A", "B", "C"):
        raise DomainError(ErrorCode.INVALID_INPUT, "ABC class is A, B or C.", "abcClass")
    storage = _text(request.storage_class, "storageClass", 16)
    if storage is not None and storage not in set(m.StorageClass):
        raise DomainError(ErrorCode.INVALID_INPUT, "Unknown storage class.", "storageClass")
    return item_id, abc, storage


async def create_rule(uow: UnitOfWork, principal: Principal, request: RuleRequest) -> m.AlertRule:
    """A rule in a warehouse the caller acts in (the caller resolved it with
    `acting_warehouse`); refused whole when any part could never work."""
    name = _text(request.name, "name", 120)
    if not name:
        raise DomainError(ErrorCode.INVALID_INPUT, "A rule needs a name.", "name")
    combine = Combine(request.combine)
    conditions = validate_conditions(request.conditions, combine)
    validate_repeat(request.repeat_minutes)
    validate_quiet_hours(request.quiet_start_minute, request.quiet_end_minute)
    item_id, abc, storage = await _scope_fields(uow, request)
    url, secret = _webhook(request.webhook_url, request.webhook_secret)
    rule = m.AlertRule(
        warehouse_id=request.warehouse_id,
        name=name,
        item_id=item_id,
        category=_text(request.category, "category", 80),
        abc_class=abc,
        storage_class=storage,
        combine=combine.value,
        conditions=[c.as_json() for c in conditions],
        severity=m.AlertSeverity(request.severity).value,
        repeat_minutes=request.repeat_minutes,
        quiet_start_minute=request.quiet_start_minute,
        quiet_end_minute=request.quiet_end_minute,
        email_to=_emails(request.email_to),
        sms_to=_numbers(request.sms_to),
        webhook_url=url,
        webhook_secret=secret,
        created_by=principal.user_id,
        created_at=utcnow(),
    )
    uow.session.add(rule)
    await uow.session.flush()
    return rule


async def set_rule_active(
    uow: UnitOfWork, principal: Principal, rule_id: int, active: bool
) -> m.AlertRule:
    rule = await uow.session.get(m.AlertRule, rule_id)
    if rule is None or not principal.in_scope(rule.warehouse_id):
        raise DomainError(ErrorCode.NOT_FOUND, "No such alert rule.", "ruleId")
    rule.active = active
    await uow.session.flush()
    return rule
