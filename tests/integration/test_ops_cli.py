"""The server speaks HTTPS when a certificate is configured, and `wms restore`
brings back what `wms backup` saved."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import os
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy import func, select

from backend.core.db import models as m
from backend.core.db.engine import create_engine, session_factory
from backend.inventory.ledger import MoveRequest, Place, apply_move
from tests.integration.conftest import DB_KIND
from tests.integration.helpers import pick_face_bin
from tests.integration.test_subscriptions import _free_port


def self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.DNSName("localhost"),
                    x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                ]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def wms(database_url: str, tmp: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "backend.cli", *args],
        env={**os.environ, "DATABASE_URL": database_url, "WMS_DATA_DIR": str(tmp), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_healthz_over_https_with_a_configured_certificate(database_url, tmp_path):
    cert, key = self_signed(tmp_path)
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "WMS_DATA_DIR": str(tmp_path),
        "WMS_TLS_CERT": str(cert),
        "WMS_TLS_KEY": str(key),
    }
    log = open(tmp_path / "server.log", "w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "backend.cli",
            "serve",
            "--no-migrate",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    trusted = ssl.create_default_context(cafile=str(cert))
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"https://127.0.0.1:{port}/healthz", verify=trusted, timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None, (tmp_path / "server.log").read_text()
                assert time.monotonic() < deadline, "server did not come up"
                time.sleep(0.1)
        assert response.status_code == 200
        assert response.json()["status"] == "ok"
        assert response.http_version.startswith("HTTP/1")
        # Plain HTTP on the same port is not served.
        try:
            plain = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
            assert plain.status_code != 200
        except httpx.TransportError:
            pass
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_half_a_tls_configuration_is_refused(database_url, tmp_path):
    result = wms(database_url, tmp_path, "serve", "--no-migrate", WMS_TLS_CERT=str(tmp_path / "c"))
    assert result.returncode != 0
    assert "WMS_TLS_CERT and WMS_TLS_KEY" in result.stderr


async def _counts(database_url: str) -> tuple[int, int, int]:
    engine = create_engine(database_url)
    try:
        async with session_factory(engine)() as session:
            moves = await session.scalar(select(func.count()).select_from(m.StockMove))
            on_hand = await session.scalar(select(func.coalesce(func.sum(m.Quant.on_hand), 0)))
            items = await session.scalar(select(func.count()).select_from(m.Item))
            return int(moves or 0), int(on_hand or 0), int(items or 0)
    finally:
        await engine.dispose()


async def _change(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        async with session_factory(engine)() as session:
            face = await pick_face_bin(session)
            item = m.Item(sku="AFTER-BACKUP", name="Added after the backup")
            session.add(item)
            await session.flush()
            await apply_move(
                session,
                MoveRequest(
                    item_id=item.id,
                    quantity=25,
                    reason=m.MoveReason.OPENING,
                    destination=Place(face.id),
                    reference="after-backup",
                ),
            )
            await session.commit()
    finally:
        await engine.dispose()


async def test_backup_change_restore_round_trip(database_url, tmp_path):
    before = await _counts(database_url)
    made = wms(database_url, tmp_path, "backup", "--output-dir", str(tmp_path / "backups"))
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.strip().rsplit(" ", 1)[-1])
    assert await asyncio.to_thread(backup.is_file)
    assert backup.suffix == (".dump" if DB_KIND == "postgresql" else ".sqlite3")

    await _change(database_url)
    changed = await _counts(database_url)
    assert changed != before

    refused = wms(database_url, tmp_path, "restore", str(backup))
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert await _counts(database_url) == changed  # nothing happened without --yes

    restored = wms(database_url, tmp_path, "restore", str(backup), "--yes")
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "ledger and quants agree" in restored.stdout
    assert await _counts(database_url) == before
    checked = wms(database_url, tmp_path, "check-ledger")
    assert checked.returncode == 0, checked.stdout

    missing = wms(database_url, tmp_path, "restore", str(tmp_path / "nope.dump"), "--yes")
    assert missing.returncode == 2
