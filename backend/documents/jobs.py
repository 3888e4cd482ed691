"""Print requests from people: queue a document for a printer, print a failed job again.

The print worker (``service.PrintWorker``) does the printing after the commit;
the caller wakes it.
"""

from __future__ import annotations

from sqlalchemy import select

from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.documents import queue
from backend.documents.badge import permission_for
from backend.documents.data import load, parse_target
from backend.documents.printers import printer_by_id, station_printer
from backend.printing.documents import DocumentKind


async def queue_document(
    uow: UnitOfWork,
    principal: Principal,
    *,
    kind: DocumentKind,
    target: str,
    printer_id: int | None = None,
    station: str | None = None,
    copies: int = 1,
) -> queue.PrintJobView:
    """Queue ``kind`` of ``target`` on the named printer, else on the station's.

    What cannot print (no such order, nothing shipped yet) is refused now, not
    by the worker later."""
    session = uow.session
    if not principal.can(permission_for(kind)):
        raise DomainError(
            ErrorCode.PERMISSION_DENIED, f"Your role may not print a {kind.value}.", "kind"
        )
    parsed = parse_target(target)
    loaded = await load(session, kind, parsed)
    if not principal.in_scope(loaded.warehouse_id):
        raise DomainError(ErrorCode.OUT_OF_SCOPE, "Not a warehouse you work in.", "target")
    if printer_id is not None:
        printer = await printer_by_id(session, principal, printer_id)
    else:
        printer = await station_printer(session, loaded.warehouse_id, station or "")
    job = await queue.enqueue(
        session,
        printer=printer,
        kind=kind,
        target=parsed,
        warehouse_id=loaded.warehouse_id,
        copies=copies,
        lang=principal.locale,
        created_by=principal.user_id,
    )
    return await queue.job_view(session, job)


async def retry_job(uow: UnitOfWork, principal: Principal, job_id: int) -> queue.PrintJobView:
    """Print a failed (or still retrying) job again now."""
    session = uow.session
    job = await session.scalar(select(m.PrintJob).where(m.PrintJob.id == job_id).with_for_update())
    if job is None or not principal.in_scope(job.warehouse_id):
        raise DomainError(ErrorCode.PRINT_JOB_NOT_FOUND, "No such print job.", "jobId")
    queue.retry_now(job)
    await session.flush()
    return await queue.job_view(session, job)
