"""Printing wired to the system: documents from the database rendered to PDF,
and the worker that empties the print queue.

Rendering never happens while a database transaction is open. It runs in a
separate process (a ``RenderPool`` per app, started on the first render and
closed with the app): a 100-label batch is seconds of CPU, and in a thread of
the server it would share the GIL with the event loop and hold up every scan
meanwhile (bench/labels_server.py measured a p99 16x the idle one).
``Settings.render_processes`` (``WMS_RENDER_PROCESSES``) sets the number of render
processes (default 1); ``0`` renders in a worker thread of the server instead. The site's template
folder (``Settings.template_dir``, env ``WMS_TEMPLATE_DIR``) reaches the
renderer here.

The worker starts with the app when ``Settings.print_worker`` is on: from the
environment it is (``WMS_PRINT_WORKER=0`` turns it off), so every configured
printer gets its queue emptied; a Settings built in code (tests) leaves it off,
so tests never race a background printer and drive ``run_once``.

The app's state is reached through ``DocumentResources``, so this package never imports
it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.core.db import models as m
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.documents import queue
from backend.documents.data import load, parse_target
from backend.printing.documents import DocumentKind
from backend.printing.printers import PrinterError, RetryPolicy, printer_from_config
from backend.printing.render import DocumentRenderer, RenderPool, TemplateRenderError


class DocumentSettings(Protocol):
    @property
    def template_dir(self) -> Path | None: ...

    @property
    def render_processes(self) -> int: ...

    @property
    def print_worker(self) -> bool: ...


class DocumentResources(Protocol):
    """What rendering and printing need of the app (backend.state.AppState has it)."""

    @property
    def settings(self) -> DocumentSettings: ...

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]: ...

    def unit_of_work(self) -> UnitOfWork: ...


log = logging.getLogger(__name__)

_renderers: dict[Path | None, DocumentRenderer] = {}


def renderer_for(template_dir: Path | None) -> DocumentRenderer:
    """One renderer per template folder: it caches stylesheets and fonts."""
    renderer = _renderers.get(template_dir)
    if renderer is None:
        renderer = _renderers[template_dir] = DocumentRenderer(template_dir)
    return renderer


_pools: dict[int, RenderPool] = {}


def _pool_of(state: DocumentResources) -> RenderPool:
    """The app's render pool, made on first use (its process starts on the first job)."""
    pool = _pools.get(id(state))
    if pool is None:
        pool = _pools[id(state)] = RenderPool(
            state.settings.template_dir, workers=state.settings.render_processes
        )
    return pool


async def _drop_pool(state: DocumentResources, broken: RenderPool | None = None) -> None:
    """Forget and close the app's pool (only if it is still ``broken``, when given:
    a concurrent render may have replaced it already)."""
    pool = _pools.get(id(state))
    if pool is None or (broken is not None and pool is not broken):
        pool = broken
    else:
        del _pools[id(state)]
    if pool is not None:
        await asyncio.to_thread(pool.close)


async def close_render_pool(state: DocumentResources) -> None:
    """Stop the app's render processes (on shutdown); queued renders are cancelled."""
    await _drop_pool(state)


async def render_pdf(
    state: DocumentResources, kind: DocumentKind, documents: Sequence[Any], lang: str
) -> bytes:
    """Render ``documents`` as one PDF in the app's render process (or, with
    WMS_RENDER_PROCESSES=0, in a worker thread)."""
    if state.settings.render_processes == 0:
        return await renderer_for(state.settings.template_dir).render_many_pdf_async(
            kind.value, documents, lang
        )
    pool = _pool_of(state)
    try:
        return await pool.render_many_pdf(kind.value, documents, lang)
    except BrokenProcessPool:
        # The render process died (killed, out of memory): start a new one and
        # try once more; a document that kills that one too is reported.
        log.warning("the render process died; starting a new one", exc_info=True)
        await _drop_pool(state, pool)
    pool = _pool_of(state)
    try:
        return await pool.render_many_pdf(kind.value, documents, lang)
    except BrokenProcessPool as exc:
        await _drop_pool(state, pool)
        raise TemplateRenderError(kind.value, "the render process died") from exc


@dataclass(frozen=True)
class RenderedDocument:
    pdf: bytes
    warehouse_id: int
    title: str


async def render_documents(
    state: DocumentResources,
    kind: DocumentKind,
    target: str,
    lang: str = "en",
    *,
    allowed: Callable[[int], bool] | None = None,
) -> RenderedDocument:
    """Load (short read, session closed) and then render off the event loop.

    ``allowed(warehouse_id)`` is checked before any rendering. Raises
    DomainError when there is nothing to print (or it is out of scope) and
    TemplateRenderError when the template fails."""
    async with state.sessions() as session:
        loaded = await load(session, kind, parse_target(target))
        await session.rollback()
    if allowed is not None and not allowed(loaded.warehouse_id):
        raise DomainError(ErrorCode.OUT_OF_SCOPE, "This document belongs to another warehouse.")
    pdf = await render_pdf(state, kind, loaded.documents, lang)
    return RenderedDocument(pdf, loaded.warehouse_id, loaded.title)


@dataclass(frozen=True)
class _Claimed:
    job_id: int
    warehouse_id: int
    printer_id: int
    kind: DocumentKind
    target: str
    lang: str
    copies: int
    attempt: int


class PrintWorker:
    def __init__(
        self,
        state: DocumentResources,
        *,
        poll_interval: float = 2.0,
        policy: RetryPolicy | None = None,
    ) -> None:
        self.state = state
        self.poll_interval = poll_interval
        self.policy = policy
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        self._wake.set()

    async def _claim(self) -> _Claimed | None:
        async with self.state.unit_of_work() as uow:
            job = await queue.claim_due(uow.session)
            if job is None:
                return None
            claimed = _Claimed(
                job.id,
                job.warehouse_id,
                job.printer_id,
                DocumentKind(job.document_kind),
                job.target,
                job.lang,
                job.copies,
                job.attempts,
            )
            await uow.commit()
            return claimed

    async def _print(self, claimed: _Claimed) -> int:
        async with self.state.sessions() as session:
            row = await session.get(m.PrinterRow, claimed.printer_id)
            if row is None:
                raise PrinterError(str(claimed.printer_id), "printer removed", transient=False)
            config = queue.printer_config(row)
            await session.rollback()
        rendered = await render_documents(self.state, claimed.kind, claimed.target, claimed.lang)
        printer = printer_from_config(config)
        sent = 0
        for copy in range(claimed.copies):
            name = f"wms-{claimed.job_id}-{claimed.kind.value}-{claimed.target}-{copy + 1}"
            result = await printer.send(rendered.pdf, name)
            sent += result.bytes_sent
        return sent

    async def run_once(self) -> bool:
        """Print the oldest due job; False when none was due."""
        claimed = await self._claim()
        if claimed is None:
            return False
        outcome: tuple[str, bool] | int
        try:
            outcome = await self._print(claimed)
        except TemplateRenderError as exc:
            outcome = (f"template failed: {exc.reason}", False)
        except DomainError as exc:
            outcome = (f"{exc.code.value}: {exc.message}", False)
        except PrinterError as exc:
            outcome = (str(exc), exc.transient)
        except Exception as exc:  # an unknown failure must not kill the worker
            log.exception("print job %s failed", claimed.job_id)
            outcome = (f"{type(exc).__name__}: {exc}", True)
        async with self.state.unit_of_work() as uow:
            job = await uow.session.scalar(
                select(m.PrintJob).where(m.PrintJob.id == claimed.job_id).with_for_update()
            )
            if job is None or job.attempts != claimed.attempt:
                return True  # requeued or taken over meanwhile: its new attempt reports
            if isinstance(outcome, int):
                queue.record_success(job, outcome)
            else:
                reason, transient = outcome
                queue.record_failure(job, reason, transient=transient, policy=self.policy)
            uow.emit(queue.event(job))
            await uow.commit()
        return True

    async def drain(self, limit: int = 100) -> int:
        done = 0
        while done < limit and await self.run_once():
            done += 1
        return done

    async def run(self) -> None:
        while True:
            try:
                while await self.run_once():
                    pass
            except asyncio.CancelledError:
                raise
            except Exception:  # the database may be briefly away; try again later
                log.exception("print worker iteration failed")
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_interval)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self.run(), name="print-worker")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None


_workers: dict[int, PrintWorker] = {}


def start_print_worker(state: DocumentResources, *, force: bool = False) -> PrintWorker | None:
    """Start the print worker for this app (when its settings say so, or forced)."""
    if not (force or state.settings.print_worker):
        return None
    worker = _workers.get(id(state))
    if worker is None:
        worker = _workers[id(state)] = PrintWorker(state)
        worker.start()
    return worker


async def stop_print_worker(state: DocumentResources) -> None:
    worker = _workers.pop(id(state), None)
    if worker is not None:
        await worker.stop()


def wake_print_worker(state: DocumentResources) -> None:
    worker = _workers.get(id(state))
    if worker is not None:
        worker.wake()
