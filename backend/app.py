"""Starlette app factory: /graphql (HTTP + WebSocket), /healthz, /metrics, the PWA."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
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
from backend.documents import route as documents
from backend.imports import route as imports_route
from backend.schema.context import Context
from backend.schema.schema import build_schema
from backend.state import AppState


class GraphQLView(GraphQL[Context, None]):
    def __init__(self, state: AppState) -> None:
        settings = state.settings
        super().__init__(
            build_schema(settings.max_query_depth, settings.max_query_cost, settings.max_page_size),
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            max_subscriptions_per_connection=10,
            graphql_ide="graphiql",
        )
        self.state = state

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

    async def metrics_endpoint(_request: Request) -> Response:
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

    app = Starlette(
        routes=routes, lifespan=lifespan, middleware=[Middleware(metrics.MetricsMiddleware)]
    )
    app.state.wms = state
    return app


class _SpaStatic(StaticFiles):
    def __init__(self, *, directory: Any, html: bool, fallback: Any) -> None:
        super().__init__(directory=directory, html=html)
        self._fallback = fallback

    async def get_response(self, path: str, scope: Any) -> Response:
        try:
            response = await super().get_response(path, scope)
        except HTTPException as exc:
            if exc.status_code == 404 and "." not in path.rsplit("/", 1)[-1]:
                return await self._fallback(None)  # type: ignore[no-any-return]
            raise
        if path in ("sw.js", "index.html", "manifest.webmanifest", "."):
            response.headers["Cache-Control"] = "no-cache"
        return response
