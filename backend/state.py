"""Process-wide resources, owned by the app's lifespan."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from backend.auth.service import SignInService, ThrottlePolicy
from backend.auth.tokens import TokenSigner
from backend.config import Settings
from backend.db.engine import create_engine, session_factory
from backend.db.uow import UnitOfWork
from backend.events import EventBus


@dataclass
class AppState:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    bus: EventBus
    signer: TokenSigner
    signin: SignInService

    @classmethod
    def build(cls, settings: Settings) -> AppState:
        from datetime import timedelta

        engine = create_engine(settings.database_url, echo=settings.sql_echo)
        signer = TokenSigner(settings.secret_key, settings.token_ttl_seconds)
        throttle = ThrottlePolicy(
            settings.signin_max_failures, timedelta(seconds=settings.signin_lockout_seconds)
        )
        return cls(
            settings=settings,
            engine=engine,
            sessions=session_factory(engine),
            bus=EventBus(settings.broadcast_url),
            signer=signer,
            signin=SignInService(signer, throttle),
        )

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, self.bus.publish_all)

    async def start(self) -> None:
        await self.bus.connect()

    async def stop(self) -> None:
        await self.bus.disconnect()
        await self.engine.dispose()
