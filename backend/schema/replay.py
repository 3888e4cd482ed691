"""Encode a mutation's success object to JSON and back, for idempotent replays."""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date, datetime
from enum import Enum
from typing import Any

from strawberry.types.base import has_object_definition


def encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # Fields outside __init__ are resolvers (an item's GTINs, a warehouse's zones):
        # they are computed again when the replayed answer is sent, not stored.
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    return value


def decode(cls: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(cls)
    if origin is typing.Annotated:
        return decode(typing.get_args(cls)[0], data)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(cls) if a is not type(None)]
        return decode(options[0], data)
    if origin in (list, tuple):
        (inner,) = typing.get_args(cls)[:1]
        return [decode(inner, v) for v in data]
    if origin is dict:
        return data
    if isinstance(cls, type) and has_object_definition(cls) and dataclasses.is_dataclass(cls):
        hints = typing.get_type_hints(cls, include_extras=True)
        kwargs = {
            f.name: decode(hints.get(f.name, Any), data.get(f.name))
            for f in dataclasses.fields(cls)
            if f.init and f.name in data
        }
        return cls(**kwargs)
    if isinstance(cls, type) and issubclass(cls, Enum):
        return cls(data)
    if cls is datetime:
        return datetime.fromisoformat(data)
    if cls is date:
        return date.fromisoformat(data)
    if hasattr(cls, "__supertype__"):  # NewType such as strawberry.ID
        return data
    return data
