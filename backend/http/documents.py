"""Printed documents as PDF over HTTP: ``GET /documents/{kind}/{target}.pdf``.

``kind`` is a document kind (shipping_label, carton_label, packing_slip,
waybill, pick_list, bin_labels, count_sheet, user_badge); ``target`` an id, or
``wave-<id>`` / ``shipment-<id>`` for all labels of a wave or shipment in one
document. The caller sends ``Authorization: Bearer <token>`` and needs the
print permission in the document's warehouse (a user's badge: user.manage). ``?lang=zh-CN`` picks the
language (default: the user's).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from backend.core.auth.principal import Principal
from backend.core.auth.service import principal_from_claims
from backend.core.auth.tokens import TokenError, bearer
from backend.core.errors import DomainError
from backend.documents.badge import permission_for, scoped
from backend.documents.data import MalformedTarget, parse_kind
from backend.documents.service import render_documents
from backend.printing.render import TemplateRenderError
from backend.state import AppState


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"code": code, "message": message}, status_code=status)


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


async def document_pdf(request: Request) -> Response:
    state: AppState = request.app.state.wms
    principal = await _principal(state, request)
    if principal is None:
        return _error(401, "UNAUTHENTICATED", "Sign in first.")
    lang = request.query_params.get("lang") or principal.locale or "en"
    try:
        kind = parse_kind(request.path_params["kind"])
        if not principal.can(permission_for(kind)):
            return _error(403, "PERMISSION_DENIED", "Your role may not print this document.")
        rendered = await render_documents(
            state,
            kind,
            request.path_params["target"],
            lang,
            allowed=principal.in_scope if scoped(kind) else None,
        )
    except DomainError as exc:
        status = 400
        # A target that cannot be an id ("-1", "１２", past the id range) is a URL of
        # no document: 404, like an id that names nothing.
        if exc.code.value.endswith("NOT_FOUND") or isinstance(exc, MalformedTarget):
            status = 404
        elif exc.code.value == "OUT_OF_SCOPE":
            status = 403
        return _error(status, exc.code.value, exc.message)
    except TemplateRenderError as exc:
        return _error(500, "TEMPLATE_RENDER_FAILED", str(exc))
    filename = f"{kind.value}-{request.path_params['target']}.pdf"
    return Response(
        rendered.pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


routes = [Route("/documents/{kind}/{target}.pdf", document_pdf, methods=["GET"])]
