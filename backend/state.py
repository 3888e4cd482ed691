"""Process-wide resources, owned by the app's lifespan."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from backend.alerts.scheduler import start_alert_scheduler, stop_alert_scheduler
from backend.analytics.freshness import start_fold_worker, stop_fold_worker
from backend.config import Settings
from backend.core import crypto
from backend.core.auth.principal_cache import PrincipalCache
from backend.core.auth.service import SignInService, ThrottlePolicy
from backend.core.auth.tokens import TokenSigner
from backend.core.auth.watch import SessionWatch
from backend.core.db.engine import create_engine, session_factory
from backend.core.db.uow import UnitOfWork
from backend.core.events import EventBus
from backend.documents.service import close_render_pool, start_print_worker, stop_print_worker
from backend.wave.planner import PlanPool


@dataclass
class AppState:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    bus: EventBus
    signer: TokenSigner
    signin: SignInService
    session_watch: SessionWatch
    principals: PrincipalCache = field(default_factory=PrincipalCache)
    # Wave plans are computed here (a spawned process from the environment's settings).
    planner: PlanPool = field(default_factory=lambda: PlanPool(0))

    @classmethod
    def build(cls, settings: Settings) -> AppState:
        from datetime import timedelta

        crypto.configure(settings.data_key)
        engine = create_engine(settings.database_url, echo=settings.sql_echo)
        signer = TokenSigner(settings.secret_key, settings.token_ttl_seconds)
        throttle = ThrottlePolicy(
            settings.signin_max_failures, timedelta(seconds=settings.signin_lockout_seconds)
        )
        bus = EventBus(settings.broadcast_url)
        state = cls(
            settings=settings,
            engine=engine,
            sessions=session_factory(engine),
            bus=bus,
            signer=signer,
            signin=SignInService(signer, throttle, totp_required=settings.totp_required),
            session_watch=SessionWatch(bus),
            principals=PrincipalCache(settings.principal_ttl_seconds),
            planner=PlanPool(settings.plan_processes),
        )
        # A revoked session (any process, through the bus) drops its user's cached
        # principal at once, so the old token is refused on the next request.
        state.session_watch.on_revoked.append(state.principals.forget)
        return state

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, self.bus.publish_all)

    async def start(self) -> None:
        await self.bus.connect()
        await self.session_watch.start()
        await self.purge_idempotency_records()
        start_print_worker(self)  # Settings.print_worker (on from the environment)
        start_alert_scheduler(  # every Settings.alert_interval_seconds (60 s from env)
            self, self.settings.alert_interval_seconds, self.settings.delivery
        )
        start_fold_worker(self, self.unit_of_work, self.settings.analytics_fold_seconds)

    async def purge_idempotency_records(self) -> int:
        """Forget replay answers older than the configured window (a handheld's
        outbox never holds a request that long)."""
        from datetime import timedelta

        from sqlalchemy import delete

        from backend.core.db.base import utcnow
        from backend.core.db.models import IdempotencyRecord

        cutoff = utcnow() - timedelta(hours=self.settings.idempotency_ttl_hours)
        async with self.unit_of_work() as uow:
            result = await uow.session.execute(
                delete(IdempotencyRecord).where(IdempotencyRecord.created_at < cutoff)
            )
            await uow.commit()
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def stop(self) -> None:
        await stop_print_worker(self)
        await close_render_pool(self)  # the render process, if a document was rendered
        await self.planner.close()  # the planning process, if a wave was planned
        await stop_alert_scheduler(self)
        await stop_fold_worker(self)
        await self.session_watch.stop()
        await self.bus.disconnect()
        await self.engine.dispose()
