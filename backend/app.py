"""Starlette app factory: /graphql (HTTP + WebSocket), /healthz, /metrics, the PWA."""

from __future__ import annotations

import hmac
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from cross_web import HTTPException as GraphQLHTTPException
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from backend.config import Settings
from backend.core import metrics
from backend.core.auth.tokens import TokenError, bearer
from backend.http import delivery, documents
from backend.http import imports as imports_route
from backend.http.edge import EdgeMiddleware
from backend.http.metrics import MetricsMiddleware
from backend.schema.context import Context
from backend.schema.limits import Introspection
from backend.schema.schema import build_schema
from backend.state import AppState


class GraphQLView(GraphQL[Context, None]):
    def __init__(self, state: AppState) -> None:
        settings = state.settings
        super().__init__(
            build_schema(
                settings.max_query_depth,
                settings.max_query_cost,
                settings.max_page_size,
                max_aliases=settings.max_aliases,
                max_root_fields=settings.max_root_fields,
                introspection=Introspection(settings.introspection),
            ),
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            max_subscriptions_per_connection=10,
            # A socket that never says connection_init is closed (4408) instead of held.
            connection_init_wait_timeout=timedelta(seconds=settings.ws_init_timeout_seconds),
            graphql_ide="graphiql" if settings.introspection == "all" else None,
        )
        self.state = state

    def decode_json(self, data: str | bytes) -> object:
        # strawberry answers 400 for a JSONDecodeError only; invalid UTF-8, nesting past
        # the recursion limit and a body that is not an object would otherwise be 500s.
        try:
            decoded = json.loads(data)
        except (ValueError, RecursionError):
            raise GraphQLHTTPException(400, "Unable to parse request body as JSON") from None
        if isinstance(decoded, list):
            return decoded  # strawberry refuses batches itself
        if not isinstance(decoded, dict):
            raise GraphQLHTTPException(400, "The request body must be a JSON object.")
        if not isinstance(decoded.get("operationName"), (str, type(None))):
            raise GraphQLHTTPException(400, "`operationName` must be a string or null.")
        return decoded

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        return Context(self.state, request, response)

    async def on_ws_connect(self, context: Context) -> None:
        # Refuse the socket at once when the token is missing or bad, rather than
        # per operation: a handheld then knows to sign in again.
        params = context.connection_params or {}
        raw = params.get("authorization") or params.get("Authorization")
        token = bearer(str(raw)) if raw else None
        if token is None:
            raise ConnectionRejectionError({"code": "UNAUTHENTICATED"})
        try:
            self.state.signer.verify(token)
        except TokenError:
            raise ConnectionRejectionError({"code": "UNAUTHENTICATED"}) from None
        if await context.principal() is None:
            raise ConnectionRejectionError({"code": "UNAUTHENTICATED"})
        await context.close()


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    state = AppState.build(settings)
    view = GraphQLView(state)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await state.start()
        try:
            yield
        finally:
            await state.stop()

    async def healthz(_request: Request) -> Response:
        try:
            async with state.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as exc:  # the check exists to report any database failure
            return JSONResponse({"status": "error", "database": str(exc)[:200]}, status_code=503)
        return JSONResponse({"status": "ok", "database": state.engine.dialect.name})

    async def metrics_endpoint(request: Request) -> Response:
        if not _may_read_metrics(request, settings.metrics_token):
            return JSONResponse(
                {"code": "UNAUTHENTICATED", "message": "Metrics need the metrics token."},
                status_code=401,
            )
        return PlainTextResponse(
            metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8"
        )

    routes: list[Any] = [
        Route("/graphql", view, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", view),
        Route("/healthz", healthz),
        Route("/metrics", metrics_endpoint),
        *documents.routes,
        *imports_route.routes,
    ]
    dist = settings.pwa_dist
    if (dist / "index.html").exists():
        index = dist / "index.html"

        async def spa_fallback(_request: Request) -> Response:
            # Client-side routes (/tasks/12) load the shell; the app routes from there.
            return FileResponse(index, headers={"Cache-Control": "no-cache"})

        routes.append(Mount("/", app=_SpaStatic(directory=dist, html=True, fallback=spa_fallback)))
    else:

        async def no_pwa(_request: Request) -> Response:
            return PlainTextResponse(
                "The PWA is not built. Run: npm --prefix pwa ci && npm --prefix pwa run build",
                status_code=503,
            )

        routes.append(Route("/", no_pwa))

    middleware = [
        Middleware(MetricsMiddleware),  # outermost: it counts the 413s too
        Middleware(EdgeMiddleware, max_body_bytes=settings.max_body_bytes),
        Middleware(GZipMiddleware, compresslevel=6, exclude_content_types=delivery.GZIP_EXCLUDED),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, middleware=middleware)
    app.state.wms = state
    return app


_LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def _may_read_metrics(request: Request, token: str | None) -> bool:
    """With WMS_METRICS_TOKEN set, the bearer must match it; unset, only this host may read."""
    if token:
        given = bearer(request.headers.get("authorization")) or ""
        return hmac.compare_digest(given.encode(), token.encode())
    return request.client is not None and request.client.host in _LOOPBACK


class _SpaStatic(StaticFiles):
    def __init__(self, *, directory: Any, html: bool, fallback: Any) -> None:
        super().__init__(directory=directory, html=html)
        self._fallback = fallback

    async def get_response(self, path: str, scope: Any) -> Response:
        try:
            response = delivery.precompressed(self, path, scope)
            response = response or await super().get_response(path, scope)
        except HTTPException as exc:
            if exc.status_code == 404 and "." not in path.rsplit("/", 1)[-1]:
                return await self._fallback(None)  # type: ignore[no-any-return]
            raise
        if policy := delivery.cache_control(path):
            response.headers["Cache-Control"] = policy
        return response
