"""Imports, exports and templates over HTTP (files do not fit GraphQL well).

- ``POST /imports/{kind}?mode=dry-run|apply[&warehouseId=…][&encoding=…]``: the
  request body is the file (CSV or XLSX, at most 100 MB), streamed to disk. The
  answer is the report (JSON): rows, errorRows, errors by line and column,
  applied. An apply with any bad row applies nothing. With
  ``Accept: application/x-ndjson`` the answer streams instead: lines
  ``{"done": n, "total": m}`` (about every 1,000 rows; the total is estimated
  from the file), then the report, or the refusal as ``{code, message, field}``.
- ``GET /imports/{kind}/template.csv`` / ``template.xlsx``: header and an example row.
- ``GET /exports/{kind}.csv`` / ``.xlsx[?warehouseId=…]``: everything of a kind,
  in the import's columns.

``Authorization: Bearer <token>``; importing needs the kind's write permission
(master.write, user.manage for users, stock.adjust for opening stock) and is
audited; zones, bins and opening stock act in one warehouse in the caller's scope.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

from sqlalchemy import select
from starlette.background import BackgroundTask
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from backend.core import audit
from backend.core.auth.principal import Principal
from backend.core.auth.service import principal_from_claims
from backend.core.auth.tokens import TokenError, bearer
from backend.core.db import models as m
from backend.core.errors import DomainError, ErrorCode
from backend.core.scope import acting_warehouse
from backend.imports import export
from backend.imports.kinds import Context, Kind, kind_of
from backend.imports.reader import MAX_BYTES, estimate_rows
from backend.imports.runner import ImportReport, run_import
from backend.state import AppState

log = logging.getLogger(__name__)

NDJSON = "application/x-ndjson"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WAREHOUSE_KINDS = frozenset({"zones", "bins", "opening_stock", "sales_orders"})


def _error(status: int, code: str, message: str, field: str | None = None) -> JSONResponse:
    return JSONResponse({"code": code, "message": message, "field": field}, status_code=status)


def _refused(error: DomainError) -> JSONResponse:
    status = 413 if error.code is ErrorCode.IMPORT_TOO_LARGE else 400
    if error.code.value.endswith("NOT_FOUND"):
        status = 404
    elif error.code in (ErrorCode.OUT_OF_SCOPE, ErrorCode.PERMISSION_DENIED):
        status = 403
    return _error(status, error.code.value, error.message, error.field)


async def _principal(state: AppState, request: Request) -> Principal | None:
    token = bearer(request.headers.get("authorization"))
    if token is None:
        return None
    try:
        claims = state.signer.verify(token)
    except TokenError:
        return None
    async with state.sessions() as session:
        principal = await principal_from_claims(session, claims)
        await session.rollback()
    return principal


async def _context(state: AppState, principal: Principal, kind: Kind, request: Request) -> Context:
    raw = request.query_params.get("warehouseId")
    wid = 0
    code = ""
    if kind.name in WAREHOUSE_KINDS or raw is not None:
        wid = acting_warehouse(principal, raw)
        async with state.sessions() as session:
            found = await session.scalar(select(m.Warehouse.code).where(m.Warehouse.id == wid))
            await session.rollback()
        if found is None:
            raise DomainError(ErrorCode.WAREHOUSE_NOT_FOUND, f"No warehouse {wid}.", "warehouseId")
        code = found
    return Context(wid, code, principal.user_id, reference="")


async def _spool(request: Request) -> Path:
    """The body on disk, refused past 100 MB without reading the rest."""
    handle = tempfile.NamedTemporaryFile(prefix="wms-import-", delete=False)
    path = Path(handle.name)
    size = 0
    try:
        with handle:
            async for chunk in request.stream():
                size += len(chunk)
                if size > MAX_BYTES:
                    raise DomainError(
                        ErrorCode.IMPORT_TOO_LARGE, "Files are limited to 100 MB.", "file"
                    )
                handle.write(chunk)
    except (DomainError, ClientDisconnect):
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise
    return path


async def import_file(request: Request) -> Response:
    state: AppState = request.app.state.wms
    principal = await _principal(state, request)
    if principal is None:
        return _error(401, "UNAUTHENTICATED", "Sign in first.")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BYTES:
        return _error(413, ErrorCode.IMPORT_TOO_LARGE.value, "Files are limited to 100 MB.", "file")
    mode = request.query_params.get("mode", "dry-run")
    if mode not in ("dry-run", "apply"):
        return _error(400, ErrorCode.INVALID_INPUT.value, "mode is dry-run or apply.", "mode")
    try:
        kind = kind_of(request.path_params["kind"])
        if not principal.can(kind.permission):
            return _error(
                403, "PERMISSION_DENIED", f"Your role may not do this ({kind.permission.value})."
            )
        ctx = await _context(state, principal, kind, request)
        path = await _spool(request)
    except DomainError as error:
        return _refused(error)
    encoding = request.query_params.get("encoding")
    dry_run = mode == "dry-run"
    if NDJSON in request.headers.get("accept", ""):
        return StreamingResponse(
            _progress_lines(state, principal, kind, ctx, path, encoding, dry_run),
            media_type=NDJSON,
        )
    try:
        report = await _run(state, principal, kind, ctx, path, encoding, dry_run)
    except DomainError as error:
        return _refused(error)
    except LookupError:
        return _error(400, ErrorCode.IMPORT_BAD_ENCODING.value, "Unknown encoding.", "encoding")
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
    return JSONResponse(report.as_json())


async def _run(
    state: AppState,
    principal: Principal,
    kind: Kind,
    ctx: Context,
    path: Path,
    encoding: str | None,
    dry_run: bool,
    progress: Callable[[int], Awaitable[None]] | None = None,
) -> ImportReport:
    """One import in one unit of work, committed and audited only when applied."""
    async with state.unit_of_work() as uow:
        ctx.reference = f"IMPORT-{kind.name}-{principal.user_id}"
        report = await run_import(
            uow.session, kind, path, ctx, encoding=encoding, dry_run=dry_run, progress=progress
        )
        if report.applied:
            size = (await asyncio.to_thread(path.stat)).st_size
            audit.record(
                uow.session,
                principal,
                "importMasterData",
                entity="import",
                entity_id=kind.name,
                detail={"rows": report.rows, "file_bytes": size},
                warehouse_id=ctx.warehouse_id or None,
            )
            await uow.commit()
    return report


def _line(value: dict[str, object]) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode() + b"\n"


async def _progress_lines(
    state: AppState,
    principal: Principal,
    kind: Kind,
    ctx: Context,
    path: Path,
    encoding: str | None,
    dry_run: bool,
) -> AsyncIterator[bytes]:
    """``{"done": n, "total": m}`` lines while the import runs, then one last line:
    the report, or the refusal (``{"code", "message", "field"}``) a plain request
    would have answered with an error status. The import runs in a task of its own
    so that a client that goes away cancels it, and its transaction rolls back."""
    lines: asyncio.Queue[bytes | None] = asyncio.Queue()
    total = await asyncio.to_thread(estimate_rows, path)

    async def progress(done: int) -> None:
        lines.put_nowait(_line({"done": done, "total": max(total, done)}))
        await asyncio.sleep(0)  # let the response send the line now

    async def work() -> None:
        try:
            report = await _run(state, principal, kind, ctx, path, encoding, dry_run, progress)
            lines.put_nowait(_line({"done": report.rows, "total": report.rows}))
            lines.put_nowait(_line(report.as_json()))
        except DomainError as error:
            lines.put_nowait(
                _line({"code": error.code.value, "message": error.message, "field": error.field})
            )
        except LookupError:
            refusal = {"code": ErrorCode.IMPORT_BAD_ENCODING.value, "message": "Unknown encoding."}
            lines.put_nowait(_line({**refusal, "field": "encoding"}))
        except Exception:
            # The status line is already sent: the refusal is the last line, as for a bad file.
            log.exception("import of %s failed", kind.name)
            failed = {"code": "INTERNAL", "message": "The import failed and changed nothing."}
            lines.put_nowait(_line({**failed, "field": None}))
        finally:
            lines.put_nowait(None)

    task = asyncio.create_task(work())
    try:
        yield _line({"done": 0, "total": total})
        while (line := await lines.get()) is not None:
            yield line
        await task
    finally:
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        with contextlib.suppress(OSError):
            os.unlink(path)


def _check_read(principal: Principal | None, kind: Kind) -> Response | None:
    if principal is None:
        return _error(401, "UNAUTHENTICATED", "Sign in first.")
    if not principal.can(kind.read_permission):
        return _error(
            403, "PERMISSION_DENIED", f"Your role may not do this ({kind.read_permission.value})."
        )
    return None


def _file(path: Path, name: str) -> FileResponse:
    return FileResponse(
        path,
        media_type=XLSX,
        filename=name,
        background=BackgroundTask(path.unlink, missing_ok=True),
    )


async def template(request: Request) -> Response:
    state: AppState = request.app.state.wms
    principal = await _principal(state, request)
    try:
        kind = kind_of(request.path_params["kind"])
    except DomainError as error:
        return _refused(error)
    refused = _check_read(principal, kind)
    if refused is not None:
        return refused
    if request.path_params["fmt"] == "xlsx":
        return _file(export.template_xlsx(kind), f"{kind.name}-template.xlsx")
    return Response(
        export.template_csv(kind),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{kind.name}-template.csv"'},
    )


async def export_file(request: Request) -> Response:
    state: AppState = request.app.state.wms
    principal = await _principal(state, request)
    try:
        kind = kind_of(request.path_params["kind"])
        refused = _check_read(principal, kind)
        if refused is not None:
            return refused
        assert principal is not None
        ctx = await _context(state, principal, kind, request)
    except DomainError as error:
        return _refused(error)
    if request.path_params["fmt"] == "xlsx":
        async with state.sessions() as session:
            path = await export.xlsx_file(session, kind, ctx)
            await session.rollback()
        return _file(path, f"{kind.name}.xlsx")

    async def body():  # type: ignore[no-untyped-def]
        async with state.sessions() as session:
            async for chunk in export.csv_chunks(session, kind, ctx):
                yield chunk
            await session.rollback()

    return StreamingResponse(
        body(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{kind.name}.csv"'},
    )


routes = [
    Route("/imports/{kind}", import_file, methods=["POST", "PUT"]),
    Route("/imports/{kind}/template.{fmt:str}", template, methods=["GET"]),
    Route("/exports/{kind}.{fmt:str}", export_file, methods=["GET"]),
]
