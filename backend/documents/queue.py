"""The print queue kept in the database: jobs, their attempts, their status.

A job names a printer, a document kind and a target (see ``loader``). The
worker claims one due job at a time in a short transaction (SKIP LOCKED on
PostgreSQL, so several processes can run workers), then loads, renders and
sends it with no transaction open, then records the outcome in another short
transaction: DONE, RETRYING with a backoff time, or FAILED with the reason.
A job whose worker died while printing is taken again when its lease ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.errors import DomainError, ErrorCode
from backend.core.events import PrintJobChanged, PrintJobSnapshot
from backend.documents.data import Target
from backend.printing.documents import DocumentKind
from backend.printing.printers import PrinterConfig, PrinterKind, RetryPolicy

LEASE = timedelta(minutes=5)
MAX_REASON = 500


@dataclass(frozen=True)
class PrintJobView:
    job_id: int
    printer_id: int
    printer_name: str
    document_kind: str
    target: str
    copies: int
    state: str
    attempts: int
    max_attempts: int
    last_error: str | None
    next_attempt_at: datetime
    created_at: datetime
    finished_at: datetime | None


async def job_view(session: AsyncSession, job: m.PrintJob) -> PrintJobView:
    printer = await session.get(m.PrinterRow, job.printer_id)
    return PrintJobView(
        job_id=job.id,
        printer_id=job.printer_id,
        printer_name=printer.name if printer else "",
        document_kind=job.document_kind,
        target=job.target,
        copies=job.copies,
        state=job.state,
        attempts=job.attempts,
        max_attempts=job.max_attempts,
        last_error=job.last_error,
        next_attempt_at=job.next_attempt_at,
        created_at=job.created_at,
        finished_at=job.finished_at,
    )


def printer_config(row: m.PrinterRow) -> PrinterConfig:
    if row.kind == m.StationPrinterKind.CUPS:
        return PrinterConfig(name=row.name, kind=PrinterKind.CUPS, queue=row.address, raw=row.raw)
    host, port = split_address(row.address)
    return PrinterConfig(name=row.name, kind=PrinterKind.RAW_TCP, host=host, port=port)


def split_address(address: str) -> tuple[str, int]:
    host, sep, port = address.strip().rpartition(":")
    if not sep:
        return address.strip(), 9100
    if not port.isdigit() or not 0 < int(port) < 65536 or not host:
        raise DomainError(
            ErrorCode.INVALID_INPUT, "A raw printer address is host or host:port.", "address"
        )
    return host.strip("[]"), int(port)


async def enqueue(
    session: AsyncSession,
    *,
    printer: m.PrinterRow,
    kind: DocumentKind,
    target: Target,
    warehouse_id: int,
    copies: int = 1,
    lang: str = "en",
    created_by: int | None = None,
    policy: RetryPolicy | None = None,
) -> m.PrintJob:
    if not 1 <= copies <= 50:
        raise DomainError(ErrorCode.INVALID_QUANTITY, "Print 1 to 50 copies.", "copies")
    if not printer.active:
        raise DomainError(ErrorCode.INVALID_STATE, f"Printer {printer.name} is switched off.")
    job = m.PrintJob(
        warehouse_id=warehouse_id,
        printer_id=printer.id,
        document_kind=kind.value,
        target=str(target),
        lang=lang[:8],
        copies=copies,
        max_attempts=(policy or RetryPolicy()).max_attempts,
        created_by=created_by,
        history=[],
    )
    session.add(job)
    await session.flush()
    return job


async def claim_due(session: AsyncSession, now: datetime | None = None) -> m.PrintJob | None:
    """Take the oldest due job (inside the caller's short transaction)."""
    now = now or utcnow()
    job = await session.scalar(
        select(m.PrintJob)
        .where(
            or_(
                m.PrintJob.state.in_((m.PrintJobState.QUEUED, m.PrintJobState.RETRYING))
                & (m.PrintJob.next_attempt_at <= now),
                (m.PrintJob.state == m.PrintJobState.PRINTING) & (m.PrintJob.lease_until < now),
            )
        )
        .order_by(m.PrintJob.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if job is None:
        return None
    job.state = m.PrintJobState.PRINTING
    job.attempts += 1
    job.lease_until = now + LEASE
    await session.flush()
    return job


def _log(job: m.PrintJob, outcome: str, detail: str) -> None:
    # A new list, so the JSON column is seen as changed.
    job.history = [
        *(job.history or []),
        {"attempt": job.attempts, "at": utcnow().isoformat(), "outcome": outcome, "detail": detail},
    ][-20:]


def record_success(job: m.PrintJob, bytes_sent: int) -> None:
    job.state = m.PrintJobState.DONE
    job.bytes_sent = bytes_sent
    job.last_error = None
    job.lease_until = None
    job.finished_at = utcnow()
    _log(job, "DONE", f"{bytes_sent} bytes")


def record_failure(
    job: m.PrintJob, reason: str, *, transient: bool, policy: RetryPolicy | None = None
) -> None:
    policy = policy or RetryPolicy(max_attempts=job.max_attempts)
    reason = reason[:MAX_REASON]
    job.last_error = reason
    job.lease_until = None
    delay = policy.delay(job.attempts) if transient else None
    if delay is None:
        job.state = m.PrintJobState.FAILED
        job.finished_at = utcnow()
        _log(job, "FAILED", reason)
    else:
        job.state = m.PrintJobState.RETRYING
        job.next_attempt_at = utcnow() + timedelta(seconds=delay)
        _log(job, "RETRY", reason)


def retry_now(job: m.PrintJob) -> None:
    """A person asks to print a failed job again (e.g. after fixing the template)."""
    if job.state not in (m.PrintJobState.FAILED, m.PrintJobState.RETRYING):
        raise DomainError(ErrorCode.INVALID_STATE, f"This print job is {job.state}.", "jobId")
    job.state = m.PrintJobState.QUEUED
    job.attempts = 0
    job.next_attempt_at = utcnow()
    job.finished_at = None
    _log(job, "REQUEUED", "")


def event(job: m.PrintJob) -> PrintJobChanged:
    """What screens hear of a job's attempt; ``change`` is its new state."""
    snapshot = PrintJobSnapshot(
        id=job.id,
        state=job.state,
        attempts=job.attempts,
        printer_id=job.printer_id,
        kind=job.document_kind,
        target=job.target,
        error=job.last_error,
    )
    return PrintJobChanged(job.warehouse_id, job.state, snapshot)
