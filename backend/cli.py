"""The `wms` command: serve, migrate, demo data, users, schema, ledger check,
backup and restore, personal-data encryption."""

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


def _settings() -> Settings:
    """The environment's settings, with the data key installed for this process."""
    from backend.core import crypto

    settings = Settings.from_env()
    crypto.configure(settings.data_key)
    return settings


def tls_options(settings: Settings) -> dict[str, str]:
    """uvicorn's options for HTTPS when a certificate and key are configured."""
    if settings.tls_cert is None and settings.tls_key is None:
        return {}
    if settings.tls_cert is None or settings.tls_key is None:
        raise SystemExit("WMS_TLS_CERT and WMS_TLS_KEY must be set together")
    for path in (settings.tls_cert, settings.tls_key):
        if not path.is_file():
            raise SystemExit(f"TLS file not found: {path}")
    return {"ssl_certfile": str(settings.tls_cert), "ssl_keyfile": str(settings.tls_key)}


def _cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = _settings()
    tls = tls_options(settings)
    workers = serve_workers(args.workers, settings)
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
        **tls,  # type: ignore[arg-type]
    )
    return 0


def _cmd_migrate(_args: argparse.Namespace) -> int:
    from backend.core.db.migrate import upgrade

    upgrade(_settings().database_url)
    return 0


async def _demo(size_name: str, credentials_out: str | None) -> int:
    from backend import demo
    from backend.core.db.engine import create_engine, session_factory

    settings = _settings()
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

    engine = create_engine(_settings().database_url)
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

    engine = create_engine(_settings().database_url)
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


async def _change_user(args: argparse.Namespace) -> int:
    """Disable, enable, set roles or reset/set up TOTP, through the same domain
    functions as the API, so open sessions end and their sockets close."""
    from sqlalchemy import select

    from backend.core.auth import accounts, totp
    from backend.core.auth.principal import Principal
    from backend.core.db.models import User
    from backend.state import AppState

    state = AppState.build(_settings())
    await state.bus.connect()  # the revocation reaches servers sharing the bus
    try:
        async with state.unit_of_work() as uow:
            user = await uow.session.scalar(select(User).where(User.username == args.username))
            if user is None:
                print(f"no user {args.username}", file=sys.stderr)
                return 1
            # The command line acts as nobody in particular (user id 0).
            actor = Principal(0, "cli", "wms", frozenset({"admin"}), frozenset(), None, "en", "cli")
            command = args.users_command
            if command in ("disable", "enable"):
                await accounts.set_active(uow, actor, user.id, command == "enable")
            elif command == "roles":
                await accounts.set_roles(uow, actor, user.id, args.role)
            elif command == "totp":
                accounts.reset_totp(user)
                if not args.reset:
                    enrolment = totp.new_enrolment(user.username)
                    user.totp_secret = enrolment.secret
                    user.totp_enabled_at = _now()
                    print(f"secret: {enrolment.secret}\nuri:    {enrolment.uri}")
                    _print_qr(enrolment.uri)
                await accounts.revoke_all(uow, user.id)
            await uow.commit()
    finally:
        await state.bus.disconnect()
        await state.engine.dispose()
    print(f"{args.username}: {args.users_command} done")
    return 0


def _now() -> datetime:
    return datetime.now(UTC)


def _print_qr(uri: str) -> None:
    import segno

    segno.make_qr(uri, error="m").terminal(compact=True)


def _cmd_users(args: argparse.Namespace) -> int:
    if args.users_command == "create":
        return asyncio.run(_create_user(args))
    if args.users_command == "list":
        return asyncio.run(_list_users())
    return asyncio.run(_change_user(args))


def _cmd_export_schema(args: argparse.Namespace) -> int:
    from backend.schema.schema import SCHEMA_FILE, schema_sdl

    target = Path(args.output) if args.output else SCHEMA_FILE
    target.write_text(schema_sdl())
    print(f"wrote {target}")
    return 0


async def _check_ledger() -> int:
    from backend.core.db.engine import create_engine, session_factory
    from backend.inventory.ledger import ledger_mismatches

    engine = create_engine(_settings().database_url)
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
    url = make_url(_settings().database_url)
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


def _cmd_restore(args: argparse.Namespace) -> int:
    """Replace the database with a backup `wms backup` made, bring it to the current
    schema and check the ledger. The server must be stopped."""
    from backend.core.db.migrate import upgrade

    settings = _settings()
    url = make_url(settings.database_url)
    source = Path(args.backup)
    if not source.is_file():
        print(f"no backup at {source}", file=sys.stderr)
        return 2
    if not args.yes:
        print(
            f"This replaces every row of {url.render_as_string(hide_password=True)} with "
            f"{source}. Stop the server, then run again with --yes.",
            file=sys.stderr,
        )
        return 2
    if url.get_backend_name() == "sqlite":
        import sqlite3

        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as backup:
            if backup.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                print(f"{source} is damaged", file=sys.stderr)
                return 1
            # The backup API copies page by page into the live file, WAL included.
            with sqlite3.connect(url.database or "") as target:
                backup.backup(target)
    else:
        if shutil.which("pg_restore") is None or shutil.which("psql") is None:
            print("pg_restore is not installed (Debian package postgresql-client)", file=sys.stderr)
            return 2
        dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        # An empty schema first: tables added since the backup would otherwise stay.
        subprocess.run(
            [
                "psql",
                "--quiet",
                "--set=ON_ERROR_STOP=1",
                dsn,
                "--command",
                "DROP SCHEMA public CASCADE; CREATE SCHEMA public;",
            ],
            check=True,
        )
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={dsn}",
                str(source),
            ],
            check=True,
        )
    upgrade(settings.database_url)  # a backup from an older release gets the newer tables
    print(f"restored {source}")
    return asyncio.run(_check_ledger())


async def _encrypt_data(decrypt: bool) -> int:
    from backend.core import crypto
    from backend.core.db.engine import create_engine
    from backend.core.db.personal_data import decrypt_personal_data, encrypt_personal_data

    settings = _settings()
    if not decrypt and not crypto.enabled():
        print("set WMS_DATA_KEY first (make one with `wms data-key`)", file=sys.stderr)
        return 2
    engine = create_engine(settings.database_url)
    try:
        async with engine.begin() as connection:
            work = decrypt_personal_data if decrypt else encrypt_personal_data
            count = await connection.run_sync(work)
    finally:
        await engine.dispose()
    print(f"{count} rows {'decrypted' if decrypt else 'encrypted with the first key'}")
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
    for name, text in (("disable", "disable a user (ends their sessions)"), ("enable", "enable")):
        users_sub.add_parser(name, help=text).add_argument("username")
    roles = users_sub.add_parser("roles", help="replace a user's roles (ends their sessions)")
    roles.add_argument("username")
    roles.add_argument("--role", action="append", required=True)
    totp_cmd = users_sub.add_parser("totp", help="set up a new TOTP secret for a user, or reset")
    totp_cmd.add_argument("username")
    totp_cmd.add_argument("--reset", action="store_true", help="turn the second factor off")
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

    restore = sub.add_parser("restore", help="replace the database with a backup")
    restore.add_argument("backup", help="a file `wms backup` wrote")
    restore.add_argument("--yes", action="store_true", help="really replace the data")
    restore.set_defaults(func=_cmd_restore)

    encrypt = sub.add_parser(
        "encrypt-data", help="encrypt personal fields with WMS_DATA_KEY (or --decrypt them)"
    )
    encrypt.add_argument("--decrypt", action="store_true")
    encrypt.set_defaults(func=lambda a: asyncio.run(_encrypt_data(a.decrypt)))

    sub.add_parser("data-key", help="print a new key for WMS_DATA_KEY").set_defaults(
        func=_cmd_data_key
    )
    return parser


def _cmd_data_key(_args: argparse.Namespace) -> int:
    from backend.core import crypto

    print(crypto.generate_key())
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
