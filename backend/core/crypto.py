"""Personal fields encrypted at rest with a key from the environment.

`WMS_DATA_KEY` holds one or more Fernet keys (AES-128-CBC + HMAC-SHA256), comma
separated: the first encrypts, every one decrypts, so a key can be rotated by
putting the new one first and running `wms encrypt-data`. Without a key, values
are written as plain JSON/text and the system runs as before; a value that was
written encrypted cannot be read back without its key, and says so.

Encrypted values carry a prefix, so plain and encrypted rows can live side by
side while a database is being converted, and the conversion is idempotent.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import JSON, String, TypeDecorator
from sqlalchemy.engine import Dialect

PREFIX = "enc1:"


class DataKeyError(RuntimeError):
    """Encrypted data met without (the right) WMS_DATA_KEY."""


class _Keyring:
    def __init__(self) -> None:
        self.fernet: MultiFernet | None = None

    def configure(self, keys: str | None) -> None:
        parts = [k.strip() for k in (keys or "").split(",") if k.strip()]
        try:
            self.fernet = MultiFernet([Fernet(k.encode()) for k in parts]) if parts else None
        except ValueError as exc:
            raise DataKeyError(
                "WMS_DATA_KEY must be Fernet keys (make one with `wms data-key`)"
            ) from exc


_keyring = _Keyring()


def configure(keys: str | None) -> None:
    """Set the process's data keys (the app and the CLI call this from Settings)."""
    _keyring.configure(keys)


def enabled() -> bool:
    return _keyring.fernet is not None


def generate_key() -> str:
    return Fernet.generate_key().decode()


def is_encrypted(stored: object) -> bool:
    return isinstance(stored, str) and stored.startswith(PREFIX)


def encrypt_text(plain: str) -> str:
    if _keyring.fernet is None:
        return plain
    return PREFIX + _keyring.fernet.encrypt(plain.encode()).decode()


def decrypt_text(stored: str) -> str:
    if not stored.startswith(PREFIX):
        return stored
    if _keyring.fernet is None:
        raise DataKeyError("this value is encrypted; set WMS_DATA_KEY to read it")
    try:
        return _keyring.fernet.decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken as exc:
        raise DataKeyError(
            "this value was encrypted with a key WMS_DATA_KEY does not hold"
        ) from exc


def seal_json(value: Any) -> Any:
    """The JSON value to store: the value itself, or a JSON string holding its ciphertext."""
    if value is None or _keyring.fernet is None:
        return value
    return encrypt_text(json.dumps(value, sort_keys=True, ensure_ascii=False))


def open_json(stored: Any) -> Any:
    if is_encrypted(stored):
        return json.loads(decrypt_text(stored))
    return stored


class EncryptedJSON(TypeDecorator[Any]):
    """A JSON column whose value is stored as an encrypted JSON string when a key is set.

    The column stays JSON on both databases, so switching encryption on needs no
    DDL: the stored JSON value is simply a string ("enc1:…") instead of an object.
    """

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return seal_json(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return open_json(value)


class EncryptedText(TypeDecorator[str]):
    impl = String(255)
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else encrypt_text(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else decrypt_text(value)
