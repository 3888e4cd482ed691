"""The `wms` command: serve, migrate, demo data, users, schema, ledger check, backup."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from backend.config import Settings


def serve_workers(requested: int | None, settings: Settings) -> int:
    """How many worker processes `wms serve` runs.

    Default: one per CPU on PostgreSQL (a worker is CPU-bound on the GraphQL and
    ORM layers), one on SQLite (one writer at a time; more processes only queue
    for its lock). Several workers must share events through a real broadcast
    (Redis or PostgreSQL): with memory:// a handheld subscribed to one worker
    would never hear what another committed, so more than one is refused and the
    default falls back to one.
    """
    sqlite = make_url(settings.database_url).get_backend_name() == "sqlite"
    shared = not settings.broadcast_url.startswith("memory://")
    if requested is None:
        if sqlite:
            return 1
        if not shared:
            print(
                "wms serve: one worker, because BROADCAST_URL is memory:// (set it to"
                " redis://… or postgres://… to run one worker per CPU).",
                file=sys.stderr,
            )
            return 1
        return os.cpu_count() or 1
    if requested < 1:
        raise SystemExit("wms serve: --workers must be at least 1.")
    if requested > 1 and not shared:
        raise SystemExit(
            f"wms serve: {requested} workers need a shared broadcast: set BROADCAST_URL to"
            " redis://… or postgres://… (memory:// only reaches subscribers in the same"
            " process, so a handheld would miss what another worker committed), or run"
            " with --workers 1."
        )
    workers = requested
    return workers


def _cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    workers = serve_workers(args.workers, Settings.from_env())
    if not args.no_migrate:
        _cmd_migrate(args)
    uvicorn.run(
        "backend.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=workers,
        log_level=args.log_level,
        proxy_headers=True,
    )
    return 0


def _cmd_migrate(_args: argparse.Namespace) -> int:
    from backend.core.db.migrate import upgrade

    upgrade(Settings.from_env().database_url)
    return 0


async def _demo(size_name: str, credentials_out: str | None) -> int:
    from backend import demo
    from backend.core.db.engine import create_engine, session_factory

    settings = Settings.from_env()
    engine = create_engine(settings.database_url)
    try:
        async with session_factory(engine)() as session, session.begin():
            if await demo.already_seeded(session):
                print("The database already holds a warehouse; demo data not loaded again.")
                return 0
            size = demo.SMALL if size_name == "small" else demo.FULL
            credentials = await demo.seed(session, size)
    finally:
        await engine.dispose()
    print(f"Demo warehouse loaded ({size_name}). Sign in on a handheld with a badge and PIN:")
    print(f"  {'user':<12}{'role':<12}{'badge':<24}{'PIN':<6}password")
    for c in credentials:
        print(f"  {c.username:<12}{c.role:<12}{c.badge:<24}{c.pin:<6}{c.password}")
    if credentials_out:
        payload = json.dumps([asdict(c) for c in credentials], indent=2)
        await asyncio.to_thread(Path(credentials_out).write_text, payload)
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    _cmd_migrate(args)
    return asyncio.run(_demo("small" if args.small else "full", args.credentials_out))


async def _create_user(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from backend.core.auth.service import create_user
    from backend.core.db.engine import create_engine, session_factory
    from backend.core.db.models import Warehouse
    from backend.scan import CodeKind, make_code

    engine = create_engine(Settings.from_env().database_url)
    try:
        async with session_factory(engine)() as session, session.begin():
            rows = await session.execute(
                select(Warehouse.code, Warehouse.id).where(Warehouse.code.in_(args.warehouse))
            )
            found = {code: wid for code, wid in rows}
            unknown = [code for code in args.warehouse if code not in found]
            if unknown:
                # A typo must not make a user who silently works nowhere.
                print(f"No such warehouse: {', '.join(unknown)}", file=sys.stderr)
                return 2
            warehouse_ids = list(dict.fromkeys(found[code] for code in args.warehouse))
            badge = make_code(CodeKind.BADGE, args.username.upper()) if args.pin else None
            await create_user(
                session,
                username=args.username,
                display_name=args.name or args.username,
                password=args.password,
                roles=args.role,
                warehouse_ids=warehouse_ids,
                badge_code=badge,
                pin=args.pin,
            )
    finally:
        await engine.dispose()
    print(f"User {args.username} created" + (f"; badge {badge}" if badge else ""))
    return 0


async def _list_users() -> int:
    from sqlalchemy import select

    from backend.core.db.engine import create_engine, session_factory
    from backend.core.db.models import User, UserRole

    engine = create_engine(Settings.from_env().database_url)
    try:
        async with session_factory(engine)() as session:
            roles: dict[int, list[str]] = {}
            for uid, role in await session.execute(select(UserRole.user_id, UserRole.role)):
                roles.setdefault(uid, []).append(role)
            for user in await session.scalars(select(User).order_by(User.id)):
                print(
                    f"{user.username:<16}{','.join(roles.get(user.id, [])):<24}{user.badge_code or ''}"
                )
    finally:
        await engine.dispose()
    return 0


def _cmd_users(args: argparse.Namespace) -> int:
    if args.users_command == "create":
        return asyncio.run(_create_user(args))
    return asyncio.run(_list_users())


def _cmd_export_schema(args: argparse.Namespace) -> int:
    from backend.schema.schema import SCHEMA_FILE, schema_sdl

    target = Path(args.output) if args.output else SCHEMA_FILE
    target.write_text(schema_sdl())
    print(f"wrote {target}")
    return 0


async def _check_ledger() -> int:
    from backend.core.db.engine import create_engine, session_factory
    from backend.inventory.ledger import ledger_mismatches

    engine = create_engine(Settings.from_env().database_url)
    try:
        async with session_factory(engine)() as session:
            mismatches = await ledger_mismatches(session)
    finally:
        await engine.dispose()
    for mismatch in mismatches:
        print(mismatch)
    print("ledger and quants agree" if not mismatches else f"{len(mismatches)} quants disagree")
    return 0 if not mismatches else 1


def _cmd_backup(args: argparse.Namespace) -> int:
    url = make_url(Settings.from_env().database_url)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out_dir = Path(args.output_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        import sqlite3

        target = out_dir / f"wms-{stamp}.sqlite3"
        # The online backup API copies a consistent snapshot while the server runs.
        with sqlite3.connect(url.database or "") as source, sqlite3.connect(target) as copy:
            source.backup(copy)
    else:
        if shutil.which("pg_dump") is None:
            print("pg_dump is not installed (Debian package postgresql-client)", file=sys.stderr)
            return 2
        target = out_dir / f"wms-{stamp}.dump"
        dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        subprocess.run(["pg_dump", "--format=custom", f"--file={target}", dsn], check=True)
    print(f"backup written to {target}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wms", description="Warehouse execution system")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the server (GraphQL, PWA, health, metrics)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers",
        type=int,
        default=None,
        help="worker processes (default: the CPU count on PostgreSQL, 1 on SQLite)",
    )
    serve.add_argument("--log-level", default="info")
    serve.add_argument("--no-migrate", action="store_true", help="do not migrate before serving")
    serve.set_defaults(func=_cmd_serve)

    sub.add_parser("migrate", help="upgrade the database schema").set_defaults(func=_cmd_migrate)

    demo = sub.add_parser("demo", help="load the demo warehouse into an empty database")
    demo.add_argument("--small", action="store_true", help="a small warehouse, for tests")
    demo.add_argument("--credentials-out", help="write the demo users' badges and PINs as JSON")
    demo.set_defaults(func=_cmd_demo)

    users = sub.add_parser("users", help="list or create users")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    users_sub.add_parser("list")
    create = users_sub.add_parser("create")
    create.add_argument("username")
    create.add_argument("--password", required=True)
    create.add_argument("--role", action="append", required=True)
    create.add_argument("--warehouse", action="append", default=[])
    create.add_argument("--pin")
    create.add_argument("--name")
    users.set_defaults(func=_cmd_users)

    schema = sub.add_parser("export-schema", help="write schema.graphql")
    schema.add_argument("--output")
    schema.set_defaults(func=_cmd_export_schema)

    sub.add_parser("check-ledger", help="prove quants equal the sum of the ledger").set_defaults(
        func=lambda _a: asyncio.run(_check_ledger())
    )

    backup = sub.add_parser("backup", help="a consistent copy of the database")
    backup.add_argument("--output-dir", default="var/backups")
    backup.set_defaults(func=_cmd_backup)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
